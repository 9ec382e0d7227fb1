/**
 * Recent traffic, so a freshly opened console shows rates and five minutes of chart at once
 * instead of waiting for two polls (a rate from two readings of a counter needs two readings; a
 * group's committed offsets move only when it commits, every 5 s with auto-commit).
 *
 * Records produced, their bytes, and records delivered to consumer-group members (the consume
 * rate: a live tail or a `records` page is not a consumer of the topic's data in this sense) are
 * counted in 1-second buckets kept in rings: NODE_BUCKETS (5 minutes) for the whole node, the
 * rate window's 11 per topic that had traffic (4 arrays of 11 numbers, under 400 bytes, so 10,000
 * busy topics cost about 4 MiB). Each slot's stamp says which second it holds, so a slot left from
 * an older lap reads as 0. Wraps the node's BrokerMetrics, so the produce and delivery paths call
 * one hook.
 */
import type { Clock } from '../../storage/index';
import type { BrokerMetrics } from './broker-deps';

export const BUCKET_MS = 1_000;
/** The rate shown as "now": the last 10 s, steady at a few records/s, and it moves within seconds. */
export const RATE_WINDOW_MS = 10_000;
/** The window's ten seconds touch eleven buckets (the current one and part of the oldest). */
const TOPIC_BUCKETS = RATE_WINDOW_MS / BUCKET_MS + 1;
/** 300 complete seconds (5 minutes) plus the current one. */
export const NODE_BUCKETS = 301;

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

interface Totals {
  recordsIn: number;
  bytesIn: number;
  recordsOut: number;
}

/** The counters of the last `size` seconds. */
class Ring {
  readonly stamps: Float64Array;
  readonly recordsIn: Float64Array;
  readonly bytesIn: Float64Array;
  readonly recordsOut: Float64Array;

  constructor(readonly size: number) {
    this.stamps = new Float64Array(size).fill(-1);
    this.recordsIn = new Float64Array(size);
    this.bytesIn = new Float64Array(size);
    this.recordsOut = new Float64Array(size);
  }

  slot(bucket: number): number {
    const slot = bucket % this.size;
    if (this.stamps[slot] !== bucket) {
      this.stamps[slot] = bucket;
      this.recordsIn[slot] = this.bytesIn[slot] = this.recordsOut[slot] = 0;
    }
    return slot;
  }

  /** Sums buckets [from, to] (inclusive; only those still in the ring). */
  sum(from: number, to: number): Totals {
    const totals = { recordsIn: 0, bytesIn: 0, recordsOut: 0 };
    for (let bucket = Math.max(from, to - this.size + 1); bucket <= to; bucket++) {
      const slot = bucket % this.size;
      if (this.stamps[slot] !== bucket) continue;
      totals.recordsIn += this.recordsIn[slot]!;
      totals.bytesIn += this.bytesIn[slot]!;
      totals.recordsOut += this.recordsOut[slot]!;
    }
    return totals;
  }
}

export class Traffic implements BrokerMetrics {
  private readonly node = new Ring(NODE_BUCKETS);
  private readonly topics = new Map<string, Ring>();
  private readonly startedMonotonicMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly next: BrokerMetrics,
  ) {
    this.startedMonotonicMs = clock.monotonicMs();
  }

  recordsProduced(topic: string, records: number, bytes: number): void {
    this.next.recordsProduced(topic, records, bytes);
    const bucket = this.bucketNow();
    for (const ring of [this.node, this.ring(topic)]) {
      const slot = ring.slot(bucket);
      ring.recordsIn[slot]! += records;
      ring.bytesIn[slot]! += bytes;
    }
  }

  recordsConsumed(topic: string, records: number, bytes: number, group?: string): void {
    this.next.recordsConsumed(topic, records, bytes, group);
    if (group === undefined || records === 0) return;
    const bucket = this.bucketNow();
    for (const ring of [this.node, this.ring(topic)]) ring.recordsOut[ring.slot(bucket)]! += records;
  }

  /** A deleted topic's rates go with it (a topic created again under the name starts at 0); the node's history keeps them. */
  forget(topic: string): void {
    this.topics.delete(topic);
  }

  /** Per second over the last RATE_WINDOW_MS (less right after start-up); `topic` null: the whole node. */
  rates(topic: string | null): TrafficRates {
    const ring = topic === null ? this.node : this.topics.get(topic);
    if (!ring) return { produceRate: 0, produceBytesRate: 0, consumeRate: 0 };
    const now = this.clock.monotonicMs();
    const current = Math.floor(now / BUCKET_MS);
    const windowBuckets = RATE_WINDOW_MS / BUCKET_MS;
    // The window's ten seconds end now: the current second so far, nine whole ones, and of the
    // second before them the part still inside the window (as if spread evenly over it).
    const totals = ring.sum(current - windowBuckets + 1, current);
    const edge = ring.sum(current - windowBuckets, current - windowBuckets);
    const inside = 1 - (now - current * BUCKET_MS) / BUCKET_MS;
    totals.recordsIn += edge.recordsIn * inside;
    totals.bytesIn += edge.bytesIn * inside;
    totals.recordsOut += edge.recordsOut * inside;
    return perSecond(totals, Math.max(BUCKET_MS, Math.min(RATE_WINDOW_MS, now - this.startedMonotonicMs)));
  }

  /**
   * The node's complete seconds of the last `seconds` (at most NODE_BUCKETS − 1), in samples of
   * `stepSeconds` each, oldest first; the newest sample ends at the last complete second.
   */
  history(seconds: number, stepSeconds: number): TrafficSample[] {
    const nowMono = this.clock.monotonicMs();
    const nowWall = this.clock.nowMs();
    const lastComplete = Math.floor(nowMono / BUCKET_MS) - 1;
    const samples: TrafficSample[] = [];
    const steps = Math.floor(Math.min(seconds, NODE_BUCKETS - 1) / stepSeconds);
    for (let i = steps - 1; i >= 0; i--) {
      const to = lastComplete - i * stepSeconds;
      const from = to - stepSeconds + 1;
      const atMs = nowWall - (nowMono - from * BUCKET_MS);
      samples.push({ atMs: Math.round(atMs), ...perSecond(this.node.sum(from, to), stepSeconds * BUCKET_MS) });
    }
    return samples;
  }

  private ring(topic: string): Ring {
    let ring = this.topics.get(topic);
    if (!ring) this.topics.set(topic, (ring = new Ring(TOPIC_BUCKETS)));
    return ring;
  }

  private bucketNow(): number {
    return Math.floor(this.clock.monotonicMs() / BUCKET_MS);
  }
}

function perSecond(totals: Totals, elapsedMs: number): TrafficRates {
  const scale = 1_000 / elapsedMs;
  return { produceRate: totals.recordsIn * scale, produceBytesRate: totals.bytesIn * scale, consumeRate: totals.recordsOut * scale };
}
