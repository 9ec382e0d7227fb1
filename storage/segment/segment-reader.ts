/**
 * Reading one segment: whole batches from an offset, and the first offset at or after a
 * timestamp. Both start at an index entry (offset index: ≤ ~4 KiB before the target; time index:
 * after every entry whose max timestamp is below the target, storage/FORMAT.md §5–§6) and scan
 * forward in large chunks.
 *
 * A batch is chosen from its 61-byte header before its body is read: a batch before the fetch
 * offset is jumped over, one that would pass maxOffset or maxBytes ends the read — so a 1 MiB
 * fetch reads ~1 MiB, not 1 MiB plus the next batch. Returned batches are CRC-valid (those beyond
 * the segment's verified prefix are checked and extend it) and in batch order (storage/FORMAT.md
 * §5 "Batch order"); damage is a CorruptRecordError naming file and byte position, never served.
 *
 * Concurrency: no lock; safe alongside one appender (the end position is snapshotted first).
 */
import { CorruptRecordError } from '../errors';
import { decodeRecordBatch, isBatchCrcValid } from '../format/record-batch';
import { emitStorageWarning } from '../storage-warnings';
import { BatchHeaderView, BatchScanner, BatchSelection } from './batch-scanner';
import { BatchOrder } from './batch-order';
import type { FetchedBatch, LogSegment, SegmentReadResult } from './log-segment';

const READ_CHUNK_MIN_BYTES = 65_536; // 64 KiB
const READ_CHUNK_MAX_BYTES = 64 * 1_048_576; // 64 MiB: a huge maxBytes is read in several chunks
const TIMESTAMP_SCAN_CHUNK_BYTES = 262_144; // 256 KiB

export function corruptRecord(segment: LogSegment, position: number, reason: string): CorruptRecordError {
  return new CorruptRecordError(`corrupt batch in ${segment.logPath} at byte ${position}: ${reason}`, { path: segment.logPath, position });
}

/**
 * Whole batches of one segment from the one holding `fetchOffset`. `endOffset` is one past the last
 * offset the segment may hold: the next segment's base, or null for the active segment (its next
 * offset, read in the same tick as its size so the two agree).
 *
 * Every header the scan meets is checked against the batch order (BatchOrder; the baseOffset is
 * not CRC-covered). A batch is served only once the header after it (or the segment's end)
 * confirms its offsets — a raised baseOffset shows only as an overlap with the next batch, and
 * either of the two may be the liar, so both are held back. Damage (order, CRC, a bad header)
 * ends the read there: the good batches before it are returned with `damage` set, and a read
 * that starts at the damage gets nothing and the damage. An index entry that does not start its
 * batch is the index's fault: the index is rebuilt from the log (logged) and the read retried once.
 */
export async function readBatches(
  segment: LogSegment,
  fetchOffset: number,
  maxOffset: number,
  maxBytes: number,
  minOneBatch: boolean,
  endOffset: number | null,
): Promise<SegmentReadResult> {
  await segment.ensureIndexes();
  const endPosition = segment.sizeBytes;
  const segmentEndOffset = endOffset ?? segment.nextOffset;
  const first = await scanSegment(segment, fetchOffset, maxOffset, maxBytes, minOneBatch, endPosition, segmentEndOffset);
  if (!first.indexMismatch) return first;
  emitStorageWarning({
    kind: 'OFFSET_INDEX_REBUILT',
    path: segment.logPath,
    message: `offset index of ${segment.logPath} does not match its batches (${first.damage!.message}); rebuilt from the log`,
  });
  await segment.repairOffsetIndex(segmentEndOffset);
  const retried = await scanSegment(segment, fetchOffset, maxOffset, maxBytes, minOneBatch, endPosition, segmentEndOffset);
  return retried;
}

interface ScanResult extends SegmentReadResult {
  indexMismatch: boolean;
}

