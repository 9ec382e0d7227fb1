import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  decodeEndTransactionMarker,
  decodeRecordBatch,
  encodeEndTransactionMarker,
  encodeRecordBatch,
  isBatchCrcValid,
  batchSizeAt,
  RECORDS_POSITION,
} from '../../../storage';
import {
  CRC_MISMATCH_FLIP,
  DELETE_HORIZON_MS,
  GZIP_VALUE,
  SCENARIOS,
  secondBatchPosition,
  T0,
  TORN_TAIL_CUT_BYTES,
} from './segment-scenarios';

const FIXTURES_DIR = join(__dirname, '../../fixtures/segments');
const text = (value: string): Buffer => Buffer.from(value, 'utf8');
const fixture = (name: string): Buffer => {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  const fileName = scenario?.fileName ?? '00000000000000000000.log';
  return readFileSync(join(FIXTURES_DIR, name, fileName));
};
const noProducer = { producerId: -1, producerEpoch: -1, baseSequence: -1 };

if (process.env.WRITE_FIXTURES === '1') {
  for (const scenario of SCENARIOS) {
    mkdirSync(join(FIXTURES_DIR, scenario.name), { recursive: true });
    writeFileSync(join(FIXTURES_DIR, scenario.name, scenario.fileName), scenario.bytes());
  }
}

