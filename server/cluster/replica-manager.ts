/**
 * This node's Partitions, keyed by topic-partition (Kafka's ReplicaManager, without the fetcher
 * yet). The topic use cases add a topic's Partitions when its logs are opened or created and drop
 * them when it is deleted; produce looks its Partition up here (partitionFor), never the log.
 * Which assignment a Partition gets is the controller's call (LocalController on one node).
 */
import { SystemScheduler, type PartitionLog, type Scheduler } from '../../storage/index';
import { UnknownTopicOrPartitionError } from '../errors';
import { Partition, type ReplicaAssignment } from './partition';

export class ReplicaManager {
  /** Per topic name, its Partitions by partition number. */
  private readonly byTopic = new Map<string, Partition[]>();

  constructor(readonly localId: number, private readonly scheduler: Scheduler = new SystemScheduler()) {}

  /** Makes the Partition of an open log with the controller's assignment (replacing one a recreated topic left). */
  add(log: PartitionLog, assignment: ReplicaAssignment): Partition {
    const partition = new Partition(this.localId, log, assignment, this.scheduler);
    let partitions = this.byTopic.get(log.topic);
    if (!partitions) {
      partitions = [];
      this.byTopic.set(log.topic, partitions);
    }
    partitions[log.partition] = partition;
    return partition;
  }

  /** The Partition, or UNKNOWN_TOPIC_OR_PARTITION. */
  partitionFor(topic: string, partition: number): Partition {
    const found = this.byTopic.get(topic)?.[partition];
    if (!found) throw new UnknownTopicOrPartitionError(topic, partition);
    return found;
  }

  getPartition(topic: string, partition: number): Partition | undefined {
    return this.byTopic.get(topic)?.[partition];
  }

  /** Forgets a deleted topic's Partitions; an acks ALL produce still waiting on one fails with `reason`. */
  removeTopic(topic: string, reason: unknown): void {
    for (const partition of this.byTopic.get(topic) ?? []) partition?.abortWaiters(reason);
    this.byTopic.delete(topic);
  }
}