async function scanSegment(
  segment: LogSegment,
  fetchOffset: number,
  maxOffset: number,
  maxBytes: number,
  minOneBatch: boolean,
  endPosition: number,
  endOffset: number,
): Promise<ScanResult> {
  const entry = segment.offsetIndex.lookup(fetchOffset);
  const order = new BatchOrder(segment.baseOffset, endOffset, entry.position > 0 ? entry.offset : null);
  const batches: FetchedBatch[] = [];
  let lastTaken: BatchHeaderView | null = null;
  let sizeBytes = 0;
  let stopped = false;
  let damage: { position: number; reason: string } | null = null;
  // The budget plus the scan from the index entry to the fetch offset, in one read.
  const chunkBytes = Math.max(READ_CHUNK_MIN_BYTES, Math.min(maxBytes, READ_CHUNK_MAX_BYTES) + segment.indexIntervalBytes);
  const select = (header: BatchHeaderView): BatchSelection => {
    const problem = order.check(header.baseOffset, header.lastOffset);
    if (problem !== null) {
      damage = { position: header.position, reason: problem };
      if (lastTaken && header.baseOffset <= lastTaken.lastOffset && batches.length > 0) {
        // The batch just before may be the one whose baseOffset was raised: not confirmed, not served.
        batches.pop();
        sizeBytes -= lastTaken.sizeBytes;
        damage.position = lastTaken.position;
      }
      return 'stop';
    }
    lastTaken = null;
    if (header.lastOffset < fetchOffset) return 'skip';
    if (header.lastOffset >= maxOffset || ((batches.length > 0 || !minOneBatch) && sizeBytes + header.sizeBytes > maxBytes)) {
      stopped = true;
      return 'stop';
    }
    sizeBytes += header.sizeBytes;
    lastTaken = header;
    return 'take';
  };
  await segment.withHandle(async (handle) => {
    const scanner = new BatchScanner(handle, entry.position, endPosition, { verifyCrc: false, chunkBytes, select });
    for await (const batch of scanner.batches()) {
      const end = batch.position + batch.sizeBytes;
      if (end > segment.verifiedEndPositionBytes) {
        if (!isBatchCrcValid(batch.bytes, 0)) {
          sizeBytes -= batch.sizeBytes;
          damage = { position: batch.position, reason: 'CRC mismatch' };
          return;
        }
        segment.markVerified(batch.position, end);
      }
      batches.push({ baseOffset: batch.baseOffset, lastOffset: batch.lastOffset, bytes: batch.bytes });
    }
    const stop = scanner.stop!;
    if (stop.kind === 'invalid') damage = { position: stop.position, reason: stop.reason };
  });
  const found = damage as { position: number; reason: string } | null;
  return {
    batches,
    sizeBytes,
    stopped: stopped || found !== null,
    damage: found && corruptRecord(segment, found.position, found.reason),
    // No batch header where an entry points (an entry into the middle of a batch) is the index's fault too.
    indexMismatch: order.indexMismatch || (found !== null && entry.position > 0 && found.position === entry.position),
  };
}

/**
 * The first offset ≥ minOffset in this segment whose record timestamp ≥ timestampMs, or null. The
 * headers it passes are checked as a read checks them (BatchOrder): damage before the answer
 * throws CorruptRecordError; an index entry that does not start its batch rebuilds the index
 * (logged) and the lookup is retried once.
 */
export async function findOffsetForTimestamp(
  segment: LogSegment,
  timestampMs: number,
  minOffset: number,
  endOffset: number | null,
): Promise<number | null> {
  await segment.ensureIndexes();
  if (segment.maxTimestampMs < timestampMs) return null;
  const endPosition = segment.sizeBytes;
  const segmentEndOffset = endOffset ?? segment.nextOffset;
  const first = await scanForTimestamp(segment, timestampMs, minOffset, endPosition, segmentEndOffset);
  if (!(first instanceof IndexMismatch)) return first;
  emitStorageWarning({
    kind: 'OFFSET_INDEX_REBUILT',
    path: segment.logPath,
    message: `offset index of ${segment.logPath} does not match its batches (${first.reason}); rebuilt from the log`,
  });
  await segment.repairOffsetIndex(segmentEndOffset);
  const retried = await scanForTimestamp(segment, timestampMs, minOffset, endPosition, segmentEndOffset);
  if (retried instanceof IndexMismatch) throw corruptRecord(segment, retried.position, retried.reason);
  return retried;
}

class IndexMismatch {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {}
}

async function scanForTimestamp(
  segment: LogSegment,
  timestampMs: number,
  minOffset: number,
  endPosition: number,
  endOffset: number,
): Promise<number | null | IndexMismatch> {
  const startOffset = Math.max(minOffset, segment.timeIndex.lookupStartOffset(timestampMs));
  const entry = segment.offsetIndex.lookup(startOffset);
  const order = new BatchOrder(segment.baseOffset, endOffset, entry.position > 0 ? entry.offset : null);
  let damage: { position: number; reason: string } | null = null;
  return segment.withHandle(async (handle) => {
    const select = (header: BatchHeaderView): BatchSelection => {
      const problem = order.check(header.baseOffset, header.lastOffset);
      if (problem !== null) {
        damage = { position: header.position, reason: problem };
        return 'stop';
      }
      return header.lastOffset < startOffset || header.maxTimestampMs < timestampMs ? 'skip' : 'take';
    };
    const scanner = new BatchScanner(handle, entry.position, endPosition, {
      verifyCrc: false,
      chunkBytes: TIMESTAMP_SCAN_CHUNK_BYTES,
      select,
    });
    for await (const batch of scanner.batches()) {
      let decoded;
      try {
        decoded = decodeRecordBatch(batch.bytes, 0);
      } catch (error) {
        if (error instanceof CorruptRecordError) throw corruptRecord(segment, batch.position, error.message);
        throw error;
      }
      for (const record of decoded.records) {
        if (record.offset >= startOffset && record.timestampMs >= timestampMs) return record.offset;
      }
    }
    const found = damage as { position: number; reason: string } | null;
    if (found && order.indexMismatch) return new IndexMismatch(found.position, found.reason);
    if (found) throw corruptRecord(segment, found.position, found.reason);
    const stop = scanner.stop;
    if (stop?.kind === 'invalid' && entry.position > 0 && stop.position === entry.position)
      return new IndexMismatch(stop.position, stop.reason);
    if (stop?.kind === 'invalid') throw corruptRecord(segment, stop.position, stop.reason);
    return null;
  });
}