describe('storage/format > segment fixtures', () => {
  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    'the %s fixture equals the bytes assembled field by field from the spec, and stays under 4 KB',
    (_name, scenario) => {
      const path = join(FIXTURES_DIR, scenario.name, scenario.fileName);
      expect(existsSync(path)).toBe(true);
      const bytes = readFileSync(path);
      expect(bytes.equals(scenario.bytes())).toBe(true);
      expect(bytes.length).toBeLessThan(4096);
    },
  );

  describe('record-shapes', () => {
    const records = [
      {
        offset: 42,
        timestampMs: T0,
        key: text('user-1'),
        value: text('{"n":1}'),
        headers: [
          { key: 'trace-id', value: text('abc') },
          { key: 'empty', value: Buffer.alloc(0) },
          { key: 'nullv', value: null },
        ],
      },
      { offset: 43, timestampMs: T0 + 5, key: null, value: text('no-key'), headers: [] },
      { offset: 44, timestampMs: T0 - 10, key: Buffer.alloc(0), value: null, headers: [] },
      {
        offset: 45,
        timestampMs: T0 + 34_359_738_368,
        key: text('big'),
        value: Buffer.alloc(300, 'x'),
        headers: [{ key: 'ünïcode-κλειδί', value: Buffer.from([0, 255]) }],
      },
    ];

    test('decodes to the literal header and records', () => {
      const bytes = fixture('record-shapes');
      const decoded = decodeRecordBatch(bytes);
      expect(decoded.header).toEqual({
        baseOffset: 42,
        batchLengthBytes: bytes.length - 12,
        partitionLeaderEpoch: 7,
        magic: 2,
        crc: bytes.readUInt32BE(17),
        attributes: 0,
        compression: 'none',
        timestampType: 'CREATE_TIME',
        isTransactional: false,
        isControl: false,
        lastOffsetDelta: 3,
        baseTimestampMs: T0,
        maxTimestampMs: T0 + 34_359_738_368,
        ...noProducer,
        recordCount: 4,
        deleteHorizonMs: null,
      });
      expect(decoded.records).toEqual(records);
      expect(decoded.records[1].key).toBeNull();
      expect(decoded.records[2].key).toEqual(Buffer.alloc(0));
    });

    test('encodes the same records to exactly the fixture bytes', () => {
      const encoded = encodeRecordBatch(
        records.map(({ timestampMs, key, value, headers }) => ({ timestampMs, key, value, headers })),
        { baseOffset: 42, partitionLeaderEpoch: 7 },
      );
      expect(encoded.toString('hex')).toBe(fixture('record-shapes').toString('hex'));
    });
  });

  describe('gzip', () => {
    const records = [0, 1, 2].map((index) => ({
      offset: index,
      timestampMs: T0 + index,
      key: text(`k${index}`),
      value: text(GZIP_VALUE(index)),
      headers: [],
    }));

    test('decodes to the literal records and its compressed region is a gzip stream', () => {
      const bytes = fixture('gzip');
      const decoded = decodeRecordBatch(bytes);
      expect(decoded.header).toMatchObject({
        compression: 'gzip',
        attributes: 1,
        recordCount: 3,
        lastOffsetDelta: 2,
        maxTimestampMs: T0 + 2,
      });
      expect(decoded.records).toEqual(records);
      expect(bytes.subarray(RECORDS_POSITION, RECORDS_POSITION + 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    });

    test('encodes to the fixture header and to a stream that inflates to the fixture records', () => {
      const bytes = fixture('gzip');
      const encoded = encodeRecordBatch(
        records.map(({ timestampMs, key, value, headers }) => ({ timestampMs, key, value, headers })),
        { baseOffset: 0, partitionLeaderEpoch: 0, compression: 'gzip' },
      );
      // Header bytes except batchLength (8..12) and CRC (17..21), which depend on zlib's exact output.
      expect(encoded.subarray(0, 8)).toEqual(bytes.subarray(0, 8));
      expect(encoded.subarray(12, 17)).toEqual(bytes.subarray(12, 17));
      expect(encoded.subarray(21, RECORDS_POSITION)).toEqual(bytes.subarray(21, RECORDS_POSITION));
      expect(gunzipSync(encoded.subarray(RECORDS_POSITION))).toEqual(gunzipSync(bytes.subarray(RECORDS_POSITION)));
      expect(isBatchCrcValid(encoded)).toBe(true);
    });
  });

  describe('transactional-commit', () => {
    const producer = { producerId: 1_234_567_890_123, producerEpoch: 3 };

    test('decodes a transactional data batch followed by its COMMIT marker', () => {
      const bytes = fixture('transactional-commit');
      const first = decodeRecordBatch(bytes, 0);
      const secondPosition = batchSizeAt(bytes, 0);
      const second = decodeRecordBatch(bytes, secondPosition);
      expect(secondPosition + batchSizeAt(bytes, secondPosition)).toBe(bytes.length);
      expect(first.header).toMatchObject({
        baseOffset: 100,
        partitionLeaderEpoch: 2,
        attributes: 0x10,
        isTransactional: true,
        isControl: false,
        ...producer,
        baseSequence: 10,
        lastOffsetDelta: 1,
      });
      expect(first.records).toEqual([
        { offset: 100, timestampMs: T0, key: text('order-1'), value: text('created'), headers: [] },
        { offset: 101, timestampMs: T0 + 1, key: text('order-1'), value: text('paid'), headers: [] },
      ]);
      expect(second.header).toMatchObject({
        baseOffset: 102,
        attributes: 0x30,
        isTransactional: true,
        isControl: true,
        ...producer,
        baseSequence: -1,
        recordCount: 1,
      });
      expect(decodeEndTransactionMarker(second.records[0])).toEqual({ type: 'COMMIT', coordinatorEpoch: 5 });
    });

    test('encodes both batches to exactly the fixture bytes', () => {
      const data = encodeRecordBatch(
        [
          { key: text('order-1'), value: text('created'), headers: [], timestampMs: T0 },
          { key: text('order-1'), value: text('paid'), headers: [], timestampMs: T0 + 1 },
        ],
        { baseOffset: 100, partitionLeaderEpoch: 2, isTransactional: true, ...producer, baseSequence: 10 },
      );
      const commit = encodeRecordBatch([encodeEndTransactionMarker({ type: 'COMMIT', coordinatorEpoch: 5 }, T0 + 100)], {
        baseOffset: 102,
        partitionLeaderEpoch: 2,
        isTransactional: true,
        isControl: true,
        ...producer,
      });
      expect(Buffer.concat([data, commit]).toString('hex')).toBe(fixture('transactional-commit').toString('hex'));
    });
  });

  describe('log-append-time', () => {
    test('decodes every record with the batch maxTimestamp as its time', () => {
      const decoded = decodeRecordBatch(fixture('log-append-time'));
      expect(decoded.header).toMatchObject({
        timestampType: 'LOG_APPEND_TIME',
        attributes: 0x08,
        baseTimestampMs: 1000,
        maxTimestampMs: 5000,
      });
      expect(decoded.records).toEqual([
        { offset: 0, timestampMs: 5000, key: null, value: text('a'), headers: [] },
        { offset: 1, timestampMs: 5000, key: null, value: text('b'), headers: [] },
      ]);
    });

    test('encodes with logAppendTimeMs to exactly the fixture bytes', () => {
      const encoded = encodeRecordBatch(
        [
          { key: null, value: text('a'), headers: [], timestampMs: 1000 },
          { key: null, value: text('b'), headers: [], timestampMs: 1001 },
        ],
        { baseOffset: 0, partitionLeaderEpoch: 0, timestampType: 'LOG_APPEND_TIME', logAppendTimeMs: 5000 },
      );
      expect(encoded.toString('hex')).toBe(fixture('log-append-time').toString('hex'));
    });
  });

  describe('compacted-gaps', () => {
    test('decodes offsets with gaps, a tombstone, the delete horizon and an empty batch', () => {
      const bytes = fixture('compacted-gaps');
      const cleaned = decodeRecordBatch(bytes, 0);
      const empty = decodeRecordBatch(bytes, batchSizeAt(bytes, 0));
      expect(cleaned.header).toMatchObject({
        baseOffset: 10,
        lastOffsetDelta: 7,
        attributes: 0x40,
        deleteHorizonMs: DELETE_HORIZON_MS,
        baseTimestampMs: DELETE_HORIZON_MS,
        maxTimestampMs: T0 + 5,
      });
      expect(cleaned.records).toEqual([
        { offset: 10, timestampMs: T0, key: text('a'), value: text('1'), headers: [] },
        { offset: 12, timestampMs: T0 + 2, key: text('b'), value: null, headers: [] },
        { offset: 15, timestampMs: T0 + 5, key: text('c'), value: text('3'), headers: [] },
      ]);
      expect(empty.header).toMatchObject({
        baseOffset: 18,
        lastOffsetDelta: 4,
        recordCount: 0,
        producerId: 77,
        producerEpoch: 0,
        baseSequence: 3,
        baseTimestampMs: T0 + 9,
        maxTimestampMs: T0 + 9,
        deleteHorizonMs: null,
      });
      expect(empty.records).toEqual([]);
    });

    test('encodes both batches with the compaction options to exactly the fixture bytes', () => {
      const cleaned = encodeRecordBatch(
        [
          { key: text('a'), value: text('1'), headers: [], timestampMs: T0, offsetDelta: 0 },
          { key: text('b'), value: null, headers: [], timestampMs: T0 + 2, offsetDelta: 2 },
          { key: text('c'), value: text('3'), headers: [], timestampMs: T0 + 5, offsetDelta: 5 },
        ],
        { baseOffset: 10, partitionLeaderEpoch: 4, lastOffsetDelta: 7, deleteHorizonMs: DELETE_HORIZON_MS },
      );
      const empty = encodeRecordBatch([], {
        baseOffset: 18,
        partitionLeaderEpoch: 4,
        lastOffsetDelta: 4,
        maxTimestampMs: T0 + 9,
        producerId: 77,
        producerEpoch: 0,
        baseSequence: 3,
      });
      expect(Buffer.concat([cleaned, empty]).toString('hex')).toBe(fixture('compacted-gaps').toString('hex'));
    });
  });

  describe('multi-batch-segment, torn-tail and crc-mismatch', () => {
    const walk = (bytes: Buffer): { position: number; valid: boolean }[] => {
      const seen: { position: number; valid: boolean }[] = [];
      let position = 0;
      while (bytes.length - position >= 12 && seen.length < 10) {
        seen.push({ position, valid: isBatchCrcValid(bytes, position) });
        position += batchSizeAt(bytes, position);
      }
      return seen;
    };

    test('a whole segment walks as three valid batches ending exactly at the file end', () => {
      const bytes = fixture('multi-batch-segment');
      const walked = walk(bytes);
      expect(walked.map((entry) => entry.valid)).toEqual([true, true, true]);
      const decoded = walked.map(({ position }) => decodeRecordBatch(bytes, position));
      expect(decoded.map(({ header }) => [header.baseOffset, header.lastOffsetDelta, header.partitionLeaderEpoch])).toEqual([
        [0, 2, 0],
        [3, 1, 0],
        [5, 0, 1],
      ]);
      expect(decoded.flatMap(({ records }) => records.map((record) => `${record.offset}:${record.value?.toString()}`))).toEqual([
        '0:value-0',
        '1:value-1',
        '2:value-2',
        '3:value-3',
        '4:value-4',
        '5:value-5',
      ]);
      const last = walked[walked.length - 1].position;
      expect(last + batchSizeAt(bytes, last)).toBe(bytes.length);
    });

    test(`a segment cut ${TORN_TAIL_CUT_BYTES} bytes short has two valid batches and a torn third`, () => {
      const bytes = fixture('torn-tail');
      expect(walk(bytes).map((entry) => entry.valid)).toEqual([true, true, false]);
      expect(() => decodeRecordBatch(bytes, walk(bytes)[2].position)).toThrow(/truncated batch/);
    });

    test('a flipped bit fails only the batch that holds it', () => {
      const bytes = fixture('crc-mismatch');
      expect(bytes[secondBatchPosition() + CRC_MISMATCH_FLIP.byteFromSecondBatch]).not.toBe(
        fixture('multi-batch-segment')[secondBatchPosition() + CRC_MISMATCH_FLIP.byteFromSecondBatch],
      );
      expect(walk(bytes).map((entry) => entry.valid)).toEqual([true, false, true]);
      expect(() => decodeRecordBatch(bytes, secondBatchPosition())).toThrow(
        expect.objectContaining({
          code: 'CORRUPT_MESSAGE',
          details: expect.objectContaining({ position: secondBatchPosition(), baseOffset: 3 }),
        }),
      );
    });
  });

  describe('kafkajs-broker-capture', () => {
    test('decodes a gzip LogAppendTime batch captured from a real Kafka broker', () => {
      const bytes = readFileSync(join(FIXTURES_DIR, 'kafkajs-broker-capture', '00000000000000000000.log'));
      expect(isBatchCrcValid(bytes)).toBe(true);
      const decoded = decodeRecordBatch(bytes);
      expect(decoded.header).toEqual({
        baseOffset: 0,
        batchLengthBytes: 113,
        partitionLeaderEpoch: 0,
        magic: 2,
        crc: 0xe4c324a5,
        attributes: 9,
        compression: 'gzip',
        timestampType: 'LOG_APPEND_TIME',
        isTransactional: false,
        isControl: false,
        lastOffsetDelta: 0,
        baseTimestampMs: 1_597_425_188_775,
        maxTimestampMs: 1_597_425_188_809,
        producerId: -1,
        producerEpoch: 0,
        baseSequence: 0,
        recordCount: 1,
        deleteHorizonMs: null,
      });
      expect(decoded.records).toEqual([
        { offset: 0, timestampMs: 1_597_425_188_809, key: text('key-0'), value: text('value-0-2020-08-14T17:13:08.682Z'), headers: [] },
      ]);
    });

    test("our encoding of its record equals the broker's inflated records byte for byte", () => {
      const bytes = readFileSync(join(FIXTURES_DIR, 'kafkajs-broker-capture', '00000000000000000000.log'));
      const ours = encodeRecordBatch(
        [{ key: text('key-0'), value: text('value-0-2020-08-14T17:13:08.682Z'), headers: [], timestampMs: 1_597_425_188_775 }],
        { baseOffset: 0 },
      );
      expect(ours.subarray(RECORDS_POSITION)).toEqual(gunzipSync(bytes.subarray(RECORDS_POSITION)));
    });
  });
});
