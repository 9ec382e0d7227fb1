/**
 * The free-space guard (storage/log/free-space-guard.ts) on its own with a scripted volume, and
 * through LogManager with the fault-injecting file system reporting a nearly full disk; plus the
 * fallback it must not weaken: a real ENOSPC mid-batch loses no acknowledged record and leaves no
 * partial batch readable (docs/RELIABILITY.md R15, row 54).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { FileSystem, LogRecordInput, VolumeSpace } from '../../../storage';
import {
  encodeRecordBatch,
  InsufficientFreeSpaceError,
  LogManager,
  ManualClock,
  PartitionLog,
  uncompressedBatchSizeBytes,
} from '../../../storage';
import { estimateBatchBytes, FreeSpaceGuard, type FreeSpaceGuardOptions } from '../../../storage/log/free-space-guard';
import { GuardedPartitionLog } from '../../../storage/log/guarded-partition-log';
import { CLEAN_SHUTDOWN_FILE } from '../../../storage/segment/file-names';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { readAllValues, record, records, testConfig } from '../../support/log-builders';
import { prng } from '../../support/prng';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const LOG = { topic: 'events', partition: 0 };
const BATCH_MAX = 1_048_588; // max.message.bytes' default

/** One record whose estimated batch is exactly `bytes` (batch header 61 B + record fields 36 B + value). */
function batchOf(bytes: number): LogRecordInput[] {
  return [{ key: null, value: Buffer.alloc(bytes - 97), headers: [], timestampMs: 0 }];
}

/** A volume the test sets, and a count of statfs calls. */
function scriptedVolume(space: VolumeSpace) {
  const volume = { space, statfsCalls: 0, fail: null as Error | null };
  const fs = {
    async statfs() {
      volume.statfsCalls++;
      if (volume.fail) throw volume.fail;
      return { ...volume.space };
    },
  } as unknown as FileSystem;
  return { volume, fs };
}

async function openGuard(space: VolumeSpace, options: FreeSpaceGuardOptions = {}) {
  const { volume, fs } = scriptedVolume(space);
  const clock = new ManualClock();
  const guard = new FreeSpaceGuard(fs, clock, '/data', options);
  await guard.refresh();
  return { guard, volume, clock };
}

