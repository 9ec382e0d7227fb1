/**
 * How far a client may read a partition: the one function every reader for a client asks
 * (record pages, plain and group subscriptions, pull consumers, where LATEST starts, lag), never
 * the log's high watermark directly. READ_UNCOMMITTED reads up to the high watermark (what the
 * whole ISR has); READ_COMMITTED up to the last stable offset: min(high watermark, first offset of
 * the oldest open transaction), the high watermark when nothing is open (storage/FORMAT.md §13).
 */
import type { Partition } from '../cluster/partition';
import type { Isolation } from './types';

export function readLimit(partition: Partition, isolation: Isolation): number {
  return isolation === 'READ_COMMITTED' ? lastStableOffset(partition) : partition.highWatermark;
}

export function lastStableOffset(partition: Partition): number {
  return partition.lastStableOffset;
}
