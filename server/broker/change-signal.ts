/**
 * A level-free wake-up: readers await `next()`, a writer calls `notify()` and every current waiter
 * wakes once. Used for "this partition's high watermark moved" and "something about this topic
 * changed", so tails follow the log without polling. One shared promise per signal however many
 * readers wait on it (10,000 idle subscriptions cost one promise, not 10,000 timers). `close()`
 * makes every current and future `next()` reject with the given error (e.g. the topic was deleted).
 * `ChangeWait` waits on several signals at once (and an AbortSignal) and, unlike Promise.race over
 * their `next()` promises, leaves nothing behind on the signals that did not fire: a race left a
 * reaction on each quiet signal's promise per wait, ~300 B kept until that signal fired — for a
 * group member woken by every append, until the next rebalance (bench/README.md, issue #15).
 */
type ChangeListener = (error: Error | null) => void;

export class ChangeSignal {
  private pending: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | null = null;
  private closedWith: Error | null = null;
  private listeners: Set<ChangeListener> | null = null;

  /** Calls `listener` once: at the next notify() with null, or at close() (now, if closed) with the error. Returns its removal. */
  once(listener: ChangeListener): () => void {
    if (this.closedWith) {
      const error = this.closedWith;
      queueMicrotask(() => listener(error));
      return () => undefined;
    }
    (this.listeners ??= new Set()).add(listener);
    return () => {
      this.listeners?.delete(listener);
    };
  }

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
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const listener of listeners) listener(null);
  }

  close(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const listener of listeners) listener(error);
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }
}

/**
 * One wait on several change signals: `promise` resolves at the first notify() of any signal
 * added (or when `abort` aborts), rejects when one is or gets closed. Signals are added one by one,
 * so a caller can arm one before reading the state that tells it which others to add. Once it
 * settles it removes itself from every signal and from `abort`: a wait nobody awaits any more is
 * gone at the next change of any of its signals.
 */
export class ChangeWait {
  readonly promise: Promise<void>;
  private settle!: (error: Error | null) => void;
  private readonly removals: (() => void)[] = [];
  private done = false;

  constructor(private readonly abort?: AbortSignal) {
    this.promise = new Promise<void>((resolve, reject) => {
      this.settle = (error) => {
        if (this.done) return;
        this.done = true;
        for (const remove of this.removals) remove();
        this.removals.length = 0;
        abort?.removeEventListener('abort', this.onAbort);
        if (error) reject(error);
        else resolve();
      };
    });
    if (abort?.aborted) this.settle(null);
    else abort?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = (): void => this.settle(null);

  add(signal: ChangeSignal): this {
    if (!this.done) this.removals.push(signal.once((error) => this.settle(error)));
    return this;
  }
}
