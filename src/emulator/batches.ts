// The emulator's batch queue: work accepted with a 202 runs on the next turn of the event loop, as Bird validates batches after answering.

/** Deferred batch work; `settled()` tells tests when everything queued so far has run. */
export class BatchQueue {
  private readonly pending = new Set<NodeJS.Immediate>();
  private waiters: (() => void)[] = [];

  /** Runs `work` after the current request has been answered (its errors are the work's own to handle). */
  enqueue(work: () => void): void {
    const timer = setImmediate(() => {
      this.pending.delete(timer);
      try {
        work();
      } finally {
        this.wake();
      }
    });
    this.pending.add(timer);
  }

  /** Resolves once every batch queued so far has run. */
  settled(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops work that has not run yet (the emulator is closing) and releases anyone waiting. */
  close(): void {
    for (const timer of this.pending) clearImmediate(timer);
    this.pending.clear();
    this.wake();
  }

  private wake(): void {
    if (this.pending.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
