import * as fs from 'node:fs';
import * as path from 'node:path';
import { FsyncFailedError, LogManager, ManualClock, ManualScheduler } from '../../../storage';
import { MAINTENANCE_SLICE_LOGS } from '../../../storage/log/log-manager';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { records, testConfig } from '../../support/log-builders';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();

describe('LogManager', () => {
  it('refuses calls after close with the retriable LOG_CLOSED, not a bare RangeError', async () => {
    const clock = new ManualClock();
    const manager = await LogManager.open({ dataDir: tmp.path, clock, scheduler: new ManualScheduler(clock) });
    await manager.close();
    await expect(manager.openLog('metrics', 0, testConfig())).rejects.toMatchObject({ code: 'LOG_CLOSED', retriable: true });
  });

  it('runs retention for every log on ONE shared maintenance timer', async () => {
    const clock = new ManualClock();
    const scheduler = new ManualScheduler(clock);
    const manager = await LogManager.open({ dataDir: tmp.path, clock, scheduler });
    const config = testConfig({ segmentBytes: 1_024, retentionMs: 1_000 });
    const logs = await Promise.all([0, 1, 2].map((p) => manager.openLog('metrics', p, config)));
    for (const log of logs) {
      for (let i = 0; i < 30; i++) await log.append(records(3, 'v', clock.nowMs()), { leaderEpoch: 0 });
      log.updateHighWatermark(log.logEndOffset);
    }
    manager.startMaintenance(5_000);
    expect(scheduler.pending).toBe(1);
    await scheduler.advance(10_000);
    for (const log of logs) expect(log.segmentCount).toBe(1);
    await manager.close();
    expect(scheduler.pending).toBe(0);
  });

  it('flushes logs whose unflushed data is older than flush.ms during maintenance', async () => {
    const clock = new ManualClock();
    const faulty = new FaultyFileSystem();
    const manager = await LogManager.open({ dataDir: tmp.path, clock, fs: faulty });
    const log = await manager.openLog('t', 0, testConfig({ flushMessages: 1_000_000, flushMs: 1_000 }));
    await log.append(records(2), { leaderEpoch: 0 });
    expect(log.recoveryPoint).toBe(0);
    await manager.runMaintenance();
    expect(log.recoveryPoint).toBe(0);
    clock.advance(1_000);
    await manager.runMaintenance();
    expect(log.recoveryPoint).toBe(2);
    await manager.close();
  });

  it('returns the same log for concurrent opens of one partition', async () => {
    const manager = await LogManager.open({ dataDir: tmp.path });
    const [a, b] = await Promise.all([manager.openLog('t', 0, testConfig()), manager.openLog('t', 0, testConfig())]);
    expect(a).toBe(b);
    expect(manager.getLog('t', 0)).toBe(a);
    expect(manager.getLog('t', 1)).toBeUndefined();
    await manager.close();
  });

  it('deletes a log by renaming its directory first, and finishes an interrupted delete at open', async () => {
    const manager = await LogManager.open({ dataDir: tmp.path });
    const log = await manager.openLog('gone', 0, testConfig());
    await log.append(records(3), { leaderEpoch: 0 });
    await manager.openLog('kept', 0, testConfig());
    await manager.deleteLog('gone', 0);
    expect(manager.getLog('gone', 0)).toBeUndefined();
    expect(fs.existsSync(path.join(tmp.path, 'gone-0'))).toBe(false);
    await manager.close();
    // A crash between rename and removal leaves a -delete directory: the next open removes it.
    fs.mkdirSync(path.join(tmp.path, 'kept-0.123-delete'));
    fs.writeFileSync(path.join(tmp.path, 'kept-0.123-delete', '00000000000000000000.log'), 'x');
    const again = await LogManager.open({ dataDir: tmp.path });
    await again.whenDeletesDone(); // removed in the background, after open
    expect(fs.readdirSync(tmp.path).filter((n) => n.endsWith('-delete'))).toEqual([]);
    expect(again.listLogs()).toEqual([{ topic: 'kept', partition: 0, metadata: null }]);
    await again.close();
  });

  it('opens 300 partitions after a clean shutdown without scanning their segments', async () => {
    const first = await LogManager.open({ dataDir: tmp.path });
    const config = testConfig({ segmentBytes: 4_096 });
    for (let p = 0; p < 300; p++) {
      const log = await first.openLog('wide', p, { ...config, flushMessages: 1_000_000 });
      if (p % 100 === 0) for (let i = 0; i < 60; i++) await log.append(records(4), { leaderEpoch: 0 });
    }
    await first.close();
    const faulty = new FaultyFileSystem();
    const second = await LogManager.open({ dataDir: tmp.path, fs: faulty });
    for (let p = 0; p < 300; p++) await second.openLog('wide', p, config);
    // Per partition: at most the active segment's tail is read (one small read), never whole segments.
    expect(faulty.count('read')).toBeLessThanOrEqual(300 + 3 * 3);
    expect(second.getLog('wide', 100)!.logEndOffset).toBe(240);
    await second.close();
  });

  it('does not write the clean-shutdown marker after an unclean start when a found log was never opened', async () => {
    const dying = new FaultyFileSystem();
    const first = await LogManager.open({ dataDir: tmp.path, fs: dying });
    await (await first.openLog('a', 0, testConfig())).append(records(1), { leaderEpoch: 0 });
    await (await first.openLog('b', 0, testConfig())).append(records(1), { leaderEpoch: 0 });
    await dying.abandon(); // crash: no close
    const second = await LogManager.open({ dataDir: tmp.path });
    await second.openLog('a', 0, testConfig());
    await second.close();
    expect(fs.existsSync(path.join(tmp.path, '.kafka_cleanshutdown'))).toBe(false);
    const third = await LogManager.open({ dataDir: tmp.path });
    await third.openLog('a', 0, testConfig());
    const b = await third.openLog('b', 0, testConfig());
    expect(b.logEndOffset).toBe(1);
    await third.close();
    expect(fs.existsSync(path.join(tmp.path, '.kafka_cleanshutdown'))).toBe(true);
  });

  it('closes segment file handles that were idle, and reopens them on the next read', async () => {
    const clock = new ManualClock();
    const faulty = new FaultyFileSystem();
    const manager = await LogManager.open({ dataDir: tmp.path, clock, fs: faulty, idleHandleMs: 30_000 });
    const log = await manager.openLog('t', 0, testConfig({ segmentBytes: 1_024 }));
    for (let i = 0; i < 30; i++) await log.append(records(3), { leaderEpoch: 0 });
    log.updateHighWatermark(log.logEndOffset);
    await log.read(0, { maxBytes: 100_000 });
    expect(faulty.openHandleCount).toBeGreaterThan(1);
    clock.advance(30_000);
    await manager.runMaintenance();
    expect(faulty.openHandleCount).toBe(0);
    expect((await log.read(0, { maxBytes: 100_000 })).length).toBeGreaterThan(0);
    await manager.close();
  });

  it('keeps the handle of a segment with unflushed writes open (its fsync must use the writing descriptor)', async () => {
    const clock = new ManualClock();
    const faulty = new FaultyFileSystem();
    const manager = await LogManager.open({ dataDir: tmp.path, clock, fs: faulty, idleHandleMs: 1_000 });
    const log = await manager.openLog('t', 0, testConfig({ flushMessages: 1_000_000 }));
    await log.append(records(3), { leaderEpoch: 0 });
    clock.advance(10_000);
    await manager.runMaintenance();
    expect(faulty.openHandleCount).toBe(1);
    await log.flush();
    clock.advance(10_000);
    await manager.runMaintenance();
    expect(faulty.openHandleCount).toBe(0);
    await manager.close();
  });

  it('compacts during maintenance only when something new was sealed or tombstones may have expired', async () => {
    const clock = new ManualClock();
    const faulty = new FaultyFileSystem();
    const manager = await LogManager.open({ dataDir: tmp.path, clock, fs: faulty });
    const log = await manager.openLog('t', 0, testConfig({ segmentBytes: 1_024, cleanupPolicy: 'compact', deleteRetentionMs: 3_600_000 }));
    for (let i = 0; i < 60; i++)
      await log.append([{ key: Buffer.from(`k${i % 3}`), value: Buffer.from(`v${i}`), headers: [], timestampMs: clock.nowMs() }], {
        leaderEpoch: 0,
      });
    const sizeBefore = log.sizeBytes;
    await manager.runMaintenance();
    expect(log.sizeBytes).toBeLessThan(sizeBefore);
    const renamesAfterFirst = faulty.count('rename');
    await manager.runMaintenance();
    expect(faulty.count('rename') - renamesAfterFirst).toBe(2); // only the two checkpoints, no compaction swap
    await manager.close();
  });

  it('rethrows a fatal fsync error from maintenance', async () => {
    const faulty = new FaultyFileSystem();
    const manager = await LogManager.open({ dataDir: tmp.path, fs: faulty });
    const log = await manager.openLog('t', 0, testConfig({ flushMessages: 1_000_000 }));
    await log.append(records(1), { leaderEpoch: 0 });
    faulty.failFsync = true;
    await expect(manager.runMaintenance()).rejects.toBeInstanceOf(FsyncFailedError);
    expect(() => manager.listLogs()).not.toThrow();
    await expect(manager.openLog('t', 1, testConfig())).rejects.toBeInstanceOf(FsyncFailedError);
    await faulty.abandon();
  });
});

