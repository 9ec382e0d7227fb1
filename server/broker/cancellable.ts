/**
 * The broker's one cancellation mechanism: the platform's AbortSignal. A feed or stream owns an
 * AbortController, its `return()` aborts it, and every wait inside races the signal, so a feed
 * waiting for a change that never comes still ends at once and is freed. (A generator's own
 * `return()` is queued behind its pending `await`, which is why the signal is needed at all.)
 */
import type { Scheduler } from '../../storage/index';

/** An async iterator over `start(signal)` whose `return()` aborts the signal before returning. */
export function cancellable<T>(start: (signal: AbortSignal) => AsyncGenerator<T>): AsyncIterableIterator<T> {
  const controller = new AbortController();
  const generator = start(controller.signal);
  return {
    next: () => generator.next(),
    return: async () => {
      controller.abort();
      return generator.return(undefined);
    },
    throw: (error?: unknown) => generator.throw(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Settles like `promise`, or resolves as soon as `signal` aborts (at once if it has). The abort
 * listener is removed when `promise` settles, so nothing outlives the wait: racing the promise
 * against one long-lived "aborted" promise instead (Promise.race) left a reaction on that promise
 * per wait, ~300 bytes each, kept until the signal aborted — a subscription woken 1,000 times a
 * second grew the heap by ~1 GiB an hour and made every major GC slower (bench/README.md, issue #15).
 */
export function untilSettledOrAborted(promise: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) {
    promise.catch(() => undefined); // nobody waits for it any more: a later rejection is no one's error
    return Promise.resolve();
  }
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms` on the scheduler, or until `signal` aborts (the timer is then cancelled). */
export function sleep(scheduler: Scheduler, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const onAbort = () => {
      timer.cancel();
      resolve();
    };
    const timer = scheduler.after(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
