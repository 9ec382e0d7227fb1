/**
 * LogLoader: makes one partition directory consistent again and builds its in-memory state
 * (Kafka's LogLoader). In order:
 *  1. removes leftovers of interrupted multi-file changes: `*.tmp` (checkpoint writes), `*.cleaned`
 *     (compaction output never committed), `*.deleted` (retention/compaction/truncation deletes);
 *  2. finishes committed compaction swaps: a `<B>.log.swap` replaces every live segment whose base
 *     is in [B, end of the swap's data) — the `.log` is renamed last, so its `.swap` suffix means
 *     the output was complete and fsynced; stray index `.swap` files without it are rolled back;
 *  3. drops index files whose `.log` is gone, lists segments by `.log` name and size;
 *  4. after a clean shutdown: loads the active segment's indexes and its last ≤ 4 KiB only —
 *     no segment scanning, sealed segments stay unopened (cheap for 10,000 partitions);
 *     after an unclean one: CRC-checks every batch from the recovery point (the segment holding
 *     it; all segments when unknown) and rebuilds their indexes. Invalid bytes at the end of the
 *     last segment with nothing valid after them are a torn tail: truncated, fsynced. Invalid bytes
 *     anywhere else (inside a sealed segment, or with a valid batch right after them) are
 *     corruption: CorruptLogError naming file and position — never "truncate and carry on";
 *  5. loads the leader-epoch checkpoint, or rebuilds it from the batches' partitionLeaderEpoch
 *     when missing or corrupt, and trims it to [logStartOffset, logEndOffset).
 *
 * Concurrency: runs before the PartitionLog exists; nothing else touches the directory meanwhile.
 */
import * as path from 'node:path';
import { CorruptLogError } from '../errors';
import type { Clock } from '../io/clock';
import type { FileSystem } from '../io/file-system';
import { syncDir } from '../io/durable-file';
import { TMP_SUFFIX } from '../io/durable-file';
import { BatchScanner, ScannedBatch } from '../segment/batch-scanner';
import { CLEANED_SUFFIX, DELETED_SUFFIX, LOG_SUFFIX, parseSegmentFileName, segmentFilePath, SWAP_SUFFIX } from '../segment/file-names';
import { LogSegment, SegmentSettings } from '../segment/log-segment';
import { renameSegmentFiles, unlinkIfExists, unlinkSegmentFiles } from '../segment/segment-files';
import { LeaderEpochCache } from './leader-epoch-cache';
import { SegmentMap } from './segment-map';

export interface LoadLogOptions {
  fs: FileSystem;
  dir: string;
  clock: Clock;
  settings: () => SegmentSettings;
  /** The directory was closed cleanly (marker present at manager open): skip scanning. */
  cleanShutdown: boolean;
  /** Last checkpointed recovery point; null = unknown (recover every segment). */
  recoveryPointHint: number | null;
}

export interface LoadedLog {
  segments: SegmentMap;
  epochCache: LeaderEpochCache;
  logEndOffset: number;
  /** Bytes cut from a torn tail (0 after a clean shutdown). */
  truncatedBytes: number;
  /** Segments whose batches were CRC-checked. */
  recoveredSegmentCount: number;
  /**
   * The directory's listing after the loader's repairs: exact for the files the loader never
   * creates (producer snapshots, `.txnindex`), so the transaction-state load needs no readdir of
   * its own and no probe for a file the listing shows absent.
   */
  names: readonly string[];
}

export async function loadLog(options: LoadLogOptions): Promise<LoadedLog> {
  const segments = new SegmentMap();
  try {
    return await loadInto(segments, options);
  } catch (error) {
    // Refused (corruption) or failed: the PartitionLog that would close the handles recovery
    // opened never comes to exist, so they are closed here rather than left to the GC.
    for (const segment of segments.toArray()) await segment.closeHandle().catch(() => undefined);
    throw error;
  }
}

