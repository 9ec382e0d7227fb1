/**
 * Makes an async generator stoppable while it waits. A generator's `return()` is queued behind
 * a pending `await`, so a feed waiting for a change that never comes would never end and never be
 * freed. Here the generator receives a `cancelled` promise to race its waits against; `return()`
 * resolves it first, so the generator wakes, sees it, and finishes.
 */
export interface Cancellation {
  readonly promise: Promise<void>;
  readonly cancelled: boolean;
}

export function cancellable<T>(start: (cancellation: Cancellation) => AsyncGenerator<T>): AsyncIterableIterator<T> {
  let resolve!: () => void;
  const state = { cancelled: false, promise: new Promise<void>((r) => (resolve = r)) };
  const generator = start(state);
  return {
    next: () => generator.next(),
    return: async () => {
      state.cancelled = true;
      resolve();
      return generator.return(undefined);
    },
    throw: (error?: unknown) => generator.throw(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
