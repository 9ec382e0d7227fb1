/**
 * Builds a partition's producer state at open and after a truncation (storage/FORMAT.md §12): the
 * newest valid `<offset>.snapshot` at or below the log end (a damaged one is deleted, with a
 * storage warning, and the next older tried), then every idempotent batch from its offset to the
 * log end replayed in order (their open transactions and markers too, FORMAT.md §13: the ABORTs met
 * are returned for the .txnindex rebuild). Without a usable snapshot the whole log is scanned. The segments were
 * made consistent by log-loader.ts first, so what is replayed is exactly the durable log: a
 * `kill -9` leaves nothing in the state that the segments do not hold.
 *
 * Concurrency: runs before the log serves (open) or under its lock (truncation).
 */
import { PRODUCER_ID_POSITION } from '../format/record-batch-header';
import type { FileSystem } from '../io/file-system';
import { BatchScanner, readInt64 } from '../segment/batch-scanner';
import { unlinkIfExists } from '../segment/segment-files';
import { emitStorageWarning } from '../storage-warnings';
import type { AbortedTxn } from '../segment/transaction-index';
import { ProducerStateManager } from './producer-state-manager';
import { decodeSnapshot, listSnapshotOffsets, snapshotPath } from './producer-state-snapshot';
import type { AbortedTxnStore } from './aborted-txn-store';
import type { SegmentMap } from './segment-map';
import { readFileIfExists } from '../segment/segment-io';

export interface ProducerStateLoad {
  /** The snapshot offset the state started from (null: none usable, the log was scanned from its start). */
  snapshotOffset: number | null;
  /** Idempotent batches replayed from the segments after the snapshot. */
  replayedBatches: number;
  /** Where the replay started: the snapshot offset, else 0. */
  replayedFrom: number;
  /** The transactions the replayed ABORT markers completed, in marker order. */
  abortedInReplay: AbortedTxn[];
}

/** Replaces `manager`'s state with the one of the log's batches below `logEndOffset`. */
export async function loadProducerState(
  manager: ProducerStateManager,
  fs: FileSystem,
  dir: string,
  segments: SegmentMap,
  logEndOffset: number,
  /** Replayed batches count as active now: their producers get a whole expiration window after a restart. */
  nowMs: number,
  /** A listing of `dir` made after the last change to its files (the loader's); null: list it here. */
  names: readonly string[] | null = null,
): Promise<ProducerStateLoad> {
  manager.clear();
  let snapshotOffset: number | null = null;
  for (const offset of await listSnapshotOffsets(fs, dir, names ?? undefined)) {
    if (offset > logEndOffset) continue; // describes batches the log no longer has (a torn tail cut at open)
    const file = snapshotPath(dir, offset);
    const decoded = decodeSnapshot((await readFileIfExists(fs, file)) ?? Buffer.alloc(0));
    if (decoded && decoded.offset === offset) {
      for (const entry of decoded.entries) manager.restore(entry);
      snapshotOffset = offset;
      break;
    }
    emitStorageWarning({
      kind: 'PRODUCER_SNAPSHOT_CORRUPT',
      path: file,
      message: `${file} is damaged: deleted; producer state rebuilt from the log`,
    });
    await unlinkIfExists(fs, file);
  }
  const from = snapshotOffset ?? 0;
  let replayedBatches = 0;
  const abortedInReplay: AbortedTxn[] = [];
  for (const segment of segments.from(from)) {
    if (segment.baseOffset >= logEndOffset) break;
    await segment.withHandle(async (handle) => {
      const scanner = new BatchScanner(handle, 0, segment.sizeBytes, {
        verifyCrc: false,
        select: (header) => (header.baseOffset >= logEndOffset ? 'stop' : header.lastOffset < from ? 'skip' : 'take'),
      });
      for await (const batch of scanner.batches()) {
        if (readInt64(batch.bytes, PRODUCER_ID_POSITION) < 0) continue;
        const aborted = manager.record(batch.bytes, batch.baseOffset, batch.lastOffset, nowMs);
        if (aborted) abortedInReplay.push(aborted);
        replayedBatches++;
      }
    });
  }
  return { snapshotOffset, replayedBatches, replayedFrom: from, abortedInReplay };
}

/**
 * Producer state and the aborted-transaction index together (FORMAT.md §13), at open
 * (`loadFiles`: the .txnindex files are read first) and after a truncation (the store's memory is
 * current): the replay's ABORTs replace the index from where the replay started.
 */
export async function loadTransactionState(
  manager: ProducerStateManager,
  abortedTxns: AbortedTxnStore,
  fs: FileSystem,
  dir: string,
  segments: SegmentMap,
  logEndOffset: number,
  nowMs: number,
  loadFiles: boolean,
  /** A listing of `dir` made after the last change to its files (the loader's at open): no readdir, no probe for absent files. */
  names: readonly string[] | null = null,
): Promise<ProducerStateLoad> {
  const bounds = segments.bounds(logEndOffset);
  if (loadFiles) await abortedTxns.load(bounds, names);
  const load = await loadProducerState(manager, fs, dir, segments, logEndOffset, nowMs, names);
  await abortedTxns.rebuildFrom(load.replayedFrom, load.abortedInReplay, bounds);
  return load;
}
