/**
 * The node's live view of its topics: for each topic its catalog record, parsed configuration,
 * and one runtime per partition (the open PartitionLog, the catalog's replica state and a change
 * signal). The catalog is the source of truth; this registry is rebuilt from it at start-up and
 * updated by the topic use cases, always catalog first, so a crash in between is reconciled on the
 * next start. Single-threaded: callers are the broker's use cases on the event loop.
 */
import type { PartitionLog } from '../../storage/index';
import type { TopicRecord } from '../catalog/catalog';
import type { Partition } from '../cluster/partition';
import { UnknownTopicOrPartitionError } from '../errors';
import { ChangeSignal } from './change-signal';
import type { TopicConfig } from './topic-config';

export interface PartitionRuntime {
  readonly topic: string;
  readonly partition: number;
  readonly log: PartitionLog;
  /** This node's replica of it (role, leader epoch, ISR, high watermark): server/cluster/partition.ts. */
  readonly replica: Partition;
  /** Notified when the high watermark or the replica state moves. */
  readonly changed: ChangeSignal;
}

export interface TopicRuntime {
  record: TopicRecord;
  config: TopicConfig;
  readonly partitions: PartitionRuntime[];
  /** Notified when anything about the topic changes; closed when the topic is deleted. */
  readonly changed: ChangeSignal;
}

export class TopicRegistry {
  private readonly topics = new Map<string, TopicRuntime>();

  get(name: string): TopicRuntime | undefined {
    return this.topics.get(name);
  }

  require(name: string): TopicRuntime {
    const topic = this.topics.get(name);
    if (!topic) throw new UnknownTopicOrPartitionError(name);
    return topic;
  }

  requirePartition(name: string, partition: number): PartitionRuntime {
    const runtime = this.require(name).partitions[partition];
    if (!runtime) throw new UnknownTopicOrPartitionError(name, partition);
    return runtime;
  }

  add(topic: TopicRuntime): void {
    this.topics.set(topic.record.name, topic);
  }

  remove(name: string): TopicRuntime | undefined {
    const topic = this.topics.get(name);
    this.topics.delete(name);
    return topic;
  }

  all(): TopicRuntime[] {
    return [...this.topics.values()];
  }
}

/**
 * Wakes a partition's readers (and its topic's) whenever its replica's high watermark, leader,
 * leader epoch or ISR changes without a produce on this node: a follower's fetch moved the leader's
 * HW, the fetcher moved a follower's, or the control plane applied a new state. Appends that do
 * not move the HW wake no one.
 */
export function followReplicaChanges(topic: TopicRuntime, partition: PartitionRuntime): void {
  const replica = partition.replica;
  const fingerprint = () => `${replica.highWatermark}/${replica.leaderId}/${replica.leaderEpoch}/${replica.isr.join(',')}`;
  let seen = fingerprint();
  replica.onChange(() => {
    const now = fingerprint();
    if (now === seen) return;
    seen = now;
    notifyPartitionChanged(topic, partition);
  });
}

/** Tells every reader of a partition, and of its topic, that the partition moved. */
export function notifyPartitionChanged(topic: TopicRuntime, partition: PartitionRuntime): void {
  partition.changed.notify();
  topic.changed.notify();
}
