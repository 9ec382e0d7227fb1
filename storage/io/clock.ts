/**
 * Clock: the only source of time in storage/ and in the node built on it (server/ takes the same
 * Clock and Scheduler; docs/HOUSE-STYLE.md §3.8 habit 4). `nowMs()` is the wall clock (record
 * timestamps, retention by time, segment age); `monotonicMs()` never goes backwards (idle-handle
 * closing, flush intervals). `Scheduler` is the only source of timers: the
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

/**
 * The only source of timers, in storage/ and in the node above it (the broker's group tick, feed
 * throttles, long-poll deadlines), so all of it runs under ManualScheduler in seeded tests.
 * Implementations must not keep the process alive (unref) and must not overlap runs of `every`.
 */
export interface Scheduler {
  every(intervalMs: number, task: () => Promise<void>): ScheduledTask;
  /** Runs `task` once, `delayMs` from now, unless cancelled first. */
  after(delayMs: number, task: () => void): ScheduledTask;
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

  after(delayMs: number, task: () => void): ScheduledTask {
    const timer = setTimeout(task, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }
}

interface ManualTimer {
  dueMs: number;
  /** null: a one-shot (`after`). */
  readonly intervalMs: number | null;
  readonly task: () => Promise<void> | void;
  readonly seq: number;
}

/**
 * The Scheduler twin for tests and seeded simulations: timers fire only inside `advance()`, which
 * moves its ManualClock to each due timer in turn (earliest first, ties in scheduling order) and
 * runs it, letting the work it started settle before time moves on.
 */
export class ManualScheduler implements Scheduler {
  private timers: ManualTimer[] = [];
  private seq = 0;

  constructor(readonly clock: ManualClock) {}

  every(intervalMs: number, task: () => Promise<void>): ScheduledTask {
    if (!(intervalMs > 0)) throw new RangeError(`an interval must be positive, got ${intervalMs} ms`);
    return this.add(intervalMs, intervalMs, task);
  }

  after(delayMs: number, task: () => void): ScheduledTask {
    return this.add(Math.max(0, delayMs), null, task);
  }

  /** Timers not yet fired (one-shots) or not cancelled (intervals). */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time by `ms`, running every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`cannot advance time by ${ms} ms`);
    const targetMs = this.clock.monotonicMs() + ms;
    // Bounded: an interval task that re-arms itself forever cannot hang a test.
    for (let fired = 0; fired < 1_000_000; fired++) {
      const due = this.timers.filter((t) => t.dueMs <= targetMs).sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)[0];
      if (!due) break;
      this.clock.advance(Math.max(0, due.dueMs - this.clock.monotonicMs()));
      if (due.intervalMs === null) this.remove(due);
      else due.dueMs += due.intervalMs;
      await due.task();
      await settle();
    }
    this.clock.advance(Math.max(0, targetMs - this.clock.monotonicMs()));
    await settle();
  }

  private add(delayMs: number, intervalMs: number | null, task: () => Promise<void> | void): ScheduledTask {
    const timer: ManualTimer = { dueMs: this.clock.monotonicMs() + delayMs, intervalMs, task, seq: this.seq++ };
    this.timers.push(timer);
    return { cancel: () => this.remove(timer) };
  }

  private remove(timer: ManualTimer): void {
    this.timers = this.timers.filter((t) => t !== timer);
  }
}

/**
 * One turn of the event loop (setImmediate: not a timer, no time involved, so it behaves alike
 * under ManualScheduler): long passes over many items await it between slices, so I/O and
 * requests waiting meanwhile run.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Lets promise chains a timer started run to their next real wait (one macrotask turn). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
