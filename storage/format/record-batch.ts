/**
 * Kafka RecordBatch v2 (magic 2): encode and decode, byte-exact with Kafka's DefaultRecordBatch.
 *
 * RecordBatch =>
 *   baseOffset => INT64
 *   batchLength => INT32                (bytes after this field)
 *   partitionLeaderEpoch => INT32
 *   magic => INT8                       (2)
 *   crc => UINT32                       (CRC-32C of attributes .. end of batch)
 *   attributes => INT16                 (bits 0-2 compression, 3 timestampType, 4 isTransactional,
 *                                        5 isControl, 6 hasDeleteHorizonMs)
 *   lastOffsetDelta => INT32
 *   baseTimestamp => INT64
 *   maxTimestamp => INT64
 *   producerId => INT64
 *   producerEpoch => INT16
 *   baseSequence => INT32
 *   records => ARRAY(Record)            (INT32 count, then the records, compressed as one stream)
 *
 * Record =>
 *   length => VARINT
 *   attributes => INT8
 *   timestampDelta => VARLONG
 *   offsetDelta => VARINT
 *   key => VARINT length + BYTES        (length -1 = null)
 *   value => VARINT length + BYTES      (length -1 = null)
 *   headers => VARINT count + [headerKey => VARINT length + UTF-8, headerValue => VARINT length + BYTES]
 *
 * Byte map, CRC coverage and the meaning of every bit: storage/FORMAT.md §2–§4. This file is the
 * codec's public surface (storage/index.ts re-exports it); the header-level helpers live in
 * record-batch-header.ts and the per-record code in record.ts.
 *
 * Concurrency: pure functions. `encodeRecordBatch` returns a fresh buffer; `decodeRecordBatch`
 * returns records whose Buffers are views into `buf` (or into its decompressed copy).
 */
import { CorruptRecordError } from '../errors';
import { Compression, compress, compressionCodecId, decompress, DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression';
import { writeSafeInt64 } from './int64';
import { BatchRecord, LogRecordInput, MIN_RECORD_SIZE_BYTES, readRecord, recordBodySizeBytes, writeRecord } from './record';
import {
  ATTRIBUTES_POSITION,
  BATCH_HEADER_SIZE_BYTES,
  computeBatchCrc,
  CONTROL_ATTRIBUTE,
  CRC_POSITION,
  DELETE_HORIZON_ATTRIBUTE,
  LOG_OVERHEAD_BYTES,
  readBatchHeader,
  RECORD_BATCH_MAGIC,
  RecordBatchHeader,
  RECORDS_POSITION,
  TIMESTAMP_TYPE_ATTRIBUTE,
  TimestampType,
  TRANSACTIONAL_ATTRIBUTE,
} from './record-batch-header';
import { varintSizeBytes } from './varint';

export type { Compression, CompressionCodec } from './compression';
export type { BatchRecord, LogRecordInput, RecordHeader } from './record';
export type { RecordBatchHeader, TimestampType } from './record-batch-header';
export {
  BATCH_HEADER_SIZE_BYTES,
  batchSizeAt,
  isBatchCrcValid,
  LOG_OVERHEAD_BYTES,
  MIN_BATCH_LENGTH_BYTES,
  readBatchHeader,
  RECORD_BATCH_MAGIC,
  setBaseOffset,
  setMaxTimestamp,
  setPartitionLeaderEpoch,
} from './record-batch-header';

export interface EncodeBatchOptions {
  baseOffset: number;
  /** Default −1 (unknown); the leader stamps its epoch at append. */
  partitionLeaderEpoch?: number;
  /** Default 'none'. */
  compression?: Compression;
  /** Default 'CREATE_TIME'. */
  timestampType?: TimestampType;
  /** With LOG_APPEND_TIME: the broker's append time, written as maxTimestamp (default: max record timestamp). */
  logAppendTimeMs?: number;
  /** Default −1 (not idempotent), as are producerEpoch and baseSequence. */
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  /** Compaction only: keep the original lastOffsetDelta (≥ the last record's offsetDelta); required for 0 records. */
  lastOffsetDelta?: number;
  /** Compaction only: the maxTimestamp of a batch with 0 records (default −1). */
  maxTimestampMs?: number;
  /** Compaction only (KIP-534): sets attributes bit 6 and stores the horizon as baseTimestamp. */
  deleteHorizonMs?: number;
}

function int32Option(value: number | undefined, fallback: number, name: string): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < -0x8000_0000 || resolved > 0x7fff_ffff)
    throw new RangeError(`${name} must be an int32, got ${resolved}`);
  return resolved;
}

