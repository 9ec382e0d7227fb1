/**
 * SegmentMap: the ordered segments of one partition log ("which segment holds offset X"), Kafka's
 * LogSegments. A sorted array by baseOffset: partitions have few segments (a 1 TiB partition at
 * 1 GiB segments is 1,024), so a binary search over an array beats a tree and keeps iteration
 * allocation-free. The last segment is the active one.
 *
 * Concurrency: mutated only under the partition's log lock; readers take `toArray()` snapshots.
 */
import type { LogSegment } from '../segment/log-segment';

export class SegmentMap {
  private segments: LogSegment[] = [];

  get size(): number {
    return this.segments.length;
  }

  /** The active (last) segment. Every log has at least one. */
  get active(): LogSegment {
    const last = this.segments[this.segments.length - 1];
    if (!last) throw new RangeError('a log has no segments');
    return last;
  }

  get first(): LogSegment {
    return this.segments[0] ?? this.active;
  }

  toArray(): readonly LogSegment[] {
    return this.segments.slice();
  }

  add(segment: LogSegment): void {
    const last = this.segments[this.segments.length - 1];
    if (last && segment.baseOffset <= last.baseOffset) {
      const index = this.indexOfFloor(segment.baseOffset);
      if (index >= 0 && this.segments[index]!.baseOffset === segment.baseOffset)
        throw new RangeError(`duplicate segment ${segment.baseOffset}`);
      this.segments.splice(index + 1, 0, segment);
      return;
    }
    this.segments.push(segment);
  }

  remove(segment: LogSegment): void {
    const index = this.segments.indexOf(segment);
    if (index >= 0) this.segments.splice(index, 1);
  }

  /** Replaces `old` (contiguous, in order) with `replacement` at the same place. */
  replace(old: readonly LogSegment[], replacement: LogSegment): void {
    const index = this.segments.indexOf(old[0]!);
    if (index < 0) throw new RangeError('segments to replace are not in the log');
    this.segments.splice(index, old.length, replacement);
  }

  /** The log restarts as this one segment (truncateFullyAndStartAt). */
  replaceAll(segment: LogSegment): void {
    this.segments = [segment];
  }

  /** Each segment's offsets [base, next segment's base), the active one's up to `logEndOffset` (sealed segments need not be loaded). */
  bounds(logEndOffset: number): { baseOffset: number; endOffset: number }[] {
    return this.segments.map((s, i) => ({
      baseOffset: s.baseOffset,
      endOffset: this.segments[i + 1]?.baseOffset ?? Math.max(s.baseOffset, logEndOffset),
    }));
  }

  /** The segment with the largest baseOffset ≤ offset, or undefined below the first. */
  floor(offset: number): LogSegment | undefined {
    const index = this.indexOfFloor(offset);
    return index < 0 ? undefined : this.segments[index];
  }

  /** Segments from the floor of `offset` to the end. */
  from(offset: number): LogSegment[] {
    return this.segments.slice(Math.max(0, this.indexOfFloor(offset)));
  }

  /** The segment after `segment`, if any. */
  next(segment: LogSegment): LogSegment | undefined {
    const index = this.segments.indexOf(segment);
    return index < 0 ? undefined : this.segments[index + 1];
  }

  private indexOfFloor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
