/**
 * One partition's producer state (Kafka's ProducerStateManager, storage/FORMAT.md §12): for every
 * idempotent producer that appended here, its epoch and the metadata of its last 5 batches
 * (sequence → offsets), so a retried batch is answered with its original offsets instead of being
 * appended twice.
 *
 * The log calls `admit` for a leader batch and `record` for every batch it appends, both under the
 * log lock in the step that assigns offsets, so check and append are one atomic step; a follower's
 * batches are recorded without the check (Kafka validates sequences only for client appends).
 * A batch's sequence is its baseSequence: one per produce call (FORMAT.md §12's decision).
 *
 * Not thread-safe on its own: the log lock serializes every mutation; reads (`entries`, `entry`)
 * are plain synchronous snapshots of the maps.
 */
import { OutOfOrderSequenceError, ProducerFencedError } from '../errors';
import { BASE_SEQUENCE_POSITION, MAX_TIMESTAMP_POSITION, PRODUCER_EPOCH_POSITION, PRODUCER_ID_POSITION } from '../format/record-batch-header';
import { readInt64 } from '../segment/batch-scanner';

/** Kafka's NUM_BATCHES_TO_RETAIN: duplicates are recognised among a producer's last 5 batches. */
export const PRODUCER_BATCHES_RETAINED = 5;
/** Sequences wrap from 2³¹−1 to 0, as Kafka's. */
export const SEQUENCE_MODULUS = 2 ** 31;
/** Kafka's producer.id.expiration.ms default: 1 day. */
export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000;

export interface ProducerBatchMetadata {
  sequence: number;
  firstOffset: number;
  lastOffset: number;
  maxTimestampMs: number;
}

export interface ProducerStateEntry {
  producerId: number;
  epoch: number;
  /**
   * When it last appended here: the node's clock at the append, the batch's maxTimestamp if later
   * (and the load time for batches replayed at open). Expiry measures from it; Kafka takes the
   * batch's maxTimestamp alone, which expires at once the state of a producer that writes old
   * CreateTime timestamps, and with it its duplicate detection.
   */
  lastTimestampMs: number;
  /** Oldest first, at most PRODUCER_BATCHES_RETAINED. */
  batches: ProducerBatchMetadata[];
}

/** The producer fields of a batch header; producerId −1 = not idempotent. */
export interface BatchProducerFields {
  producerId: number;
  epoch: number;
  sequence: number;
  maxTimestampMs: number;
}

export function batchProducerFields(bytes: Buffer): BatchProducerFields {
  return {
    producerId: readInt64(bytes, PRODUCER_ID_POSITION),
    epoch: bytes.readInt16BE(PRODUCER_EPOCH_POSITION),
    sequence: bytes.readInt32BE(BASE_SEQUENCE_POSITION),
    maxTimestampMs: readInt64(bytes, MAX_TIMESTAMP_POSITION),
  };
}

/** How far `sequence` is ahead of `from`, mod 2³¹ (0 = equal; ≥ 2³⁰ reads as behind). */
export function sequenceDistance(from: number, sequence: number): number {
  return (((sequence - from) % SEQUENCE_MODULUS) + SEQUENCE_MODULUS) % SEQUENCE_MODULUS;
}

