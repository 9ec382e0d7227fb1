/**
 * The checks a segment's loaded indexes must pass against its log before they are trusted
 * (LogSegment.loadIndexes): cheap reads of batch headers only, once per load. A failing check
 * makes the segment rebuild its indexes from the log.
 */
import type { FileHandle } from '../io/file-system';
import { BATCH_HEADER_SIZE_BYTES } from '../format/record-batch-header';
import { checkBatchHeader, readInt64, scanTail } from './batch-scanner';
import type { OffsetIndex } from './offset-index';
import type { TimeIndex } from './time-index';

/**
 * Beyond the index's own shape: the batch header at the last entry's position exists and starts
 * at the entry's offset (an index from another file or a misdirected write fails it). One 61-byte read.
 */
export async function lastIndexEntryPointsAtItsBatch(handle: FileHandle, offsetIndex: OffsetIndex, sizeBytes: number): Promise<boolean> {
  const last = offsetIndex.lastEntry();
  if (!last) return true;
  const header = Buffer.alloc(BATCH_HEADER_SIZE_BYTES);
  const read = await handle.read(header, 0, header.length, last.position);
  return read === header.length && checkBatchHeader(header, 0, sizeBytes - last.position) === null && readInt64(header, 0) === last.offset;
}

/**
 * The time index's last entry must be the segment's end: O = one past the last batch, T ≥ the
 * max timestamp of the batches after the last offset-index entry — so an empty time index or a
 * dropped last entry fails. Headers only (≤ index.interval.bytes + one batch). A tail that is not
 * whole batches confirms nothing: it is the reads' (or recovery's) to report.
 */
export async function lastTimeEntryMatchesTail(
  handle: FileHandle,
  offsetIndex: OffsetIndex,
  timeIndex: TimeIndex,
  sizeBytes: number,
): Promise<boolean> {
  if (sizeBytes === 0) return true;
  const last = timeIndex.lastEntry();
  if (!last) return false;
  const tail = await scanTail(handle, offsetIndex.lastEntry()?.position ?? 0, sizeBytes);
  return tail === null || (last.offset === tail.nextOffset && last.timestampMs >= tail.maxTimestampMs);
}
