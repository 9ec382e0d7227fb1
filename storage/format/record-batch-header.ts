/**
 * The fixed 61-byte header of a RecordBatch v2: read it, size it, check its CRC, patch it in place
 * (storage/FORMAT.md §2 has the byte map; the field positions below are that map).
 *
 * These functions never decode records, so the log engine can walk and validate a segment
 * (recovery: size → CRC → next) and stamp offsets/epochs without allocating per record.
 * baseOffset, batchLength, partitionLeaderEpoch and magic sit before the CRC-covered range
 * [21, end), which is why `setBaseOffset`/`setPartitionLeaderEpoch` need no CRC work;
 * `setMaxTimestamp` touches covered bytes and rewrites the CRC.
 *
 * Errors: a buffer shorter than the bytes a function must read → RangeError (the caller sliced
 * wrongly or hit a torn tail it should check with `batchSizeAt` first); bytes that cannot be a v2
 * batch (magic ≠ 2, batchLength < 49, compression id 5–7, int64 beyond 2^53) → CorruptRecordError.
 *
 * Concurrency: pure functions; the setters mutate the caller's buffer and nothing else.
 */
import { CorruptRecordError } from '../errors';
import { CompressionCodec, compressionFromAttributes } from './compression';
import { crc32c } from './crc32c';
import { readSafeInt64, writeSafeInt64 } from './int64';

export type TimestampType = 'CREATE_TIME' | 'LOG_APPEND_TIME';

export interface RecordBatchHeader {
  baseOffset: number;
  /** Bytes after the batchLength field; the batch occupies LOG_OVERHEAD_BYTES + this. */
  batchLengthBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** Stored CRC-32C as an unsigned 32-bit number. */
  crc: number;
  attributes: number;
  compression: CompressionCodec;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  lastOffsetDelta: number;
  baseTimestampMs: number;
  maxTimestampMs: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  /** Compaction's delete horizon (attributes bit 6, KIP-534): baseTimestampMs when set, else null. */
  deleteHorizonMs: number | null;
}

export const LOG_OVERHEAD_BYTES = 12;
export const BATCH_HEADER_SIZE_BYTES = 61;
export const RECORD_BATCH_MAGIC = 2;
/** batchLength of an empty batch: 61 − 12. Anything smaller is not a batch. */
export const MIN_BATCH_LENGTH_BYTES = BATCH_HEADER_SIZE_BYTES - LOG_OVERHEAD_BYTES;

export const BASE_OFFSET_POSITION = 0;
export const BATCH_LENGTH_POSITION = 8;
export const PARTITION_LEADER_EPOCH_POSITION = 12;
export const MAGIC_POSITION = 16;
export const CRC_POSITION = 17;
export const ATTRIBUTES_POSITION = 21;
export const LAST_OFFSET_DELTA_POSITION = 23;
export const BASE_TIMESTAMP_POSITION = 27;
export const MAX_TIMESTAMP_POSITION = 35;
export const PRODUCER_ID_POSITION = 43;
export const PRODUCER_EPOCH_POSITION = 51;
export const BASE_SEQUENCE_POSITION = 53;
export const RECORD_COUNT_POSITION = 57;
export const RECORDS_POSITION = 61;

export const TIMESTAMP_TYPE_ATTRIBUTE = 0x08;
export const TRANSACTIONAL_ATTRIBUTE = 0x10;
export const CONTROL_ATTRIBUTE = 0x20;
export const DELETE_HORIZON_ATTRIBUTE = 0x40;

function requireBytes(buf: Buffer, position: number, bytes: number, what: string): void {
  if (!Number.isInteger(position) || position < 0 || buf.length - position < bytes) {
    throw new RangeError(`${what} needs ${bytes} bytes at position ${position}, buffer has ${buf.length}`);
  }
}

function readBatchLength(buf: Buffer, position: number): number {
  const batchLength = buf.readInt32BE(position + BATCH_LENGTH_POSITION);
  if (batchLength < MIN_BATCH_LENGTH_BYTES) {
    throw new CorruptRecordError(`batchLength ${batchLength} at byte ${position} is below the ${MIN_BATCH_LENGTH_BYTES}-byte minimum`, {
      position,
      batchLength,
    });
  }
  return batchLength;
}

/** Bytes the batch at `position` occupies (12 + batchLength). Needs only its first 12 bytes. */
export function batchSizeAt(buf: Buffer, position = 0): number {
  requireBytes(buf, position, LOG_OVERHEAD_BYTES, 'batchSizeAt');
  return LOG_OVERHEAD_BYTES + readBatchLength(buf, position);
}

