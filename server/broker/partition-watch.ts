/**
 * The `partitionState` feed: the state of every partition of a topic, first at once and then
 * whenever a watermark, the leader or the ISR moves — at most once per `intervalMs`, so a topic
 * taking 10,000 appends a second costs a watcher ten pushes, not 10,000. Ends with TOPIC_DELETED
 * when the topic goes away (its change signal rejects).
 */
import type { BrokerDeps } from './broker-deps';
import { cancellable } from './cancellable';
import { throttledFeed } from './throttled-feed';
import { describePartition } from './topics';
import type { PartitionStatus } from './types';

export const PARTITION_WATCH_INTERVAL_MS = 100;

export function watchPartitions(
  deps: BrokerDeps,
  topicName: string,
  intervalMs = PARTITION_WATCH_INTERVAL_MS,
): AsyncIterableIterator<PartitionStatus[]> {
  const topic = deps.registry.require(topicName);
  return cancellable((signal) =>
    throttledFeed(deps, signal, intervalMs, {
      snapshot: () => {
        const changed = topic.changed.next();
        return { state: topic.partitions.map(describePartition), changed };
      },
      fingerprint: (state) => JSON.stringify(state),
    }),
  );
}
