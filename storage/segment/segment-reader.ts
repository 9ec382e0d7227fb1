/**
 * Reading one segment: whole batches from an offset, and the first offset at or after a
 * timestamp. Both start at an index entry (offset index: ≤ ~4 KiB before the target; time index:
 * after every entry whose max timestamp is below the target, storage/FORMAT.md §5–§6) and scan
 * forward in large chunks.
 *
 * A batch is chosen from its 61-byte header before its body is read: a batch before the fetch
 * offset is jumped over, one that would pass maxOffset or maxBytes ends the read — so a 1 MiB
 * fetch reads ~1 MiB, not 1 MiB plus the next batch. Returned batches are CRC-valid: those beyond
 * the segment's verified prefix are checked (CorruptRecordError naming file and byte position,
 * never served) and extend the prefix.
 *
 * Concurrency: no lock; safe alongside one appender (the end position is snapshotted first).
 */
import { CorruptRecordError } from '../errors';
import { decodeRecordBatch, isBatchCrcValid } from '../format/record-batch';
import { BatchHeaderView, BatchScanner, BatchSelection } from './batch-scanner';
import type { FetchedBatch, LogSegment, SegmentReadResult } from './log-segment';

const READ_CHUNK_MIN_BYTES = 65_536; // 64 KiB
const READ_CHUNK_MAX_BYTES = 64 * 1_048_576; // 64 MiB: a huge maxBytes is read in several chunks
const TIMESTAMP_SCAN_CHUNK_BYTES = 262_144; // 256 KiB

export function corruptRecord(segment: LogSegment, position: number, reason: string): CorruptRecordError {
  return new CorruptRecordError(`corrupt batch in ${segment.logPath} at byte ${position}: ${reason}`, { path: segment.logPath, position });
}

export async function readBatches(segment: LogSegment, fetchOffset: number, maxOffset: number, maxBytes: number, minOneBatch: boolean): Promise<SegmentReadResult> {
  await segment.ensureIndexes();
  const endPosition = segment.sizeBytes;
  const start = segment.offsetIndex.lookup(fetchOffset).position;
  const batches: FetchedBatch[] = [];
  let sizeBytes = 0;
  let stopped = false;
  // The budget plus the scan from the index entry to the fetch offset, in one read.
  const chunkBytes = Math.max(READ_CHUNK_MIN_BYTES, Math.min(maxBytes, READ_CHUNK_MAX_BYTES) + segment.indexIntervalBytes);
  const select = (header: BatchHeaderView): BatchSelection => {
    if (header.lastOffset < fetchOffset) return 'skip';
    if (header.lastOffset >= maxOffset || ((batches.length > 0 || !minOneBatch) && sizeBytes + header.sizeBytes > maxBytes)) {
      stopped = true;
      return 'stop';
    }
    sizeBytes += header.sizeBytes;
    return 'take';
  };
  await segment.withHandle(async (handle) => {
    const scanner = new BatchScanner(handle, start, endPosition, { verifyCrc: false, chunkBytes, select });
    for await (const batch of scanner.batches()) {
      const end = batch.position + batch.sizeBytes;
      if (end > segment.verifiedEndPositionBytes) {
        if (!isBatchCrcValid(batch.bytes, 0)) throw corruptRecord(segment, batch.position, 'CRC mismatch');
        segment.markVerified(batch.position, end);
      }
      batches.push({ baseOffset: batch.baseOffset, lastOffset: batch.lastOffset, bytes: batch.bytes });
    }
    const stop = scanner.stop!;
    if (stop.kind === 'invalid') throw corruptRecord(segment, stop.position, stop.reason);
  });
  return { batches, sizeBytes, stopped };
}

export async function findOffsetForTimestamp(segment: LogSegment, timestampMs: number, minOffset: number): Promise<number | null> {
  await segment.ensureIndexes();
  if (segment.maxTimestampMs < timestampMs) return null;
  const startOffset = Math.max(minOffset, segment.timeIndex.lookupStartOffset(timestampMs));
  const start = segment.offsetIndex.lookup(startOffset).position;
  const endPosition = segment.sizeBytes;
  return segment.withHandle(async (handle) => {
    const select = (header: BatchHeaderView): BatchSelection => (header.lastOffset < startOffset || header.maxTimestampMs < timestampMs ? 'skip' : 'take');
    const scanner = new BatchScanner(handle, start, endPosition, { verifyCrc: false, chunkBytes: TIMESTAMP_SCAN_CHUNK_BYTES, select });
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
    if (scanner.stop?.kind === 'invalid') throw corruptRecord(segment, scanner.stop.position, scanner.stop.reason);
    return null;
  });
}