export function isSequenceAhead(from: number, sequence: number): boolean {
  const distance = sequenceDistance(from, sequence);
  return distance > 0 && distance < SEQUENCE_MODULUS / 2;
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerStateEntry>();

  constructor(private readonly expirationMs: number = DEFAULT_PRODUCER_ID_EXPIRATION_MS) {}

  /** The live (unexpired) entry of a producer, or undefined. */
  entry(producerId: number, nowMs: number): ProducerStateEntry | undefined {
    const entry = this.producers.get(producerId);
    return entry && !this.isExpired(entry, nowMs) ? entry : undefined;
  }

  /** Every live entry, by producer id. */
  entries(nowMs: number): ProducerStateEntry[] {
    return [...this.producers.values()].filter((e) => !this.isExpired(e, nowMs)).sort((a, b) => a.producerId - b.producerId);
  }

  get size(): number {
    return this.producers.size;
  }

  /**
   * The check before a leader appends a batch: null = append it; a cached batch = a duplicate
   * (answer its offsets, append nothing); an error = refuse it (nothing appended). Changes nothing.
   */
  admit(bytes: Buffer, nowMs: number): ProducerBatchMetadata | ProducerFencedError | OutOfOrderSequenceError | null {
    const fields = batchProducerFields(bytes);
    if (fields.producerId < 0) return null;
    const entry = this.entry(fields.producerId, nowMs);
    if (!entry) return null;
    if (fields.epoch < entry.epoch) return new ProducerFencedError(fields.producerId, fields.epoch, entry.epoch);
    if (fields.epoch > entry.epoch) return null; // a new epoch starts a new sequence space
    const cached = entry.batches.find((b) => b.sequence === fields.sequence);
    if (cached) return cached;
    const last = entry.batches[entry.batches.length - 1]!;
    if (!isSequenceAhead(last.sequence, fields.sequence)) {
      return new OutOfOrderSequenceError(
        `producer ${fields.producerId}: sequence ${fields.sequence} is not after this partition's last sequence ${last.sequence} and is not one of its last ${PRODUCER_BATCHES_RETAINED} batches`,
        { producerId: fields.producerId, sequence: fields.sequence, lastSequence: last.sequence },
      );
    }
    return null;
  }

  /** Records an appended batch (leader or follower, or replayed at load) at `nowMs`; non-idempotent batches are ignored. */
  record(bytes: Buffer, firstOffset: number, lastOffset: number, nowMs: number): void {
    const fields = batchProducerFields(bytes);
    if (fields.producerId < 0) return;
    this.recordFields(fields, firstOffset, lastOffset, nowMs);
  }

  recordFields(fields: BatchProducerFields, firstOffset: number, lastOffset: number, nowMs: number): void {
    let entry = this.producers.get(fields.producerId);
    if (!entry || fields.epoch > entry.epoch) {
      entry = { producerId: fields.producerId, epoch: fields.epoch, lastTimestampMs: nowMs, batches: [] };
      this.producers.set(fields.producerId, entry);
    }
    entry.batches.push({ sequence: fields.sequence, firstOffset, lastOffset, maxTimestampMs: fields.maxTimestampMs });
    if (entry.batches.length > PRODUCER_BATCHES_RETAINED) entry.batches.shift();
    entry.lastTimestampMs = Math.max(entry.lastTimestampMs, fields.maxTimestampMs, nowMs);
  }

  /** Puts a loaded entry back (snapshot load). */
  restore(entry: ProducerStateEntry): void {
    this.producers.set(entry.producerId, { ...entry, batches: entry.batches.slice(-PRODUCER_BATCHES_RETAINED) });
  }

  /**
   * The state as of `offset` for a snapshot: only batches with lastOffset < offset, expired
   * producers left out (and dropped from memory). Entries whose batches all lie at or above `offset` are left out too: the
   * scan from `offset` at load re-adds them (FORMAT.md §12).
   */
  stateBelow(offset: number, nowMs: number): ProducerStateEntry[] {
    this.removeExpired(nowMs);
    const result: ProducerStateEntry[] = [];
    for (const entry of this.entries(nowMs)) {
      const batches = entry.batches.filter((b) => b.lastOffset < offset);
      if (batches.length === 0) continue;
      result.push({ ...entry, batches });
    }
    return result;
  }

  /** Drops expired producers from memory (at each snapshot: a node that saw 100,000 producers does not keep them all). */
  removeExpired(nowMs: number): void {
    for (const [producerId, entry] of this.producers) if (this.isExpired(entry, nowMs)) this.producers.delete(producerId);
  }

  clear(): void {
    this.producers.clear();
  }

  private isExpired(entry: ProducerStateEntry, nowMs: number): boolean {
    return nowMs - entry.lastTimestampMs >= this.expirationMs;
  }
}
