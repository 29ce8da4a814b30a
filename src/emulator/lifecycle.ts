// The status lifecycle of outgoing messages: scheduled → accepted → processing → sent → delivered, one step per test hook or demo timer, with a failure now and then.
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

/** The timed lifecycle of the demo: one step every `stepMs`, and a share of messages failing. */
export interface TimedLifecycle {
  stepMs: number;
  /**
   * The share of messages that fail, in [0, 1]: half of it at the processing step (`sending_failed`), half at the sent
   * step (`delivery_failed`). Default 0.
   */
  failureRate?: number;
}

export interface LifecycleHooks {
  /** Random source in [0, 1) for the failures of the timed lifecycle; default Math.random. */
  random?: () => number;
  /** Told after every status change (the webhooks hub turns it into a `<platform>.outbound` delivery). */
  onChange?: (record: MessageRecord) => void;
}

export class Lifecycle {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stepMs: number | undefined;
  private readonly failureRate: number;

  /** `mode`: 'manual' (tests advance statuses), ms per step, or a TimedLifecycle (demo); `now`: the store's clock. */
  constructor(
    mode: 'manual' | number | TimedLifecycle,
    private readonly now: () => number,
    private readonly hooks: LifecycleHooks = {},
  ) {
    this.stepMs = mode === 'manual' ? undefined : typeof mode === 'number' ? mode : mode.stepMs;
    this.failureRate = typeof mode === 'object' ? (mode.failureRate ?? 0) : 0;
  }

  /** The timed lifecycle's next status: usually the next step, now and then a failure. */
  private nextTimed(status: MessageStatus): MessageStatus | undefined {
    if (this.failureRate > 0 && (status === 'processing' || status === 'sent')) {
      if ((this.hooks.random ?? Math.random)() < this.failureRate / 2) return status === 'processing' ? 'sending_failed' : 'delivery_failed';
    }
    return NEXT_STATUS[status];
  }

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
    this.hooks.onChange?.(record);
    return m;
  }

  /** Demo mode: one step every `stepMs` (a scheduled message waits until its scheduledFor). */
  schedule(record: MessageRecord): void {
    if (this.stepMs === undefined || NEXT_STATUS[record.message.status] === undefined) return;
    let delay = this.stepMs;
    if (record.message.status === 'scheduled' && record.message.scheduledFor) {
      delay = Math.min(Math.max(delay, (parseInstant(record.message.scheduledFor) ?? 0) - this.now()), 2 ** 31 - 1);
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      record.timer = undefined;
      this.advance(record, this.nextTimed(record.message.status));
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
