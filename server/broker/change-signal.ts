/**
 * A level-free wake-up: readers await `next()`, a writer calls `notify()` and every current waiter
 * wakes once. Used for "this partition's high watermark moved" and "something about this topic
 * changed", so tails follow the log without polling. One shared promise per signal however many
 * readers wait on it (10,000 idle subscriptions cost one promise, not 10,000 timers). `close()`
 * makes every current and future `next()` reject with the given error (e.g. the topic was deleted).
 */
export class ChangeSignal {
  private pending: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | null = null;
  private closedWith: Error | null = null;

  /** Resolves at the next notify(); rejects if the signal is or gets closed. */
  next(): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (!this.pending) {
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // A waiter that gave up (subscription returned) must not surface an unhandled rejection.
      promise.catch(() => undefined);
      this.pending = { promise, resolve, reject };
    }
    return this.pending.promise;
  }

  notify(): void {
    const pending = this.pending;
    this.pending = null;
    pending?.resolve();
  }

  close(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }
}
