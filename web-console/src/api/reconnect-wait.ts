/**
 * How long the console waits before its live connection tries again: graphql-ws' own backoff
 * doubles without a bound (after ten failed tries it would wait about 17 minutes, so a node that
 * was down for a while looked dead long after it came back). Here it doubles from 1 s, is capped at
 * 10 s, and gets up to 30 % of random jitter so many open consoles do not reconnect in lockstep.
 */
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_MAX_MS = 10_000;
const JITTER = 0.3;

/** The wait before retry number `retries` (0 for the first), with `random` in [0, 1). */
export function reconnectDelayMs(retries: number, random: () => number = Math.random): number {
  const exponential = RECONNECT_BASE_MS * 2 ** Math.min(Math.max(0, retries), 10);
  const capped = Math.min(RECONNECT_MAX_MS, exponential);
  return Math.round(capped * (1 - JITTER + JITTER * random()));
}

/** graphql-ws' `retryWait`. */
export function reconnectWait(retries: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries)));
}
