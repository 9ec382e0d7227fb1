/**
 * The byte-exact fixture scenarios under test/fixtures/segments/, described field by field for
 * the independent spec builder. `WRITE_FIXTURES=1 npx jest test/storage/format/segment-fixtures`
 * (re)writes the files from these descriptions; every other run checks the files still equal them.
 */
import { gzipSync } from 'node:zlib';
import { SpecBatch, specBatch } from './spec-batch-builder';

export const T0 = 1_700_000_000_000;
const NO_PRODUCER = { producerId: -1, producerEpoch: -1, baseSequence: -1 };
const text = (value: string): Buffer => Buffer.from(value, 'utf8');

export interface Scenario {
  name: string;
  fileName: string;
  bytes: () => Buffer;
  about: string;
}

export const RECORD_SHAPES: SpecBatch = {
  baseOffset: 42,
  partitionLeaderEpoch: 7,
  attributes: 0,
  lastOffsetDelta: 3,
  baseTimestamp: T0,
  maxTimestamp: T0 + 34_359_738_368,
  ...NO_PRODUCER,
  records: [
    {
      timestampDelta: 0,
      offsetDelta: 0,
      key: text('user-1'),
      value: text('{"n":1}'),
      headers: [
        { key: 'trace-id', value: text('abc') },
        { key: 'empty', value: Buffer.alloc(0) },
        { key: 'nullv', value: null },
      ],
    },
    { timestampDelta: 5, offsetDelta: 1, key: null, value: text('no-key'), headers: [] },
    { timestampDelta: -10, offsetDelta: 2, key: Buffer.alloc(0), value: null, headers: [] },
    {
      timestampDelta: 34_359_738_368, // 2^35 ms: a 6-byte varlong
      offsetDelta: 3,
      key: text('big'),
      value: Buffer.alloc(300, 'x'), // 300: a 2-byte length varint
      headers: [{ key: 'ünïcode-κλειδί', value: Buffer.from([0x00, 0xff]) }],
    },
  ],
};

export const GZIP_VALUE = (index: number): string => `payload-${index} `.repeat(20);
export const GZIP: SpecBatch = {
  baseOffset: 0,
  partitionLeaderEpoch: 0,
  attributes: 1,
  lastOffsetDelta: 2,
  baseTimestamp: T0,
  maxTimestamp: T0 + 2,
  ...NO_PRODUCER,
  records: [0, 1, 2].map((index) => ({
    timestampDelta: index,
    offsetDelta: index,
    key: text(`k${index}`),
    value: text(GZIP_VALUE(index)),
    headers: [],
  })),
  compressRecords: (plain) => gzipSync(plain, { level: 6 }),
};

export const TRANSACTIONAL_DATA: SpecBatch = {
  baseOffset: 100,
  partitionLeaderEpoch: 2,
  attributes: 0x10,
  lastOffsetDelta: 1,
  baseTimestamp: T0,
  maxTimestamp: T0 + 1,
  producerId: 1_234_567_890_123, // > 2^32: exercises the int64 high word
  producerEpoch: 3,
  baseSequence: 10,
  records: [
    { timestampDelta: 0, offsetDelta: 0, key: text('order-1'), value: text('created'), headers: [] },
    { timestampDelta: 1, offsetDelta: 1, key: text('order-1'), value: text('paid'), headers: [] },
  ],
};

export const TRANSACTIONAL_COMMIT: SpecBatch = {
  baseOffset: 102,
  partitionLeaderEpoch: 2,
  attributes: 0x30,
  lastOffsetDelta: 0,
  baseTimestamp: T0 + 100,
  maxTimestamp: T0 + 100,
  producerId: 1_234_567_890_123,
  producerEpoch: 3,
  baseSequence: -1,
  records: [{ timestampDelta: 0, offsetDelta: 0, key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 5]), headers: [] }],
};

export const LOG_APPEND_TIME: SpecBatch = {
  baseOffset: 0,
  partitionLeaderEpoch: 0,
  attributes: 0x08,
  lastOffsetDelta: 1,
  baseTimestamp: 1000,
  maxTimestamp: 5000,
  ...NO_PRODUCER,
  records: [
    { timestampDelta: 0, offsetDelta: 0, key: null, value: text('a'), headers: [] },
    { timestampDelta: 1, offsetDelta: 1, key: null, value: text('b'), headers: [] },
  ],
};

export const DELETE_HORIZON_MS = T0 + 86_400_000;
export const COMPACTED_GAPS: SpecBatch = {
  baseOffset: 10,
  partitionLeaderEpoch: 4,
  attributes: 0x40,
  lastOffsetDelta: 7,
  baseTimestamp: DELETE_HORIZON_MS,
  maxTimestamp: T0 + 5,
  ...NO_PRODUCER,
  records: [
    { timestampDelta: -86_400_000, offsetDelta: 0, key: text('a'), value: text('1'), headers: [] },
    { timestampDelta: -86_399_998, offsetDelta: 2, key: text('b'), value: null, headers: [] },
    { timestampDelta: -86_399_995, offsetDelta: 5, key: text('c'), value: text('3'), headers: [] },
  ],
};
export const EMPTY_AFTER_COMPACTION: SpecBatch = {
  baseOffset: 18,
  partitionLeaderEpoch: 4,
  attributes: 0,
  lastOffsetDelta: 4,
  baseTimestamp: T0 + 9,
  maxTimestamp: T0 + 9,
  producerId: 77,
  producerEpoch: 0,
  baseSequence: 3,
  records: [],
};

