/**
 * The read side of a partition log: whole batches across segments, and offset-for-timestamp
 * across segments. Stateless functions over a snapshot of segments (storage/FORMAT.md §5–§6 for
 * how a segment finds a position).
 *
 * Concurrency: reads take no lock. Retention or a compaction swap may remove a segment between
 * taking the snapshot and opening its file, and a replication truncation may cut the file under a
 * read; such a read is retried on the new segment list
 * (`retryIfSegmentsMoved`, 3 attempts) — a read whose segments did not change reports its error
 * as is (a CorruptRecordError is never retried away).
 */
import type { FetchedBatch, LogSegment } from '../segment/log-segment';
import { findOffsetForTimestamp as segmentOffsetForTimestamp, readBatches } from '../segment/segment-reader';
import type { SegmentMap } from './segment-map';

const READ_ATTEMPTS_MAX = 3;

export async function retryIfSegmentsMoved<T>(
  segments: SegmentMap,
  attempt: () => Promise<T>,
  changesSettled: () => Promise<void>,
): Promise<T> {
  for (let round = 1; ; round++) {
    const snapshot = segments.toArray();
    const truncations = snapshot.map((s) => s.truncationCount);
    try {
      return await attempt();
    } catch (error) {
      const moved = snapshot.some((s, i) => s.isDeleted || s.truncationCount !== truncations[i]);
      if (round >= READ_ATTEMPTS_MAX || !moved) throw error;
      await changesSettled(); // the swap/delete/truncation that moved them holds the log lock
    }
  }
}

/**
 * Whole batches from the one containing fetchOffset, below maxOffset, within maxBytes (≥ 1 batch
 * when minOneBatch). The last of `segments` is the active one. Damage ends the read: the batches
 * before it are returned; with none, its CorruptRecordError is thrown.
 */
export async function readSegments(
  segments: readonly LogSegment[],
  fetchOffset: number,
  maxOffset: number,
  maxBytes: number,
  minOneBatch: boolean,
): Promise<FetchedBatch[]> {
  const batches: FetchedBatch[] = [];
  if (fetchOffset >= maxOffset) return batches;
  let remainingBytes = maxBytes;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.baseOffset >= maxOffset) break;
    const next = segments[i + 1];
    const result = await readBatches(segment, fetchOffset, maxOffset, remainingBytes, minOneBatch, next ? next.baseOffset : null);
    batches.push(...result.batches);
    // Damage: the good batches before it now; the read that starts at it gets the error.
    if (result.damage && batches.length === 0) throw result.damage;
    remainingBytes -= result.sizeBytes;
    if (result.batches.length > 0) minOneBatch = false;
    if (result.stopped || remainingBytes <= 0) break;
  }
  return batches;
}

/** First offset ≥ logStartOffset whose record timestamp ≥ timestampMs, or null. */
export async function findOffsetForTimestamp(
  segments: readonly LogSegment[],
  timestampMs: number,
  logStartOffset: number,
): Promise<number | null> {
  for (let i = 0; i < segments.length; i++) {
    const next = segments[i + 1];
    const offset = await segmentOffsetForTimestamp(segments[i]!, timestampMs, logStartOffset, next ? next.baseOffset : null);
    if (offset !== null) return offset;
  }
  return null;
}
