/**
 * When the active segment must roll before the next batch: it would pass `segment.bytes`, it is
 * older than `segment.ms`, its offset index is full, or the batch's last offset would no longer
 * fit the 32-bit relative offsets of the segment's index. Pure function of the segment's state.
 */
import type { BatchToAppend, LogSegment } from '../segment/log-segment';
import type { LogConfig } from './log-config';

const INT32_MAX = 0x7fff_ffff;

export function shouldRoll(config: LogConfig, active: LogSegment, pendingBytes: number, next: BatchToAppend, nowMs: number): boolean {
  const sizeBytes = active.sizeBytes + pendingBytes;
  if (sizeBytes === 0) return false;
  return (
    sizeBytes + next.bytes.length > config.segmentBytes ||
    (active.rollBaseMs !== null && nowMs - active.rollBaseMs >= config.segmentMs) ||
    active.offsetIndex.isFull ||
    next.lastOffset - active.baseOffset > INT32_MAX
  );
}