/** Parses the 61-byte header at `position`. Checks magic and ranges, not the CRC. */
export function readBatchHeader(buf: Buffer, position = 0): RecordBatchHeader {
  requireBytes(buf, position, BATCH_HEADER_SIZE_BYTES, 'readBatchHeader');
  const magic = buf.readInt8(position + MAGIC_POSITION);
  if (magic !== RECORD_BATCH_MAGIC) {
    throw new CorruptRecordError(`magic ${magic} at byte ${position} is not a v2 record batch`, { position, magic });
  }
  const attributes = buf.readInt16BE(position + ATTRIBUTES_POSITION);
  const baseTimestampMs = readSafeInt64(buf, position + BASE_TIMESTAMP_POSITION, 'baseTimestamp');
  return {
    baseOffset: readSafeInt64(buf, position + BASE_OFFSET_POSITION, 'baseOffset'),
    batchLengthBytes: readBatchLength(buf, position),
    partitionLeaderEpoch: buf.readInt32BE(position + PARTITION_LEADER_EPOCH_POSITION),
    magic,
    crc: buf.readUInt32BE(position + CRC_POSITION),
    attributes,
    compression: compressionFromAttributes(attributes),
    timestampType: attributes & TIMESTAMP_TYPE_ATTRIBUTE ? 'LOG_APPEND_TIME' : 'CREATE_TIME',
    isTransactional: (attributes & TRANSACTIONAL_ATTRIBUTE) !== 0,
    isControl: (attributes & CONTROL_ATTRIBUTE) !== 0,
    lastOffsetDelta: buf.readInt32BE(position + LAST_OFFSET_DELTA_POSITION),
    baseTimestampMs,
    maxTimestampMs: readSafeInt64(buf, position + MAX_TIMESTAMP_POSITION, 'maxTimestamp'),
    producerId: readSafeInt64(buf, position + PRODUCER_ID_POSITION, 'producerId'),
    producerEpoch: buf.readInt16BE(position + PRODUCER_EPOCH_POSITION),
    baseSequence: buf.readInt32BE(position + BASE_SEQUENCE_POSITION),
    recordCount: buf.readInt32BE(position + RECORD_COUNT_POSITION),
    deleteHorizonMs: attributes & DELETE_HORIZON_ATTRIBUTE ? baseTimestampMs : null,
  };
}

/** CRC-32C the batch's bytes [21, end) actually have; `end` is position + batchSizeAt(). */
export function computeBatchCrc(buf: Buffer, position: number, end: number): number {
  return crc32c(buf.subarray(position + ATTRIBUTES_POSITION, end));
}

/**
 * True when a whole v2 batch starts at `position` and its stored CRC matches its bytes.
 * Never throws: short, truncated or non-v2 bytes are simply not a valid batch.
 */
export function isBatchCrcValid(buf: Buffer, position = 0): boolean {
  if (!Number.isInteger(position) || position < 0 || buf.length - position < BATCH_HEADER_SIZE_BYTES) return false;
  if (buf.readInt8(position + MAGIC_POSITION) !== RECORD_BATCH_MAGIC) return false;
  const batchLength = buf.readInt32BE(position + BATCH_LENGTH_POSITION);
  const end = position + LOG_OVERHEAD_BYTES + batchLength;
  if (batchLength < MIN_BATCH_LENGTH_BYTES || end > buf.length) return false;
  return computeBatchCrc(buf, position, end) === buf.readUInt32BE(position + CRC_POSITION);
}

/** Stamps the leader-assigned baseOffset in place (not CRC-covered). */
export function setBaseOffset(buf: Buffer, position: number, baseOffset: number): void {
  requireBytes(buf, position, LOG_OVERHEAD_BYTES, 'setBaseOffset');
  if (!Number.isSafeInteger(baseOffset) || baseOffset < 0) throw new RangeError(`baseOffset must be a safe integer ≥ 0, got ${baseOffset}`);
  writeSafeInt64(buf, baseOffset, position + BASE_OFFSET_POSITION, 'baseOffset');
}

/** Stamps the writing leader's epoch in place (not CRC-covered). */
export function setPartitionLeaderEpoch(buf: Buffer, position: number, leaderEpoch: number): void {
  requireBytes(buf, position, MAGIC_POSITION, 'setPartitionLeaderEpoch');
  if (!Number.isInteger(leaderEpoch) || leaderEpoch < -0x8000_0000 || leaderEpoch > 0x7fff_ffff) {
    throw new RangeError(`partitionLeaderEpoch must be an int32, got ${leaderEpoch}`);
  }
  buf.writeInt32BE(leaderEpoch, position + PARTITION_LEADER_EPOCH_POSITION);
}

/**
 * Sets the timestamp type bit and maxTimestamp, then rewrites the CRC — how a broker stamps
 * LogAppendTime on an already-encoded batch (records keep their stored deltas; readers take
 * maxTimestamp for every record). The whole batch must be in `buf`.
 */
export function setMaxTimestamp(buf: Buffer, position: number, timestampType: TimestampType, maxTimestampMs: number): void {
  const end = position + batchSizeAt(buf, position);
  requireBytes(buf, position, end - position, 'setMaxTimestamp');
  const attributes = buf.readInt16BE(position + ATTRIBUTES_POSITION);
  const typed = timestampType === 'LOG_APPEND_TIME' ? attributes | TIMESTAMP_TYPE_ATTRIBUTE : attributes & ~TIMESTAMP_TYPE_ATTRIBUTE;
  writeSafeInt64(buf, maxTimestampMs, position + MAX_TIMESTAMP_POSITION, 'maxTimestamp');
  buf.writeInt16BE(typed, position + ATTRIBUTES_POSITION);
  buf.writeUInt32BE(computeBatchCrc(buf, position, end), position + CRC_POSITION);
}