function int16Option(value: number | undefined, fallback: number, name: string): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < -0x8000 || resolved > 0x7fff)
    throw new RangeError(`${name} must be an int16, got ${resolved}`);
  return resolved;
}

/**
 * Per-record scratch reused across encodes (encoding is synchronous, so one set suffices): three
 * fresh 1,000-element arrays per batch were ~9% of encode time in GC. Float64 holds any safe integer.
 */
let scratchCapacity = 0;
let offsetDeltaScratch = new Float64Array(0);
let bodySizeScratch = new Float64Array(0);
let timestampDeltaScratch = new Float64Array(0);

function reserveScratch(count: number): void {
  if (count <= scratchCapacity) return;
  scratchCapacity = Math.max(count, 1024);
  offsetDeltaScratch = new Float64Array(scratchCapacity);
  bodySizeScratch = new Float64Array(scratchCapacity);
  timestampDeltaScratch = new Float64Array(scratchCapacity);
}

function offsetDeltasOf(records: LogRecordInput[]): Float64Array {
  const deltas = offsetDeltaScratch;
  let previous = -1;
  for (let index = 0; index < records.length; index++) {
    const delta = records[index].offsetDelta ?? index;
    if (!Number.isInteger(delta) || delta <= previous || delta > 0x7fff_ffff) {
      throw new RangeError(`record ${index}: offsetDelta ${delta} must be an int32 above the previous one (${previous})`);
    }
    deltas[index] = previous = delta;
  }
  return deltas;
}

function attributesOf(options: EncodeBatchOptions, compression: Compression): number {
  let attributes = compressionCodecId(compression);
  if (options.timestampType === 'LOG_APPEND_TIME') attributes |= TIMESTAMP_TYPE_ATTRIBUTE;
  else if (options.timestampType !== undefined && options.timestampType !== 'CREATE_TIME')
    throw new RangeError(`unknown timestampType ${String(options.timestampType)}`);
  if (options.isTransactional) attributes |= TRANSACTIONAL_ATTRIBUTE;
  if (options.isControl) attributes |= CONTROL_ATTRIBUTE;
  if (options.deleteHorizonMs !== undefined) attributes |= DELETE_HORIZON_ATTRIBUTE;
  return attributes;
}

/**
 * Where an encoded batch is written: `Buffer.allocUnsafe` by default. A caller that writes the batch
 * and drops it can pass an allocator carving from memory it reuses: a fresh 1 MiB allocation is
 * mmapped by glibc and page-faulted on first touch, which measured 1–4 ms per 1 MiB batch here,
 * 10–40× the cost of copying into memory already touched (bench/README.md).
 * It must return a buffer of at least `sizeBytes`; the batch is its first `sizeBytes`. It is called
 * in the middle of an encode and must not itself call encodeRecordBatch (shared scratch).
 */
export type BatchAllocator = (sizeBytes: number) => Buffer;

/** Reused for the uncompressed records of a compressed batch (consumed synchronously by zlib). */
let compressionScratch = Buffer.alloc(0);
const MAX_COMPRESSION_SCRATCH_BYTES = 4 * 1024 * 1024;

function compressionInput(sizeBytes: number): Buffer {
  if (sizeBytes > MAX_COMPRESSION_SCRATCH_BYTES) return Buffer.allocUnsafe(sizeBytes);
  if (compressionScratch.length < sizeBytes) compressionScratch = Buffer.allocUnsafe(Math.max(sizeBytes, 64 * 1024));
  return compressionScratch.subarray(0, sizeBytes);
}

function allocateBatch(allocate: BatchAllocator, sizeBytes: number): Buffer {
  const buf = allocate(sizeBytes);
  if (buf.length < sizeBytes) throw new RangeError(`allocator returned ${buf.length} bytes for a ${sizeBytes}-byte batch`);
  return buf.length === sizeBytes ? buf : buf.subarray(0, sizeBytes);
}

