/**
 * Where an idempotent retry's records go: the partitioning its original call had, recovered from
 * what the logs' producer state holds for that sequence (produce.ts asks it for retries only).
 */
import type { TopicRuntime } from './topic-registry';

/** What the partitioning needs of a batch: its partition and how many records it holds. */
interface GroupedBatch {
  partition: number;
  records: readonly unknown[];
}

/**
 * A retry must reach the partitions its original reached. Partition counts only grow
 * (createPartitions), so when the partitions holding the original batches (the logs' producer
 * state) do not fit today's partitioning, the smaller counts are tried, newest first: keyed and
 * keyless records then land where they did. No count fits (or nothing was held): today's.
 */
export function originalPartitioning<B extends GroupedBatch>(
  topic: TopicRuntime,
  idempotent: { producerId: number; epoch: number; sequence: number },
  nowMs: number,
  group: (partitionCount: number) => B[],
): B[] {
  const held = new Map<number, number>();
  for (const runtime of topic.partitions) {
    const entry = runtime.log.producerState.entry(idempotent.producerId, nowMs);
    const batch = entry?.epoch === idempotent.epoch ? entry.batches.find((b) => b.sequence === idempotent.sequence) : undefined;
    if (batch) held.set(runtime.partition, batch.lastOffset - batch.firstOffset + 1);
  }
  const fits = (batches: B[]) =>
    [...held].every(([partition, count]) => batches.find((b) => b.partition === partition)?.records.length === count);
  const current = group(topic.partitions.length);
  if (held.size === 0 || fits(current)) return current;
  for (let count = topic.partitions.length - 1; count > Math.max(...held.keys()); count--) {
    const candidate = tryGroup(group, count);
    if (candidate && fits(candidate)) return candidate;
  }
  return current;
}

/** A partitioning with fewer partitions than an explicit record partition names is no candidate. */
function tryGroup<B>(group: (partitionCount: number) => B[], partitionCount: number): B[] | null {
  try {
    return group(partitionCount);
  } catch {
    return null;
  }
}
