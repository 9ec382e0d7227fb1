/**
 * logway_event_loop_delay_seconds (server/http/event-loop-delay-metric.ts): a real stall of the
 * event loop (a synchronous busy loop) shows as a sample above 50 ms, the buckets are cumulative
 * and end in +Inf = count, and totals keep growing across scrapes (a Prometheus counter never
 * goes down). The stall is made here, so "a sample above 50 ms" holds on any machine: a loaded
 * one only makes the sample later.
 */
import { Registry } from 'prom-client';
import { EventLoopDelayMetric, EVENT_LOOP_DELAY_METRIC } from '../../../server/http/event-loop-delay-metric';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Parsed {
  buckets: [number, number][];
  count: number;
  sum: number;
}

function parse(text: string): Parsed {
  const buckets: [number, number][] = [];
  for (const match of text.matchAll(new RegExp(`^${EVENT_LOOP_DELAY_METRIC}_bucket\\{le="([^"]+)"\\} (\\d+)$`, 'gm'))) {
    buckets.push([match[1] === '+Inf' ? Infinity : Number(match[1]), Number(match[2])]);
  }
  const count = Number(new RegExp(`^${EVENT_LOOP_DELAY_METRIC}_count (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  const sum = Number(new RegExp(`^${EVENT_LOOP_DELAY_METRIC}_sum (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { buckets, count, sum };
}

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a synchronous stall, as a big JSON.stringify or a sync fs call would be
  }
}

describe('the event-loop delay histogram', () => {
  it('records a stall above 50 ms, with cumulative buckets, +Inf equal to the count, totals that only grow', async () => {
    const registry = new Registry();
    const metric = new EventLoopDelayMetric(registry);
    try {
      expect(await registry.metrics()).toContain(`# TYPE ${EVENT_LOOP_DELAY_METRIC} histogram`);
      while (parse(await registry.metrics()).count === 0) await sleep(20); // the first samples
      busyFor(120);
      await sleep(50); // the timer runs again and records how late it was
      const first = parse(await registry.metrics());
      expect(first.buckets.length).toBe(12);
      expect(first.buckets.at(-1)).toEqual([Infinity, first.count]);
      for (let i = 1; i < first.buckets.length; i++) {
        expect(first.buckets[i]![0]).toBeGreaterThan(first.buckets[i - 1]![0]);
        expect(first.buckets[i]![1]).toBeGreaterThanOrEqual(first.buckets[i - 1]![1]);
      }
      const atOrBelow50ms = first.buckets.find(([le]) => le === 0.05)![1];
      expect(first.count - atOrBelow50ms).toBeGreaterThanOrEqual(1); // the stall
      expect(first.sum).toBeGreaterThanOrEqual(0.05);

      await sleep(50);
      const second = parse(await registry.metrics());
      expect(second.count).toBeGreaterThan(first.count);
      second.buckets.forEach(([le, count], i) => {
        expect(le).toBe(first.buckets[i]![0]);
        expect(count).toBeGreaterThanOrEqual(first.buckets[i]![1]);
      });
      expect(second.sum).toBeGreaterThanOrEqual(first.sum);
    } finally {
      metric.close();
    }
  });
});
