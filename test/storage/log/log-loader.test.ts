import * as fs from 'node:fs';
import * as path from 'node:path';
import { CorruptLogError, CorruptRecordError, FsyncFailedError, LogManager } from '../../../storage';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { openCrashableLog, openTestLog, readAllValues, records, testConfig } from '../../support/log-builders';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();
const SEGMENT_BYTES = 2_048;

function partitionDir(): string {
  return path.join(tmp.path, 'events-0');
}
function segmentFiles(suffix: string): string[] {
  return fs
    .readdirSync(partitionDir())
    .filter((n) => n.endsWith(suffix))
    .sort()
    .map((n) => path.join(partitionDir(), n));
}

/** Writes `batchCount` batches of 4 records; closes cleanly or leaves the log "crashed". */
async function writeLog(batchCount: number, clean: boolean): Promise<void> {
  const { manager, log, crash } = await openCrashableLog(tmp.path, { config: { segmentBytes: SEGMENT_BYTES, indexIntervalBytes: 256 } });
  for (let i = 0; i < batchCount; i++) await log.append(records(4, `b${i}-`), { leaderEpoch: 2 });
  if (clean) await manager.close();
  else await crash();
}

async function reopen() {
  return openTestLog(tmp.path, { config: { segmentBytes: SEGMENT_BYTES, indexIntervalBytes: 256 } });
}

