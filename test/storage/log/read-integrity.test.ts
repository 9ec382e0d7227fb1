/**
 * Damage that looks well-formed, made on real files by the test: a truncated or shortened
 * `.timeindex`, a batch whose baseOffset (not CRC-covered) was patched, `.index` entries that point
 * at the wrong batch, a CRC-bad batch in the middle of a page. The rule checked everywhere: a
 * record is served at its own offset or not at all (every value is `v<offset>`), good records
 * before damage are served, the read at the damage is CORRUPT_MESSAGE, retention never deletes a
 * segment whose records are inside retention.ms.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CorruptRecordError,
  decodeRecordBatch,
  LogManager,
  ManualClock,
  onStorageWarning,
  type PartitionLog,
  type StorageWarning,
} from '../../../storage';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { testConfig } from '../../support/log-builders';
import { useTmpDir } from '../../support/tmp-dir';
import { batchPositions, patchBaseOffset, sealedSegmentFiles } from '../../support/segment-damage';

const tmp = useTmpDir();
const HOUR_MS = 3_600_000;
const CONFIG = { segmentBytes: 4_096, indexIntervalBytes: 256, retentionMs: HOUR_MS };
const BATCHES = 80;
const PER_BATCH = 5;
const START_MS = 1_700_000_000_000;

/** Record i has value `v<i>` and timestamp START_MS + i*1000; 80 batches of 5 over several segments. */
async function writeLog(clock: ManualClock, clean: boolean, timestampOf = (offset: number) => START_MS + offset * 1_000): Promise<void> {
  const fs = new FaultyFileSystem();
  const manager = await LogManager.open({ dataDir: tmp.path, clock, fs });
  const log = await manager.openLog('events', 0, testConfig(CONFIG));
  for (let b = 0; b < BATCHES; b++) {
    const recs = Array.from({ length: PER_BATCH }, (_, i) => {
      const offset = b * PER_BATCH + i;
      return { key: Buffer.from(`k${offset}`), value: Buffer.from(`v${offset}`), headers: [], timestampMs: timestampOf(offset) };
    });
    await log.append(recs, { leaderEpoch: 0 });
  }
  log.updateHighWatermark(log.logEndOffset);
  if (clean) await manager.close();
  else await fs.abandon(); // a crash: the handles die with the "process", no clean-shutdown marker
}

async function reopen(clock: ManualClock): Promise<{ manager: LogManager; log: PartitionLog }> {
  const manager = await LogManager.open({ dataDir: tmp.path, clock });
  const log = await manager.openLog('events', 0, testConfig(CONFIG));
  log.updateHighWatermark(log.logEndOffset);
  return { manager, log };
}

function partitionDir(): string {
  return path.join(tmp.path, 'events-0');
}

type ReadOutcome = { offsets: number[] } | { corrupt: CorruptRecordError };

/** One read from `offset`; every record returned must carry its own offset in its value. */
async function readOnce(log: PartitionLog, offset: number): Promise<ReadOutcome> {
  try {
    const batches = await log.read(offset, { maxOffset: log.logEndOffset, maxBytes: 1_048_576 });
    const offsets: number[] = [];
    for (const batch of batches) {
      for (const r of decodeRecordBatch(batch.bytes).records) {
        if (r.offset < offset) continue;
        if (r.value?.toString() !== `v${r.offset}`) throw new Error(`offset ${r.offset} served ${r.value?.toString()}`);
        offsets.push(r.offset);
      }
    }
    return { offsets };
  } catch (error) {
    if (error instanceof CorruptRecordError) return { corrupt: error };
    throw error;
  }
}

/** Reads every offset of the log one by one: never a wrong value; returns the offsets that answered CORRUPT_MESSAGE. */
async function readEveryOffset(log: PartitionLog): Promise<number[]> {
  const corrupt: number[] = [];
  for (let offset = log.logStartOffset; offset < log.logEndOffset; offset++) {
    const outcome = await readOnce(log, offset);
    if ('corrupt' in outcome) corrupt.push(offset);
    else expect(outcome.offsets[0]).toBe(offset);
  }
  return corrupt;
}

