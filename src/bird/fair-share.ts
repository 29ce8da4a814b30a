// Fair sharing of calls in flight: a cap in total and per key (a credential, a request), waiters served round-robin across keys, each bounded by its own signal.
//
// Why our own: undici's pool queues first come first served, so one caller with 40 slow calls holds every connection
// and a quiet tenant waits behind all of them; no maintained library we have queues per key with round-robin hand-off
// and AbortSignal-bounded waits (rate-limiter-flexible limits rates, not concurrency).

/** Gives back what acquire() took; calling it twice is harmless. */
export type Release = () => void;

interface Waiter {
  key: string;
  grant: (release: Release) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

export class FairShare {
  readonly #capacity: number;
  readonly #perKey: number;
  #total = 0;
  readonly #active = new Map<string, number>();
  /** Keys with waiters, in the order they are next served (a served key moves to the end). */
  readonly #queues = new Map<string, Waiter[]>();

  /** `capacity` calls in flight in all, at most `perKey` of them for any one key. */
  constructor(capacity: number, perKey: number = capacity) {
    this.#capacity = Math.max(1, Math.floor(capacity));
    this.#perKey = Math.max(1, Math.min(this.#capacity, Math.floor(perKey)));
  }

  /** Calls in flight, in all or for one key (tests and metrics). */
  inFlight(key?: string): number {
    return key === undefined ? this.#total : (this.#active.get(key) ?? 0);
  }

  /** Callers waiting, in all. */
  waiting(): number {
    let count = 0;
    for (const queue of this.#queues.values()) count += queue.length;
    return count;
  }

  /** A place at once when one is free and nobody with this key is waiting; null otherwise (no allocation). */
  tryAcquire(key: string): Release | null {
    if (this.#total >= this.#capacity || (this.#active.get(key) ?? 0) >= this.#perKey || this.#queues.has(key)) return null;
    return this.#take(key);
  }

  /** A place, as soon as one is free for this key; rejects with the signal's reason when it aborts first. */
  acquire(key: string, signal: AbortSignal): Promise<Release> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const now = this.tryAcquire(key);
    if (now) return Promise.resolve(now);
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        key,
        grant: resolve,
        signal,
        onAbort: () => {
          this.#remove(waiter);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      const queue = this.#queues.get(key);
      if (queue) queue.push(waiter);
      else this.#queues.set(key, [waiter]);
    });
  }

  #take(key: string): Release {
    this.#total++;
    this.#active.set(key, (this.#active.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = (this.#active.get(key) ?? 1) - 1;
      if (left === 0) this.#active.delete(key);
      else this.#active.set(key, left);
      this.#dispatch();
    };
  }

  /** Hands free places to waiting keys in turn, skipping keys already at their own cap. */
  #dispatch(): void {
    let progress = true;
    while (progress && this.#total < this.#capacity && this.#queues.size > 0) {
      progress = false;
      for (const [key, queue] of this.#queues) {
        if ((this.#active.get(key) ?? 0) >= this.#perKey) continue;
        const waiter = queue.shift() as Waiter;
        this.#queues.delete(key);
        if (queue.length > 0) this.#queues.set(key, queue); // to the back of the round
        waiter.signal.removeEventListener('abort', waiter.onAbort);
        waiter.grant(this.#take(key));
        progress = true;
        break;
      }
    }
  }

  #remove(waiter: Waiter): void {
    const queue = this.#queues.get(waiter.key);
    if (!queue) return;
    const index = queue.indexOf(waiter);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) this.#queues.delete(waiter.key);
  }
}
