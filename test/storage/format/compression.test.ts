import { gzipSync } from 'node:zlib';
import {
  Compression,
  CorruptRecordError,
  decodeRecordBatch,
  encodeRecordBatch,
  readBatchHeader,
  RecordTooLargeError,
  UnsupportedCompressionTypeError,
} from '../../../storage';
import { bitwiseCrc32c, specBatch } from './spec-batch-builder';
import { randomBytes, seededRandom } from './seeded-random';

const T0 = 1_700_000_000_000;

describe('storage/format > compression', () => {
  test('1,000 gzip-compressed records with headers and nulls round trip exactly', () => {
    const random = seededRandom(11);
    const records = Array.from({ length: 1000 }, (_, index) => ({
      key: index % 10 === 0 ? null : Buffer.from(`key-${index % 37}`),
      value:
        index % 13 === 0 ? null : Buffer.concat([Buffer.from(`{"n":${index},"pad":"`), randomBytes(random, index % 50), Buffer.from('"}')]),
      headers: index % 3 === 0 ? [{ key: 'trace', value: Buffer.from(`t-${index}`) }] : [],
      timestampMs: T0 + index,
    }));
    const batch = encodeRecordBatch(records, { baseOffset: 77, compression: 'gzip' });
    const decoded = decodeRecordBatch(batch);
    expect(decoded.header).toMatchObject({ compression: 'gzip', attributes: 1, recordCount: 1000, lastOffsetDelta: 999 });
    expect(decoded.records).toEqual(
      records.map(({ key, value, headers, timestampMs }, index) => ({ offset: 77 + index, key, value, headers, timestampMs })),
    );
  });

  test('gzip shrinks repetitive JSON several-fold', () => {
    const records = Array.from({ length: 200 }, (_, index) => ({
      key: null,
      value: Buffer.from(`{"sensor":"temperature","room":"kitchen","reading":${index % 5}}`),
      headers: [],
      timestampMs: T0,
    }));
    const plain = encodeRecordBatch(records, { baseOffset: 0 });
    const packed = encodeRecordBatch(records, { baseOffset: 0, compression: 'gzip' });
    expect(packed.length * 5).toBeLessThan(plain.length);
  });

  test('a batch that inflates past maxDecompressedBytes is RECORD_TOO_LARGE, and fits under the default bound', () => {
    const batch = encodeRecordBatch([{ key: null, value: Buffer.alloc(1024 * 1024), headers: [], timestampMs: T0 }], {
      baseOffset: 0,
      compression: 'gzip',
    });
    expect(batch.length).toBeLessThan(4096);
    expect(() => decodeRecordBatch(batch, 0, { maxDecompressedBytes: 64 * 1024 })).toThrow(RecordTooLargeError);
    expect(() => decodeRecordBatch(batch, 0, { maxDecompressedBytes: 64 * 1024 })).toThrow(
      expect.objectContaining({ code: 'RECORD_TOO_LARGE', message: expect.stringMatching(/decompression bound/) }),
    );
    expect(decodeRecordBatch(batch).records[0].value?.length).toBe(1024 * 1024);
  });

  test('a gzip batch whose payload is not gzip (valid CRC) is corrupt', () => {
    const buf = specBatch({
      baseOffset: 0,
      partitionLeaderEpoch: 0,
      attributes: 1,
      lastOffsetDelta: 0,
      baseTimestamp: T0,
      maxTimestamp: T0,
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      records: [{ timestampDelta: 0, offsetDelta: 0, key: null, value: Buffer.from('v'), headers: [] }],
      compressRecords: (plain) => Buffer.concat([Buffer.from('not gzip'), plain]),
    });
    expect(() => decodeRecordBatch(buf)).toThrow(CorruptRecordError);
    const truncatedStream = specBatch({
      baseOffset: 0,
      partitionLeaderEpoch: 0,
      attributes: 1,
      lastOffsetDelta: 0,
      baseTimestamp: T0,
      maxTimestamp: T0,
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      records: [{ timestampDelta: 0, offsetDelta: 0, key: null, value: Buffer.alloc(100, 'v'), headers: [] }],
      compressRecords: (plain) => gzipSync(plain).subarray(0, 15),
    });
    expect(bitwiseCrc32c(truncatedStream.subarray(21))).toBe(readBatchHeader(truncatedStream).crc);
    expect(() => decodeRecordBatch(truncatedStream)).toThrow(CorruptRecordError);
  });

  test('codecs without a Node built-in are refused at encode with UNSUPPORTED_COMPRESSION_TYPE', () => {
    for (const codec of ['snappy', 'lz4', 'zstd']) {
      expect(() =>
        encodeRecordBatch([{ key: null, value: null, headers: [], timestampMs: T0 }], { baseOffset: 0, compression: codec as Compression }),
      ).toThrow(UnsupportedCompressionTypeError);
    }
    expect(() =>
      encodeRecordBatch([{ key: null, value: null, headers: [], timestampMs: T0 }], {
        baseOffset: 0,
        compression: 'brotli' as Compression,
      }),
    ).toThrow(RangeError);
  });
});
