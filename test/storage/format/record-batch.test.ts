import {
  BATCH_HEADER_SIZE_BYTES,
  batchSizeAt,
  decodeRecordBatch,
  encodeRecordBatch,
  isBatchCrcValid,
  LOG_OVERHEAD_BYTES,
  LogRecordInput,
  readBatchHeader,
  setBaseOffset,
  setMaxTimestamp,
  setPartitionLeaderEpoch,
} from '../../../storage';
import { specBatch } from './spec-batch-builder';
import { randomBytes, seededRandom } from './seeded-random';

const T0 = 1_700_000_000_000;
const record = (value: string, timestampMs = T0): LogRecordInput => ({
  key: Buffer.from(`k-${value}`),
  value: Buffer.from(value),
  headers: [],
  timestampMs,
});

function randomRecords(seed: number, count: number): LogRecordInput[] {
  const random = seededRandom(seed);
  const maybeBytes = (max: number): Buffer | null => (random() < 0.15 ? null : randomBytes(random, Math.floor(random() * max)));
  return Array.from({ length: count }, () => ({
    key: maybeBytes(40),
    value: maybeBytes(400),
    timestampMs: T0 + Math.floor((random() - 0.5) * 10_000_000),
    headers: Array.from({ length: Math.floor(random() * 3) }, (_, index) => ({
      key: `h${index}-${Math.floor(random() * 1000)}`,
      value: maybeBytes(20),
    })),
  }));
}

