import {
  CorruptRecordError,
  decodeEndTransactionMarker,
  decodeRecordBatch,
  encodeEndTransactionMarker,
  encodeRecordBatch,
  readControlRecordType,
} from '../../../storage';

describe('storage/format > control records', () => {
  test.each(['COMMIT', 'ABORT'] as const)('a %s marker written in a control batch reads back with its coordinator epoch', (type) => {
    const batch = encodeRecordBatch([encodeEndTransactionMarker({ type, coordinatorEpoch: 42 }, 1_700_000_000_000)], {
      baseOffset: 7,
      isControl: true,
      isTransactional: true,
      producerId: 99,
      producerEpoch: 1,
    });
    const decoded = decodeRecordBatch(batch);
    expect(decoded.header).toMatchObject({ isControl: true, isTransactional: true, producerId: 99, producerEpoch: 1, recordCount: 1 });
    expect(decoded.records[0].key).toEqual(Buffer.from([0, 0, 0, type === 'COMMIT' ? 1 : 0]));
    expect(decodeEndTransactionMarker(decoded.records[0])).toEqual({ type, coordinatorEpoch: 42 });
  });

  test('KRaft control types read as UNKNOWN, not as a transaction marker', () => {
    expect(readControlRecordType(Buffer.from([0, 0, 0, 2]))).toBe('UNKNOWN');
    expect(() => decodeEndTransactionMarker({ key: Buffer.from([0, 0, 0, 2]), value: Buffer.alloc(6) })).toThrow(CorruptRecordError);
  });

  test('a control record with a short or null key or value is corrupt', () => {
    expect(() => readControlRecordType(null)).toThrow(CorruptRecordError);
    expect(() => readControlRecordType(Buffer.from([0, 0]))).toThrow(CorruptRecordError);
    expect(() => decodeEndTransactionMarker({ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0]) })).toThrow(CorruptRecordError);
    expect(() => decodeEndTransactionMarker({ key: Buffer.from([0, 0, 0, 1]), value: null })).toThrow(CorruptRecordError);
  });
});
