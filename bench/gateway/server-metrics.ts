/**
 * What the bench reads from the server process around a timed window: CPU time from
 * /proc/<pid>/stat (any system), and for Logway the `logway_event_loop_delay_seconds` histogram
 * from /metrics, as the difference between two scrapes: how many of the node's event-loop samples
 * in the window were late by more than each bound, and the bucket the p99 / p99.9 fall in. Also
 * the time a main thread waited for a CPU (run queue), to tell a busy machine from a busy process.
 */
import { readFileSync } from 'node:fs';

/** User + system CPU seconds of a process so far (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerS = 100; // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerS;
}

/**
 * Nanoseconds the process's main thread spent runnable but waiting for a CPU so far
 * (/proc/<pid>/task/<pid>/schedstat, field 2): on a shared machine, the part of a stall that is
 * other processes', not this one's.
 */
export function runQueueWaitNs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return NaN;
  }
}

export interface DelayHistogram {
  /** [upper bound in seconds, cumulative count], ending with +Inf. */
  buckets: [number, number][];
  count: number;
  sumSeconds: number;
}

/** GC pauses by kind (minor, major, incremental, weakcb) from prom-client's default metrics: count and seconds. */
export type GcTotals = Map<string, { count: number; seconds: number }>;

export interface ServerSnapshot {
  delay: DelayHistogram | null;
  gc: GcTotals;
}

export async function scrapeServer(metricsUrl: string): Promise<ServerSnapshot> {
  const text = await (await fetch(metricsUrl)).text();
  const gc: GcTotals = new Map();
  for (const m of text.matchAll(/^logway_process_nodejs_gc_duration_seconds_(sum|count)\{kind="([^"]+)"\} (\S+)$/gm)) {
    const entry = gc.get(m[2]!) ?? { count: 0, seconds: 0 };
    if (m[1] === 'sum') entry.seconds = Number(m[3]);
    else entry.count = Number(m[3]);
    gc.set(m[2]!, entry);
  }
  return { delay: parseEventLoopDelay(text), gc };
}

export function gcDelta(before: GcTotals, after: GcTotals): GcTotals {
  const delta: GcTotals = new Map();
  for (const [kind, a] of after) {
    const b = before.get(kind) ?? { count: 0, seconds: 0 };
    delta.set(kind, { count: a.count - b.count, seconds: a.seconds - b.seconds });
  }
  return delta;
}

function parseEventLoopDelay(text: string): DelayHistogram | null {
  const buckets: [number, number][] = [];
  for (const m of text.matchAll(/^logway_event_loop_delay_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)) {
    buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  }
  if (buckets.length === 0) return null;
  const count = Number(/^logway_event_loop_delay_seconds_count (\d+)$/m.exec(text)?.[1] ?? 0);
  const sumSeconds = Number(/^logway_event_loop_delay_seconds_sum (\S+)$/m.exec(text)?.[1] ?? 0);
  return { buckets, count, sumSeconds };
}

export function delayDelta(before: DelayHistogram, after: DelayHistogram): DelayHistogram {
  return {
    buckets: after.buckets.map(([le, n], i) => [le, n - (before.buckets[i]?.[1] ?? 0)]),
    count: after.count - before.count,
    sumSeconds: after.sumSeconds - before.sumSeconds,
  };
}

/** The upper bound (ms) of the bucket holding the `fraction` quantile. */
export function quantileBoundMs(h: DelayHistogram, fraction: number): number {
  const rank = Math.ceil(fraction * h.count);
  for (const [le, n] of h.buckets) if (n >= rank) return le * 1000;
  return Infinity;
}

/** Samples later than `boundS` seconds (a bucket bound). */
export function lateSamples(h: DelayHistogram, boundS: number): number {
  const atOrBelow = h.buckets.find(([le]) => le === boundS)?.[1] ?? 0;
  return h.count - atOrBelow;
}
