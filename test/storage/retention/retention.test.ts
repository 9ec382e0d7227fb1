import * as fs from 'node:fs';
import * as path from 'node:path';
import { openTestLog, readAllValues, records } from '../../support/log-builders';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();

describe('retention', () => {
  it('deletes sealed segments older than retention.ms as the clock moves, never the active one', async () => {
    const { manager, log, clock } = await openTestLog(tmp.path, { config: { segmentBytes: 1_024, retentionMs: 60_000 } });
    for (let i = 0; i < 30; i++) {
      await log.append(records(3, `r${i}-`, clock.nowMs()), { leaderEpoch: 0 });
      clock.advance(1_000);
    }
    log.updateHighWatermark(log.logEndOffset);
    const segments = log.segmentCount;
    expect(segments).toBeGreaterThan(3);
    expect(await log.runRetention()).toEqual({ deletedSegments: 0 });
    clock.advance(45_000); // the first segments' newest records are now > 60 s old
    const { deletedSegments } = await log.runRetention();
    expect(deletedSegments).toBeGreaterThan(0);
    expect(deletedSegments).toBeLessThan(segments);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets()[0]);
    const values = await readAllValues(log);
    expect(values[0]!.offset).toBe(log.logStartOffset);
    clock.advance(10_000_000);
    await log.runRetention();
    expect(log.segmentCount).toBe(1); // the active segment stays
    expect(log.logEndOffset).toBe(90);
    const files = fs.readdirSync(path.join(tmp.path, 'events-0'));
    expect(files.filter((f) => f.endsWith('.log'))).toHaveLength(1);
    expect(files.filter((f) => f.includes('.deleted'))).toEqual([]);
    await manager.close();
  });

  it('deletes the oldest segments while the log is bigger than retention.bytes', async () => {
    const { manager, log } = await openTestLog(tmp.path, { config: { segmentBytes: 1_024, retentionBytes: 3_000 } });
    for (let i = 0; i < 100; i++) await log.append(records(3), { leaderEpoch: 0 });
    log.updateHighWatermark(log.logEndOffset);
    const before = log.sizeBytes;
    const { deletedSegments } = await log.runRetention();
    expect(deletedSegments).toBeGreaterThan(0);
    expect(log.sizeBytes).toBeLessThan(before);
    expect(log.sizeBytes).toBeGreaterThanOrEqual(3_000);
    await manager.close();
  });

  it('never deletes records at or above the high watermark', async () => {
    const { manager, log, clock } = await openTestLog(tmp.path, { config: { segmentBytes: 1_024, retentionMs: 1 } });
    for (let i = 0; i < 30; i++) await log.append(records(3, 'v', clock.nowMs()), { leaderEpoch: 0 });
    clock.advance(1_000);
    expect(await log.runRetention()).toEqual({ deletedSegments: 0 });
    log.updateHighWatermark(log.segmentBaseOffsets()[2]!);
    expect(await log.runRetention()).toEqual({ deletedSegments: 2 });
    await manager.close();
  });

  it('keeps everything with retention.ms -1 and cleanup.policy compact', async () => {
    const forever = await openTestLog(tmp.path, { config: { segmentBytes: 1_024, retentionMs: -1 } });
    for (let i = 0; i < 30; i++) await forever.log.append(records(3, 'v', 0), { leaderEpoch: 0 });
    forever.log.updateHighWatermark(90);
    expect(await forever.log.runRetention()).toEqual({ deletedSegments: 0 });
    forever.log.updateConfig({ ...forever.log.config, retentionMs: 1, cleanupPolicy: 'compact' });
    expect(await forever.log.runRetention()).toEqual({ deletedSegments: 0 });
    await forever.manager.close();
  });

  it('moves the leader-epoch cache start with the log start', async () => {
    const { manager, log, clock } = await openTestLog(tmp.path, { config: { segmentBytes: 1_024, retentionMs: 10 } });
    for (let i = 0; i < 30; i++) await log.append(records(3, 'v', clock.nowMs()), { leaderEpoch: i < 5 ? 1 : 2 });
    log.updateHighWatermark(log.logEndOffset);
    clock.advance(1_000);
    await log.runRetention();
    const entries = log.leaderEpochCache.entries();
    expect(entries[0]!.startOffset).toBe(log.logStartOffset);
    expect(entries.at(-1)!.epoch).toBe(2);
    await manager.close();
  });
});
