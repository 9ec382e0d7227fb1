/**
 * This node's Partitions, keyed by topic-partition (Kafka's ReplicaManager). The topic use cases
 * add a topic's Partitions when its logs are opened or created and drop them when it is deleted;
 * produce looks its Partition up here (partitionFor), never the log. Which assignment a Partition
 * gets is the controller's call: LocalController on one node, and in a cluster the control plane's
 * partition states through becomeLeaderOrFollower (cluster-view.ts PartitionStateListener), which
 * also starts and stops this node's fetching through the installed ReplicaFetcherControl
 * (server/cluster/replication/).
 */
import { SystemClock, SystemScheduler, type Clock, type PartitionLog, type Scheduler } from '../../storage/index';
import { UnknownTopicOrPartitionError } from '../errors';
import type { PartitionState, PartitionStateListener } from './cluster-view';
import { Partition, type ReplicaAssignment } from './partition';

/** The data plane's follower side, as the ReplicaManager drives it (server/cluster/replication/fetcher-manager.ts). */
export interface ReplicaFetcherControl {
  /** Fetch `partition` from its current leader, truncating by leader epoch first (again after every new epoch). */
  follow(partition: Partition): void;
  /** Stop fetching `partition` (this node leads it now, or is no replica). */
  unfollow(partition: Partition): void;
  /** Resolves once no log change of `partition`'s fetching is in flight any more (call after unfollow). */
  settle(partition: Partition): Promise<void>;
}

/** Opens (or creates) this node's log of a partition the control plane assigned it. */
export type ReplicaLogOpener = (topic: string, partition: number) => Promise<PartitionLog>;

export class ReplicaManager implements PartitionStateListener {
  /** Per topic name, its Partitions by partition number. */
  private readonly byTopic = new Map<string, Partition[]>();
  /** The last partition state applied per `topic-partition` (its version is what an ISR change names). */
  private readonly states = new Map<string, PartitionState>();
  private fetchers: ReplicaFetcherControl | null = null;
  private openLog: ReplicaLogOpener | null = null;

  constructor(
    readonly localId: number,
    private readonly scheduler: Scheduler = new SystemScheduler(),
    private readonly clock: Clock = new SystemClock(),
  ) {}

  /** Makes the Partition of an open log with the controller's assignment (replacing one a recreated topic left). */
  add(log: PartitionLog, assignment: ReplicaAssignment): Partition {
    const partition = new Partition(this.localId, log, assignment, this.scheduler, this.clock);
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

  /** Every Partition this node leads now (the ISR shrink check walks them). */
  leaderPartitions(): Partition[] {
    const leading: Partition[] = [];
    for (const partitions of this.byTopic.values())
      for (const partition of partitions) if (partition?.role === 'LEADER') leading.push(partition);
    return leading;
  }

  /** The partition state last applied (null before the control plane sent one: the embedded single node). */
  stateOf(topic: string, partition: number): PartitionState | null {
    return this.states.get(`${topic}-${partition}`) ?? null;
  }

  /** Forgets a deleted topic's Partitions; an acks ALL produce still waiting on one fails with `reason`. */
  removeTopic(topic: string, reason: unknown): void {
    for (const partition of this.byTopic.get(topic) ?? []) {
      if (!partition) continue;
      partition.abortWaiters(reason);
      this.fetchers?.unfollow(partition);
      this.states.delete(`${topic}-${partition.partition}`);
    }
    this.byTopic.delete(topic);
  }

  /** Installed by startReplication (server/cluster/replication/index.ts); partitions already followed start fetching. */
  installReplication(fetchers: ReplicaFetcherControl, openLog: ReplicaLogOpener | null): void {
    this.fetchers = fetchers;
    this.openLog = openLog;
    for (const partitions of this.byTopic.values())
      for (const partition of partitions) if (partition?.role === 'FOLLOWER') fetchers.follow(partition);
  }

  /**
   * The control plane's partition states naming this node (Kafka's becomeLeaderOrFollower). A
   * state older than the one applied (a lower leader epoch, or the same epoch with a version not
   * above it) is ignored: fencing. A new epoch as follower restarts fetching with a truncation by
   * leader epoch; as leader it stops fetching; a state for a partition with no local log opens it
   * (when a ReplicaLogOpener was installed) or is skipped.
   */
  async becomeLeaderOrFollower(states: readonly PartitionState[]): Promise<void> {
    for (const state of states) {
      const key = `${state.topic}-${state.partition}`;
      let partition = this.getPartition(state.topic, state.partition);
      if (!partition) {
        if (!this.openLog) continue;
        partition = this.add(await this.openLog(state.topic, state.partition), state);
        this.states.set(key, state);
        this.startRole(partition, true);
        continue;
      }
      const applied = this.states.get(key);
      if (state.leaderEpoch < partition.leaderEpoch) continue;
      if (applied && state.leaderEpoch === applied.leaderEpoch && state.version <= applied.version) continue;
      const restart = state.leaderEpoch !== partition.leaderEpoch || state.leaderId !== partition.leaderId || !applied;
      if (restart && this.fetchers && partition.role === 'FOLLOWER') {
        // The old fetch may be changing the log right now (an append, a truncation): it finishes
        // before the new role starts (Kafka's makeLeader waits for its fetcher too), else a
        // truncation meant for the follower would cut records the new leader just appended, or
        // the leader's epoch would start at an offset its log then falls below.
        this.fetchers.unfollow(partition);
        await this.fetchers.settle(partition);
        const latest = this.states.get(key);
        if (
          state.leaderEpoch < partition.leaderEpoch ||
          (latest && state.leaderEpoch === latest.leaderEpoch && state.version <= latest.version)
        )
          continue;
      }
      partition.applyAssignment(state);
      this.states.set(key, state);
      this.startRole(partition, restart);
    }
  }

  private startRole(partition: Partition, restart: boolean): void {
    if (!this.fetchers) return;
    if (partition.role !== 'FOLLOWER') this.fetchers.unfollow(partition);
    else if (restart) this.fetchers.follow(partition);
  }
}
