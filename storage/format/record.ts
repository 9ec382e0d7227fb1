/**
 * One Record inside a RecordBatch v2: sizing, writing and reading (storage/FORMAT.md §3).
 *
 * Record => length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint
 *           keyLength:varint key valueLength:varint value headersCount:varint [Header]
 * Header => headerKeyLength:varint headerKey(UTF-8) headerValueLength:varint headerValue
 * A length of −1 means null (key, value, header value); header keys are never null.
 *
 * Encoding is two passes (size, then write into one exact buffer) so a 1,000-record batch costs
 * one allocation. Decoded keys/values/header values are zero-copy views into the batch buffer
 * (or its decompressed copy): copy them if you keep them longer than the batch.
 *
 * Concurrency: pure functions over caller-owned buffers.
 */
import { CorruptRecordError } from '../errors';
import { Cursor, readVarint, readVarlong, varintSizeBytes, varlongSizeBytes, writeVarintUnchecked, writeVarlong } from './varint';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface LogRecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  timestampMs: number;
  /** Offset relative to the batch's baseOffset; defaults to the record's index. Only compaction
   *  sets it, to keep original offsets with gaps. Must be strictly increasing within a batch. */
  offsetDelta?: number;
}

export interface BatchRecord {
  offset: number;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Smallest possible record: seven one-byte fields (length … headersCount). */
export const MIN_RECORD_SIZE_BYTES = 7;

function nullableBytesSize(bytes: Uint8Array | null): number {
  if (bytes === null) return 1;
  const length = bytes.length;
  return (length < 0x40 ? 1 : varintSizeBytes(length)) + length;
}

function assertNullableBytes(bytes: unknown, field: string): void {
  if (bytes !== null && !(bytes instanceof Uint8Array)) throw new TypeError(`${field} must be a Buffer or null`);
}

/**
 * UTF-8 length of a header key. Keys are short and almost always ASCII: counting them here skips
 * a call into C++ (Buffer.byteLength) per header. Equal to `text.length` exactly when all ASCII.
 */
export function utf8LengthOf(text: string): number {
  const length = text.length;
  if (length > 64) return Buffer.byteLength(text, 'utf8');
  for (let index = 0; index < length; index++) if (text.charCodeAt(index) > 0x7f) return Buffer.byteLength(text, 'utf8');
  return length;
}

/** Size of the record body (everything after its length varint). Validates the record's shape. */
export function recordBodySizeBytes(record: LogRecordInput, timestampDelta: number, offsetDelta: number): number {
  const { key, value, headers } = record;
  if ((key !== null && !(key instanceof Uint8Array)) || (value !== null && !(value instanceof Uint8Array)) || !Array.isArray(headers)) {
    assertNullableBytes(key, 'record key');
    assertNullableBytes(value, 'record value');
    throw new TypeError('record headers must be an array');
  }
  let size =
    1 +
    (timestampDelta >= 0 && timestampDelta < 0x40 ? 1 : varlongSizeBytes(timestampDelta)) +
    (offsetDelta < 0x40 ? 1 : varintSizeBytes(offsetDelta));
  size += nullableBytesSize(key) + nullableBytesSize(value);
  if (headers.length === 0) return size + 1;
  return size + headersSizeBytes(headers);
}

function headersSizeBytes(headers: RecordHeader[]): number {
  let size = varintSizeBytes(headers.length);
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index]!;
    if (typeof header.key !== 'string') throw new TypeError('record header key must be a string');
    assertNullableBytes(header.value, `record header ${header.key} value`);
    const keyBytes = utf8LengthOf(header.key);
    size += varintSizeBytes(keyBytes) + keyBytes + nullableBytesSize(header.value);
  }
  return size;
}

/**
 * Copies `bytes` into `buf` at `position`. Below ~48 bytes a plain loop beats TypedArray#set,
 * whose fixed cost (a call into a builtin that checks both arrays) dominates for small keys.
 */
function copyBytes(buf: Buffer, bytes: Uint8Array, position: number): number {
  const length = bytes.length;
  if (length < 48) {
    for (let index = 0; index < length; index++) buf[position + index] = bytes[index]!;
  } else {
    buf.set(bytes, position);
  }
  return position + length;
}

function writeNullableBytes(buf: Buffer, bytes: Uint8Array | null, position: number): number {
  if (bytes === null) {
    buf[position] = 1; // zigzag(-1)
    return position + 1;
  }
  const length = bytes.length;
  if (length < 0x40) buf[position++] = length << 1;
  else position = writeVarintUnchecked(buf, length, position);
  return copyBytes(buf, bytes, position);
}

function writeAscii(buf: Buffer, text: string, position: number): number {
  for (let index = 0; index < text.length; index++) buf[position + index] = text.charCodeAt(index);
  return position + text.length;
}

/**
 * Writes length + body at `position`; returns the position after the record. Internal to the
 * encoder: `bodySizeBytes` comes from recordBodySizeBytes and `timestampDelta` is a safe integer
 * (encodeRecordBatch checked both), `buf` has room.
 */
export function writeRecord(
  buf: Buffer,
  position: number,
  record: LogRecordInput,
  bodySizeBytes: number,
  timestampDelta: number,
  offsetDelta: number,
): number {
  position = writeVarintUnchecked(buf, bodySizeBytes, position);
  buf[position++] = 0; // record attributes: unused
  // One-byte varints (|value| < 64) inline: the timestamp and offset deltas of most records.
  if (timestampDelta >= 0 && timestampDelta < 0x40) buf[position++] = timestampDelta << 1;
  else if (timestampDelta >= -0x800_0000 && timestampDelta < 0x800_0000)
    position = writeVarintUnchecked(buf, timestampDelta, position); // an integer: sizeRecords checked
  else position = writeVarlong(buf, timestampDelta, position);
  if (offsetDelta < 0x40) buf[position++] = offsetDelta << 1;
  else position = writeVarintUnchecked(buf, offsetDelta, position);
  position = writeNullableBytes(buf, record.key, position);
  position = writeNullableBytes(buf, record.value, position);
  const headers = record.headers;
  if (headers.length === 0) {
    buf[position++] = 0;
    return position;
  }
  position = writeVarintUnchecked(buf, headers.length, position);
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index]!;
    const keyBytes = utf8LengthOf(header.key);
    position = writeVarintUnchecked(buf, keyBytes, position);
    position =
      keyBytes === header.key.length ? writeAscii(buf, header.key, position) : position + buf.write(header.key, position, keyBytes, 'utf8');
    position = writeNullableBytes(buf, header.value, position);
  }
  return position;
}

function readNullableBytes(buf: Buffer, cursor: Cursor, field: string): Buffer | null {
  const length = readVarint(buf, cursor);
  if (length === -1) return null;
  if (length < -1 || cursor.position + length > cursor.end) {
    throw new CorruptRecordError(`${field} length ${length} at byte ${cursor.position} overruns its record`, { position: cursor.position });
  }
  const bytes = buf.subarray(cursor.position, cursor.position + length);
  cursor.position += length;
  return bytes;
}

/**
 * Reads one record at `region.position`, which must end exactly where its length says.
 * `logAppendTimeMs` (non-null for LogAppendTime batches) replaces every record's timestamp.
 */
export function readRecord(
  buf: Buffer,
  region: Cursor,
  baseOffset: number,
  baseTimestampMs: number,
  logAppendTimeMs: number | null,
): BatchRecord {
  const bodySize = readVarint(buf, region);
  const start = region.position;
  if (bodySize < MIN_RECORD_SIZE_BYTES - 1 || start + bodySize > region.end) {
    throw new CorruptRecordError(`record length ${bodySize} at byte ${start} overruns its batch`, { position: start });
  }
  const cursor: Cursor = { position: start + 1, end: start + bodySize }; // skip attributes
  const timestampDelta = readVarlong(buf, cursor);
  const offsetDelta = readVarint(buf, cursor);
  const key = readNullableBytes(buf, cursor, 'key');
  const value = readNullableBytes(buf, cursor, 'value');
  const headerCount = readVarint(buf, cursor);
  if (headerCount < 0 || headerCount > cursor.end - cursor.position) {
    throw new CorruptRecordError(`header count ${headerCount} at byte ${cursor.position} is impossible`, { position: cursor.position });
  }
  const headers: RecordHeader[] = new Array(headerCount);
  for (let index = 0; index < headerCount; index++) {
    const headerKey = readNullableBytes(buf, cursor, 'header key');
    if (headerKey === null) throw new CorruptRecordError(`null header key at byte ${cursor.position}`, { position: cursor.position });
    headers[index] = { key: headerKey.toString('utf8'), value: readNullableBytes(buf, cursor, 'header value') };
  }
  if (cursor.position !== cursor.end) {
    throw new CorruptRecordError(`record at byte ${start} has ${cursor.end - cursor.position} bytes past its last header`, {
      position: start,
    });
  }
  region.position = cursor.end;
  const timestampMs = logAppendTimeMs ?? baseTimestampMs + timestampDelta;
  return { offset: baseOffset + offsetDelta, timestampMs, key, value, headers };
}
