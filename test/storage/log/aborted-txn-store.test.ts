/**
 * The aborted-transaction list of one log (storage/log/aborted-txn-store.ts, FORMAT.md §13) on real
 * files: which entries a read of [from, to) gets, checked against a plain filter over seeded
 * random overlapping transactions (the store's search stops early, Kafka's rule); the files it
 * writes per segment; the rebuild from a replay offset.
 */
import { readdir } from 'node:fs/promises';
import { NodeFileSystem, type AbortedTxn } from '../../../storage';
import { AbortedTxnStore } from '../../../storage/log/aborted-txn-store';
import { prng, randomInt } from '../../support/prng';
import { useTmpDir } from '../../support/tmp-dir';

/** Transactions of random producers over 0..2000, overlapping; each entry's LSO as the log computes it. */
function randomAborts(seed: number): AbortedTxn[] {
  const random = prng(seed);
  const open = new Map<number, number>();
  const entries: AbortedTxn[] = [];
  for (let offset = 0; offset < 2_000; offset++) {
    const producerId = randomInt(random, 8);
    const first = open.get(producerId);
    if (first === undefined) open.set(producerId, offset);
    else if (random() < 0.3) {
      open.delete(producerId);
      const lastStableOffset = open.size === 0 ? offset + 1 : Math.min(...open.values());
      if (random() < 0.5) entries.push({ producerId, firstOffset: first, lastOffset: offset, lastStableOffset });
    }
  }
  return entries;
}

describe('storage/log > aborted-transaction store', () => {
  const tmp = useTmpDir('aborted-txn-store-');

  it('collects exactly the entries overlapping [from, to), for random ranges', async () => {
    const seed = 1202;
    const entries = randomAborts(seed);
    const store = new AbortedTxnStore(new NodeFileSystem(), tmp.path);
    for (const entry of entries) await store.append(0, entry);
    const random = prng(seed + 1);
    for (let i = 0; i < 500; i++) {
      const from = randomInt(random, 2_000);
      const to = from + 1 + randomInt(random, 300);
      const expected = entries.filter((e) => e.lastOffset >= from && e.firstOffset < to);
      expect([seed, from, to, store.collect(from, to)]).toEqual([seed, from, to, expected]);
    }
  });

  it("writes each entry to its segment's file, reads them back, and a rebuild replaces what is at or after its offset", async () => {
    const fs = new NodeFileSystem();
    const store = new AbortedTxnStore(fs, tmp.path);
    const a = { producerId: 1, firstOffset: 0, lastOffset: 5, lastStableOffset: 6 };
    const b = { producerId: 2, firstOffset: 8, lastOffset: 12, lastStableOffset: 13 };
    const c = { producerId: 3, firstOffset: 11, lastOffset: 14, lastStableOffset: 15 };
    await store.append(0, a);
    await store.append(10, b);
    await store.sync();
    expect((await readdir(tmp.path)).sort()).toEqual(['00000000000000000000.txnindex', '00000000000000000010.txnindex']);
    const segments = [
      { baseOffset: 0, endOffset: 10 },
      { baseOffset: 10, endOffset: 20 },
    ];
    const reopened = new AbortedTxnStore(fs, tmp.path);
    await reopened.load(segments);
    expect(reopened.collect(0, 20)).toEqual([a, b]);
    await reopened.rebuildFrom(10, [c], segments);
    expect(reopened.collect(0, 20)).toEqual([a, c]);
    const again = new AbortedTxnStore(fs, tmp.path);
    await again.load(segments);
    expect(again.collect(0, 20)).toEqual([a, c]);
  });
});