/** Encodes `records` as one v2 batch. Throws RangeError/TypeError on invalid input (a bug). */
export function encodeRecordBatch(
  records: LogRecordInput[],
  options: EncodeBatchOptions,
  allocate: BatchAllocator = Buffer.allocUnsafe,
): Buffer {
  const compression = options.compression ?? 'none';
  const attributes = attributesOf(options, compression);
  reserveScratch(records.length);
  const offsetDeltas = offsetDeltasOf(records);
  const lastRecordDelta = records.length > 0 ? offsetDeltas[records.length - 1] : -1;
  if (records.length === 0 && options.lastOffsetDelta === undefined)
    throw new RangeError('a batch with no records needs options.lastOffsetDelta');
  const lastOffsetDelta = int32Option(options.lastOffsetDelta, lastRecordDelta, 'lastOffsetDelta');
  if (lastOffsetDelta < lastRecordDelta)
    throw new RangeError(`lastOffsetDelta ${lastOffsetDelta} is below the last record's ${lastRecordDelta}`);

  let maxTimestampMs = records.length > 0 ? -Infinity : (options.maxTimestampMs ?? -1);
  for (let index = 0; index < records.length; index++) {
    const timestampMs = records[index]!.timestampMs;
    if (!Number.isSafeInteger(timestampMs)) throw new RangeError(`record timestampMs must be a safe integer, got ${timestampMs}`);
    if (timestampMs > maxTimestampMs) maxTimestampMs = timestampMs;
  }
  if (options.timestampType === 'LOG_APPEND_TIME' && options.logAppendTimeMs !== undefined) maxTimestampMs = options.logAppendTimeMs;
  const baseTimestampMs = options.deleteHorizonMs ?? (records.length > 0 ? records[0]!.timestampMs : maxTimestampMs);
  const recordsBytes = sizeRecords(records, baseTimestampMs, offsetDeltas);

  // Also what makes writeVarintUnchecked safe for every length inside: all are below the total.
  if (RECORDS_POSITION + recordsBytes > 0x7fff_ffff)
    throw new RangeError(`a batch of ${RECORDS_POSITION + recordsBytes} bytes exceeds the int32 batchLength`);
  let batch: Buffer;
  if (compression === 'none') {
    batch = allocateBatch(allocate, RECORDS_POSITION + recordsBytes);
    writeRecords(batch, RECORDS_POSITION, records, bodySizeScratch, timestampDeltaScratch, offsetDeltas);
  } else {
    const plain = compressionInput(recordsBytes);
    writeRecords(plain, 0, records, bodySizeScratch, timestampDeltaScratch, offsetDeltas);
    const packed = compress(compression, plain);
    batch = allocateBatch(allocate, RECORDS_POSITION + packed.length);
    packed.copy(batch, RECORDS_POSITION);
  }

  if (!(options.baseOffset >= 0)) throw new RangeError(`baseOffset must be ≥ 0, got ${options.baseOffset}`);
  writeSafeInt64(batch, options.baseOffset, 0, 'baseOffset');
  batch.writeInt32BE(batch.length - LOG_OVERHEAD_BYTES, 8);
  batch.writeInt32BE(int32Option(options.partitionLeaderEpoch, -1, 'partitionLeaderEpoch'), 12);
  batch.writeInt8(RECORD_BATCH_MAGIC, 16);
  batch.writeInt16BE(attributes, ATTRIBUTES_POSITION);
  batch.writeInt32BE(lastOffsetDelta, 23);
  writeSafeInt64(batch, baseTimestampMs, 27, 'baseTimestamp');
  writeSafeInt64(batch, maxTimestampMs, 35, 'maxTimestamp');
  writeSafeInt64(batch, options.producerId ?? -1, 43, 'producerId');
  batch.writeInt16BE(int16Option(options.producerEpoch, -1, 'producerEpoch'), 51);
  batch.writeInt32BE(int32Option(options.baseSequence, -1, 'baseSequence'), 53);
  batch.writeInt32BE(records.length, 57);
  batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), CRC_POSITION);
  return batch;
}

