/**
 * The `.txnindex` codec (storage/segment/transaction-index.ts, storage/FORMAT.md §13): Kafka's
 * 34-byte entries, and the valid prefix a damaged file decodes to.
 */
import { decodeTxnIndex, encodeTxnIndex, TXN_INDEX_ENTRY_BYTES, type AbortedTxn } from '../../../storage';

const entries: AbortedTxn[] = [
  { producerId: 7, firstOffset: 100, lastOffset: 120, lastStableOffset: 121 },
  { producerId: 2 ** 40, firstOffset: 90, lastOffset: 130, lastStableOffset: 125 },
];

describe('storage/segment > transaction index', () => {
  it('writes the documented layout: version 0, producerId, firstOffset, lastOffset, lastStableOffset', () => {
    const bytes = encodeTxnIndex(entries.slice(0, 1));
    expect(TXN_INDEX_ENTRY_BYTES).toBe(34);
    expect(bytes.toString('hex')).toBe('0000' + '0000000000000007' + '0000000000000064' + '0000000000000078' + '0000000000000079');
  });

  it('reads back what it wrote', () => {
    expect(decodeTxnIndex(encodeTxnIndex(entries), 100, 200)).toEqual(entries);
  });

  it('keeps the valid prefix: a torn entry, a bad version, a marker outside the segment or out of order end it', () => {
    const whole = encodeTxnIndex(entries);
    expect(decodeTxnIndex(whole.subarray(0, TXN_INDEX_ENTRY_BYTES + 10), 100, 200)).toEqual(entries.slice(0, 1));
    const badVersion = Buffer.from(whole);
    badVersion.writeInt16BE(1, TXN_INDEX_ENTRY_BYTES);
    expect(decodeTxnIndex(badVersion, 100, 200)).toEqual(entries.slice(0, 1));
    expect(decodeTxnIndex(whole, 100, 125)).toEqual(entries.slice(0, 1)); // 130 is past the segment's end
    expect(decodeTxnIndex(whole, 121, 200)).toEqual([]); // 120 is before its base
    expect(decodeTxnIndex(encodeTxnIndex([entries[1]!, entries[0]!]), 100, 200)).toEqual([entries[1]]);
    expect(decodeTxnIndex(encodeTxnIndex([{ producerId: 1, firstOffset: 150, lastOffset: 140, lastStableOffset: 141 }]), 100, 200)).toEqual(
      [],
    );
  });
});