async function loadInto(segments: SegmentMap, options: LoadLogOptions): Promise<LoadedLog> {
  const { fs, dir } = options;
  // One readdir on the common path (cheap opens of 10,000 partitions); re-listed only after repairs.
  let names = await fs.readdir(dir);
  if (await removeLeftovers(fs, dir, names)) names = await fs.readdir(dir);
  if (await completeSwaps(fs, dir, names)) names = await fs.readdir(dir);
  if (await removeOrphanIndexes(fs, dir, names)) names = await fs.readdir(dir);
  const bases = liveSegmentBases(names);
  const monotonicMs = () => options.clock.monotonicMs();
  for (const base of bases) {
    const stat = await fs.stat(segmentFilePath(dir, base, LOG_SUFFIX));
    segments.add(new LogSegment(fs, dir, base, stat?.sizeBytes ?? 0, options.settings, monotonicMs));
  }
  if (segments.size === 0) {
    const segment = await LogSegment.create(fs, dir, 0, options.settings, monotonicMs);
    segments.add(segment);
    await syncDir(fs, dir);
  }

  let truncatedBytes = 0;
  let recoveredSegmentCount = 0;
  const epochsSeen: ScannedBatch[] = [];
  const onBatch = (batch: ScannedBatch) => {
    if (batch.partitionLeaderEpoch >= 0) epochsSeen.push(batch);
  };
  const nowMs = options.clock.nowMs();
  let needRecovery = !options.cleanShutdown || !(await segments.active.loadTail(nowMs));
  if (needRecovery) {
    const hint = options.cleanShutdown ? segments.active.baseOffset : options.recoveryPointHint;
    const all = segments.toArray();
    const fromSegment = hint === null ? all[0]! : (segments.floor(hint) ?? all[0]!);
    const toRecover = all.slice(all.indexOf(fromSegment.baseOffset <= segments.active.baseOffset ? fromSegment : segments.active));
    for (const segment of toRecover) {
      const isLast = segment === segments.active;
      const fileSizeBytes = (await fs.stat(segment.logPath))?.sizeBytes ?? 0;
      const result = await segment.recover(nowMs, onBatch);
      recoveredSegmentCount++;
      if (result.invalid) {
        const corrupt = !isLast || (await segment.hasValidBatchAfter(result.invalid.position, fileSizeBytes));
        if (corrupt) {
          throw new CorruptLogError(
            `corrupt batch in ${segment.logPath} at byte ${result.invalid.position} (${result.invalid.reason}) with valid data after it; refusing to truncate`,
            { path: segment.logPath, position: result.invalid.position, reason: result.invalid.reason },
          );
        }
        truncatedBytes += fileSizeBytes - result.validBytes;
        await segment.truncateToPosition(result.validBytes);
      }
      const next = segments.next(segment);
      if (next && segment.nextOffset > next.baseOffset) {
        throw new CorruptLogError(
          `segment ${segment.logPath} ends at offset ${segment.nextOffset}, after the next segment's base ${next.baseOffset}`,
          {
            path: segment.logPath,
          },
        );
      }
      if (isLast) {
        await segment.persistIndexes();
        await segment.flush();
      } else {
        await segment.seal();
      }
    }
    await syncDir(fs, dir);
  }
  const logEndOffset = segments.active.nextOffset;
  const epochCache = await loadEpochCache(fs, dir, segments, () => logEndOffset, needRecovery ? epochsSeen : null);
  return { segments, epochCache, logEndOffset, truncatedBytes, recoveredSegmentCount, names };
}

/** Removes `.tmp`, `.cleaned` and `.deleted` files; true if it removed any. */
async function removeLeftovers(fs: FileSystem, dir: string, names: string[]): Promise<boolean> {
  let removed = false;
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (name.endsWith(TMP_SUFFIX) || parsed?.state === CLEANED_SUFFIX || parsed?.state === DELETED_SUFFIX) {
      await unlinkIfExists(fs, path.join(dir, name));
      removed = true;
    }
  }
  return removed;
}

