import { encodeRecordBatch, uncompressedBatchSizeBytes, type LogRecordInput } from '../../../storage/index';
import { prng } from '../../support/prng';

describe('uncompressedBatchSizeBytes', () => {
  it('is 61 bytes for no records', () => {
    expect(uncompressedBatchSizeBytes([])).toBe(61);
  });

  it.each([1, 2, 3, 4, 5])('equals the encoded length for random records (seed %i)', (seed) => {
    const random = prng(seed);
    const bytes = (max: number) => (random() < 0.1 ? null : Buffer.alloc(Math.floor(random() * max), 7));
    const base = 1_700_000_000_000;
    const records: LogRecordInput[] = Array.from({ length: 1 + Math.floor(random() * 300) }, () => ({
      key: bytes(40),
      value: bytes(5_000),
      headers: Array.from({ length: Math.floor(random() * 4) }, (_, i) => ({ key: `h${i}-é`, value: bytes(20) })),
      timestampMs: base + Math.floor((random() - 0.5) * 1e9),
    }));
    expect(uncompressedBatchSizeBytes(records)).toBe(encodeRecordBatch(records, { baseOffset: 0 }).length);
  });
});
