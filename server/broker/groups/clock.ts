/**
 * The time source the coordinator reads. Structurally the same as storage's `Clock` (`nowMs()`),
 * declared here so the groups library does not wait on storage/io/clock.ts; any object with
 * `nowMs()` (SystemClock, ManualClock) fits. No timers: the owner drives time through `tick()`.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };
