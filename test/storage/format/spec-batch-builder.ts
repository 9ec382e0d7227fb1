/**
 * An independent, deliberately naive assembler of RecordBatch v2 bytes, written from the
 * published layout (storage/FORMAT.md §2–§3) without using storage/format: BigInt for every
 * integer, bit-by-bit CRC-32C, zigzag by formula. Tests hold the codec byte-equal to it, and the
 * fixtures under test/fixtures/segments/ are written by it, so a bug shared by the codec and its
 * fixtures would have to be made twice in two different ways.
 */

export interface SpecHeader {
  key: string;
  value: Buffer | null;
}

export interface SpecRecord {
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: SpecHeader[];
}

export interface SpecBatch {
  baseOffset: number;
  partitionLeaderEpoch: number;
  /** Raw attributes int16: bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control, 6 delete horizon. */
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  records: SpecRecord[];
  /** Applied to the concatenated records when the codec bits say so. */
  compressRecords?: (plain: Buffer) => Buffer;
}

/** CRC-32C one bit at a time: polynomial 0x82F63B78 (reflected), init/xor-out 0xFFFFFFFF. */
export function bitwiseCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function bigEndian(value: number, sizeBytes: number): number[] {
  let unsigned = BigInt.asUintN(sizeBytes * 8, BigInt(value));
  const out: number[] = [];
  for (let index = 0; index < sizeBytes; index++) {
    out.unshift(Number(unsigned & 0xffn));
    unsigned >>= 8n;
  }
  return out;
}

/** Zigzag (n << 1) ^ (n >> 63) then LEB128, all in BigInt. */
export function specVarint(value: number): number[] {
  const n = BigInt(value);
  let zigzag = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
  const out: number[] = [];
  do {
    let group = Number(zigzag & 0x7fn);
    zigzag >>= 7n;
    if (zigzag > 0n) group |= 0x80;
    out.push(group);
  } while (zigzag > 0n);
  return out;
}

function nullableBytes(bytes: Buffer | null): number[] {
  return bytes === null ? specVarint(-1) : [...specVarint(bytes.length), ...bytes];
}

export function specRecord(record: SpecRecord): number[] {
  const body: number[] = [0, ...specVarint(record.timestampDelta), ...specVarint(record.offsetDelta)];
  body.push(...nullableBytes(record.key), ...nullableBytes(record.value), ...specVarint(record.headers.length));
  for (const header of record.headers) body.push(...nullableBytes(Buffer.from(header.key, 'utf8')), ...nullableBytes(header.value));
  return [...specVarint(body.length), ...body];
}

export function specBatch(batch: SpecBatch): Buffer {
  let records: Buffer = Buffer.from(batch.records.flatMap(specRecord));
  if (batch.compressRecords) records = batch.compressRecords(records);
  const covered = Buffer.from([
    ...bigEndian(batch.attributes, 2),
    ...bigEndian(batch.lastOffsetDelta, 4),
    ...bigEndian(batch.baseTimestamp, 8),
    ...bigEndian(batch.maxTimestamp, 8),
    ...bigEndian(batch.producerId, 8),
    ...bigEndian(batch.producerEpoch, 2),
    ...bigEndian(batch.baseSequence, 4),
    ...bigEndian(batch.records.length, 4),
    ...records,
  ]);
  const afterLength = [...bigEndian(batch.partitionLeaderEpoch, 4), 2, ...bigEndian(bitwiseCrc32c(covered), 4), ...covered];
  return Buffer.from([...bigEndian(batch.baseOffset, 8), ...bigEndian(afterLength.length, 4), ...afterLength]);
}

const ascending = Buffer.from(Array.from({ length: 32 }, (_, index) => index));

/** Published CRC-32C values: the catalogue check value and RFC 3720 §B.4 (iSCSI) test vectors. */
export const PUBLISHED_CRC32C_VECTORS: [string, Buffer, number][] = [
  ['"123456789" (check value)', Buffer.from('123456789'), 0xe3069283],
  ['the empty input', Buffer.alloc(0), 0],
  ['32 bytes of zeros', Buffer.alloc(32, 0x00), 0x8a9136aa],
  ['32 bytes of 0xff', Buffer.alloc(32, 0xff), 0x62a8ab43],
  ['32 ascending bytes', ascending, 0x46dd794e],
  ['32 descending bytes', Buffer.from(ascending).reverse(), 0x113fdb5c],
];