/** Fills the size and timestamp-delta scratch for every record; returns the records' total bytes. */
function sizeRecords(records: LogRecordInput[], baseTimestampMs: number, offsetDeltas: Float64Array): number {
  const bodySizes = bodySizeScratch;
  const timestampDeltas = timestampDeltaScratch;
  let recordsBytes = 0;
  for (let index = 0; index < records.length; index++) {
    const timestampDelta = records[index]!.timestampMs - baseTimestampMs;
    if (!Number.isSafeInteger(timestampDelta))
      throw new RangeError(`record ${index}: timestamp delta ${timestampDelta} is not a safe integer`);
    timestampDeltas[index] = timestampDelta;
    const bodySize = recordBodySizeBytes(records[index]!, timestampDelta, offsetDeltas[index]!);
    bodySizes[index] = bodySize;
    recordsBytes += (bodySize < 0x40 ? 1 : varintSizeBytes(bodySize)) + bodySize;
  }
  return recordsBytes;
}

function writeRecords(
  buf: Buffer,
  position: number,
  records: LogRecordInput[],
  bodySizes: Float64Array,
  timestampDeltas: Float64Array,
  offsetDeltas: Float64Array,
): void {
  for (let index = 0; index < records.length; index++) {
    position = writeRecord(buf, position, records[index], bodySizes[index], timestampDeltas[index], offsetDeltas[index]);
  }
}

export interface DecodeBatchOptions {
  /** Bound on the inflated records of a compressed batch; default 64 MiB → RecordTooLargeError. */
  maxDecompressedBytes?: number;
  /**
   * The caller has already verified this batch's CRC (PartitionLog.read never returns a batch
   * that fails it), so the decode skips the second pass over the bytes. Default false.
   */
  crcVerified?: boolean;
}

/**
 * Decodes the whole batch at `position`: checks it is all there and its CRC first
 * (CorruptRecordError naming the position otherwise), then every record's framing.
 */
export function decodeRecordBatch(
  buf: Buffer,
  position = 0,
  options: DecodeBatchOptions = {},
): { header: RecordBatchHeader; records: BatchRecord[] } {
  if (!Number.isInteger(position) || position < 0) throw new RangeError(`position must be an integer ≥ 0, got ${position}`);
  if (buf.length - position < BATCH_HEADER_SIZE_BYTES) {
    throw new CorruptRecordError(
      `truncated batch at byte ${position}: ${buf.length - position} bytes, the header alone needs ${BATCH_HEADER_SIZE_BYTES}`,
      { position },
    );
  }
  const header = readBatchHeader(buf, position);
  const end = position + LOG_OVERHEAD_BYTES + header.batchLengthBytes;
  if (end > buf.length) {
    throw new CorruptRecordError(`truncated batch at byte ${position}: needs ${end - position} bytes, has ${buf.length - position}`, {
      position,
    });
  }
  const actualCrc = options.crcVerified ? header.crc : computeBatchCrc(buf, position, end);
  if (actualCrc !== header.crc) {
    throw new CorruptRecordError(`CRC mismatch in batch at byte ${position}: stored ${hex(header.crc)}, computed ${hex(actualCrc)}`, {
      position,
      baseOffset: header.baseOffset,
      storedCrc: header.crc,
      computedCrc: actualCrc,
    });
  }
  const packed = buf.subarray(position + RECORDS_POSITION, end);
  const plain = decompress(header.compression, packed, options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES);
  if (header.recordCount < 0 || header.recordCount * MIN_RECORD_SIZE_BYTES > plain.length) {
    throw new CorruptRecordError(`record count ${header.recordCount} cannot fit in ${plain.length} bytes (batch at byte ${position})`, {
      position,
    });
  }
  const logAppendTimeMs = header.timestampType === 'LOG_APPEND_TIME' ? header.maxTimestampMs : null;
  const region = { position: 0, end: plain.length };
  const records = new Array<BatchRecord>(header.recordCount);
  for (let index = 0; index < header.recordCount; index++) {
    records[index] = readRecord(plain, region, header.baseOffset, header.baseTimestampMs, logAppendTimeMs);
  }
  if (region.position !== region.end) {
    throw new CorruptRecordError(
      `batch at byte ${position} has ${region.end - region.position} bytes after its ${header.recordCount} records`,
      { position },
    );
  }
  return { header, records };
}

function hex(crc: number): string {
  return `0x${crc.toString(16).padStart(8, '0')}`;
}
