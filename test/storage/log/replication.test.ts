import { CorruptRecordError, encodeRecordBatch, InvalidRecordError } from '../../../storage';
import { openTestLog, readAllValues, records } from '../../support/log-builders';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();

function leaderBatch(baseOffset: number, count: number, epoch: number): Buffer {
  return encodeRecordBatch(records(count, `e${epoch}-`), { baseOffset, partitionLeaderEpoch: epoch });
}

describe('replication API', () => {
  it('appends leader batches as a follower, keeping their offsets and epochs', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    await log.appendAsFollower(Buffer.concat([leaderBatch(0, 3, 1), leaderBatch(3, 2, 1), leaderBatch(5, 4, 2)]));
    expect(log.logEndOffset).toBe(9);
    expect(log.leaderEpochCache.entries()).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 2, startOffset: 5 },
    ]);
    expect(log.leaderEpochCache.endOffsetFor(1)).toBe(5);
    expect(log.leaderEpochCache.endOffsetFor(2)).toBe(9);
    expect(log.leaderEpochCache.endOffsetFor(0)).toBe(-1);
    await manager.close();
  });

  it('rejects follower batches that overlap the log or fail their CRC', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    await log.appendAsFollower(leaderBatch(0, 3, 1));
    await expect(log.appendAsFollower(leaderBatch(2, 3, 1))).rejects.toBeInstanceOf(InvalidRecordError);
    const bad = leaderBatch(3, 3, 1);
    bad[bad.length - 1] ^= 1;
    await expect(log.appendAsFollower(bad)).rejects.toBeInstanceOf(CorruptRecordError);
    expect(log.logEndOffset).toBe(3);
    await log.appendAsFollower(leaderBatch(3, 1, 1)); // still usable
    await manager.close();
  });

  it('truncates a divergent tail across segments and trims the epoch cache', async () => {
    const { manager, log } = await openTestLog(tmp.path, { config: { segmentBytes: 1_024 } });
    for (let i = 0; i < 20; i++) await log.append(records(3), { leaderEpoch: i < 10 ? 4 : 5 });
    log.updateHighWatermark(60);
    await log.truncateTo(31); // inside the batch [30, 32]: the whole batch goes
    expect(log.logEndOffset).toBe(30);
    expect(log.highWatermark).toBe(30);
    expect(log.leaderEpochCache.entries()).toEqual([{ epoch: 4, startOffset: 0 }]);
    expect((await readAllValues(log)).map((r) => r.offset)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const next = await log.append(records(1), { leaderEpoch: 6 });
    expect(next.baseOffset).toBe(30);
    await manager.close();
    const reopened = await openTestLog(tmp.path, { config: { segmentBytes: 1_024 } });
    expect(reopened.log.logEndOffset).toBe(31);
    expect(reopened.log.leaderEpochCache.entries()).toEqual([
      { epoch: 4, startOffset: 0 },
      { epoch: 6, startOffset: 30 },
    ]);
    await reopened.manager.close();
  });

  it('restarts the whole log empty at a later offset (truncateFullyAndStartAt) and survives a reopen', async () => {
    const { manager, log } = await openTestLog(tmp.path, { config: { segmentBytes: 1_024 } });
    for (let i = 0; i < 20; i++) await log.append(records(3), { leaderEpoch: 1 });
    await log.truncateFullyAndStartAt(500);
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark, log.segmentCount]).toEqual([500, 500, 500, 1]);
    expect(log.leaderEpochCache.entries()).toEqual([]);
    await log.appendAsFollower(leaderBatch(500, 2, 7));
    await manager.close();
    const reopened = await openTestLog(tmp.path, { config: { segmentBytes: 1_024 } });
    expect([reopened.log.logStartOffset, reopened.log.logEndOffset]).toEqual([500, 502]);
    expect(reopened.log.leaderEpochCache.entries()).toEqual([{ epoch: 7, startOffset: 500 }]);
    await reopened.manager.close();
  });

  it('keeps the high watermark monotonic and never past the log end', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    await log.append(records(5), { leaderEpoch: 0 });
    expect(log.updateHighWatermark(3)).toBe(true);
    expect(log.updateHighWatermark(2)).toBe(false);
    expect(log.highWatermark).toBe(3);
    expect(log.updateHighWatermark(99)).toBe(true);
    expect(log.highWatermark).toBe(5);
    await manager.close();
  });

  it('persists the high watermark in the checkpoint at close', async () => {
    const first = await openTestLog(tmp.path);
    await first.log.append(records(5), { leaderEpoch: 0 });
    first.log.updateHighWatermark(4);
    await first.manager.close();
    const second = await openTestLog(tmp.path);
    expect(second.log.highWatermark).toBe(4);
    await second.manager.close();
  });
});
