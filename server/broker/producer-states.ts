/**
 * Reads of the partitions' idempotent-producer state (storage's ProducerStateManager): the
 * `producers(topic, partition)` query, and each partition's newest batch of one producer, from
 * which the sequencer rebuilds a producer's expected sequence after a restart.
 */
import { UnknownTopicOrPartitionError } from '../errors';
import type { LoggedSequence } from './producer-sequencer';
import type { TopicRegistry } from './topic-registry';

/** Kafka's DescribeProducers answer for one producer in one partition. */
export interface ProducerStateView {
  producerId: number;
  epoch: number;
  /** The sequence of its newest batch here (one per produce call, storage/FORMAT.md §12). */
  lastSequence: number;
  lastTimestampMs: number;
  /** Offset of the first record of its newest batch here. */
  lastOffset: number;
}

/** Default producer.id.expiration.ms (Kafka's: 1 day). */
export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000;
/** How long a call ahead of its producer's next sequence waits for its predecessors by default. */
export const DEFAULT_PRODUCER_SEQUENCE_WAIT_MS = 10_000;

export function producerStatesOf(registry: TopicRegistry, topic: string, partition: number, nowMs: number): ProducerStateView[] {
  const runtime = registry.require(topic).partitions[partition];
  if (!runtime) throw new UnknownTopicOrPartitionError(topic, partition);
  return runtime.log.producerState.entries(nowMs).map((entry) => {
    const newest = entry.batches[entry.batches.length - 1]!;
    return {
      producerId: entry.producerId,
      epoch: entry.epoch,
      lastSequence: newest.sequence,
      lastTimestampMs: entry.lastTimestampMs,
      lastOffset: newest.firstOffset,
    };
  });
}

/** The producer's newest batch in every partition of every topic that has live state for it. */
export function loggedSequences(registry: TopicRegistry, producerId: number, nowMs: number): LoggedSequence[] {
  const found: LoggedSequence[] = [];
  for (const topic of registry.all()) {
    for (const partition of topic.partitions) {
      const entry = partition.log.producerState.entry(producerId, nowMs);
      const newest = entry?.batches[entry.batches.length - 1];
      if (entry && newest) found.push({ epoch: entry.epoch, sequence: newest.sequence, lastTimestampMs: entry.lastTimestampMs });
    }
  }
  return found;
}