/** Finishes committed swaps and rolls back uncommitted ones; true if it changed anything. */
async function completeSwaps(fs: FileSystem, dir: string, names: string[]): Promise<boolean> {
  let changed = false;
  const swapBases = new Set<number>();
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (parsed?.state === SWAP_SUFFIX && parsed.kind === LOG_SUFFIX) swapBases.add(parsed.baseOffset);
  }
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    // Index .swap files without their .log.swap: the compaction never committed; roll back.
    if (parsed?.state === SWAP_SUFFIX && !swapBases.has(parsed.baseOffset)) {
      await unlinkIfExists(fs, path.join(dir, name));
      changed = true;
    }
  }
  for (const base of [...swapBases].sort((a, b) => a - b)) {
    const endOffset = await swapEndOffset(fs, segmentFilePath(dir, base, LOG_SUFFIX, SWAP_SUFFIX), base);
    const listed = await fs.readdir(dir);
    await removeOrphanIndexes(fs, dir, listed);
    for (const live of liveSegmentBases(listed)) {
      if (live === base || (live > base && live < endOffset)) {
        await renameSegmentFiles(fs, dir, live, '', DELETED_SUFFIX);
        await unlinkSegmentFiles(fs, dir, live, DELETED_SUFFIX);
      }
    }
    await renameSegmentFiles(fs, dir, base, SWAP_SUFFIX, '');
  }
  if (swapBases.size > 0) await syncDir(fs, dir);
  return changed || swapBases.size > 0;
}

/** One past the last offset in a (complete, fsynced) swap file; its base when it holds no batch. */
async function swapEndOffset(fs: FileSystem, filePath: string, baseOffset: number): Promise<number> {
  const handle = await fs.open(filePath, 'read');
  try {
    const scanner = new BatchScanner(handle, 0, await handle.sizeBytes(), { verifyCrc: true });
    let end = baseOffset;
    for await (const batch of scanner.batches()) end = batch.lastOffset + 1;
    if (scanner.stop?.kind === 'invalid') {
      throw new CorruptLogError(`compaction swap file ${filePath} is corrupt at byte ${scanner.stop.position}`, {
        path: filePath,
        position: scanner.stop.position,
      });
    }
    return end;
  } finally {
    await handle.close();
  }
}

/** Removes live index files whose `.log` is missing; true when it removed any (the caller re-lists). */
async function removeOrphanIndexes(fs: FileSystem, dir: string, names: readonly string[]): Promise<boolean> {
  const logs = new Set(liveSegmentBases(names));
  let removed = false;
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (parsed && parsed.state === '' && parsed.kind !== LOG_SUFFIX && !logs.has(parsed.baseOffset)) {
      await unlinkIfExists(fs, path.join(dir, name));
      removed = true;
    }
  }
  return removed;
}

/** Bases of the live `.log` files in a listing, sorted. */
function liveSegmentBases(names: readonly string[]): number[] {
  const logs: number[] = [];
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (parsed && parsed.state === '' && parsed.kind === LOG_SUFFIX) logs.push(parsed.baseOffset);
  }
  return logs.sort((a, b) => a - b);
}

async function loadEpochCache(
  fs: FileSystem,
  dir: string,
  segments: SegmentMap,
  logEndOffset: () => number,
  scannedBatches: ScannedBatch[] | null,
): Promise<LeaderEpochCache> {
  const cache = new LeaderEpochCache(fs, dir, logEndOffset);
  const state = await cache.load();
  if (state !== 'ok') {
    cache.clear(state === 'corrupt');
    for (const segment of segments.toArray()) {
      await segment.withHandle(async (handle) => {
        const scanner = new BatchScanner(handle, 0, segment.sizeBytes, { verifyCrc: false });
        for await (const batch of scanner.batches()) cache.assign(batch.partitionLeaderEpoch, batch.baseOffset);
      });
    }
  } else if (scannedBatches) {
    for (const batch of scannedBatches) cache.assign(batch.partitionLeaderEpoch, batch.baseOffset);
  }
  // Only entries past the log end go (a crash lost their data). An epoch starting exactly at the
  // end is a leader's that has not written yet: kept, so a clean restart rewrites no checkpoint
  // (with 10,000 partitions that was 10,000 fsynced rewrites per start).
  cache.truncateFromEnd(logEndOffset() + 1);
  cache.truncateFromStart(segments.first.baseOffset);
  await cache.persist();
  return cache;
}
