// The status lifecycle of outgoing messages: scheduled → accepted → processing → sent → delivered, one step per test hook or demo timer.
import { MESSAGE_STATUSES, type Message, type MessageFailure, type MessageStatus } from '../bird/types.ts';
import { parseInstant } from './pages.ts';
import type { MessageRecord } from './records.ts';

const NEXT_STATUS: Partial<Record<MessageStatus, MessageStatus>> = {
  scheduled: 'accepted',
  accepted: 'processing',
  processing: 'sent',
  sent: 'delivered',
};

/** Decision: default failures when a test forces a failure status without giving one. */
const DEFAULT_FAILURES: Partial<Record<MessageStatus, { failure: MessageFailure; reason: string }>> = {
  sending_failed: {
    failure: { code: 100, description: 'The platform refused the message', source: { code: 'generationRejection', name: 'pre-processing' } },
    reason: 'generationRejection',
  },
  delivery_failed: {
    failure: { code: 200, description: 'The recipient could not be reached', source: { code: 'bounceHard', name: 'carrier' } },
    reason: 'bounceHard',
  },
};

export interface StatusExtra {
  failure?: MessageFailure;
  reason?: string;
  details?: string;
}

export class Lifecycle {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** `mode`: 'manual' (tests advance statuses) or ms per step (demo); `now`: the store's clock (epoch ms). */
  constructor(
    private readonly mode: 'manual' | number,
    private readonly now: () => number,
  ) {}

  /**
   * Moves a message one step, or to `to` (any status: failures get a default `failure`/`reason` unless given).
   * Updates lastStatusAt/updatedAt and, in demo mode, times the next step.
   */
  advance(record: MessageRecord, to?: MessageStatus, extra: StatusExtra = {}): Message {
    const m = record.message;
    const next = to ?? NEXT_STATUS[m.status];
    if (next === undefined) throw new Error(`advanceMessage: message ${m.id} is in final status ${m.status}`);
    if (!(MESSAGE_STATUSES as readonly string[]).includes(next)) throw new Error(`advanceMessage: unknown status ${next}`);
    const at = new Date(this.now()).toISOString();
    m.status = next;
    m.lastStatusAt = at;
    m.updatedAt = at;
    const failure = extra.failure ?? DEFAULT_FAILURES[next]?.failure;
    const reason = extra.reason ?? DEFAULT_FAILURES[next]?.reason;
    if (failure) m.failure = failure;
    if (reason) m.reason = reason;
    if (extra.details) m.details = extra.details;
    if (record.timer) {
      clearTimeout(record.timer);
      this.timers.delete(record.timer);
      record.timer = undefined;
    }
    this.schedule(record);
    return m;
  }

  /** Demo mode: one step every `mode` ms (a scheduled message waits until its scheduledFor). */
  schedule(record: MessageRecord): void {
    if (this.mode === 'manual' || NEXT_STATUS[record.message.status] === undefined) return;
    let delay = this.mode;
    if (record.message.status === 'scheduled' && record.message.scheduledFor) {
      delay = Math.min(Math.max(delay, (parseInstant(record.message.scheduledFor) ?? 0) - this.now()), 2 ** 31 - 1);
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      record.timer = undefined;
      this.advance(record);
    }, delay);
    timer.unref();
    record.timer = timer;
    this.timers.add(timer);
  }

  /** Stops every pending step. */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