describe('log loader', () => {
  describe('torn tails on the active segment (unclean shutdown)', () => {
    const tails: [string, (file: string) => void][] = [
      ['4 KiB of zeros', (file) => fs.appendFileSync(file, Buffer.alloc(4_096))],
      ['random garbage', (file) => fs.appendFileSync(file, Buffer.from(Array.from({ length: 777 }, (_, i) => (i * 131 + 7) & 0xff)))],
      [
        'half a batch',
        (file) => {
          const bytes = fs.readFileSync(file);
          fs.appendFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2) > 40 ? 40 : 20));
        },
      ],
    ];
    it.each(tails)('truncates %s and keeps every record before it', async (_name, damage) => {
      await writeLog(10, false);
      const active = segmentFiles('.log').at(-1)!;
      const sizeBefore = fs.statSync(active).size;
      damage(active);
      const { manager, log } = await reopen();
      expect(log.logEndOffset).toBe(40);
      expect(fs.statSync(active).size).toBe(sizeBefore);
      expect(log.openRecovery.truncatedBytes).toBeGreaterThan(0);
      expect((await readAllValues(log)).map((r) => r.offset)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      await log.append(records(1), { leaderEpoch: 2 });
      expect(log.logEndOffset).toBe(41);
      await manager.close();
    });

    it('cuts the last batch when it was written only halfway', async () => {
      await writeLog(10, false);
      const active = segmentFiles('.log').at(-1)!;
      const size = fs.statSync(active).size;
      fs.truncateSync(active, size - 10);
      const { manager, log } = await reopen();
      expect(log.logEndOffset).toBe(36);
      await manager.close();
    });
  });

  describe('corruption that is not a torn tail', () => {
    it('refuses to open when a sealed segment has a flipped bit, naming file and position', async () => {
      await writeLog(30, false);
      const sealed = segmentFiles('.log')[0]!;
      const bytes = fs.readFileSync(sealed);
      bytes[200] ^= 0x10;
      fs.writeFileSync(sealed, bytes);
      // Rolls checkpoint the recovery point (sealed segments are then trusted at open and CRC-checked
      // by reads); without the checkpoint the recovery point is unknown and every segment is scanned.
      fs.rmSync(path.join(tmp.path, 'recovery-point-offset-checkpoint'));
      const error = await reopen().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptLogError);
      expect((error as CorruptLogError).details).toMatchObject({ path: sealed });
      expect(typeof (error as CorruptLogError).details.position).toBe('number');
    });

    it('refuses to truncate a CRC failure in the active segment that has valid batches after it', async () => {
      await writeLog(5, false);
      const active = segmentFiles('.log').at(-1)!;
      const bytes = fs.readFileSync(active);
      bytes[70] ^= 0xff; // inside the first batch's records
      fs.writeFileSync(active, bytes);
      await expect(reopen()).rejects.toBeInstanceOf(CorruptLogError);
    });

    it('never serves a corrupted batch after a clean open: reads fail with CorruptRecordError', async () => {
      await writeLog(30, true);
      const sealed = segmentFiles('.log')[0]!;
      const bytes = fs.readFileSync(sealed);
      bytes[100] ^= 0x01;
      fs.writeFileSync(sealed, bytes);
      const { manager, log } = await reopen();
      log.updateHighWatermark(log.logEndOffset);
      const error = await log.read(0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptRecordError);
      expect((error as CorruptRecordError).details).toMatchObject({ path: sealed, position: 0 });
      await manager.close();
    });
  });

  describe('indexes', () => {
    const damages: [string, (file: string) => void][] = [
      ['truncated mid-entry', (file) => fs.truncateSync(file, Math.max(0, fs.statSync(file).size - 3))],
      [
        'non-monotonic',
        (file) => {
          const bytes = fs.readFileSync(file);
          if (bytes.length >= 16) bytes.copy(bytes, bytes.length - 8, 0, 8);
          fs.writeFileSync(file, bytes);
        },
      ],
      ['deleted', (file) => fs.unlinkSync(file)],
    ];
    const offsetIndexDamages: [string, (file: string) => void][] = [
      ...damages,
      [
        'pointing into the middle of a batch',
        (file) => {
          const bytes = fs.readFileSync(file);
          bytes.writeInt32BE(bytes.readInt32BE(bytes.length - 4) + 7, bytes.length - 4); // last entry's position off by 7
          fs.writeFileSync(file, bytes);
        },
      ],
    ];
    it.each(offsetIndexDamages)('rebuilds a %s offset index of a sealed segment from the log', async (_name, damage) => {
      await writeLog(30, true);
      damage(segmentFiles('.index')[0]!);
      const { manager, log } = await reopen();
      log.updateHighWatermark(log.logEndOffset);
      expect((await readAllValues(log)).length).toBe(120);
      expect((await log.read(13))[0]!.baseOffset).toBe(12);
      for (let offset = 0; offset < 120; offset++) {
        const [first] = await log.read(offset, { maxBytes: 1 });
        expect(first!.baseOffset).toBe(offset - (offset % 4)); // every lookup lands on its batch
      }
      await manager.close();
    });

    it.each(damages)('rebuilds a %s time index and still answers offsetForTimestamp', async (_name, damage) => {
      const { manager, log } = await openTestLog(tmp.path, { config: { segmentBytes: SEGMENT_BYTES, indexIntervalBytes: 256 } });
      for (let i = 0; i < 30; i++) await log.append(records(4, `b${i}-`, 1_000 + i), { leaderEpoch: 0 });
      await manager.close();
      damage(segmentFiles('.timeindex')[0]!);
      const reopened = await reopen();
      expect(await reopened.log.offsetForTimestamp(1_005)).toBe(20);
      expect(await reopened.log.offsetForTimestamp(999)).toBe(0);
      expect(await reopened.log.offsetForTimestamp(5_000)).toBeNull();
      await reopened.manager.close();
    });
  });

  describe('recovery point', () => {
    it('CRC-checks only the segments from the checkpointed recovery point after an unclean shutdown', async () => {
      const { manager, log, crash } = await openCrashableLog(tmp.path, {
        config: { segmentBytes: SEGMENT_BYTES, indexIntervalBytes: 256 },
      });
      for (let i = 0; i < 40; i++) await log.append(records(4, `b${i}-`), { leaderEpoch: 2 });
      await manager.runMaintenance(); // writes recovery-point-offset-checkpoint = 160
      for (let i = 0; i < 15; i++) await log.append(records(4, `c${i}-`), { leaderEpoch: 2 });
      const segments = log.segmentBaseOffsets();
      // Each roll rewrote the checkpoint after sealing: the recovery point is the active segment's base.
      const checkpointText = fs.readFileSync(path.join(tmp.path, 'recovery-point-offset-checkpoint'), 'utf8');
      const recoveryPoint = Number(checkpointText.trim().split('\n')[2]!.split(' ')[2]);
      expect(recoveryPoint).toBe(segments[segments.length - 1]);
      const fromCheckpoint = segments.filter((base, i) => (segments[i + 1] ?? Infinity) > recoveryPoint).length;
      expect(fromCheckpoint).toBeLessThan(segments.length);
      await crash(); // no close
      const reopened = await reopen();
      expect(reopened.log.openRecovery.recoveredSegmentCount).toBe(fromCheckpoint);
      expect(reopened.log.logEndOffset).toBe(220);
      await reopened.manager.close();
    });
  });

  describe('checkpoints', () => {
    it('rebuilds a corrupt leader-epoch checkpoint from the batches', async () => {
      const { manager, log } = await openTestLog(tmp.path);
      await log.append(records(2), { leaderEpoch: 1 });
      await log.append(records(2), { leaderEpoch: 3 });
      await manager.close();
      fs.writeFileSync(path.join(partitionDir(), 'leader-epoch-checkpoint'), 'garbage\n1\n');
      const reopened = await openTestLog(tmp.path);
      expect(reopened.log.leaderEpochCache.entries()).toEqual([
        { epoch: 1, startOffset: 0 },
        { epoch: 3, startOffset: 2 },
      ]);
      await reopened.manager.close();
    });

    it('treats corrupt recovery-point and high-watermark checkpoints as unknown (full scan, HW 0)', async () => {
      await writeLog(20, false);
      fs.writeFileSync(path.join(tmp.path, 'recovery-point-offset-checkpoint'), '0\n5\nnot numbers\n');
      fs.writeFileSync(path.join(tmp.path, 'replication-offset-checkpoint'), '\u0000\u0000');
      const { manager, log } = await reopen();
      expect(log.logEndOffset).toBe(80);
      expect(log.highWatermark).toBe(0);
      await manager.close();
    });

    it('removes the clean-shutdown marker before loading, so a crash after open means recovery', async () => {
      await writeLog(3, true);
      const marker = path.join(tmp.path, '.kafka_cleanshutdown');
      expect(fs.existsSync(marker)).toBe(true);
      const manager = await LogManager.open({ dataDir: tmp.path });
      expect(manager.openedAfterCleanShutdown).toBe(true);
      expect(fs.existsSync(marker)).toBe(false);
      const again = await LogManager.open({ dataDir: tmp.path });
      expect(again.openedAfterCleanShutdown).toBe(false);
      await again.close();
    });
  });

  describe('fsync failure', () => {
    it('is fatal: the append fails with FsyncFailedError and the log refuses everything after', async () => {
      const faulty = new FaultyFileSystem();
      const manager = await LogManager.open({ dataDir: tmp.path, fs: faulty });
      const log = await manager.openLog('events', 0, testConfig());
      await log.append(records(1), { leaderEpoch: 0 });
      faulty.failFsync = true;
      await expect(log.append(records(1), { leaderEpoch: 0 })).rejects.toBeInstanceOf(FsyncFailedError);
      faulty.failFsync = false;
      await expect(log.append(records(1), { leaderEpoch: 0 })).rejects.toBeInstanceOf(FsyncFailedError);
      await expect(log.read(0)).rejects.toBeInstanceOf(FsyncFailedError);
      await expect(manager.close()).rejects.toBeInstanceOf(FsyncFailedError);
      expect(fs.existsSync(path.join(tmp.path, '.kafka_cleanshutdown'))).toBe(false);
      await faulty.abandon();
    });
  });
});