describe('read integrity: damage that looks well-formed', () => {
  describe('time index checked at load (retention and timestamp lookups)', () => {
    it.each([
      ['cut to 0 bytes, clean shutdown', 0, true],
      ['cut to 0 bytes, crash (no clean-shutdown marker)', 0, false],
      ['last 12-byte entry dropped, clean shutdown', 12, true],
      ['last 12-byte entry dropped, crash', 12, false],
    ])('%s: retention deletes nothing inside retention.ms', async (_name, dropBytes, clean) => {
      const clock = new ManualClock(START_MS);
      await writeLog(clock, clean);
      for (const { timeIndex } of sealedSegmentFiles(partitionDir())) {
        const size = fs.statSync(timeIndex).size;
        fs.truncateSync(timeIndex, dropBytes === 0 ? 0 : size - dropBytes);
      }
      // Newest record (offset 399) is 399 s after START; the oldest 50 min before "now".
      clock.set(START_MS + 50 * 60_000);
      const { manager, log } = await reopen(clock);
      expect((await log.runRetention()).deletedSegments).toBe(0);
      expect(log.logStartOffset).toBe(0);
      expect(await readEveryOffset(log)).toEqual([]);
      // A real expiry still works: 2 h later every sealed segment goes.
      const sealedCount = log.segmentCount - 1;
      clock.set(START_MS + 2 * HOUR_MS);
      expect((await log.runRetention()).deletedSegments).toBe(sealedCount);
      await manager.close();
    });

    it.each([true, false])('a dropped last entry does not make a segment look older than it is (clean shutdown: %s)', async (clean) => {
      // One batch a minute: a segment's last batches are minutes younger than the entry before its last.
      const batchMinute = (offset: number) => START_MS + Math.floor(offset / PER_BATCH) * 60_000;
      const clock = new ManualClock(START_MS);
      await writeLog(clock, clean, batchMinute);
      for (const { timeIndex } of sealedSegmentFiles(partitionDir())) fs.truncateSync(timeIndex, fs.statSync(timeIndex).size - 12);
      const { manager, log } = await reopen(clock);
      const firstSegmentNewestMs = batchMinute(log.segmentBaseOffsets()[1]! - 1);
      clock.set(firstSegmentNewestMs + 59 * 60_000); // its newest record is 59 min old: inside retention.ms (1 h)
      expect((await log.runRetention()).deletedSegments).toBe(0);
      clock.set(firstSegmentNewestMs + 61 * 60_000);
      expect((await log.runRetention()).deletedSegments).toBe(1);
      await manager.close();
    });

    it('does not turn a torn active tail after a clean shutdown into a refusal: recovery still cuts it', async () => {
      const clock = new ManualClock(START_MS);
      await writeLog(clock, true);
      const logs = fs
        .readdirSync(partitionDir())
        .filter((n) => n.endsWith('.log'))
        .sort();
      fs.appendFileSync(path.join(partitionDir(), logs.at(-1)!), Buffer.alloc(100, 0xab));
      const { manager, log } = await reopen(clock);
      expect(log.logEndOffset).toBe(BATCHES * PER_BATCH);
      expect(log.openRecovery.truncatedBytes).toBe(100);
      await manager.close();
    });

    it('a dropped last entry does not skip records in timestamp lookups', async () => {
      const clock = new ManualClock(START_MS);
      await writeLog(clock, true);
      for (const { timeIndex } of sealedSegmentFiles(partitionDir())) fs.truncateSync(timeIndex, fs.statSync(timeIndex).size - 12);
      const { manager, log } = await reopen(clock);
      for (let offset = 0; offset < BATCHES * PER_BATCH; offset++) {
        expect(await log.offsetForTimestamp(START_MS + offset * 1_000)).toBe(offset);
      }
      await manager.close();
    });
  });

  describe('batch order checked on read (baseOffset is not CRC-covered)', () => {
    it.each([
      ['lowered by 5 (overlaps the batch before)', -5, true],
      ['lowered by 5, crash restart', -5, false],
      ['raised by 3 (overlaps the batch after)', 3, true],
      ['raised by 3, crash restart', 3, false],
    ])('%s: no record at a wrong offset, good records before the damage, then CORRUPT_MESSAGE', async (_name, delta, clean) => {
      const clock = new ManualClock(START_MS);
      await writeLog(clock, clean);
      const sealed = sealedSegmentFiles(partitionDir())[0]!;
      const positions = batchPositions(sealed.log);
      // The batch holding offsets 25..29 (the 6th batch of the first segment).
      const target = positions.find((p) => p.baseOffset === 25)!;
      patchBaseOffset(sealed.log, target.position, 25 + delta);
      const { manager, log } = await reopen(clock);
      const corrupt = await readEveryOffset(log);
      // Neither of the two batches whose offsets disagree is served (either may be the liar), nor
      // what only a scan through them reaches; everything else is, at its own offset.
      // Lowered: [20..24] then [20..24]' (really 25..29); raised: [28..32]' (really 25..29) then [30..34].
      const firstBad = delta < 0 ? 20 : 25;
      expect(corrupt[0]).toBe(firstBad);
      expect(corrupt).toEqual(range(firstBad, firstBad + corrupt.length));
      expect(corrupt.length).toBeGreaterThanOrEqual(10);
      expect(firstBad + corrupt.length).toBeLessThanOrEqual(sealedEnd(log));
      // A page from before the damage serves the good records and stops at it.
      const page = await readOnce(log, 15);
      expect(page).toEqual({ offsets: range(15, corrupt[0]!) });
      await manager.close();
    });

    it('a CRC-bad batch in the middle of a page: the good records before it are served, then the error', async () => {
      const clock = new ManualClock(START_MS);
      await writeLog(clock, true);
      const sealed = sealedSegmentFiles(partitionDir())[0]!;
      const target = batchPositions(sealed.log).find((p) => p.baseOffset === 20)!;
      const bytes = fs.readFileSync(sealed.log);
      bytes[target.position + 70] ^= 0x01; // a record byte: CRC-covered
      fs.writeFileSync(sealed.log, bytes);
      const { manager, log } = await reopen(clock);
      expect(await readOnce(log, 15)).toEqual({ offsets: [15, 16, 17, 18, 19] });
      const atDamage = await readOnce(log, 20);
      expect('corrupt' in atDamage && atDamage.corrupt.code).toBe('CORRUPT_MESSAGE');
      const after = await readOnce(log, 25);
      expect('offsets' in after && after.offsets.slice(0, 5)).toEqual([25, 26, 27, 28, 29]);
      await manager.close();
    });
  });

  describe('compacted logs (gaps between batches are legal)', () => {
    it('reads a compacted log with gaps without a warning or an error, and still catches an overlap in it', async () => {
      const clock = new ManualClock(START_MS);
      const manager = await LogManager.open({ dataDir: tmp.path, clock });
      const config = testConfig({ ...CONFIG, cleanupPolicy: 'compact', retentionMs: -1 });
      const log = await manager.openLog('events', 0, config);
      // Every 4th batch has keys of its own (kept); the others rewrite one shared set (all but the
      // newest compact away whole): kept batches with gaps of whole batches between them.
      for (let b = 0; b < BATCHES; b++) {
        const keyOf = (i: number) => (b % 4 === 0 ? `own${b}-${i}` : `shared-${i}`);
        const recs = Array.from({ length: PER_BATCH }, (_, i) => ({
          key: Buffer.from(keyOf(i)),
          value: Buffer.from(`v${b * PER_BATCH + i}`),
          headers: [],
          timestampMs: START_MS,
        }));
        await log.append(recs, { leaderEpoch: 0 });
      }
      log.updateHighWatermark(log.logEndOffset);
      expect((await log.compact())!.cleanedBytes).toBeGreaterThan(0);
      await manager.close();
      const warnings: StorageWarning[] = [];
      const stop = onStorageWarning((w) => warnings.push(w));
      try {
        const reopened = await LogManager.open({ dataDir: tmp.path, clock });
        const compacted = await reopened.openLog('events', 0, config);
        compacted.updateHighWatermark(compacted.logEndOffset);
        const first = sealedSegmentFiles(partitionDir())[0]!;
        const bases = batchPositions(first.log).map((p) => p.baseOffset);
        expect(bases.some((base, i) => i > 0 && base > bases[i - 1]! + PER_BATCH)).toBe(true); // there are gaps
        const served = new Set<number>();
        for (let offset = compacted.logStartOffset; offset < compacted.logEndOffset; offset++) {
          const outcome = await readOnce(compacted, offset);
          if ('corrupt' in outcome) throw outcome.corrupt;
          for (const o of outcome.offsets) served.add(o);
        }
        expect(served.size).toBeGreaterThan(0);
        expect(warnings).toEqual([]);
        await reopened.close();
        // An overlap in the compacted segment is still caught: the 3rd batch moved onto the 2nd.
        const positions = batchPositions(first.log);
        patchBaseOffset(first.log, positions[2]!.position, positions[1]!.baseOffset);
        const again = await LogManager.open({ dataDir: tmp.path, clock });
        const damaged = await again.openLog('events', 0, config);
        damaged.updateHighWatermark(damaged.logEndOffset);
        const outcome = await readOnce(damaged, positions[1]!.baseOffset);
        expect('corrupt' in outcome).toBe(true);
        await again.close();
      } finally {
        stop();
      }
    });
  });

  describe('offset index entries checked on read', () => {
    it('entries with lowered relative offsets (all but the last, which the loader checks): index rebuilt, logged, every read right', async () => {
      const clock = new ManualClock(START_MS);
      await writeLog(clock, true);
      const files = sealedSegmentFiles(partitionDir());
      for (const { index } of files) {
        const bytes = fs.readFileSync(index);
        for (let at = 0; at + 8 < bytes.length; at += 8) bytes.writeInt32BE(bytes.readInt32BE(at) - 2, at);
        fs.writeFileSync(index, bytes);
      }
      const warnings: StorageWarning[] = [];
      const stop = onStorageWarning((w) => warnings.push(w));
      try {
        const { manager, log } = await reopen(clock);
        expect(await readEveryOffset(log)).toEqual([]);
        expect(warnings.length).toBeGreaterThan(0);
        expect(warnings.every((w) => w.kind === 'OFFSET_INDEX_REBUILT')).toBe(true);
        await manager.close();
      } finally {
        stop();
      }
      // The rewritten files are right: a new process reads everything without rebuilding again.
      const seen = warnings.length;
      const stop2 = onStorageWarning((w) => warnings.push(w));
      try {
        const { manager, log } = await reopen(clock);
        expect(await readEveryOffset(log)).toEqual([]);
        expect(warnings.length).toBe(seen);
        await manager.close();
      } finally {
        stop2();
      }
    });

    it('a lying index on the active segment is rebuilt while appends go on; the log stays right across a restart', async () => {
      const clock = new ManualClock(START_MS);
      const big = { ...CONFIG, segmentBytes: 1_048_576 }; // one segment: the active one holds everything
      const manager = await LogManager.open({ dataDir: tmp.path, clock });
      const log = await manager.openLog('events', 0, testConfig(big));
      const append = async (from: number, count: number) => {
        for (let b = 0; b < count; b++) {
          const recs = Array.from({ length: PER_BATCH }, (_, i) => ({
            key: null,
            value: Buffer.from(`v${from + b * PER_BATCH + i}`),
            headers: [],
            timestampMs: START_MS,
          }));
          await log.append(recs, { leaderEpoch: 0 });
        }
      };
      await append(0, 40);
      await manager.close();
      const index = path.join(partitionDir(), `${'0'.repeat(20)}.index`);
      const bytes = fs.readFileSync(index);
      expect(bytes.length).toBeGreaterThan(16);
      for (let at = 0; at + 8 < bytes.length; at += 8) bytes.writeInt32BE(bytes.readInt32BE(at) - 2, at);
      fs.writeFileSync(index, bytes);
      let rebuilt = 0;
      const stop = onStorageWarning(() => rebuilt++);
      try {
        const reopened = await LogManager.open({ dataDir: tmp.path, clock });
        const active = await reopened.openLog('events', 0, testConfig(big));
        const writer = (async () => {
          for (let b = 0; b < 40; b++) {
            const offset = active.logEndOffset;
            await active.append(
              Array.from({ length: PER_BATCH }, (_, i) => ({
                key: null,
                value: Buffer.from(`v${offset + i}`),
                headers: [],
                timestampMs: START_MS,
              })),
              { leaderEpoch: 0 },
            );
            active.updateHighWatermark(active.logEndOffset);
          }
        })();
        active.updateHighWatermark(active.logEndOffset);
        for (let offset = 0; offset < 200; offset++) {
          const outcome = await readOnce(active, offset);
          if ('corrupt' in outcome) throw outcome.corrupt;
          expect(outcome.offsets[0]).toBe(offset);
        }
        await writer;
        expect(rebuilt).toBeGreaterThan(0);
        active.updateHighWatermark(active.logEndOffset);
        expect(await readEveryOffset(active)).toEqual([]);
        await reopened.close();
        const again = await LogManager.open({ dataDir: tmp.path, clock });
        const last = await again.openLog('events', 0, testConfig(big));
        last.updateHighWatermark(last.logEndOffset);
        expect(last.logEndOffset).toBe(400);
        expect(await readEveryOffset(last)).toEqual([]);
        await again.close();
      } finally {
        stop();
      }
    });

    it.each([
      [
        'positions moved into the middle of their batch',
        (bytes: Buffer, at: number) => bytes.writeInt32BE(bytes.readInt32BE(at + 4) + 3, at + 4),
      ],
      ['relative offsets raised by 3', (bytes: Buffer, at: number) => bytes.writeInt32BE(bytes.readInt32BE(at) + 3, at)],
    ])('entries with %s: reads and timestamp lookups stay right', async (_name, patch) => {
      const clock = new ManualClock(START_MS);
      await writeLog(clock, true);
      for (const { index } of sealedSegmentFiles(partitionDir())) {
        const bytes = fs.readFileSync(index);
        for (let at = 0; at + 8 < bytes.length; at += 8) patch(bytes, at);
        fs.writeFileSync(index, bytes);
      }
      const stop = onStorageWarning(() => undefined);
      try {
        const { manager, log } = await reopen(clock);
        for (let offset = 0; offset < BATCHES * PER_BATCH; offset += 3)
          expect(await log.offsetForTimestamp(START_MS + offset * 1_000)).toBe(offset);
        expect(await readEveryOffset(log)).toEqual([]);
        await manager.close();
      } finally {
        stop();
      }
    });
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function sealedEnd(log: PartitionLog): number {
  return log.segmentBaseOffsets()[1]!;
}
