/**
 * Builds a partition's producer state at open and after a truncation (storage/FORMAT.md §12): the
 * newest valid `<offset>.snapshot` at or below the log end (a damaged one is deleted, with a
 * storage warning, and the next older tried), then every idempotent batch from its offset to the
 * log end replayed in order. Without a usable snapshot the whole log is scanned. The segments were
 * made consistent by log-loader.ts first, so what is replayed is exactly the durable log: a
 * `kill -9` leaves nothing in the state that the segments do not hold.
 *
 * Concurrency: runs before the log serves (open) or under its lock (truncation).
 */
import type { FileSystem } from '../io/file-system';
import { BatchScanner } from '../segment/batch-scanner';
import { unlinkIfExists } from '../segment/segment-files';
import { emitStorageWarning } from '../storage-warnings';
import { batchProducerFields, ProducerStateManager } from './producer-state-manager';
import { decodeSnapshot, listSnapshotOffsets, snapshotPath } from './producer-state-snapshot';
import type { SegmentMap } from './segment-map';
import { readFileIfExists } from '../segment/segment-io';

export interface ProducerStateLoad {
  /** The snapshot offset the state started from (null: none usable, the log was scanned from its start). */
  snapshotOffset: number | null;
  /** Idempotent batches replayed from the segments after the snapshot. */
  replayedBatches: number;
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
): Promise<ProducerStateLoad> {
  manager.clear();
  let snapshotOffset: number | null = null;
  for (const offset of await listSnapshotOffsets(fs, dir)) {
    if (offset > logEndOffset) continue; // describes batches the log no longer has (a torn tail cut at open)
    const file = snapshotPath(dir, offset);
    const decoded = decodeSnapshot((await readFileIfExists(fs, file)) ?? Buffer.alloc(0));
    if (decoded && decoded.offset === offset) {
      for (const entry of decoded.entries) manager.restore(entry);
      snapshotOffset = offset;
      break;
    }
    emitStorageWarning({ kind: 'PRODUCER_SNAPSHOT_CORRUPT', path: file, message: `${file} is damaged: deleted; producer state rebuilt from the log` });
    await unlinkIfExists(fs, file);
  }
  const from = snapshotOffset ?? 0;
  let replayedBatches = 0;
  for (const segment of segments.from(from)) {
    if (segment.baseOffset >= logEndOffset) break;
    await segment.withHandle(async (handle) => {
      const scanner = new BatchScanner(handle, 0, segment.sizeBytes, {
        verifyCrc: false,
        select: (header) => (header.baseOffset >= logEndOffset ? 'stop' : header.lastOffset < from ? 'skip' : 'take'),
      });
      for await (const batch of scanner.batches()) {
        const fields = batchProducerFields(batch.bytes);
        if (fields.producerId < 0) continue;
        manager.recordFields(fields, batch.baseOffset, batch.lastOffset, nowMs);
        replayedBatches++;
      }
    });
  }
  return { snapshotOffset, replayedBatches };
}
