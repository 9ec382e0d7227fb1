/**
 * Transactions in the log (storage/FORMAT.md §13) on real files: open transactions hold the last
 * stable offset, markers release it, ABORTs land in the segment's `.txnindex` and are answered by
 * abortedTransactions(); all of it survives a crash (with or without snapshots), a clean close, a
 * roll, truncation, retention and compaction.
 */
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32c, type PartitionLog } from '../../../storage';
import { openCrashableLog, openTestLog, readAllValues, records } from '../../support/log-builders';
import { makeTmpDir } from '../../support/tmp-dir';
import { appendMarker, appendTxn } from '../../support/txn-builders';

function allVisible(log: PartitionLog): void {
  log.updateHighWatermark(log.logEndOffset);
}

async function filesEnding(dir: string, suffix: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith(suffix)).sort();
}

describe('transactions in the log', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await makeTmpDir('txn-log-');
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the last stable offset is the first offset of the oldest open transaction, else the high watermark', async () => {
    const { manager, log } = await openTestLog(dataDir);
    await log.append(records(2), { leaderEpoch: 0 });
    allVisible(log);
    expect(log.lastStableOffset).toBe(2);
    const a = await appendTxn(log, 1, 0, 3); // opens 1's transaction at 2
    const b = await appendTxn(log, 2, 0, 2); // opens 2's at 5
    await appendTxn(log, 1, 1, 1); // a later batch does not move 1's first offset
    await log.append(records(1), { leaderEpoch: 0, producerId: 3, producerEpoch: 0, baseSequence: 0 }); // idempotent, not transactional
    expect(log.lastStableOffset).toBe(2); // HW still 2
    allVisible(log);
    expect(log.lastStableOffset).toBe(a.baseOffset);
    await appendMarker(log, 1, 'COMMIT');
    allVisible(log);
    expect(log.lastStableOffset).toBe(b.baseOffset);
    await appendMarker(log, 2, 'COMMIT');
    expect(log.lastStableOffset).toBe(log.highWatermark); // HW below the marker: the LSO is the HW
    allVisible(log);
    expect(log.lastStableOffset).toBe(log.logEndOffset);
    // A marker with nothing open completes nothing and indexes nothing.
    await appendMarker(log, 9, 'ABORT');
    allVisible(log);
    expect(log.lastStableOffset).toBe(log.logEndOffset);
    expect(log.abortedTransactions(0, log.logEndOffset)).toEqual([]);
    await manager.close();
  });

  it("an ABORT is indexed in its segment's .txnindex and answered for the ranges it overlaps; a COMMIT is not", async () => {
    const { manager, log } = await openTestLog(dataDir);
    await appendTxn(log, 1, 0, 3); // 0..2
    await appendTxn(log, 2, 0, 2); // 3..4
    const abort = await appendMarker(log, 1, 'ABORT'); // 5
    await appendMarker(log, 2, 'COMMIT'); // 6
    allVisible(log);
    const entry = { producerId: 1, firstOffset: 0, lastOffset: abort.baseOffset, lastStableOffset: 3 }; // 2's transaction still open at 3
    expect(log.abortedTransactions(0, 7)).toEqual([entry]);
    expect(log.abortedTransactions(2, 3)).toEqual([entry]);
    expect(log.abortedTransactions(6, 7)).toEqual([]); // the marker is before the range
    const files = await filesEnding(log.dir, '.txnindex');
    expect(files).toEqual(['00000000000000000000.txnindex']);
    expect((await stat(path.join(log.dir, files[0]!))).size).toBe(34);
    await manager.close();
  });

  it("control batches are not sequence-checked: a marker after the producer's batches is written", async () => {
    const { manager, log } = await openTestLog(dataDir);
    await appendTxn(log, 4, 7, 1);
    const marker = await appendMarker(log, 4, 'COMMIT');
    expect(marker.duplicate).toBeUndefined();
    expect((await appendTxn(log, 4, 7, 1)).duplicate).toBe(true); // the producer's own retry still matches
    await manager.close();
  });

  it.each(['with snapshots', 'without snapshots'])(
    'after kill -9 (%s) the open transactions, the LSO and the aborted list are rebuilt from the log',
    async (variant) => {
      const config = { segmentBytes: 400 };
      const opened = await openCrashableLog(dataDir, { config });
      const expectedAborts = [];
      let open = -1;
      for (let i = 0; i < 12; i++) {
        const first = await appendTxn(opened.log, 10 + i, 0, 3);
        if (i === 11) open = first.baseOffset;
        else if (i % 3 === 0) {
          const marker = await appendMarker(opened.log, 10 + i, 'ABORT');
          expectedAborts.push({
            producerId: 10 + i,
            firstOffset: first.baseOffset,
            lastOffset: marker.baseOffset,
            lastStableOffset: marker.baseOffset + 1,
          });
        } else await appendMarker(opened.log, 10 + i, 'COMMIT');
      }
      const dir = opened.log.dir;
      const end = opened.log.logEndOffset;
      expect(opened.log.segmentCount).toBeGreaterThan(3);
      await opened.crash();
      if (variant === 'without snapshots') for (const name of await filesEnding(dir, '.snapshot')) await rm(path.join(dir, name));
      const { manager, log } = await openTestLog(dataDir, { config });
      expect(log.logEndOffset).toBe(end);
      allVisible(log);
      expect(log.lastStableOffset).toBe(open);
      expect(log.abortedTransactions(0, end)).toEqual(expectedAborts);
      await appendMarker(log, 21, 'ABORT');
      allVisible(log);
      expect(log.lastStableOffset).toBe(log.logEndOffset);
      expect(log.abortedTransactions(open, log.logEndOffset)).toMatchObject([{ producerId: 21, firstOffset: open }]);
      await manager.close();
    },
  );

  it('a clean close keeps an open transaction in the snapshot (version 2): the reopened log holds the LSO', async () => {
    const first = await openTestLog(dataDir);
    await first.log.append(records(2), { leaderEpoch: 0 });
    const txn = await appendTxn(first.log, 5, 0, 2);
    await first.manager.close();
    const { manager, log } = await openTestLog(dataDir);
    allVisible(log);
    expect(log.lastStableOffset).toBe(txn.baseOffset);
    await appendMarker(log, 5, 'COMMIT');
    allVisible(log);
    expect(log.lastStableOffset).toBe(log.logEndOffset);
    await manager.close();
  });

  it('a version-1 snapshot (before transactions) is still read', async () => {
    const first = await openTestLog(dataDir);
    const original = await first.log.append(records(2), { leaderEpoch: 0, producerId: 8, producerEpoch: 3, baseSequence: 0 });
    const dir = first.log.dir;
    await first.manager.close();
    const [name] = await filesEnding(dir, '.snapshot');
    // FORMAT.md §12, version 1: one producer (8, epoch 3) with one batch (sequence 0, offsets 0..1).
    const v1 = Buffer.alloc(22 + 19 + 28);
    v1.writeInt32BE(0x4c575053, 0);
    v1.writeInt16BE(1, 4);
    v1.writeBigInt64BE(2n, 10);
    v1.writeInt32BE(1, 18);
    v1.writeBigInt64BE(8n, 22);
    v1.writeInt16BE(3, 30);
    v1.writeBigInt64BE(BigInt(Date.now()), 32);
    v1.writeInt8(1, 40);
    v1.writeInt32BE(0, 41);
    v1.writeBigInt64BE(0n, 45);
    v1.writeBigInt64BE(1n, 53);
    v1.writeBigInt64BE(1_700_000_000_000n, 61);
    v1.writeUInt32BE(crc32c(v1.subarray(10)), 6);
    await writeFile(path.join(dir, name!), v1);
    const { manager, log } = await openTestLog(dataDir);
    expect(await filesEnding(dir, '.snapshot')).toEqual([name]); // a file it could not read would have been deleted as damaged
    expect(await log.append(records(2), { leaderEpoch: 0, producerId: 8, producerEpoch: 3, baseSequence: 0 })).toMatchObject({
      baseOffset: original.baseOffset,
      duplicate: true,
    });
    expect(log.producerState.openTransactions().size).toBe(0);
    await manager.close();
  });

  it('truncation drops the aborts and transactions it cuts and keeps the ones before', async () => {
    const { manager, log } = await openTestLog(dataDir);
    await appendTxn(log, 1, 0, 2);
    const keptAbort = await appendMarker(log, 1, 'ABORT');
    const cutTxn = await appendTxn(log, 2, 0, 2);
    await appendMarker(log, 2, 'ABORT');
    await log.truncateTo(cutTxn.baseOffset + 1); // cuts inside 2's batch: it goes whole
    expect(log.logEndOffset).toBe(cutTxn.baseOffset);
    allVisible(log);
    expect(log.lastStableOffset).toBe(log.logEndOffset);
    expect(log.abortedTransactions(0, 100)).toMatchObject([{ producerId: 1, lastOffset: keptAbort.baseOffset }]);
    await manager.close();
    const reopened = await openTestLog(dataDir);
    expect(reopened.log.abortedTransactions(0, 100)).toMatchObject([{ producerId: 1, lastOffset: keptAbort.baseOffset }]);
    await reopened.manager.close();
  });

  it("retention deletes a segment's .txnindex with it", async () => {
    const config = { segmentBytes: 300, retentionBytes: 1 };
    const { manager, log } = await openTestLog(dataDir, { config: { segmentBytes: 300 } });
    await appendTxn(log, 1, 0, 2);
    await appendMarker(log, 1, 'ABORT');
    for (let i = 0; i < 6; i++) await log.append(records(2), { leaderEpoch: 0 });
    allVisible(log);
    expect(await filesEnding(log.dir, '.txnindex')).toEqual(['00000000000000000000.txnindex']);
    log.updateConfig({ ...log.config, ...config, cleanupPolicy: 'delete' });
    expect((await log.runRetention()).deletedSegments).toBeGreaterThan(0);
    expect(await filesEnding(log.dir, '.txnindex')).toEqual([]);
    expect(log.abortedTransactions(0, log.logEndOffset)).toEqual([]);
    await manager.close();
  });

  it('compaction merges the .txnindex of the segments it merges and keeps the markers', async () => {
    const config = { segmentBytes: 400, cleanupPolicy: 'compact' as const };
    const first = await openTestLog(dataDir, { config });
    const aborts = [];
    for (let i = 0; i < 6; i++) {
      const txn = await appendTxn(first.log, 1 + i, 0, 2, `t${i}-`);
      const marker = await appendMarker(first.log, 1 + i, i % 2 === 0 ? 'ABORT' : 'COMMIT');
      if (i % 2 === 0) aborts.push({ producerId: 1 + i, firstOffset: txn.baseOffset, lastOffset: marker.baseOffset });
    }
    for (let i = 0; i < 4; i++) await first.log.append(records(2, `p${i}-`), { leaderEpoch: 0 });
    allVisible(first.log);
    const before = first.log.segmentCount;
    first.log.updateConfig({ ...first.log.config, segmentBytes: 1_000_000 }); // the sealed segments fit one output: they merge
    expect((await first.log.compact())!.cleanedBytes).toBeGreaterThan(0);
    expect(first.log.segmentCount).toBeLessThan(before);
    await first.manager.close();
    const { manager, log } = await openTestLog(dataDir, { config });
    expect(log.abortedTransactions(0, log.logEndOffset)).toMatchObject(aborts);
    await manager.close();
  });

  it('compaction removes aborted records (they never supersede a committed key) and stops at an open transaction', async () => {
    const config = { segmentBytes: 300, cleanupPolicy: 'compact' as const };
    const { manager, log } = await openTestLog(dataDir, { config });
    await log.append(records(2, 'committed-'), { leaderEpoch: 0 }); // k0, k1
    await appendTxn(log, 1, 0, 2, 'aborted-'); // k0, k1 again, aborted below
    await appendMarker(log, 1, 'ABORT');
    const open = await appendTxn(log, 2, 0, 1, 'open-'); // k0, open: the cleaning must stop before it
    for (let i = 0; i < 6; i++)
      await log.append(
        [{ key: Buffer.from(`other-${i}`), value: Buffer.from('x'.repeat(100)), headers: [], timestampMs: 1_700_000_000_000 }],
        { leaderEpoch: 0 },
      );
    allVisible(log);
    expect(log.segmentBaseOffsets().length).toBeGreaterThan(2);
    log.updateConfig({ ...log.config, segmentBytes: 1_000_000 });
    await log.compact();
    const values = (await readAllValues(log)).map((r) => r.value);
    expect(values).toEqual(expect.arrayContaining(['committed-0', 'committed-1', 'open-0']));
    expect(values.filter((v) => v?.startsWith('aborted-'))).toEqual([]);
    expect(log.lastStableOffset).toBe(open.baseOffset);
    await manager.close();
  });
});
