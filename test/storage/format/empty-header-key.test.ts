/**
 * Kafka allows an empty header key (length 0, distinct from the null key Kafka forbids): the codec
 * writes and reads it like any other, byte for byte as Kafka lays it out (storage/FORMAT.md §3).
 */
import { decodeRecordBatch, encodeRecordBatch, type LogRecordInput } from '../../../storage';

describe('record codec: empty header keys', () => {
  it('round-trips an empty key among others, keeping their order and values', () => {
    const record: LogRecordInput = {
      key: null,
      value: Buffer.from('x'),
      headers: [
        { key: '', value: Buffer.from('a') },
        { key: 'k', value: null },
        { key: '', value: Buffer.alloc(0) },
      ],
      timestampMs: 1_700_000_000_000,
    };
    for (const compression of ['none', 'gzip'] as const) {
      const decoded = decodeRecordBatch(encodeRecordBatch([record], { baseOffset: 7, compression }));
      expect(decoded.records[0]!.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([
        ['', 'a'],
        ['k', null],
        ['', ''],
      ]);
    }
  });

  it('writes the empty key as a zero length (varint 00) and nothing else', () => {
    const bytes = encodeRecordBatch([{ key: null, value: null, headers: [{ key: '', value: null }], timestampMs: 0 }], { baseOffset: 0 });
    // Record body ends: headersCount 1 (02), keyLength 0 (00), valueLength -1 (01).
    expect([...bytes.subarray(bytes.length - 3)]).toEqual([0x02, 0x00, 0x01]);
  });
});
