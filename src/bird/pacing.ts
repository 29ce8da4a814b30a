// Per-workspace pacing of Bird calls (Bird allows 50 GET/s and 500 POST/s per workspace): rate-limiter-flexible over aligned time slots, in memory or shared through Redis.
//
// The rule: in ANY window of one second, at most the limit is sent, whatever window Bird counts in (fixed, sliding,
// aligned or not). rate-limiter-flexible counts points per key and duration; a key per short, clock-aligned slot
// (`<bucket>:<slot index>`) turns its fixed windows into a pacer: a slot of `slotMs` admits `perSlot` calls, and since
// any second overlaps at most `slots per second + 1` slots (+1 more for clock skew between replicas),
// `(slots + 2) * perSlot <= limit` keeps every second within the limit (48 GET/s and 480 POST/s for Bird's 50/500).
// Callers queue per bucket, first come first served, within their deadline; a wait that cannot fit it is refused at
// once (0 requests sent) with the time to retry after. With a Redis client, every replica counts in the same keys
// (RateLimiterRedis); when Redis fails or is not ready, an in-memory insurance limiter paces each replica alone.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export interface PacingLimits {
  /** GETs per second per workspace; null = not paced. */
  getPerSecond: number | null;
  /** POSTs per second per workspace; null = not paced. */
  postPerSecond: number | null;
}

/** Bird's documented defaults per workspace (bird-api.md §1.6); higher limits are granted by Bird's support. */
export const BIRD_RATE_LIMITS: Readonly<PacingLimits> = Object.freeze({ getPerSecond: 50, postPerSecond: 500 });

export interface PacerOptions extends PacingLimits {
  /** A connected ioredis client shared by the replicas; absent = per process. The pacer does not close it. */
  redis?: Redis;
  /** Prefix of the Redis keys (and of the in-memory ones). */
  keyPrefix?: string;
  now?: () => number;
}

/** How a limit is cut into slots: `perSlot` calls per `slotMs`. */
export interface SlotPlan {
  slotMs: number;
  perSlot: number;
}

/** The most calls per second with `(slots + 2) * perSlot <= limit`, slots no shorter than 20 ms (at most 50 per second). */
export function slotPlan(limit: number): SlotPlan {
  let best: SlotPlan & { rate: number } = { slotMs: 1000, perSlot: 1, rate: 1 };
  for (let slots = 1; slots <= 50; slots++) {
    const perSlot = Math.floor(limit / (slots + 2));
    if (perSlot >= 1 && slots * perSlot >= best.rate) best = { slotMs: 1000 / slots, perSlot, rate: slots * perSlot };
  }
  return { slotMs: best.slotMs, perSlot: best.perSlot };
}

/** The bucket Bird counts a path in: its workspace, or its organization for the workspace list; undefined for others. */
export function rateBucketOf(path: string): string | undefined {
  const match = /^\/(workspaces|organizations)\/([0-9a-f-]{36})(?:[/?]|$)/i.exec(path);
  if (!match) return undefined;
  return match[1] === 'workspaces' ? (match[2] as string).toLowerCase() : `org:${(match[2] as string).toLowerCase()}`;
}

export interface Pacer {
  /**
   * Waits for this call's turn in its bucket: undefined when it may go now, or the milliseconds to retry after when
   * its turn would come later than `maxWaitMs` (nothing was taken). Rejects with the signal's reason on abort.
   */
  wait(bucket: string, method: string, maxWaitMs: number, signal: AbortSignal): Promise<number | undefined>;
}

interface Waiter {
  /** Settles the wait: undefined = go now, a number = refused, retry after that many milliseconds. */
  settle: (retryAfterMs: number | undefined) => void;
}

interface Line {
  waiters: Waiter[];
  /** When the slot last found full ends (epoch ms). */
  fullUntil: number;
  pumping: boolean;
}

/** One method's limit: its plan, its limiter, a line per bucket. */
class MethodPacer {
  readonly #plan: SlotPlan;
  readonly #limiter: RateLimiterAbstract;
  readonly #lines = new Map<string, Line>();