describe('LogManager maintenance slices', () => {
  /** Counts monotonicMs() calls: flushIfDue asks once per log with unflushed data and flush.ms set. */
  class CountingClock extends ManualClock {
    calls = 0;
    override monotonicMs(): number {
      this.calls++;
      return super.monotonicMs();
    }
  }

  it('yields to the event loop between slices of logs, so a pass over many logs is not one long task', async () => {
    const clock = new CountingClock();
    const manager = await LogManager.open({ dataDir: tmp.path, clock, scheduler: new ManualScheduler(clock), freeSpace: false });
    const config = testConfig({ flushMessages: 1_000_000, flushMs: 1_000_000_000 }); // unflushed, never due
    const count = MAINTENANCE_SLICE_LOGS * 2 + 10;
    for (let p = 0; p < count; p++)
      await (await manager.openLog('many', p, config)).append(records(1, 'v', clock.nowMs()), { leaderEpoch: 0 });
    clock.calls = 0;
    const pass = manager.runMaintenance();
    await new Promise((resolve) => setImmediate(resolve)); // queued before the pass's first yield
    const visitedBeforeFirstYield = clock.calls;
    await pass;
    expect(visitedBeforeFirstYield).toBeGreaterThan(0);
    expect(visitedBeforeFirstYield).toBeLessThanOrEqual(MAINTENANCE_SLICE_LOGS);
    expect(clock.calls).toBeGreaterThanOrEqual(count);
    await manager.close();
  });
});
