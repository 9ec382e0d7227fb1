/**
 * Recent traffic per topic, so a freshly opened console shows rates and five minutes of chart at
 * once instead of waiting for two polls (a rate from two readings of a counter needs two readings;
 * a group's committed offsets move only when it commits, every 5 s with auto-commit).
 *
 * Records produced, their bytes, and records delivered to consumer-group members (the consume
 * rate: a live tail or a `records` page is not a consumer of the topic's data in this sense) are
 * counted in 1-second buckets, BUCKETS of them per topic in a ring (5 minutes): three counter
 * arrays and a stamp array of 301 numbers per topic that had traffic, about 10 KiB, allocated at its
 * first record. Each slot's stamp says which second it holds, so a slot left from an older lap
 * reads as 0. Wraps the node's BrokerMetrics, so the produce and delivery paths call one hook.
 */
import type { Clock } from '../../storage/index';
import type { BrokerMetrics } from './broker-deps';

export const BUCKET_MS = 1_000;
/** 300 complete seconds (5 minutes) plus the current one. */
export const BUCKETS = 301;
/** The rate shown as "now": the last 10 s, steady at a few records/s, and it moves within seconds. */
export const RATE_WINDOW_MS = 10_000;

export interface TrafficRates {
  /** Records produced per second. */
  produceRate: number;
  /** Record batch bytes appended per second. */
  produceBytesRate: number;
  /** Records delivered to consumer-group members per second. */
  consumeRate: number;
}

export interface TrafficSample extends TrafficRates {
  /** Wall-clock start of the sample's interval. */
  atMs: number;
}

class TopicTraffic {
  readonly stamps = new Float64Array(BUCKETS).fill(-1);
  readonly recordsIn = new Float64Array(BUCKETS);
  readonly bytesIn = new Float64Array(BUCKETS);
  readonly recordsOut = new Float64Array(BUCKETS);

  slot(bucket: number): number {
    const slot = bucket % BUCKETS;
    if (this.stamps[slot] !== bucket) {
      this.stamps[slot] = bucket;
      this.recordsIn[slot] = this.bytesIn[slot] = this.recordsOut[slot] = 0;
    }
    return slot;
  }

  /** Adds buckets [from, to] (inclusive) into `into`. */
  sum(from: number, to: number, into: { recordsIn: number; bytesIn: number; recordsOut: number }): void {
    for (let bucket = Math.max(from, to - BUCKETS + 1); bucket <= to; bucket++) {
      const slot = bucket % BUCKETS;
      if (this.stamps[slot] !== bucket) continue;
      into.recordsIn += this.recordsIn[slot]!;
      into.bytesIn += this.bytesIn[slot]!;
      into.recordsOut += this.recordsOut[slot]!;
    }
  }
}

export class Traffic implements BrokerMetrics {
  private readonly topics = new Map<string, TopicTraffic>();
  private readonly startedMonotonicMs: number;

  constructor(private readonly clock: Clock, private readonly next: BrokerMetrics) {
    this.startedMonotonicMs = clock.monotonicMs();
  }

  recordsProduced(topic: string, records: number, bytes: number): void {
    this.next.recordsProduced(topic, records, bytes);
    const traffic = this.traffic(topic);
    const slot = traffic.slot(this.bucketNow());
    traffic.recordsIn[slot]! += records;
    traffic.bytesIn[slot]! += bytes;
  }

  recordsConsumed(topic: string, records: number, bytes: number, group?: string): void {
    this.next.recordsConsumed(topic, records, bytes, group);
    if (group === undefined || records === 0) return;
    const traffic = this.traffic(topic);
    traffic.recordsOut[traffic.slot(this.bucketNow())]! += records;
  }

  /** A deleted topic's traffic goes with it (a topic created again under the name starts at 0). */
  forget(topic: string): void {
    this.topics.delete(topic);
  }

  /** Per second over the last RATE_WINDOW_MS (less right after start-up); `topic` null: the whole node. */
  rates(topic: string | null): TrafficRates {
    const now = this.clock.monotonicMs();
    const current = Math.floor(now / BUCKET_MS);
    const windowBuckets = RATE_WINDOW_MS / BUCKET_MS;
    // The window's ten seconds end now: the current second so far, nine whole ones, and of the
    // second before them the part still inside the window (as if spread evenly over it).
    const totals = this.sum(topic, current - windowBuckets + 1, current);
    const edge = this.sum(topic, current - windowBuckets, current - windowBuckets);
    const inside = 1 - (now - current * BUCKET_MS) / BUCKET_MS;
    totals.recordsIn += edge.recordsIn * inside;
    totals.bytesIn += edge.bytesIn * inside;
    totals.recordsOut += edge.recordsOut * inside;
    return perSecond(totals, Math.max(BUCKET_MS, Math.min(RATE_WINDOW_MS, now - this.startedMonotonicMs)));
  }

  /**
   * Complete seconds of the last `seconds` (at most BUCKETS − 1), in samples of `stepSeconds` each,
   * oldest first; the newest sample ends at the last complete second.
   */
  history(topic: string | null, seconds: number, stepSeconds: number): TrafficSample[] {
    const nowMono = this.clock.monotonicMs();
    const nowWall = this.clock.nowMs();
    const lastComplete = Math.floor(nowMono / BUCKET_MS) - 1;
    const samples: TrafficSample[] = [];
    const steps = Math.floor(Math.min(seconds, BUCKETS - 1) / stepSeconds);
    for (let i = steps - 1; i >= 0; i--) {
      const to = lastComplete - i * stepSeconds;
      const from = to - stepSeconds + 1;
      const atMs = nowWall - (nowMono - from * BUCKET_MS);
      samples.push({ atMs: Math.round(atMs), ...perSecond(this.sum(topic, from, to), stepSeconds * BUCKET_MS) });
    }
    return samples;
  }

  private sum(topic: string | null, from: number, to: number) {
    const totals = { recordsIn: 0, bytesIn: 0, recordsOut: 0 };
    if (topic !== null) this.topics.get(topic)?.sum(from, to, totals);
    else for (const traffic of this.topics.values()) traffic.sum(from, to, totals);
    return totals;
  }

  private traffic(topic: string): TopicTraffic {
    let traffic = this.topics.get(topic);
    if (!traffic) this.topics.set(topic, (traffic = new TopicTraffic()));
    return traffic;
  }

  private bucketNow(): number {
    return Math.floor(this.clock.monotonicMs() / BUCKET_MS);
  }
}

function perSecond(totals: { recordsIn: number; bytesIn: number; recordsOut: number }, elapsedMs: number): TrafficRates {
  const scale = 1_000 / elapsedMs;
  return { produceRate: totals.recordsIn * scale, produceBytesRate: totals.bytesIn * scale, consumeRate: totals.recordsOut * scale };
}
