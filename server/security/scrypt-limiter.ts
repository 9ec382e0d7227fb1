/**
 * A small semaphore with a bounded queue (server/security/README.md "API key storage"): at most
 * `concurrency` tasks run at once, up to `queueMax` more wait in arrival order, and a task past
 * that is refused with THROTTLED without running. API key verification runs scrypt (~50 ms of
 * CPU) in libuv's thread pool, which the logs' fsyncs share: unbounded, a burst of new clients
 * would queue every fsync behind scrypt. Single-threaded use only (the event loop).
 */
import { ThrottledError } from '../errors';

/** The defaults: 2 of libuv's 4 threads at most; a queue of 64 is about 1.6 s of work at 2 × 50 ms. */
export const SCRYPT_CONCURRENCY = 2;
export const SCRYPT_QUEUE_MAX = 64;
/** What a refused caller is told to wait: about one queue's worth drained. */
const RETRY_AFTER_MS = 1_000;

export class ConcurrencyLimiter {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queueMax: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
    if (!Number.isInteger(queueMax) || queueMax < 0) throw new RangeError('queueMax must be a non-negative integer');
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Runs `task` once a slot is free; ThrottledError (task not run) when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) {
      if (this.#waiting.length >= this.queueMax)
        throw new ThrottledError(`too many API key verifications at once; retry after ${RETRY_AFTER_MS} ms`, RETRY_AFTER_MS);
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter (running stays the same), else it is freed.
      if (next) next();
      else this.#running--;
    }
  }
}