  constructor(
    limit: number,
    method: string,
    options: PacerOptions,
    private readonly now: () => number,
  ) {
    this.#plan = slotPlan(limit);
    const keyPrefix = `${options.keyPrefix ?? 'bird-graphql:pace'}:${method}`;
    // Slot keys live one second (Redis counts whole seconds); a slot is never longer than that.
    const common = { points: this.#plan.perSlot, duration: 1, keyPrefix };
    const memory = new RateLimiterMemory(common);
    this.#limiter = options.redis
      ? new RateLimiterRedis({ ...common, storeClient: options.redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
      : memory;
  }

  async wait(bucket: string, maxWaitMs: number, signal: AbortSignal): Promise<number | undefined> {
    if (signal.aborted) throw signal.reason;
    const { slotMs, perSlot } = this.#plan;
    let line = this.#lines.get(bucket);
    let first = false;
    if (!line) {
      // Nobody in line: this caller tries the current slot at once, holding the line so that callers arriving
      // meanwhile queue behind it (first come, first served).
      line = { waiters: [], fullUntil: 0, pumping: true };
      this.#lines.set(bucket, line);
      const slot = Math.floor(this.now() / slotMs);
      const granted = await this.#take(`${bucket}:${slot}`);
      if (granted || signal.aborted) {
        this.#handOver(bucket, line);
        if (signal.aborted) throw signal.reason;
        return undefined;
      }
      line.fullUntil = (slot + 1) * slotMs;
      line.pumping = false;
      first = true;
    }
    // Our place in line: the callers ahead each need a share of a slot, after the slot that is full now.
    const ahead = first ? 0 : line.waiters.length;
    const estimateMs = Math.max(0, line.fullUntil - this.now()) + Math.floor(ahead / perSlot) * slotMs;
    if (estimateMs > 0 && estimateMs >= maxWaitMs) {
      if (first) this.#handOver(bucket, line);
      return Math.ceil(estimateMs);
    }
    const joined = line;
    return new Promise<number | undefined>((resolve, reject) => {
      const leave = (): void => {
        const index = joined.waiters.indexOf(waiter);
        if (index >= 0) joined.waiters.splice(index, 1);
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        leave();
        reject(signal.reason);
      };
      const waiter: Waiter = {
        settle: (retryAfterMs) => {
          leave();
          resolve(retryAfterMs);
        },
      };
      // Others (other replicas, a slower Bird) may take the slots we counted on: the wait never outlasts maxWaitMs.
      const timer = setTimeout(() => waiter.settle(this.#plan.slotMs), maxWaitMs);
      signal.addEventListener('abort', onAbort, { once: true });
      if (first) joined.waiters.unshift(waiter);
      else joined.waiters.push(waiter);
      if (!joined.pumping) void this.#pump(bucket, joined);
    });
  }

  /** The line's first caller is done with it: the pump serves whoever queued meanwhile, or the line goes. */
  #handOver(bucket: string, line: Line): void {
    line.pumping = false;
    if (line.waiters.length > 0) void this.#pump(bucket, line);
    else if (this.#lines.get(bucket) === line) this.#lines.delete(bucket);
  }

  /** Serves one bucket's line until it is empty: the first waiter takes a point of the current slot, or waits for the next. */
  async #pump(bucket: string, line: Line): Promise<void> {
    line.pumping = true;
    const { slotMs } = this.#plan;
    while (line.waiters.length > 0) {
      const slot = Math.floor(this.now() / slotMs);
      if (await this.#take(`${bucket}:${slot}`)) {
        // The waiter may have left while the point was taken; the point then goes to the next one.
        const waiter = line.waiters[0];
        if (waiter) waiter.settle(undefined);
        continue;
      }
      line.fullUntil = (slot + 1) * slotMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, line.fullUntil - this.now())));
    }
    line.pumping = false;
    if (this.#lines.get(bucket) === line) this.#lines.delete(bucket);
  }

  /** One point of a slot; a failure of the limiter itself lets the call go (Bird's own 429 still protects it). */
  async #take(key: string): Promise<boolean> {
    try {
      await this.#limiter.consume(key, 1);
      return true;
    } catch (error) {
      return !(error instanceof RateLimiterRes);
    }
  }
}

export function createPacer(options: PacerOptions): Pacer {
  const now = options.now ?? Date.now;
  const get = options.getPerSecond === null ? undefined : new MethodPacer(options.getPerSecond, 'GET', options, now);
  const post = options.postPerSecond === null ? undefined : new MethodPacer(options.postPerSecond, 'POST', options, now);
  return {
    async wait(bucket, method, maxWaitMs, signal) {
      const pacer = method === 'GET' ? get : post;
      return pacer ? pacer.wait(bucket, maxWaitMs, signal) : undefined;
    },
  };
}
