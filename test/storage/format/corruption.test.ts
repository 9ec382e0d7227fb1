import {
  batchSizeAt,
  CorruptRecordError,
  decodeRecordBatch,
  encodeRecordBatch,
  isBatchCrcValid,
  readBatchHeader,
  UnsupportedCompressionTypeError,
} from '../../../storage';
import { bitwiseCrc32c, specBatch, SpecBatch } from './spec-batch-builder';

const T0 = 1_700_000_000_000;
const sample = (): Buffer =>
  encodeRecordBatch(
    [
      { key: Buffer.from('key-1'), value: Buffer.from('value-1'), headers: [{ key: 'h', value: Buffer.from('v') }], timestampMs: T0 },
      { key: null, value: null, headers: [], timestampMs: T0 - 1 },
    ],
    { baseOffset: 1000, partitionLeaderEpoch: 3, producerId: 5, producerEpoch: 1, baseSequence: 0 },
  );

/** Rewrites the CRC so a deliberately malformed body passes it: tests what the CRC cannot catch. */
function withValidCrc(buf: Buffer): Buffer {
  buf.writeUInt32BE(bitwiseCrc32c(buf.subarray(21)), 17);
  return buf;
}

const specSample = (overrides: Partial<SpecBatch> = {}): SpecBatch => ({
  baseOffset: 0,
  partitionLeaderEpoch: 0,
  attributes: 0,
  lastOffsetDelta: 0,
  baseTimestamp: T0,
  maxTimestamp: T0,
  producerId: -1,
  producerEpoch: -1,
  baseSequence: -1,
  records: [{ timestampDelta: 0, offsetDelta: 0, key: Buffer.from('k'), value: Buffer.from('v'), headers: [] }],
  ...overrides,
});