describe('FreeSpaceGuard', () => {
  describe('threshold', () => {
    it('keeps min(1 GiB, 5% of the volume) free by default', async () => {
      expect((await openGuard({ totalBytes: 1_000 * GIB, availableBytes: 500 * GIB })).guard.state!.minFreeBytes).toBe(GIB);
      expect((await openGuard({ totalBytes: 64 * MIB, availableBytes: 60 * MIB })).guard.state!.minFreeBytes).toBe(Math.floor(3.2 * MIB));
    });

    it('takes the smaller of the configured bytes and percentage', async () => {
      const { guard } = await openGuard({ totalBytes: 100 * GIB, availableBytes: 50 * GIB }, { minFreeBytes: 10 * GIB, minFreePercent: 2 });
      expect(guard.state!.minFreeBytes).toBe(2 * GIB);
    });

    it('is off when either threshold is 0', () => {
      expect(FreeSpaceGuard.isEnabled({})).toBe(true);
      expect(FreeSpaceGuard.isEnabled({ minFreeBytes: 0 })).toBe(false);
      expect(FreeSpaceGuard.isEnabled({ minFreePercent: 0 })).toBe(false);
    });
  });

  describe('admit', () => {
    it('refuses an append that would leave less than the threshold free, with free and required bytes', async () => {
      const { guard } = await openGuard({ totalBytes: 64 * MIB, availableBytes: 4 * MIB });
      const threshold = guard.state!.minFreeBytes;
      expect(guard.admit(batchOf(MIB / 2), BATCH_MAX, LOG)).toBe(MIB / 2);
      const refused = guard.admit(batchOf(MIB), BATCH_MAX, LOG) as InsufficientFreeSpaceError;
      expect(refused).toBeInstanceOf(InsufficientFreeSpaceError);
      expect(refused).toMatchObject({ code: 'BROKER_NOT_AVAILABLE', retriable: true });
      expect(refused.details).toEqual({ freeBytes: 4 * MIB - MIB / 2, requiredBytes: threshold + MIB, minFreeBytes: threshold });
    });

    it('reserves max.message.bytes far from the threshold, without a pass over the records', async () => {
      const { guard } = await openGuard({ totalBytes: 100 * GIB, availableBytes: 50 * GIB });
      const untouchable = new Proxy([], {
        get: () => {
          throw new Error('records were read');
        },
      }) as LogRecordInput[];
      expect(guard.admit(untouchable, BATCH_MAX, LOG)).toBe(BATCH_MAX);
      expect(guard.state!.freeBytes).toBe(50 * GIB - BATCH_MAX);
    });

    it('counts reservations at once, so appends between two statfs calls cannot cross the threshold together', async () => {
      const { guard, volume } = await openGuard({ totalBytes: 64 * MIB, availableBytes: 4 * MIB });
      let admitted = 0;
      while (typeof guard.admit(batchOf(64 * 1024), BATCH_MAX, LOG) === 'number') admitted += 64 * 1024;
      expect(4 * MIB - admitted).toBeGreaterThanOrEqual(guard.state!.minFreeBytes);
      expect(4 * MIB - admitted - 64 * 1024).toBeLessThan(guard.state!.minFreeBytes);
      expect(volume.statfsCalls).toBe(1);
    });

    it('makes no statfs per append: a new one only after refreshIntervalMs or refreshBytes written', async () => {
      const { guard, volume, clock } = await openGuard(
        { totalBytes: 100 * GIB, availableBytes: 50 * GIB },
        { refreshIntervalMs: 1_000, refreshBytes: 10 * MIB },
      );
      for (let i = 0; i < 1_000; i++) guard.settle(guard.admit(batchOf(1_000), BATCH_MAX, LOG) as number, 1_000);
      expect(volume.statfsCalls).toBe(1);
      clock.advance(1_000);
      guard.admit(batchOf(1_000), BATCH_MAX, LOG);
      await guard.refresh(); // joins the statfs that admit started
      expect(volume.statfsCalls).toBe(2);
      guard.settle(guard.admit(batchOf(1_000), BATCH_MAX, LOG) as number, 10 * MIB);
      guard.admit(batchOf(1_000), BATCH_MAX, LOG);
      await guard.refresh();
      expect(volume.statfsCalls).toBe(3);
    });

    it('counts the bytes written once an append settles until a statfs that began after it, and reservations until they settle', async () => {
      const { guard } = await openGuard({ totalBytes: 100 * GIB, availableBytes: 50 * GIB });
      const reserved = guard.admit(batchOf(1_000), BATCH_MAX, LOG) as number;
      await guard.refresh();
      expect(guard.state!.freeBytes).toBe(50 * GIB - BATCH_MAX); // still in flight: the reading may not have it
      guard.settle(reserved, 900);
      expect(guard.state!.freeBytes).toBe(50 * GIB - 900);
      await guard.refresh();
      expect(guard.state!.freeBytes).toBe(50 * GIB);
    });

    it('admits again once a statfs sees freed space, looking at most every 100 ms while refusing', async () => {
      const changes: boolean[] = [];
      const { guard, volume, clock } = await openGuard(
        { totalBytes: 64 * MIB, availableBytes: MIB },
        { refreshIntervalMs: 60_000, onRefusingChanged: (refusing) => changes.push(refusing) },
      );
      expect(guard.admit(batchOf(1_000), BATCH_MAX, LOG)).toBeInstanceOf(InsufficientFreeSpaceError);
      volume.space = { totalBytes: 64 * MIB, availableBytes: 32 * MIB };
      expect(guard.admit(batchOf(1_000), BATCH_MAX, LOG)).toBeInstanceOf(InsufficientFreeSpaceError); // the reading is fresh: no statfs yet
      expect(volume.statfsCalls).toBe(1);
      clock.advance(100);
      guard.admit(batchOf(1_000), BATCH_MAX, LOG);
      await guard.refresh();
      expect(volume.statfsCalls).toBe(2);
      expect(guard.admit(batchOf(1_000), BATCH_MAX, LOG)).toBe(BATCH_MAX);
      expect(changes).toEqual([true, false]);
    });

    it('keeps the last reading when statfs fails, reports the error, and admits while it has none', async () => {
      const errors: unknown[] = [];
      const { volume, fs } = scriptedVolume({ totalBytes: 64 * MIB, availableBytes: MIB });
      volume.fail = new Error('EIO');
      const guard = new FreeSpaceGuard(fs, new ManualClock(), '/data', { onError: (e) => errors.push(e) });
      await guard.refresh();
      expect(errors).toHaveLength(1);
      expect(guard.admit(batchOf(1_000), BATCH_MAX, LOG)).toBe(BATCH_MAX);
      volume.fail = null;
      await guard.refresh();
      volume.fail = new Error('EIO');
      await guard.refresh();
      expect(guard.admit(batchOf(1_000), BATCH_MAX, LOG)).toBeInstanceOf(InsufficientFreeSpaceError);
    });
  });

  describe('estimateBatchBytes', () => {
    it('is never below the encoded size of the batch (random keys, values and headers)', () => {
      const random = prng(54);
      for (let round = 0; round < 200; round++) {
        const batch = Array.from({ length: 1 + Math.floor(random() * 20) }, (_, i) => ({
          key: random() < 0.2 ? null : Buffer.alloc(Math.floor(random() * 300)),
          value: random() < 0.1 ? null : Buffer.alloc(Math.floor(random() * 5_000)),
          headers: Array.from({ length: Math.floor(random() * 3) }, () => ({
            key: 'ключ-'.repeat(1 + Math.floor(random() * 3)),
            value: Buffer.alloc(Math.floor(random() * 40)),
          })),
          timestampMs: 1_700_000_000_000 + Math.floor(random() * 1e9) * (i % 2 ? 1 : -1),
        }));
        expect(estimateBatchBytes(batch)).toBeGreaterThanOrEqual(uncompressedBatchSizeBytes(batch));
        expect(estimateBatchBytes(batch)).toBeGreaterThanOrEqual(encodeRecordBatch(batch, { baseOffset: 0 }).length);
      }
    });
  });
});

