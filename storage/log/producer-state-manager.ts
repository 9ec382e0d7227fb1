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
 * Transactions (FORMAT.md §13): a producer's first transactional batch since its last marker opens
 * its transaction here (its first offset is kept, and the smallest one over all producers is the
 * log's first unstable offset); a COMMIT/ABORT control batch completes it, and an ABORT is
 * returned by `record` as the aborted transaction the log indexes (.txnindex). Control batches are
 * never checked or cached as sequences: the coordinator writes them, not the producer.
 *
 * Not thread-safe on its own: the log lock serializes every mutation; reads (`entries`, `entry`)
 * are plain synchronous snapshots of the maps.
 */
import { OutOfOrderSequenceError, ProducerFencedError } from '../errors';
import { readControlRecordType } from '../format/control-record';
import { decodeRecordBatch } from '../format/record-batch';
import {
  ATTRIBUTES_POSITION,
  BASE_SEQUENCE_POSITION,
  CONTROL_ATTRIBUTE,
  MAX_TIMESTAMP_POSITION,
  PRODUCER_EPOCH_POSITION,
  PRODUCER_ID_POSITION,
  TRANSACTIONAL_ATTRIBUTE,
} from '../format/record-batch-header';
import { readInt64 } from '../segment/batch-scanner';
import type { AbortedTxn } from '../segment/transaction-index';

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
  /** Oldest first, at most PRODUCER_BATCHES_RETAINED (more only while a group commit is written; none only for a producer kept for its open transaction). */
  batches: ProducerBatchMetadata[];
  /** First offset of its open transaction in this partition, null when none is open (FORMAT.md §13). */
  currentTxnFirstOffset: number | null;
}

/** The producer fields of a batch header; producerId −1 = not idempotent. */
export interface BatchProducerFields {
  producerId: number;
  epoch: number;
  sequence: number;
  maxTimestampMs: number;
  isTransactional: boolean;
  isControl: boolean;
}

