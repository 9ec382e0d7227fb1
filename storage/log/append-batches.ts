/**
 * The batches an append writes, on their way to the log (storage/FORMAT.md §11):
 *   - `encodeLeaderBatch`: the decoded path. Records are encoded into one RecordBatch v2 with
 *     baseOffset 0 and the leader's epoch (CRC computed once), then pass the leader's validation
 *     without CRC and record decoding (the encoder produced both).
 *   - `prepareLeaderBatch`: external bytes for a leader (a Kafka door). Fully validated, then the
 *     epoch and the timestamps message.timestamp.type asks for are stamped in place.
 *   - `validateFollowerBatches`: a follower's batches, validated and kept byte for byte.
 * The real baseOffset of a leader batch is stamped later under the log lock (`placeAppend`,
 * setBaseOffset: not CRC-covered, so no CRC work inside the lock). Also the public option/result
 * types of PartitionLog.append and read.
 *
 * No I/O. Encoding, preparing and validating run outside the log lock, concurrently; they change
 * only the leader's buffer they stamp. `placeAppend` runs under the log lock only (it sets the
 * batch's baseOffset and writes the leader-epoch cache).
 */
import { InvalidRecordError } from '../errors';
import type { BatchBufferPool } from '../format/batch-buffer-pool';
import { encodeRecordBatch, setBaseOffset, setMaxTimestamp, setPartitionLeaderEpoch } from '../format/record-batch';
import type { Compression, LogRecordInput } from '../format/record-batch';
import {
  checkFollowerPosition,
  checkRecordKeys,
  followerRules,
  leaderRules,
  validateBatches,
  type ValidatedBatch,
} from './batch-validator';
import type { LeaderEpochCache } from './leader-epoch-cache';
import type { LogConfig } from './log-config';
import type { ProducerBatchMetadata } from './producer-state-manager';

export interface AppendOptions {
  /** Stamped into partitionLeaderEpoch and recorded in the leader-epoch cache. */
  leaderEpoch: number;
  compression?: Compression;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
}

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The broker's append time for LogAppendTime topics, else -1 (Kafka's convention). */
  logAppendTimeMs: number;
  maxTimestampMs: number;
  sizeBytes: number;
  /** An idempotent retry of a batch already in the log: these are its original offsets, nothing was appended. */
  duplicate?: boolean;
}

/** The answer to a retried idempotent batch: the cached original's offsets (logAppendTimeMs −1 unless the topic uses LogAppendTime). */
export function duplicateAppendResult(original: ProducerBatchMetadata, logAppendTimeMs: number): AppendResult {
  const { firstOffset, lastOffset, maxTimestampMs } = original;
  return {
    baseOffset: firstOffset,
    lastOffset,
    logAppendTimeMs: logAppendTimeMs < 0 ? -1 : maxTimestampMs,
    maxTimestampMs,
    sizeBytes: 0,
    duplicate: true,
  };
}

export interface ReadOptions {
  /** Default 1 MiB (Kafka's max.partition.fetch.bytes). */
  maxBytes?: number;
  /** Exclusive; default the high watermark. */
  maxOffset?: number;
  /** Default true: return the first batch even when it is bigger than maxBytes. */
  minOneBatch?: boolean;
}

/** What is queued for the log lock: the batches of one append call. */
export interface PendingAppend {
  batches: ValidatedBatch[];
  /** Leader appends get offsets under the lock; follower batches carry theirs. */
  assignOffsets: boolean;
  leaderEpoch: number;
  messageCount: number;
  logAppendTimeMs: number;
}

/**
 * Validates and encodes a producer's records (RecordTooLargeError, InvalidRecordError). With a
 * pool the batch is carved from its reused memory: the caller releases `batch.bytes` to it once
 * the write completed (a fresh 1 MiB buffer page-faults on first touch, bench/README.md).
 */
