import {
  CorruptRecordError,
  readVarint,
  readVarlong,
  varintSizeBytes,
  varlongSizeBytes,
  writeVarint,
  writeVarintUnchecked,
  writeVarlong,
} from '../../../storage';
import { specVarint } from './spec-batch-builder';
import { seededRandom } from './seeded-random';

const encode = (write: typeof writeVarint, value: number): Buffer => {
  const buf = Buffer.alloc(10);
  return buf.subarray(0, write(buf, value, 0));
};
const decode = (read: typeof readVarint, bytes: Buffer): { value: number; consumed: number } => {
  const cursor = { position: 0, end: bytes.length };
  const value = read(bytes, cursor);
  return { value, consumed: cursor.position };
};

const INT32_CASES = [0, -1, 1, 63, -64, 64, -65, 300, 8191, 8192, 2 ** 27 - 1, -(2 ** 27), 2 ** 27, 2 ** 31 - 1, -(2 ** 31)];
const INT64_CASES = [
  ...INT32_CASES,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 35,
  -(2 ** 35),
  1_700_000_000_000,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
];

describe('storage/format > varint', () => {
  test.each(INT32_CASES)('varint %d is written as the spec oracle writes it and reads back', (value) => {
    const bytes = encode(writeVarint, value);
    expect(bytes).toEqual(Buffer.from(specVarint(value)));
    expect(varintSizeBytes(value)).toBe(bytes.length);
    expect(decode(readVarint, bytes)).toEqual({ value, consumed: bytes.length });
    expect(encode(writeVarintUnchecked, value)).toEqual(bytes);
  });

  test.each(INT64_CASES)('varlong %d is written as the spec oracle writes it and reads back', (value) => {
    const bytes = encode(writeVarlong, value);
    expect(bytes).toEqual(Buffer.from(specVarint(value)));
    expect(varlongSizeBytes(value)).toBe(bytes.length);
    expect(decode(readVarlong, bytes)).toEqual({ value, consumed: bytes.length });
  });

  test('10,000 random varlongs across all magnitudes agree with the oracle', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 10_000; round++) {
      const magnitude = Math.floor(random() * 2 ** Math.floor(random() * 53));
      const value = random() < 0.5 && magnitude > 0 ? -magnitude : magnitude;
      const bytes = encode(writeVarlong, value);
      if (!bytes.equals(Buffer.from(specVarint(value)))) throw new Error(`varlong ${value} encoded as ${bytes.toString('hex')}`);
      expect(decode(readVarlong, bytes).value).toBe(value);
    }
  });

  test('values outside the type are a caller bug (RangeError)', () => {
    expect(() => encode(writeVarint, 2 ** 31)).toThrow(RangeError);
    expect(() => encode(writeVarint, 1.5)).toThrow(RangeError);
    expect(() => encode(writeVarlong, 2 ** 53)).toThrow(RangeError);
    expect(() => encode(writeVarlong, Number.NaN)).toThrow(RangeError);
  });

  test('a varint that runs past its region is corrupt data', () => {
    expect(() => decode(readVarint, Buffer.from([0x80, 0x80]))).toThrow(CorruptRecordError);
    expect(() => decode(readVarlong, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow(CorruptRecordError);
    expect(() => decode(readVarint, Buffer.alloc(0))).toThrow(CorruptRecordError);
  });

  test('an over-long encoding is corrupt data', () => {
    expect(() => decode(readVarint, Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(/longer than its type/);
    expect(() => decode(readVarint, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x1f]))).toThrow(/longer than its type/);
    expect(() => decode(readVarlong, Buffer.from([...Array(10).fill(0x80), 0x01]))).toThrow(/longer than its type/);
  });

  test('a varlong beyond ±(2^53 − 1) is rejected, not rounded', () => {
    const zigzagOf2Pow53 = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]); // 2^54 = zigzag(2^53)
    expect(() => decode(readVarlong, zigzagOf2Pow53)).toThrow(/safe integer range/);
    expect(Buffer.from(specVarint(2 ** 53))).toEqual(zigzagOf2Pow53);
    const twoPow60 = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]); // zigzag 2^63 → 2^62
    expect(() => decode(readVarlong, twoPow60)).toThrow(CorruptRecordError);
  });
});
