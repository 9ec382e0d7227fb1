/**
 * A rate from successive readings of a growing total (the sum of high watermarks, of committed
 * offsets, of bytes): (newest − oldest) / elapsed over a sliding window. A window of 10 s smooths
 * the 2 s polling into a steady figure while still moving within a few seconds of a change.
 */
export class RateMeter {
  private samples: { atMs: number; total: number }[] = [];
  constructor(private readonly windowMs = 10_000) {}

  /** Adds a reading; a total that went down (topic deleted, log truncated) restarts the window. */
  add(total: number, atMs = performance.now()): void {
    const last = this.samples[this.samples.length - 1];
    if (last && total < last.total) this.samples = [];
    this.samples.push({ atMs, total });
    while (this.samples.length > 2 && atMs - this.samples[0]!.atMs > this.windowMs) this.samples.shift();
  }

  /** Per second; null until two readings at least 500 ms apart exist. */
  perSecond(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.atMs - first.atMs < 500) return null;
    return ((last.total - first.total) * 1_000) / (last.atMs - first.atMs);
  }
}

/**
 * A series of (time, value) points covering the last `spanMs`, one per `bucketMs` interval holding
 * the interval's highest value: however often values come (a busy group pushes its lag many times a
 * second; a cap on the count would then cover seconds, not minutes), a short spike stays on the
 * chart and its peak, and at most spanMs / bucketMs + 1 points are kept.
 */
export function pushPoint(
  series: readonly [number, number][],
  point: [number, number],
  spanMs = 5 * 60_000,
  bucketMs = 1_000,
): [number, number][] {
  let from = 0;
  while (from < series.length && series[from]![0] < point[0] - spanMs) from++;
  const next = series.slice(from);
  const last = next[next.length - 1];
  if (last && Math.floor(last[0] / bucketMs) === Math.floor(point[0] / bucketMs))
    next[next.length - 1] = [last[0], Math.max(last[1], point[1])];
  else next.push(point);
  return next;
}