describe('storage/format > corruption and truncation', () => {
  test('one flipped bit anywhere in the CRC-covered range (and in the CRC itself) fails the batch', () => {
    const original = sample();
    let checked = 0;
    for (let position = 17; position < original.length; position++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = Buffer.from(original);
        damaged[position] ^= 1 << bit;
        if (isBatchCrcValid(damaged)) throw new Error(`flip of bit ${bit} at byte ${position} went undetected`);
        expect(() => decodeRecordBatch(damaged)).toThrow(CorruptRecordError);
        checked++;
      }
    }
    expect(checked).toBe((original.length - 17) * 8);
  });

  test('baseOffset and partitionLeaderEpoch are outside the CRC by design (stamped in place)', () => {
    const damaged = sample();
    damaged[7] ^= 1;
    damaged[15] ^= 1;
    expect(isBatchCrcValid(damaged)).toBe(true);
  });

  test('a damaged magic byte or batchLength is rejected, never misread', () => {
    const badMagic = sample();
    badMagic[16] = 1;
    expect(isBatchCrcValid(badMagic)).toBe(false);
    expect(() => readBatchHeader(badMagic)).toThrow(/not a v2 record batch/);
    const longer = sample();
    longer.writeInt32BE(longer.readInt32BE(8) + 1, 8);
    expect(isBatchCrcValid(longer)).toBe(false);
    expect(() => decodeRecordBatch(longer)).toThrow(/truncated batch/);
    const shorter = sample();
    shorter.writeInt32BE(shorter.readInt32BE(8) - 1, 8);
    expect(() => decodeRecordBatch(shorter)).toThrow(/CRC mismatch/);
  });

  test('every truncated prefix of a batch is corrupt for decode and invalid for the CRC check', () => {
    const whole = sample();
    for (let length = 0; length < whole.length; length++) {
      const prefix = whole.subarray(0, length);
      expect(isBatchCrcValid(prefix)).toBe(false);
      expect(() => decodeRecordBatch(prefix)).toThrow(CorruptRecordError);
    }
  });

  test('header readers need their bytes: RangeError on a short buffer', () => {
    const whole = sample();
    expect(() => batchSizeAt(whole.subarray(0, 11))).toThrow(RangeError);
    expect(batchSizeAt(whole.subarray(0, 12))).toBe(whole.length);
    expect(() => readBatchHeader(whole.subarray(0, 60))).toThrow(RangeError);
    expect(() => readBatchHeader(whole, whole.length - 10)).toThrow(RangeError);
  });

  test('a zero-filled tail is not a batch: batchSizeAt refuses it instead of stepping 12 bytes', () => {
    const zeros = Buffer.alloc(4096);
    expect(() => batchSizeAt(zeros)).toThrow(CorruptRecordError);
    expect(isBatchCrcValid(zeros)).toBe(false);
    const negative = sample();
    negative.writeInt32BE(-12, 8);
    expect(() => batchSizeAt(negative)).toThrow(/below the 49-byte minimum/);
  });

  test('int64 fields outside ±(2^53 − 1) are corrupt data, not rounded numbers', () => {
    for (const [field, position] of [
      ['baseOffset', 0],
      ['baseTimestamp', 27],
      ['maxTimestamp', 35],
      ['producerId', 43],
    ] as const) {
      const buf = sample();
      buf.writeBigInt64BE(2n ** 53n, position);
      withValidCrc(buf);
      expect(() => readBatchHeader(buf)).toThrow(
        expect.objectContaining({ code: 'CORRUPT_MESSAGE', details: expect.objectContaining({ field, value: '9007199254740992' }) }),
      );
      buf.writeBigInt64BE(-(2n ** 63n), position);
      expect(() => decodeRecordBatch(withValidCrc(buf))).toThrow(CorruptRecordError);
      buf.writeBigInt64BE(-(2n ** 53n) + 1n, position);
      expect(() => readBatchHeader(withValidCrc(buf))).not.toThrow();
    }
  });

  describe('malformed records that carry a valid CRC', () => {
    test('a recordCount above the records present', () => {
      const buf = specBatch(specSample());
      buf.writeInt32BE(2, 57);
      expect(() => decodeRecordBatch(withValidCrc(buf))).toThrow(CorruptRecordError);
      buf.writeInt32BE(-1, 57);
      expect(() => decodeRecordBatch(withValidCrc(buf))).toThrow(/record count -1/);
    });

    test('bytes left over after the last record', () => {
      const buf = Buffer.concat([specBatch(specSample()), Buffer.from([0])]);
      buf.writeInt32BE(buf.length - 12, 8);
      expect(() => decodeRecordBatch(withValidCrc(buf))).toThrow(/bytes after its 1 records/);
    });

    test('a record length that overruns the batch, or a key length below −1', () => {
      const overrun = specBatch(specSample());
      overrun[61] = 0x7e; // record length 63 in a 9-byte record
      expect(() => decodeRecordBatch(withValidCrc(overrun))).toThrow(/overruns its batch/);
      const negativeKey = specBatch(specSample());
      negativeKey[65] = 0x03; // key length −2
      expect(() => decodeRecordBatch(withValidCrc(negativeKey))).toThrow(/key length -2/);
    });

    test('a null header key', () => {
      const buf = specBatch(
        specSample({ records: [{ timestampDelta: 0, offsetDelta: 0, key: null, value: null, headers: [{ key: 'h', value: null }] }] }),
      );
      buf[buf.length - 3] = 0x01; // header key length −1 (its key byte is then read as the value length)
      expect(() => decodeRecordBatch(withValidCrc(buf))).toThrow(CorruptRecordError);
    });

    test('invalid compression ids 5–7 are corrupt; snappy/lz4/zstd are readable headers but unsupported records', () => {
      for (const id of [5, 6, 7]) {
        expect(() => readBatchHeader(specBatch(specSample({ attributes: id })))).toThrow(/invalid compression codec id/);
      }
      for (const [id, codec] of [
        [2, 'snappy'],
        [3, 'lz4'],
        [4, 'zstd'],
      ] as const) {
        const buf = specBatch(specSample({ attributes: id }));
        expect(readBatchHeader(buf).compression).toBe(codec);
        expect(isBatchCrcValid(buf)).toBe(true);
        expect(() => decodeRecordBatch(buf)).toThrow(UnsupportedCompressionTypeError);
        expect(() => decodeRecordBatch(buf)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_COMPRESSION_TYPE' }));
      }
    });
  });
});
