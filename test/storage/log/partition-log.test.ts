import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeRecordBatch, LogManager, OffsetOutOfRangeError, RecordTooLargeError } from '../../../storage';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { openCrashableLog, openTestLog, readAllValues, record, records } from '../../support/log-builders';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();

describe('PartitionLog', () => {
  describe('append', () => {
    it('assigns consecutive offsets across appends and reports them', async () => {
      const { manager, log } = await openTestLog(tmp.path);
      const first = await log.append(records(3), { leaderEpoch: 0 });
      const second = await log.append(records(2), { leaderEpoch: 0 });
      expect([first.baseOffset, first.lastOffset, second.baseOffset, second.lastOffset]).toEqual([0, 2, 3, 4]);
      expect(log.logEndOffset).toBe(5);
      expect(first.logAppendTimeMs).toBe(-1);
      await manager.close();
    });

    it('stamps the broker time on LogAppendTime topics', async () => {
      const { manager, log, clock } = await openTestLog(tmp.path, { config: { messageTimestampType: 'LogAppendTime' } });
      const result = await log.append([record('a', '1', 5)], { leaderEpoch: 0 });
      expect(result.logAppendTimeMs).toBe(clock.nowMs());
      const [batch] = await log.read(0, { maxOffset: 1 });
      expect(decodeRecordBatch(batch!.bytes).records[0]!.timestampMs).toBe(clock.nowMs());
      await manager.close();
    });

    it('rejects a batch over max.message.bytes without appending it', async () => {
      const { manager, log } = await openTestLog(tmp.path, { config: { maxMessageBytes: 200 } });
      await expect(log.append([record('k', 'x'.repeat(300))], { leaderEpoch: 0 })).rejects.toBeInstanceOf(RecordTooLargeError);
      expect(log.logEndOffset).toBe(0);
      await manager.close();
    });

    it('lets concurrent appends share one fsync (group commit)', async () => {
      const faulty = new FaultyFileSystem();
      const { manager, log } = await openTestLog(tmp.path, { fs: faulty });
      await log.append(records(1), { leaderEpoch: 0 }); // warm up: handle open, epoch checkpoint
      const before = faulty.count('sync');
      const results = await Promise.all(Array.from({ length: 50 }, () => log.append(records(2), { leaderEpoch: 0 })));
      const fsyncs = faulty.count('sync') - before;
      expect(new Set(results.map((r) => r.baseOffset)).size).toBe(50);
      expect(fsyncs).toBeGreaterThanOrEqual(1);
      expect(fsyncs).toBeLessThanOrEqual(3); // first append alone, the other 49 queued behind it
      await manager.close();
    });

    it('does not fsync per append when flush.messages is large', async () => {
      const faulty = new FaultyFileSystem();
      const { manager, log } = await openTestLog(tmp.path, { fs: faulty, config: { flushMessages: 1_000_000 } });
      await log.append(records(1), { leaderEpoch: 0 });
      const before = faulty.count('sync');
      for (let i = 0; i < 20; i++) await log.append(records(1), { leaderEpoch: 0 });
      expect(faulty.count('sync') - before).toBe(0);
      expect(log.recoveryPoint).toBe(0);
      await log.flush();
      expect(log.recoveryPoint).toBe(21);
      await manager.close();
    });

    it('fsyncs every flush.messages messages', async () => {
      const faulty = new FaultyFileSystem();
      const { manager, log } = await openTestLog(tmp.path, { fs: faulty, config: { flushMessages: 10 } });
      await log.append(records(1), { leaderEpoch: 0 });
      const before = faulty.count('sync');
      for (let i = 0; i < 30; i++) await log.append(records(1), { leaderEpoch: 0 });
      expect(faulty.count('sync') - before).toBe(3);
      await manager.close();
    });
  });

  describe('read', () => {
    it('returns the whole batch containing a fetch offset in the middle of it', async () => {
      const { manager, log } = await openTestLog(tmp.path);
      await log.append(records(5), { leaderEpoch: 0 });
      await log.append(records(5), { leaderEpoch: 0 });
      log.updateHighWatermark(10);
      const batches = await log.read(7);
      expect(batches.map((b) => [b.baseOffset, b.lastOffset])).toEqual([[5, 9]]);
      await manager.close();
    });

    it('never returns data at or above the high watermark by default', async () => {
      const { manager, log } = await openTestLog(tmp.path);
      await log.append(records(3), { leaderEpoch: 0 });
      await log.append(records(3), { leaderEpoch: 0 });
      expect(await log.read(0)).toEqual([]);
      log.updateHighWatermark(3);
      expect((await log.read(0)).map((b) => b.baseOffset)).toEqual([0]);
      await manager.close();
    });

    it('stops at maxBytes but returns at least one batch', async () => {
      const { manager, log } = await openTestLog(tmp.path);
      for (let i = 0; i < 5; i++) await log.append(records(10), { leaderEpoch: 0 });
      log.updateHighWatermark(50);
      expect(await log.read(0, { maxBytes: 1 })).toHaveLength(1);
      expect(await log.read(0, { maxBytes: 1, minOneBatch: false })).toHaveLength(0);
      await manager.close();
    });

    it('rejects fetch offsets outside [logStartOffset, logEndOffset]', async () => {
      const { manager, log } = await openTestLog(tmp.path);
      await log.append(records(3), { leaderEpoch: 0 });
      await expect(log.read(4)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
      expect(await log.read(3, { maxOffset: 3 })).toEqual([]);
      await manager.close();
    });
  });

  describe('roll', () => {
    it('rolls by size and reads across segments', async () => {
      const { manager, log } = await openTestLog(tmp.path, { config: { segmentBytes: 1_024 } });
      for (let i = 0; i < 40; i++) await log.append(records(3, `value-${i}-`), { leaderEpoch: 0 });
      expect(log.segmentCount).toBeGreaterThan(3);
      const values = await readAllValues(log);
      expect(values.map((v) => v.offset)).toEqual(Array.from({ length: 120 }, (_, i) => i));
      await manager.close();
    });

    it('measures segment age after a reopen from the first batch of the active segment', async () => {
      const first = await openTestLog(tmp.path, { config: { segmentMs: 10_000 } });
      await first.log.append(records(1, 'v', first.clock.nowMs()), { leaderEpoch: 0 });
      await first.manager.close();
      const clock = first.clock;
      clock.advance(9_000);
      const second = await openTestLog(tmp.path, { config: { segmentMs: 10_000 }, clock });
      await second.log.append(records(1, 'v', clock.nowMs()), { leaderEpoch: 0 });
      expect(second.log.segmentCount).toBe(1);
      clock.advance(1_000);
      await second.log.append(records(1, 'v', clock.nowMs()), { leaderEpoch: 0 });
      expect(second.log.segmentBaseOffsets()).toEqual([0, 2]);
      await second.manager.close();
    });

    it('rolls by age (segment.ms) on the next append', async () => {
      const { manager, log, clock } = await openTestLog(tmp.path, { config: { segmentMs: 1_000 } });
      await log.append(records(1), { leaderEpoch: 0 });
      clock.advance(999);
      await log.append(records(1), { leaderEpoch: 0 });
      expect(log.segmentCount).toBe(1);
      clock.advance(1);
      await log.append(records(1), { leaderEpoch: 0 });
      expect(log.segmentBaseOffsets()).toEqual([0, 2]);
      await manager.close();
    });
  });

  describe('reopen', () => {
    it('after a clean shutdown keeps every record and does not scan segments', async () => {
      const first = await openTestLog(tmp.path, { config: { segmentBytes: 2_048 } });
      for (let i = 0; i < 30; i++) await first.log.append(records(4), { leaderEpoch: 1 });
      first.log.updateHighWatermark(100);
      await first.manager.close();
      expect(fs.existsSync(path.join(tmp.path, '.kafka_cleanshutdown'))).toBe(true);

      const faulty = new FaultyFileSystem();
      const second = await openTestLog(tmp.path, { config: { segmentBytes: 2_048 }, fs: faulty });
      expect(fs.existsSync(path.join(tmp.path, '.kafka_cleanshutdown'))).toBe(false);
      expect(second.log.logEndOffset).toBe(120);
      expect(second.log.highWatermark).toBe(100);
      expect(second.log.openRecovery).toEqual({ truncatedBytes: 0, recoveredSegmentCount: 0 });
      // Only the active segment is touched: its .log opened once (the tail after the last index entry).
      const logOpens = faulty.count('open');
      expect(logOpens).toBeLessThanOrEqual(2);
      expect((await readAllValues(second.log)).length).toBe(120);
      await second.manager.close();
    });

    it('after an unclean shutdown recovers every acknowledged record', async () => {
      const first = await openCrashableLog(tmp.path, { config: { segmentBytes: 2_048 } });
      for (let i = 0; i < 30; i++) await first.log.append(records(4), { leaderEpoch: 1 });
      await first.crash(); // no close(): the process "died"
      const second = await openTestLog(tmp.path, { config: { segmentBytes: 2_048 } });
      expect(second.log.logEndOffset).toBe(120);
      expect((await readAllValues(second.log)).length).toBe(120);
      expect(second.log.leaderEpochCache.entries()).toEqual([{ epoch: 1, startOffset: 0 }]);
      await second.manager.close();
    });

    it('discovers logs on disk at open', async () => {
      const first = await openTestLog(tmp.path, { topic: 'a-b' });
      await first.manager.openLog('c', 3, first.log.config);
      await first.manager.close();
      const manager = await LogManager.open({ dataDir: tmp.path });
      expect(manager.listLogs().sort((x, y) => x.topic.localeCompare(y.topic))).toEqual([
        { topic: 'a-b', partition: 0, metadata: null },
        { topic: 'c', partition: 3, metadata: null },
      ]);
      await manager.close();
    });
  });
});