export function encodeLeaderBatch(
  records: LogRecordInput[],
  options: AppendOptions,
  config: LogConfig,
  nowMs: number,
  topic: string,
  pool?: BatchBufferPool,
): PendingAppend {
  if (records.length === 0) throw new InvalidRecordError('an append needs at least one record');
  const rules = leaderRules(config, 'encoded');
  checkRecordKeys(records, rules, options.isControl === true, topic);
  const logAppendTime = config.messageTimestampType === 'LogAppendTime';
  const bytes = encodeRecordBatch(
    records,
    {
      baseOffset: 0,
      partitionLeaderEpoch: options.leaderEpoch,
      compression: options.compression,
      timestampType: logAppendTime ? 'LOG_APPEND_TIME' : 'CREATE_TIME',
      logAppendTimeMs: logAppendTime ? nowMs : undefined,
      producerId: options.producerId,
      producerEpoch: options.producerEpoch,
      baseSequence: options.baseSequence,
      isTransactional: options.isTransactional,
      isControl: options.isControl,
    },
    pool?.allocate,
  );
  try {
    const { batches, messageCount } = validateBatches(bytes, rules, topic);
    return { batches, assignOffsets: true, leaderEpoch: options.leaderEpoch, messageCount, logAppendTimeMs: logAppendTime ? nowMs : -1 };
  } catch (error) {
    pool?.release(bytes);
    throw error;
  }
}

/**
 * External bytes for a leader: one batch, fully validated, then stamped in place with the
 * leader's epoch (not CRC-covered) and, when they differ from what the topic asks, the timestamp
 * type and maxTimestamp (CRC recomputed once). The buffer is the log's from here on.
 */
export function prepareLeaderBatch(
  batchBytes: Buffer,
  leaderEpoch: number,
  config: LogConfig,
  nowMs: number,
  topic: string,
): PendingAppend {
  const { batches, messageCount } = validateBatches(batchBytes, leaderRules(config, 'bytes'), topic);
  const batch = batches[0]!;
  setPartitionLeaderEpoch(batch.bytes, 0, leaderEpoch);
  const logAppendTime = config.messageTimestampType === 'LogAppendTime';
  stampTimestamps(batch, logAppendTime ? 'LOG_APPEND_TIME' : 'CREATE_TIME', logAppendTime ? nowMs : batch.recordsMaxTimestampMs);
  return { batches, assignOffsets: true, leaderEpoch, messageCount, logAppendTimeMs: logAppendTime ? nowMs : -1 };
}

function stampTimestamps(batch: ValidatedBatch, timestampType: ValidatedBatch['timestampType'], maxTimestampMs: number): void {
  if (batch.timestampType === timestampType && batch.maxTimestampMs === maxTimestampMs) return; // the usual case: no CRC work
  setMaxTimestamp(batch.bytes, 0, timestampType, maxTimestampMs);
  batch.timestampType = timestampType;
  batch.maxTimestampMs = maxTimestampMs;
}

/** A follower's buffer: whole, CRC-valid batches with increasing offsets and epochs, kept byte for byte. */
export function validateFollowerBatches(batchBytes: Buffer, topic: string): PendingAppend {
  const { batches, messageCount } = validateBatches(batchBytes, followerRules(), topic);
  return { batches, assignOffsets: false, leaderEpoch: -1, messageCount, logAppendTimeMs: -1 };
}

/**
 * Under the log lock, in queue order: stamps a leader batch's offset (the log end offset) or
 * checks a follower's against the log (checkFollowerPosition), records epoch starts in the cache.
 * Returns the append's result (the caller then moves the log end past it), or the error that
 * rejects just this append.
 */
export function placeAppend(item: PendingAppend, logEndOffset: number, epochs: LeaderEpochCache): AppendResult | Error {
  if (item.assignOffsets) {
    const batch = item.batches[0]!;
    const lastOffsetDelta = batch.lastOffset - batch.baseOffset;
    batch.baseOffset = logEndOffset;
    batch.lastOffset = logEndOffset + lastOffsetDelta;
    setBaseOffset(batch.bytes, 0, batch.baseOffset);
    epochs.assign(item.leaderEpoch, batch.baseOffset);
  } else {
    const refused = checkFollowerPosition(item.batches, logEndOffset, epochs.latestEpoch());
    if (refused) return refused;
    for (const batch of item.batches) epochs.assign(batch.partitionLeaderEpoch, batch.baseOffset);
  }
  const first = item.batches[0]!;
  const last = item.batches[item.batches.length - 1]!;
  let maxTimestampMs = -Infinity;
  let sizeBytes = 0;
  for (const batch of item.batches) {
    if (batch.maxTimestampMs > maxTimestampMs) maxTimestampMs = batch.maxTimestampMs;
    sizeBytes += batch.bytes.length;
  }
  return { baseOffset: first.baseOffset, lastOffset: last.lastOffset, logAppendTimeMs: item.logAppendTimeMs, maxTimestampMs, sizeBytes };
}
