/**
 * The batches an append writes: a leader append encodes records into one RecordBatch v2 with
 * baseOffset 0 (the real offset is stamped later under the log lock with setBaseOffset — not
 * CRC-covered, so no re-encode and no CRC work inside the lock); a follower append validates the
 * leader's batches (whole, CRC-valid, offsets increasing) and keeps them byte for byte. Also the
 * public option/result types of PartitionLog.append and read.
 *
 * Pure functions; no I/O; safe to call concurrently.
 */
import { CorruptRecordError, InvalidRecordError, RecordTooLargeError } from '../errors';
import type { BatchBufferPool } from '../format/batch-buffer-pool';
import { encodeRecordBatch, isBatchCrcValid } from '../format/record-batch';
import type { Compression, LogRecordInput } from '../format/record-batch';
import { BATCH_HEADER_SIZE_BYTES, LAST_OFFSET_DELTA_POSITION, LOG_OVERHEAD_BYTES, MAX_TIMESTAMP_POSITION } from '../format/record-batch-header';
import { checkBatchHeader, readInt64 } from '../segment/batch-scanner';
import type { BatchToAppend } from '../segment/log-segment';
import type { QueuedEntry } from './group-commit-queue';
import type { ProducerBatchMetadata } from './producer-state-manager';
import { hasCompact, LogConfig } from './log-config';

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

/** One append waiting in the log's group-commit queue. */
export interface PendingAppend {
  batches: BatchToAppend[];
  /** Leader appends get offsets here; follower batches carry theirs. */
  assignOffsets: boolean;
  leaderEpoch: number;
  messageCount: number;
  logAppendTimeMs: number;
}
export type QueuedAppend = QueuedEntry<PendingAppend, AppendResult>;

/** The answer to a retried idempotent batch: the cached original's offsets (logAppendTimeMs −1 unless the topic uses LogAppendTime). */
export function duplicateAppendResult(original: ProducerBatchMetadata, logAppendTimeMs: number): AppendResult {
  const { firstOffset, lastOffset, maxTimestampMs } = original;
  return { baseOffset: firstOffset, lastOffset, logAppendTimeMs: logAppendTimeMs < 0 ? -1 : maxTimestampMs, maxTimestampMs, sizeBytes: 0, duplicate: true };
}

export interface ReadOptions {
  /** Default 1 MiB (Kafka's max.partition.fetch.bytes). */
  maxBytes?: number;
  /** Exclusive; default the high watermark. */
  maxOffset?: number;
  /** Default true: return the first batch even when it is bigger than maxBytes. */
  minOneBatch?: boolean;
}

export interface EncodedAppend {
  /** baseOffset 0 and lastOffset = lastOffsetDelta until the log assigns offsets. */
  batch: BatchToAppend;
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
): EncodedAppend {
  if (records.length === 0) throw new InvalidRecordError('an append needs at least one record');
  if (hasCompact(config) && !options.isControl && records.some((r) => r.key === null)) {
    throw new InvalidRecordError('compacted topics require a key on every record', { topic });
  }
  const logAppendTime = config.messageTimestampType === 'LogAppendTime';
  const bytes = encodeRecordBatch(records, {
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
  }, pool?.allocate);
  if (bytes.length > config.maxMessageBytes) {
    pool?.release(bytes);
    throw new RecordTooLargeError(bytes.length, config.maxMessageBytes);
  }
  return {
    batch: { bytes, baseOffset: 0, lastOffset: bytes.readInt32BE(LAST_OFFSET_DELTA_POSITION), maxTimestampMs: readInt64(bytes, MAX_TIMESTAMP_POSITION) },
    messageCount: records.length,
    logAppendTimeMs: logAppendTime ? nowMs : -1,
  };
}

/** Splits a follower's buffer into whole, CRC-valid batches with increasing offsets. */
export function parseFollowerBatches(buffer: Buffer): { batches: BatchToAppend[]; messageCount: number } {
  const batches: BatchToAppend[] = [];
  let messageCount = 0;
  for (let position = 0; position < buffer.length; ) {
    const remaining = buffer.length - position;
    const problem = remaining < BATCH_HEADER_SIZE_BYTES ? 'truncated batch' : checkBatchHeader(buffer, position, remaining);
    if (problem || !isBatchCrcValid(buffer, position)) {
      throw new CorruptRecordError(`invalid batch at byte ${position} of a follower append: ${problem ?? 'CRC mismatch'}`, { position });
    }
    const bytes = buffer.subarray(position, position + LOG_OVERHEAD_BYTES + buffer.readInt32BE(position + 8));
    const baseOffset = readInt64(bytes, 0);
    const lastOffsetDelta = bytes.readInt32BE(LAST_OFFSET_DELTA_POSITION);
    const previous = batches[batches.length - 1];
    if (previous && baseOffset <= previous.lastOffset) throw new InvalidRecordError(`follower batch offsets go backwards at ${baseOffset}`, { baseOffset });
    batches.push({ bytes, baseOffset, lastOffset: baseOffset + lastOffsetDelta, maxTimestampMs: readInt64(bytes, MAX_TIMESTAMP_POSITION) });
    messageCount += lastOffsetDelta + 1;
    position += bytes.length;
  }
  return { batches, messageCount };
}
