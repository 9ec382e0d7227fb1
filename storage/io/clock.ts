/**
 * Clock: the only source of time in storage/ (docs/HOUSE-STYLE.md §3.8 habit 4). `nowMs()` is the
 * wall clock (record timestamps, retention by time, segment age); `monotonicMs()` never goes
 * backwards (idle-handle closing, flush intervals). `Scheduler` is the only source of timers: the
 * LogManager runs ONE maintenance interval for all partitions through it, never one per partition.
 *
 * Concurrency: single-threaded JS; ManualClock is mutated only by tests.
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  nowMs(): number;
  /** Milliseconds from an arbitrary origin; never decreases. */
  monotonicMs(): number;
}

export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }
  monotonicMs(): number {
    return performance.now();
  }
}

/** A clock that moves only when told to: retention and roll-by-age tests run in milliseconds. */
export class ManualClock implements Clock {
  private wallMs: number;
  private elapsedMs = 0;
  constructor(startMs = 1_700_000_000_000) {
    this.wallMs = startMs;
  }
  nowMs(): number {
    return this.wallMs;
  }
  monotonicMs(): number {
    return this.elapsedMs;
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot advance a clock by ${ms} ms`);
    this.wallMs += ms;
    this.elapsedMs += ms;
  }
  /** Sets the wall clock (it may jump backwards, like a real one); monotonic time is unchanged. */
  set(ms: number): void {
    this.wallMs = ms;
  }
}

export interface ScheduledTask {
  cancel(): void;
}

/** Repeating timers. Implementations must not keep the process alive (unref) and must not overlap runs. */
export interface Scheduler {
  every(intervalMs: number, task: () => Promise<void>): ScheduledTask;
}

export class SystemScheduler implements Scheduler {
  every(intervalMs: number, task: () => Promise<void>): ScheduledTask {
    let running = false;
    const timer = setInterval(() => {
      if (running) return; // a slow pass (a big compaction) skips ticks rather than piling up
      running = true;
      task().finally(() => {
        running = false;
      });
    }, intervalMs);
    timer.unref();
    return { cancel: () => clearInterval(timer) };
  }
}