describe('LogManager with the free-space guard', () => {
  async function openNearlyFull(options: { availableBytes: number; minFreeBytes?: number }) {
    const faulty = new FaultyFileSystem();
    faulty.volumeSpace = { totalBytes: 64 * MIB, availableBytes: options.availableBytes };
    const manager = await LogManager.open({
      dataDir: tmp.path,
      fs: faulty,
      clock: new ManualClock(),
      freeSpace: { minFreeBytes: options.minFreeBytes },
    });
    const log = await manager.openLog('events', 0, testConfig());
    return { faulty, manager, log };
  }

  it('refuses a leader append below the threshold before anything is written, and the log stays usable', async () => {
    const { faulty, manager, log } = await openNearlyFull({ availableBytes: 4 * MIB });
    expect(log).toBeInstanceOf(GuardedPartitionLog);
    await log.append(records(3), { leaderEpoch: 0 });
    const writesBefore = faulty.count('writev') + faulty.count('write');
    faulty.volumeSpace = { totalBytes: 64 * MIB, availableBytes: 3 * MIB };
    await manager.refreshFreeSpace();
    const big = Array.from({ length: 10 }, (_, i) => record(`k${i}`, 'x'.repeat(100_000)));
    const refused = await log.append(big, { leaderEpoch: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InsufficientFreeSpaceError);
    expect(refused).toMatchObject({ code: 'BROKER_NOT_AVAILABLE', retriable: true, details: { minFreeBytes: Math.floor(3.2 * MIB) } });
    expect(faulty.count('writev') + faulty.count('write')).toBe(writesBefore);
    expect(log.logEndOffset).toBe(3);
    expect((await readAllValues(log)).map((r) => r.value)).toEqual(['v0', 'v1', 'v2']);
    await manager.close();
  });

  it('appends again after space returns, and the offsets continue without a gap', async () => {
    const { faulty, manager, log } = await openNearlyFull({ availableBytes: 3 * MIB });
    await expect(log.append(records(2), { leaderEpoch: 0 })).rejects.toBeInstanceOf(InsufficientFreeSpaceError);
    faulty.volumeSpace = { totalBytes: 64 * MIB, availableBytes: 32 * MIB };
    await manager.refreshFreeSpace();
    expect(await log.append(records(2), { leaderEpoch: 0 })).toMatchObject({ baseOffset: 0, lastOffset: 1 });
    await manager.close();
  });

  it('guards leader appends of batch bytes like record appends, reserving the batch size', async () => {
    const { faulty, manager, log } = await openNearlyFull({ availableBytes: 4 * MIB });
    const batch = (valueBytes: number) => encodeRecordBatch([record('k', 'x'.repeat(valueBytes))], { baseOffset: 0 });
    await log.appendAsLeader(batch(100), { leaderEpoch: 0 }); // 4 MiB free, 3.2 MiB kept: fits
    faulty.volumeSpace = { totalBytes: 64 * MIB, availableBytes: 3 * MIB };
    await manager.refreshFreeSpace();
    await expect(log.appendAsLeader(batch(100), { leaderEpoch: 0 })).rejects.toMatchObject({
      code: 'BROKER_NOT_AVAILABLE',
      retriable: true,
    });
    expect(log.logEndOffset).toBe(1);
    await manager.close();
  });

  it('does not guard follower appends (a follower must keep what its leader accepted)', async () => {
    const { manager, log } = await openNearlyFull({ availableBytes: MIB });
    await log.appendAsFollower(encodeRecordBatch(records(3), { baseOffset: 0, partitionLeaderEpoch: 1 }));
    expect(log.logEndOffset).toBe(3);
    await manager.close();
  });

  it('creates plain logs when the guard is off', async () => {
    const { manager, log } = await openNearlyFull({ availableBytes: 0, minFreeBytes: 0 });
    expect(log).not.toBeInstanceOf(GuardedPartitionLog);
    expect(log).toBeInstanceOf(PartitionLog);
    expect(manager.freeSpace).toBeNull();
    await log.append(records(1), { leaderEpoch: 0 });
    await manager.close();
  });

  it('at a real ENOSPC mid-batch acknowledges nothing, serves no partial batch, writes no clean-shutdown marker, and recovers every acknowledged record', async () => {
    const faulty = new FaultyFileSystem();
    const manager = await LogManager.open({ dataDir: tmp.path, fs: faulty, freeSpace: false });
    const log = await manager.openLog('events', 0, testConfig());
    await log.append(records(5, 'acked-'), { leaderEpoch: 0 });
    faulty.spaceLeftBytes = 200; // the next batch (~1 KiB) is cut mid-way, as a full disk does
    await expect(log.append(records(20, 'torn-'), { leaderEpoch: 0 })).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(log.read(0)).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(log.append(records(1), { leaderEpoch: 0 })).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(manager.close()).rejects.toMatchObject({ code: 'ENOSPC' });
    await faulty.abandon();
    expect(nodeFs.existsSync(path.join(tmp.path, CLEAN_SHUTDOWN_FILE))).toBe(false);

    const again = await LogManager.open({ dataDir: tmp.path });
    const reopened = await again.openLog('events', 0, testConfig());
    expect(reopened.openRecovery.truncatedBytes).toBe(200);
    expect((await readAllValues(reopened)).map((r) => r.value)).toEqual(['acked-0', 'acked-1', 'acked-2', 'acked-3', 'acked-4']);
    expect((await reopened.append(records(1, 'after-'), { leaderEpoch: 0 })).baseOffset).toBe(5);
    await again.close();
  });
});
