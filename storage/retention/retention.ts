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
import type { LogSegment } from '../segment/log-segment';

/** The oldest segments (a prefix of `segments`, never the last = active one) that retention deletes. */
export async function selectSegmentsToDelete(
  segments: readonly LogSegment[],
  config: Pick<LogConfig, 'retentionMs' | 'retentionBytes'>,
  nowMs: number,
  highWatermark: number,
): Promise<LogSegment[]> {
  const totalSizeBytes = segments.reduce((sum, s) => sum + s.sizeBytes, 0);
  let excessBytes = config.retentionBytes >= 0 ? totalSizeBytes - config.retentionBytes : -1;
  let count = 0;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    if (segments[i + 1]!.baseOffset > highWatermark) break;
    const bySize = excessBytes >= 0 && excessBytes - segment.sizeBytes >= 0;
    const byTime = !bySize && config.retentionMs >= 0 && nowMs - (await segment.largestTimestampMs()) > config.retentionMs;
    if (!bySize && !byTime) break;
    if (excessBytes >= 0) excessBytes -= segment.sizeBytes;
    count++;
  }
  return segments.slice(0, count);
}