export function batchProducerFields(bytes: Buffer): BatchProducerFields {
  const attributes = bytes.readInt16BE(ATTRIBUTES_POSITION);
  return {
    isTransactional: (attributes & TRANSACTIONAL_ATTRIBUTE) !== 0,
    isControl: (attributes & CONTROL_ATTRIBUTE) !== 0,
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
  /** producerId → first offset of its open transaction (the same numbers as the entries', kept apart so the LSO is cheap). */
  private readonly ongoing = new Map<number, number>();

  /** While a group commit is written (holdWindows): the entries whose window grew past PRODUCER_BATCHES_RETAINED. */
  private held: Set<ProducerStateEntry> | null = null;

  constructor(private readonly expirationMs: number = DEFAULT_PRODUCER_ID_EXPIRATION_MS) {}

  /**
   * Until releaseWindows(), recorded batches no longer push the oldest out of a producer's window.
   * A group commit records all of its batches before writing them, and a roll inside the group
   * snapshots stateBelow(the roll's offset): that must still hold the 5 batches below the roll,
   * not only what a 5-batch window left once the group's later batches were in (FORMAT.md §12).
   */
  holdWindows(): void {
    this.held ??= new Set();
  }

  /** Trims every window held open back to its last PRODUCER_BATCHES_RETAINED batches. */
  releaseWindows(): void {
    for (const entry of this.held ?? []) entry.batches.splice(0, Math.max(0, entry.batches.length - PRODUCER_BATCHES_RETAINED));
    this.held = null;
  }

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

  /** The smallest first offset of any open transaction, null when none is open (FORMAT.md §13). */
  get firstUnstableOffset(): number | null {
    let first: number | null = null;
    for (const offset of this.ongoing.values()) if (first === null || offset < first) first = offset;
    return first;
  }

  /** Open transactions, by producer id: producerId → first offset. */
  openTransactions(): Map<number, number> {
    return new Map(this.ongoing);
  }

  /**
   * The check before a leader appends a batch: null = append it; a cached batch = a duplicate
   * (answer its offsets, append nothing); an error = refuse it (nothing appended). Changes nothing.
   */
  admit(bytes: Buffer, nowMs: number): ProducerBatchMetadata | ProducerFencedError | OutOfOrderSequenceError | null {
    const fields = batchProducerFields(bytes);
    if (fields.producerId < 0 || fields.isControl) return null;
    const entry = this.entry(fields.producerId, nowMs);
    if (!entry) return null;
    if (fields.epoch < entry.epoch) return new ProducerFencedError(fields.producerId, fields.epoch, entry.epoch);
    if (fields.epoch > entry.epoch) return null; // a new epoch starts a new sequence space
    const cached = entry.batches.find((b) => b.sequence === fields.sequence);
    if (cached) return cached;
    const last = entry.batches[entry.batches.length - 1];
    if (!last) return null; // kept only for its open transaction: no sequence to compare with
    if (!isSequenceAhead(last.sequence, fields.sequence)) {
      return new OutOfOrderSequenceError(
        `producer ${fields.producerId}: sequence ${fields.sequence} is not after this partition's last sequence ${last.sequence} and is not one of its last ${PRODUCER_BATCHES_RETAINED} batches`,
        { producerId: fields.producerId, sequence: fields.sequence, lastSequence: last.sequence },
      );
    }
    return null;
  }

  /**
   * Records an appended batch (leader or follower, or replayed at load) at `nowMs`; non-idempotent
   * batches are ignored. Returns the aborted transaction when the batch is an ABORT marker that
   * completed one (the log appends it to the .txnindex), else null.
   */
  record(bytes: Buffer, firstOffset: number, lastOffset: number, nowMs: number): AbortedTxn | null {
    const fields = batchProducerFields(bytes);
    if (fields.producerId < 0) return null;
    if (fields.isControl) return this.completeTransaction(fields, bytes, lastOffset, nowMs);
    this.recordFields(fields, firstOffset, lastOffset, nowMs);
    return null;
  }

  recordFields(fields: BatchProducerFields, firstOffset: number, lastOffset: number, nowMs: number): void {
    let entry = this.producers.get(fields.producerId);
    if (!entry || fields.epoch > entry.epoch) {
      entry = {
        producerId: fields.producerId,
        epoch: fields.epoch,
        lastTimestampMs: nowMs,
        batches: [],
        currentTxnFirstOffset: entry?.currentTxnFirstOffset ?? null,
      };
      this.producers.set(fields.producerId, entry);
    }
    entry.batches.push({ sequence: fields.sequence, firstOffset, lastOffset, maxTimestampMs: fields.maxTimestampMs });
    if (entry.batches.length > PRODUCER_BATCHES_RETAINED) {
      if (this.held) this.held.add(entry);
      else entry.batches.shift();
    }
    entry.lastTimestampMs = Math.max(entry.lastTimestampMs, fields.maxTimestampMs, nowMs);
    if (fields.isTransactional && entry.currentTxnFirstOffset === null) {
      entry.currentTxnFirstOffset = firstOffset;
      this.ongoing.set(fields.producerId, firstOffset);
    }
  }

  /**
   * A COMMIT/ABORT marker at `markerOffset`: ends the producer's open transaction. It changes no
   * epoch and no sequence (decision, FORMAT.md §13): fencing is the coordinator's, and a marker
   * epoch taken as the producer's would throw away the sequences its retries are matched against.
   */
  private completeTransaction(fields: BatchProducerFields, bytes: Buffer, markerOffset: number, nowMs: number): AbortedTxn | null {
    const entry = this.producers.get(fields.producerId);
    const firstOffset = entry?.currentTxnFirstOffset ?? null;
    if (!entry || firstOffset === null) return null; // nothing open here: the marker completes nothing
    entry.currentTxnFirstOffset = null;
    this.ongoing.delete(fields.producerId);
    entry.lastTimestampMs = Math.max(entry.lastTimestampMs, nowMs);
    const marker = decodeRecordBatch(bytes, 0, { crcVerified: true }).records[0];
    if (!marker || readControlRecordType(marker.key) !== 'ABORT') return null;
    const lastStableOffset = this.firstUnstableOffset ?? markerOffset + 1;
    return { producerId: fields.producerId, firstOffset, lastOffset: markerOffset, lastStableOffset };
  }

  /** Puts a loaded entry back (snapshot load). */
  restore(entry: ProducerStateEntry): void {
    this.producers.set(entry.producerId, { ...entry, batches: entry.batches.slice(-PRODUCER_BATCHES_RETAINED) });
    if (entry.currentTxnFirstOffset !== null) this.ongoing.set(entry.producerId, entry.currentTxnFirstOffset);
    else this.ongoing.delete(entry.producerId);
  }

  /**
   * The state as of `offset` for a snapshot: only batches with lastOffset < offset, expired
   * producers left out (and dropped from memory). Entries whose batches all lie at or above `offset` are left out too: the
   * scan from `offset` at load re-adds them (FORMAT.md §12), unless their open transaction began below `offset` (§13).
   */
  stateBelow(offset: number, nowMs: number): ProducerStateEntry[] {
    this.removeExpired(nowMs);
    const result: ProducerStateEntry[] = [];
    for (const entry of this.entries(nowMs)) {
      const batches = entry.batches.filter((b) => b.lastOffset < offset);
      const txnFirst = entry.currentTxnFirstOffset;
      const currentTxnFirstOffset = txnFirst !== null && txnFirst < offset ? txnFirst : null;
      if (batches.length === 0 && currentTxnFirstOffset === null) continue;
      result.push({ ...entry, batches, currentTxnFirstOffset });
    }
    return result;
  }

  /** Drops expired producers from memory (at each snapshot: a node that saw 100,000 producers does not keep them all). */
  removeExpired(nowMs: number): void {
    for (const [producerId, entry] of this.producers) if (this.isExpired(entry, nowMs)) this.producers.delete(producerId);
  }

  clear(): void {
    this.producers.clear();
    this.ongoing.clear();
  }

  /** A producer with an open transaction never expires (Kafka's rule): its transaction holds the LSO until a marker. */
  private isExpired(entry: ProducerStateEntry, nowMs: number): boolean {
    return entry.currentTxnFirstOffset === null && nowMs - entry.lastTimestampMs >= this.expirationMs;
  }
}
