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

const abortPromises = new WeakMap<AbortSignal, Promise<void>>();

/** Resolves when `signal` aborts (at once if it has): one promise per signal, however many waits race it. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  let promise = abortPromises.get(signal);
  if (!promise) {
    promise = signal.aborted ? Promise.resolve() : new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    abortPromises.set(signal, promise);
  }
  return promise;
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
