/**
 * `logway_event_loop_delay_seconds`: how late the node's event loop ran, as a Prometheus
 * histogram, so an operator sees the stalls that make produce→subscriber tail latency (issue #15).
 * Fed by `perf_hooks.monitorEventLoopDelay`: a libuv timer every `resolutionMs` records the time
 * between its runs; that time minus `resolutionMs` is the delay one sample saw. Nothing runs in
 * JS between scrapes: at each scrape the cumulative bucket counts are read from the HDR histogram
 * of all samples so far (the count at or below each bound is found by bisecting its percentiles,
 * exact to its 3 significant digits); `_sum` is (mean − resolution) × count, so approximate.
 * A custom prom-client metric (the registry takes any object with `get()`), because prom-client's
 * Histogram can only observe one value at a time.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Registry } from 'prom-client';

export const EVENT_LOOP_DELAY_METRIC = 'logway_event_loop_delay_seconds';
/** Sampling period of the delay timer: 10 ms, as prom-client's default event-loop-lag gauges. */
export const EVENT_LOOP_DELAY_RESOLUTION_MS = 10;
/** Upper bounds in seconds: from 1 ms (noise) to 2.5 s (a node that looks hung). */
export const EVENT_LOOP_DELAY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

interface MetricValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

export class EventLoopDelayMetric {
  readonly name = EVENT_LOOP_DELAY_METRIC;
  readonly help = 'How late the event loop ran: one sample per 10 ms timer tick (perf_hooks.monitorEventLoopDelay)';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly histogram: IntervalHistogram;
  /** Cumulative count of samples at or below each bound (then +Inf = count), as last scraped. */
  private readonly cumulative = EVENT_LOOP_DELAY_BUCKETS.map(() => 0);
  private count = 0;
  private sumSeconds = 0;

  constructor(
    registry: Registry,
    private readonly resolutionMs = EVENT_LOOP_DELAY_RESOLUTION_MS,
  ) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.histogram.enable();
    registry.registerMetric(this as never);
  }

  /** Stops the sampling timer (the node is closing); later scrapes show the totals so far. */
  close(): void {
    this.fold();
    this.histogram.disable();
  }

  /** prom-client calls this at scrape time. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }> {
    this.fold();
    const values: MetricValue[] = EVENT_LOOP_DELAY_BUCKETS.map((le, i) => ({
      metricName: `${this.name}_bucket`,
      labels: { le },
      value: this.cumulative[i]!,
    }));
    values.push(
      { metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: this.count },
      { metricName: `${this.name}_sum`, labels: {}, value: this.sumSeconds },
      { metricName: `${this.name}_count`, labels: {}, value: this.count },
    );
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /**
   * Reads the totals from the histogram, which is never reset: Node's reset() also forgets the
   * time of the last tick, so the sample spanning each scrape (a stall right after one) would be
   * lost. Counts are clamped to never go down (bisection rounding on huge counts).
   */
  private fold(): void {
    const h = this.histogram;
    const samples = h.count;
    if (samples === 0) return;
    const resolutionNs = this.resolutionMs * 1e6;
    EVENT_LOOP_DELAY_BUCKETS.forEach((bound, i) => {
      const atOrBelow = Math.round((samples * percentAtOrBelow(h, bound * 1e9 + resolutionNs)) / 100);
      this.cumulative[i] = Math.max(this.cumulative[i]!, atOrBelow);
    });
    this.sumSeconds = Math.max(this.sumSeconds, (Math.max(0, h.mean - resolutionNs) * samples) / 1e9);
    this.count = samples;
  }
}

/** The percentage (0–100) of the histogram's samples at or below `limitNs`, by bisection on percentile(). */
function percentAtOrBelow(h: IntervalHistogram, limitNs: number): number {
  if (h.max <= limitNs) return 100;
  if (h.min > limitNs) return 0;
  let low = 0; // percentile(low) <= limit
  let high = 100; // percentile(high) > limit
  for (let step = 0; step < 24 && high - low > 1e-6; step++) {
    const mid = (low + high) / 2;
    if (h.percentile(mid) <= limitNs) low = mid;
    else high = mid;
  }
  return low;
}
