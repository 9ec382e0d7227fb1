/** Small statistics helpers for the printed figures. */

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A value of exactly `bytes` ASCII bytes, distinct per index (so nothing dedupes or compresses it away). */
export function makeValue(bytes: number, index: number, prefix = ''): string {
  const head = `${prefix}${index}:`;
  const fill = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let body = '';
  while (head.length + body.length < bytes) body += fill;
  return (head + body).slice(0, bytes);
}

/**
 * CLOCK_MONOTONIC in µs: the clock V8 stamps CPU profile samples with (base::TimeTicks), so a
 * window taken here selects the server process's samples taken during it.
 */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1_000n);
}
