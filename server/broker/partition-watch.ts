/**
 * The `partitionState` feed: the state of every partition of a topic, first at once and then
 * whenever a watermark, the leader or the ISR moves — at most once per `intervalMs`, so a topic
 * taking 10,000 appends a second costs a watcher ten pushes, not 10,000. Ends with TOPIC_DELETED
 * when the topic goes away.
 */
import type { BrokerDeps } from './broker-deps';
import { cancellable, type Cancellation } from './cancellable';
import type { TopicRuntime } from './topic-registry';
import { describePartition } from './topics';
import type { PartitionStatus } from './types';

export const PARTITION_WATCH_INTERVAL_MS = 100;

export function watchPartitions(deps: BrokerDeps, topicName: string, intervalMs = PARTITION_WATCH_INTERVAL_MS): AsyncIterableIterator<PartitionStatus[]> {
  const topic = deps.registry.require(topicName);
  return cancellable((cancellation) => partitionStates(deps, topic, intervalMs, cancellation));
}

async function* partitionStates(
  deps: BrokerDeps,
  topic: TopicRuntime,
  intervalMs: number,
  cancellation: Cancellation,
): AsyncGenerator<PartitionStatus[]> {
  let lastSentMs = -Infinity;
  let last = '';
  for (;;) {
    const changed = topic.changed.next();
    const state = topic.partitions.map(describePartition);
    const fingerprint = JSON.stringify(state);
    if (fingerprint !== last) {
      last = fingerprint;
      lastSentMs = deps.clock.monotonicMs();
      yield state;
    }
    await Promise.race([changed, cancellation.promise]);
    if (cancellation.cancelled) return;
    const waitMs = lastSentMs + intervalMs - deps.clock.monotonicMs();
    if (waitMs > 0) await new Promise<void>((resolve) => deps.scheduler.after(waitMs, resolve));
  }
}
