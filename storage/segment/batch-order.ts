/**
 * BatchOrder: the offset rule every read checks batch by batch (storage/FORMAT.md §5 "Batch
 * order"), because a batch's baseOffset is not covered by its CRC: a flipped bit there would
 * otherwise serve records at the wrong offsets without any error.
 *
 * Within a segment each batch starts after the previous one's last offset (baseOffset >
 * previous lastOffset: equal +1 in a log never compacted; compaction drops whole batches and so
 * leaves gaps, never overlaps), the first at or after the segment's base offset, and every batch
 * ends before the segment's end offset (the next segment's base; for the active segment its next
 * offset). A batch found at an offset-index entry must start exactly at the entry's offset.
 *
 * One comparison or two per batch header, no allocation. Not thread-shared: one per scan.
 */
export class BatchOrder {
  private previousLastOffset: number;
  private checked = false;
  /** Set when the check that failed was the first batch against its index entry (the index lies, maybe not the log). */
  indexMismatch = false;

  constructor(
    segmentBaseOffset: number,
    /** One past the last offset the segment may hold. */
    private readonly endOffset: number,
    /** The offset the first batch must start at (an index entry's), or null (scan from the segment start). */
    private readonly firstBaseOffset: number | null,
  ) {
    this.previousLastOffset = segmentBaseOffset - 1;
  }

  /** null when the batch [baseOffset, lastOffset] may follow the ones checked before, else why not. */
  check(baseOffset: number, lastOffset: number): string | null {
    if (!this.checked) {
      this.checked = true;
      if (this.firstBaseOffset !== null && baseOffset !== this.firstBaseOffset) {
        this.indexMismatch = true;
        return `batch at offset ${baseOffset} where the offset index says ${this.firstBaseOffset}`;
      }
    }
    if (baseOffset <= this.previousLastOffset) return `batch at offset ${baseOffset} does not follow offset ${this.previousLastOffset}`;
    if (lastOffset >= this.endOffset) return `batch ends at offset ${lastOffset}, past the segment's end ${this.endOffset - 1}`;
    this.previousLastOffset = lastOffset;
    return null;
  }
}