const small = (offsetDelta: number, value: string): SpecBatch['records'][number] => ({
  timestampDelta: offsetDelta,
  offsetDelta,
  key: text(`key-${value}`),
  value: text(`value-${value}`),
  headers: [],
});
export const MULTI_BATCH: SpecBatch[] = [
  {
    baseOffset: 0,
    partitionLeaderEpoch: 0,
    attributes: 0,
    lastOffsetDelta: 2,
    baseTimestamp: T0,
    maxTimestamp: T0 + 2,
    ...NO_PRODUCER,
    records: [small(0, '0'), small(1, '1'), small(2, '2')],
  },
  {
    baseOffset: 3,
    partitionLeaderEpoch: 0,
    attributes: 0,
    lastOffsetDelta: 1,
    baseTimestamp: T0,
    maxTimestamp: T0 + 1,
    ...NO_PRODUCER,
    records: [small(0, '3'), small(1, '4')],
  },
  {
    baseOffset: 5,
    partitionLeaderEpoch: 1,
    attributes: 0,
    lastOffsetDelta: 0,
    baseTimestamp: T0,
    maxTimestamp: T0,
    ...NO_PRODUCER,
    records: [small(0, '5')],
  },
];

export const multiBatchBytes = (): Buffer => Buffer.concat(MULTI_BATCH.map(specBatch));
/** Where the middle batch (baseOffset 3) starts, and the bit the crc-mismatch scenario flips. */
export const secondBatchPosition = (): number => specBatch(MULTI_BATCH[0]).length;
export const CRC_MISMATCH_FLIP = { byteFromSecondBatch: 70, bit: 0x04 };
export const TORN_TAIL_CUT_BYTES = 7;

export const SCENARIOS: Scenario[] = [
  {
    name: 'record-shapes',
    fileName: '00000000000000000042.log',
    bytes: () => specBatch(RECORD_SHAPES),
    about:
      'one uncompressed batch: headers (empty, null, UTF-8 key), null key, empty key, null value, negative and 2^35 timestamp deltas, 300-byte value',
  },
  {
    name: 'gzip',
    fileName: '00000000000000000000.log',
    bytes: () => specBatch(GZIP),
    about: 'one gzip batch of three repetitive records (zlib level 6)',
  },
  {
    name: 'transactional-commit',
    fileName: '00000000000000000100.log',
    bytes: () => Buffer.concat([specBatch(TRANSACTIONAL_DATA), specBatch(TRANSACTIONAL_COMMIT)]),
    about: 'a transactional data batch (producerId 1234567890123, epoch 3, sequence 10) then its COMMIT control batch (coordinatorEpoch 5)',
  },
  {
    name: 'log-append-time',
    fileName: '00000000000000000000.log',
    bytes: () => specBatch(LOG_APPEND_TIME),
    about: "LogAppendTime batch: stored deltas 0/1 from 1000, maxTimestamp 5000 read as every record's time",
  },
  {
    name: 'compacted-gaps',
    fileName: '00000000000000000010.log',
    bytes: () => Buffer.concat([specBatch(COMPACTED_GAPS), specBatch(EMPTY_AFTER_COMPACTION)]),
    about:
      'after compaction: offset gaps (10, 12, 15 of 10..17), a tombstone, the delete-horizon bit, then an empty batch 18..22 keeping producer 77',
  },
  {
    name: 'multi-batch-segment',
    fileName: '00000000000000000000.log',
    bytes: multiBatchBytes,
    about: 'three batches 0-2, 3-4, 5 (leader epochs 0, 0, 1): a whole small segment',
  },
  {
    name: 'torn-tail',
    fileName: '00000000000000000000.log',
    bytes: () => multiBatchBytes().subarray(0, multiBatchBytes().length - TORN_TAIL_CUT_BYTES),
    about: `multi-batch-segment cut ${TORN_TAIL_CUT_BYTES} bytes short: the last batch is torn`,
  },
  {
    name: 'crc-mismatch',
    fileName: '00000000000000000000.log',
    bytes: () => {
      const bytes = Buffer.from(multiBatchBytes());
      bytes[secondBatchPosition() + CRC_MISMATCH_FLIP.byteFromSecondBatch] ^= CRC_MISMATCH_FLIP.bit;
      return bytes;
    },
    about: "multi-batch-segment with one bit flipped inside the second batch's records: its CRC fails, the others pass",
  },
];
