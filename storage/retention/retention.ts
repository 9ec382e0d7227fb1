/**
 * Retention: which old segments to delete (Kafka's UnifiedLog.deleteOldSegments). Whole segments
 * only, oldest first, never the active one, and never data at or above the high watermark (a
 * segment is deletable only when the next segment starts at or below it, so consumers never lose
 * records they could not yet read). Two independent rules, as in Kafka:
 *  - time: `retention.ms` ≥ 0 and the segment's newest record is older than now − retention.ms;
 *    stops at the first segment that is too young (later segments are usually younger);
 *  - size: `retention.bytes` ≥ 0 and the log (all segments, active included) is bigger: delete
 *    oldest segments while the log without that segment is still ≥ retention.bytes (Kafka's rule).
 * The deletion itself (rename to `.deleted`, then unlink; crash-safe) is done by PartitionLog under
 * its log lock; the loader removes `.deleted` leftovers.
 *
 * Concurrency: pure selection over a snapshot; the caller holds the log lock.
 */
import type { LogConfig } from '../log/log-config';

export interface RetentionCandidate {
  baseOffset: number;
  sizeBytes: number;
  /** The next segment's base offset (where this segment's data ends). */
  endOffset: number;
  largestTimestampMs: () => Promise<number>;
}

export async function selectSegmentsToDelete(
  sealed: readonly RetentionCandidate[],
  totalSizeBytes: number,
  config: Pick<LogConfig, 'retentionMs' | 'retentionBytes'>,
  nowMs: number,
  highWatermark: number,
): Promise<number> {
  let count = 0;
  let excessBytes = config.retentionBytes >= 0 ? totalSizeBytes - config.retentionBytes : -1;
  for (const segment of sealed) {
    if (segment.endOffset > highWatermark) break;
    const bySize = excessBytes >= 0 && excessBytes - segment.sizeBytes >= 0;
    const byTime = !bySize && config.retentionMs >= 0 && nowMs - (await segment.largestTimestampMs()) > config.retentionMs;
    if (!bySize && !byTime) break;
    if (excessBytes >= 0) excessBytes -= segment.sizeBytes;
    count++;
  }
  return count;
}
