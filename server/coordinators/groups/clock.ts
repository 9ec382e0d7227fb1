/**
 * The time source the coordinator reads: structurally storage's `Clock` (storage/io/clock.ts), so
 * SystemClock and ManualClock fit; declared here so this library only needs the two methods.
 * Liveness (heartbeats, session and rebalance timeouts, auto-commit intervals) uses
 * `monotonicMs()` so a wall-clock jump cannot expire every member at once; `nowMs()` stamps
 * commit times and time lag. No timers: the owner drives time through `tick()`.
 */
export interface Clock {
  /** Wall-clock milliseconds since the Unix epoch. */
  nowMs(): number;
  /** Milliseconds from an arbitrary origin; never decreases. */
  monotonicMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now(), monotonicMs: () => performance.now() };
