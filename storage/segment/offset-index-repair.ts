/**
 * indexFromHeaders: fills an empty OffsetIndex from a `.log`'s batch headers, one entry per
 * `index.interval.bytes` as appends write them (storage/FORMAT.md §5). Used when a read found that
 * an entry of the segment's index does not start its batch (log-segment.ts repairOffsetIndex).
 * Bodies are jumped over and nothing is CRC-checked: the index only needs batch boundaries, and
 * every read CRC-checks what it serves.
 *
 * A batch that breaks the batch order (BatchOrder) gets no entry — a read that needs it scans
 * into it from an entry before and reports the damage — and batches after it are indexed again
 * (their offsets follow the last good batch); an invalid header ends the walk.
 *
 * Stateless; reads only.
 */
import type { FileHandle } from '../io/file-system';
import { BatchHeaderView, BatchScanner, BatchSelection } from './batch-scanner';
import { BatchOrder } from './batch-order';
import type { OffsetIndex } from './offset-index';

const INT32_MAX = 0x7fff_ffff;

export async function indexFromHeaders(
  handle: FileHandle,
  index: OffsetIndex,
  endPosition: number,
  endOffset: number,
  intervalBytes: number,
): Promise<void> {
  const order = new BatchOrder(index.baseOffset, endOffset, null);
  let bytesSinceLastEntry = 0;
  const select = (header: BatchHeaderView): BatchSelection => {
    bytesSinceLastEntry += header.sizeBytes;
    if (order.check(header.baseOffset, header.lastOffset) !== null || header.lastOffset - index.baseOffset > INT32_MAX) return 'skip';
    if (bytesSinceLastEntry - header.sizeBytes > intervalBytes && !index.isFull) {
      index.append(header.baseOffset, header.position);
      bytesSinceLastEntry = header.sizeBytes;
    }
    return 'skip';
  };
  const scanner = new BatchScanner(handle, 0, endPosition, { verifyCrc: false, chunkBytes: 1_048_576, select });
  for await (const _ of scanner.batches()); // every batch is skipped: the loop only drives the scan
}
