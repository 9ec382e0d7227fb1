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

/** A bounded series of (time, value) points for the small charts. */
export function pushPoint(series: readonly [number, number][], point: [number, number], max = 120): [number, number][] {
  const next = series.length >= max ? series.slice(series.length - max + 1) : series.slice();
  next.push(point);
  return next;
}