describe('storage/format > record batch', () => {
  test('the size constants match the layout', () => {
    expect(LOG_OVERHEAD_BYTES).toBe(12);
    expect(BATCH_HEADER_SIZE_BYTES).toBe(61);
  });

  test('random batches round trip and equal the spec oracle byte for byte', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const records = randomRecords(seed, 1 + (seed % 7) * 10);
      const encoded = encodeRecordBatch(records, { baseOffset: seed * 1000, partitionLeaderEpoch: seed });
      const base = records[0].timestampMs;
      const oracle = specBatch({
        baseOffset: seed * 1000,
        partitionLeaderEpoch: seed,
        attributes: 0,
        lastOffsetDelta: records.length - 1,
        baseTimestamp: base,
        maxTimestamp: Math.max(...records.map((entry) => entry.timestampMs)),
        producerId: -1,
        producerEpoch: -1,
        baseSequence: -1,
        records: records.map((entry, index) => ({ ...entry, timestampDelta: entry.timestampMs - base, offsetDelta: index })),
      });
      expect(encoded.equals(oracle)).toBe(true);
      const decoded = decodeRecordBatch(encoded);
      expect(decoded.records).toEqual(
        records.map((entry, index) => ({
          offset: seed * 1000 + index,
          timestampMs: entry.timestampMs,
          key: entry.key,
          value: entry.value,
          headers: entry.headers,
        })),
      );
    }
  });

  test("the encoder's fast paths agree with the spec oracle at every boundary they switch at", () => {
    // Lengths around the one-byte varint limit (64) and the small-copy loop (48); timestamp deltas
    // around one byte, the int32 fast bound (2^27) and beyond it (varlong); offset gaps ≥ 64 (as
    // compaction writes); header keys ASCII, non-ASCII and longer than 64 characters.
    const lengths = [0, 1, 47, 48, 63, 64, 127, 128, 16_383, 16_384];
    const deltas = [0, 1, 63, 64, -1, -64, -65, 2 ** 27 - 1, 2 ** 27, -(2 ** 27), -(2 ** 27) - 1, 2 ** 40];
    const headerKeys = ['h', 'é', 'ключ', '🦀', 'k'.repeat(65), 'ü'.repeat(70)];
    const base = 1_700_000_000_000;
    const records = deltas.map((delta, index) => ({
      key: index % 3 === 0 ? null : Buffer.alloc(lengths[index % lengths.length]!, 0x30 + index),
      value: Buffer.alloc(lengths[(index + 3) % lengths.length]!, 0x61 + index),
      headers:
        index % 2 === 0
          ? []
          : [
              {
                key: headerKeys[index % headerKeys.length]!,
                value: index % 4 === 1 ? null : Buffer.alloc(lengths[index % lengths.length]!, 7),
              },
            ],
      timestampMs: base + delta,
      offsetDelta: index * 70,
    }));
    records[0]!.timestampMs = base; // the first record sets baseTimestamp
    const encoded = encodeRecordBatch(records, { baseOffset: 100 });
    const oracle = specBatch({
      baseOffset: 100,
      partitionLeaderEpoch: -1,
      attributes: 0,
      lastOffsetDelta: records[records.length - 1]!.offsetDelta,
      baseTimestamp: base,
      maxTimestamp: Math.max(...records.map((entry) => entry.timestampMs)),
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      records: records.map((entry) => ({ ...entry, timestampDelta: entry.timestampMs - base })),
    });
    expect(encoded.toString('hex')).toBe(oracle.toString('hex'));
    const decoded = decodeRecordBatch(encoded).records;
    expect(decoded.map((entry) => entry.headers.map((header) => header.key))).toEqual(
      records.map((entry) => entry.headers.map((header) => header.key)),
    );
    expect(decoded.map((entry) => entry.offset)).toEqual(records.map((entry) => 100 + entry.offsetDelta));
  });

  test('a batch of 1,000 records decodes back to 1,000 records with consecutive offsets', () => {
    const records = Array.from({ length: 1000 }, (_, index) => record(`value-${index}`, T0 + index));
    const decoded = decodeRecordBatch(encodeRecordBatch(records, { baseOffset: 5_000_000 }));
    expect(decoded.header).toMatchObject({ recordCount: 1000, lastOffsetDelta: 999, maxTimestampMs: T0 + 999 });
    expect(decoded.records.map((entry) => entry.offset)).toEqual(records.map((_, index) => 5_000_000 + index));
    expect(decoded.records[999].value?.toString()).toBe('value-999');
  });

  test('defaults: leader epoch, producer id, epoch and sequence are −1; CreateTime; no compression', () => {
    const header = readBatchHeader(encodeRecordBatch([record('a')], { baseOffset: 0 }));
    expect(header).toMatchObject({
      partitionLeaderEpoch: -1,
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      timestampType: 'CREATE_TIME',
      compression: 'none',
      attributes: 0,
      isTransactional: false,
      isControl: false,
    });
  });

  test('an idempotent batch carries its producer id, epoch and base sequence', () => {
    const header = readBatchHeader(
      encodeRecordBatch([record('a'), record('b')], {
        baseOffset: 9,
        producerId: 2 ** 40,
        producerEpoch: 32767,
        baseSequence: 2 ** 31 - 1,
      }),
    );
    expect(header).toMatchObject({ producerId: 2 ** 40, producerEpoch: 32767, baseSequence: 2 ** 31 - 1 });
  });

  test('the largest safe baseOffset round trips exactly', () => {
    const decoded = decodeRecordBatch(encodeRecordBatch([record('a')], { baseOffset: Number.MAX_SAFE_INTEGER }));
    expect(decoded.header.baseOffset).toBe(Number.MAX_SAFE_INTEGER);
    expect(decoded.records[0].offset).toBe(Number.MAX_SAFE_INTEGER);
  });

  test('batchSizeAt walks back-to-back batches in one buffer', () => {
    const batches = [1, 2, 3].map((count, index) =>
      encodeRecordBatch(
        Array.from({ length: count }, (_, i) => record(`${index}-${i}`)),
        { baseOffset: index * 10 },
      ),
    );
    const joined = Buffer.concat(batches);
    let position = 0;
    const baseOffsets: number[] = [];
    while (position < joined.length) {
      baseOffsets.push(readBatchHeader(joined, position).baseOffset);
      expect(isBatchCrcValid(joined, position)).toBe(true);
      position += batchSizeAt(joined, position);
    }
    expect(position).toBe(joined.length);
    expect(baseOffsets).toEqual([0, 10, 20]);
  });

  test('stamping baseOffset and leader epoch in place keeps the CRC valid (they are outside its range)', () => {
    const buf = Buffer.concat([Buffer.alloc(5), encodeRecordBatch([record('a'), record('b')], { baseOffset: 0 })]);
    setBaseOffset(buf, 5, 123_456_789_012);
    setPartitionLeaderEpoch(buf, 5, 17);
    expect(isBatchCrcValid(buf, 5)).toBe(true);
    const decoded = decodeRecordBatch(buf, 5);
    expect(decoded.header).toMatchObject({ baseOffset: 123_456_789_012, partitionLeaderEpoch: 17 });
    expect(decoded.records.map((entry) => entry.offset)).toEqual([123_456_789_012, 123_456_789_013]);
    expect(() => setBaseOffset(buf, 5, -1)).toThrow(RangeError);
    expect(() => setBaseOffset(buf, 5, 2 ** 53)).toThrow(RangeError);
  });

  test('setMaxTimestamp stamps LogAppendTime, rewrites the CRC, and every record then reads that time', () => {
    const buf = encodeRecordBatch([record('a', T0), record('b', T0 + 3)], { baseOffset: 0 });
    setMaxTimestamp(buf, 0, 'LOG_APPEND_TIME', T0 + 60_000);
    expect(isBatchCrcValid(buf)).toBe(true);
    const decoded = decodeRecordBatch(buf);
    expect(decoded.header).toMatchObject({ timestampType: 'LOG_APPEND_TIME', maxTimestampMs: T0 + 60_000, baseTimestampMs: T0 });
    expect(decoded.records.map((entry) => entry.timestampMs)).toEqual([T0 + 60_000, T0 + 60_000]);
    setMaxTimestamp(buf, 0, 'CREATE_TIME', T0 + 3);
    expect(decodeRecordBatch(buf).records.map((entry) => entry.timestampMs)).toEqual([T0, T0 + 3]);
  });

  test('transactional and control flags set exactly bits 4 and 5', () => {
    const transactional = readBatchHeader(
      encodeRecordBatch([record('a')], { baseOffset: 0, isTransactional: true, producerId: 1, producerEpoch: 0, baseSequence: 0 }),
    );
    const control = readBatchHeader(encodeRecordBatch([record('a')], { baseOffset: 0, isTransactional: true, isControl: true }));
    expect([transactional.attributes, transactional.isTransactional, transactional.isControl]).toEqual([0x10, true, false]);
    expect([control.attributes, control.isTransactional, control.isControl]).toEqual([0x30, true, true]);
  });

  test('decoded keys and values are views into the batch buffer, not copies', () => {
    const buf = encodeRecordBatch([record('abc')], { baseOffset: 0 });
    const decoded = decodeRecordBatch(buf);
    expect(decoded.records[0].value?.buffer).toBe(buf.buffer);
  });

  test('an allocator can supply reused memory: the batch is written at the start of what it returns', () => {
    const arena = Buffer.alloc(64 * 1024, 0xee);
    let used = 0;
    const allocate = (sizeBytes: number): Buffer => {
      const slice = arena.subarray(used, arena.length);
      used += sizeBytes;
      return slice;
    };
    const first = encodeRecordBatch([record('a')], { baseOffset: 0 }, allocate);
    const second = encodeRecordBatch([record('b')], { baseOffset: 1, compression: 'gzip' }, allocate);
    expect(first.buffer).toBe(arena.buffer);
    expect(second.byteOffset - arena.byteOffset).toBe(first.length);
    expect(decodeRecordBatch(first).records[0].value?.toString()).toBe('a');
    expect(decodeRecordBatch(second).records[0].value?.toString()).toBe('b');
    expect(first.equals(encodeRecordBatch([record('a')], { baseOffset: 0 }))).toBe(true);
    expect(() => encodeRecordBatch([record('a')], { baseOffset: 0 }, () => Buffer.alloc(10))).toThrow(RangeError);
  });

  test('consecutive gzip batches do not share bytes through the compression scratch', () => {
    const first = encodeRecordBatch([record('x'.repeat(1000))], { baseOffset: 0, compression: 'gzip' });
    const snapshot = Buffer.from(first);
    encodeRecordBatch([record('y'.repeat(2000))], { baseOffset: 1, compression: 'gzip' });
    expect(first.equals(snapshot)).toBe(true);
    expect(decodeRecordBatch(first).records[0].value?.toString()).toBe('x'.repeat(1000));
  });

  describe('invalid input is a caller bug', () => {
    test('offsetDeltas must strictly increase', () => {
      expect(() =>
        encodeRecordBatch(
          [
            { ...record('a'), offsetDelta: 2 },
            { ...record('b'), offsetDelta: 2 },
          ],
          { baseOffset: 0 },
        ),
      ).toThrow(RangeError);
      expect(() => encodeRecordBatch([{ ...record('a'), offsetDelta: -1 }], { baseOffset: 0 })).toThrow(RangeError);
    });

    test('lastOffsetDelta cannot be below the last record and is required for an empty batch', () => {
      expect(() => encodeRecordBatch([record('a'), record('b')], { baseOffset: 0, lastOffsetDelta: 0 })).toThrow(RangeError);
      expect(() => encodeRecordBatch([], { baseOffset: 0 })).toThrow(/lastOffsetDelta/);
    });

    test('offsets and timestamps must be safe integers', () => {
      expect(() => encodeRecordBatch([record('a')], { baseOffset: -1 })).toThrow(RangeError);
      expect(() => encodeRecordBatch([record('a')], { baseOffset: 2 ** 53 })).toThrow(RangeError);
      expect(() => encodeRecordBatch([record('a', 2 ** 53)], { baseOffset: 0 })).toThrow(RangeError);
      expect(() => encodeRecordBatch([record('a', 1.5)], { baseOffset: 0 })).toThrow(RangeError);
      expect(() => encodeRecordBatch([record('a')], { baseOffset: 0, producerEpoch: 40_000 })).toThrow(RangeError);
    });

    test('keys, values and header values must be Buffers or null, header keys strings', () => {
      expect(() => encodeRecordBatch([{ ...record('a'), key: 'text' as unknown as Buffer }], { baseOffset: 0 })).toThrow(TypeError);
      expect(() =>
        encodeRecordBatch([{ ...record('a'), headers: [{ key: 'h', value: 'x' as unknown as Buffer }] }], { baseOffset: 0 }),
      ).toThrow(TypeError);
      expect(() =>
        encodeRecordBatch([{ ...record('a'), headers: [{ key: null as unknown as string, value: null }] }], { baseOffset: 0 }),
      ).toThrow(TypeError);
    });
  });
});
