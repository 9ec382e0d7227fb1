/**
 * Feeds the control plane's state to this node, one topic at a time and in order: a topic placed
 * in etcd that this node does not have yet is adopted (its catalog copy and logs made, same topic
 * id), then every partition state of it goes to ReplicaManager.becomeLeaderOrFollower (which
 * checks the leader epoch itself: fencing), and the catalog's partition rows are brought up to
 * date so a restart starts from the last state seen. A topic the cluster deleted (or deleted and
 * created again with a new id) is dropped from this node first.
 */
import type { Logger } from 'pino';
import { AsyncLock } from '../../../storage/index';
import type { Catalog, PartitionRecord } from '../../catalog/catalog';
import type { AdoptedTopic } from '../cluster-membership';
import type { PartitionState, PartitionStateListener } from '../cluster-view';
import type { ClusterState } from './cluster-state';

/** What the node offers the control plane. */
export interface ClusterNodeHooks {
  readonly replicas: PartitionStateListener;
  adoptTopic(topic: AdoptedTopic, states: PartitionRecord[]): Promise<void>;
  /** The cluster deleted the topic: drop this node's copy (only if it is still the one of `topicId`). */
  dropTopic(name: string, topicId: string): Promise<void>;
}

export class NodeSync {
  private readonly lock = new AsyncLock();
  private readonly pending = new Set<string>();
  private readonly persisted = new Map<string, number>();
  /** The topic id of each topic this sync applied, to drop it when the cluster deletes it. */
  private readonly applied = new Map<string, string>();
  /** How many partitions of that topic id it applied (createPartitions raises it). */
  private readonly appliedPartitions = new Map<string, number>();
  private readonly waiters = new Set<{ topic: string; topicId: string; partitions: number; resolve: () => void }>();
  private stopped = false;
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly state: ClusterState,
    private readonly hooks: ClusterNodeHooks,
    private readonly catalog: Catalog,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.unsubscribe = this.state.onChange((topic) => this.enqueue(topic));
    for (const topic of this.state.topicNames()) this.enqueue(topic);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    await this.lock.run(async () => undefined);
  }

  /** Whether this node has applied the topic of `topicId` with at least `partitions` partitions. */
  hasApplied(topic: string, topicId: string, partitions: number): boolean {
    return this.applied.get(topic) === topicId && (this.appliedPartitions.get(topic) ?? 0) >= partitions;
  }

  /** Resolves once hasApplied(topic, topicId, partitions) holds; the returned cancel drops the wait. */
  whenApplied(topic: string, topicId: string, partitions: number): { applied: Promise<void>; cancel(): void } {
    let waiter!: { topic: string; topicId: string; partitions: number; resolve: () => void };
    const applied = new Promise<void>((resolve) => {
      waiter = { topic, topicId, partitions, resolve };
    });
    if (this.hasApplied(topic, topicId, partitions)) waiter.resolve();
    else this.waiters.add(waiter);
    return { applied, cancel: () => this.waiters.delete(waiter) };
  }

  private enqueue(topic: string): void {
    if (this.pending.has(topic) || this.stopped) return;
    this.pending.add(topic);
    void this.lock
      .run(async () => {
        this.pending.delete(topic);
        if (!this.stopped) await this.sync(topic);
      })
      .catch((error: unknown) =>
        this.logger.error({ err: error, topic }, 'applying the cluster state of a topic failed; the next change retries'),
      );
  }

  private async sync(topic: string): Promise<void> {
    const stored = this.state.topic(topic);
    const states = this.state.placedStates(topic);
    const appliedId = this.applied.get(topic);
    if (appliedId !== undefined && stored?.value.topicId !== appliedId) {
      this.applied.delete(topic);
      this.appliedPartitions.delete(topic);
      await this.hooks.dropTopic(topic, appliedId);
      for (const key of [...this.persisted.keys()]) if (key.startsWith(`${topic}-`)) this.persisted.delete(key);
    }
    if (!stored || !states || stored.value.error !== undefined) return;
    const { topicId, partitions, replicationFactor, configs } = stored.value;
    this.applied.set(topic, topicId);
    await this.hooks.adoptTopic({ name: topic, topicId, partitions, replicationFactor, configs }, states.map(recordOf));
    await this.hooks.replicas.becomeLeaderOrFollower(states);
    for (const s of states) {
      const key = `${s.topic}-${s.partition}`;
      if (this.persisted.get(key) === s.version) continue;
      await this.catalog.updatePartition(recordOf(s));
      this.persisted.set(key, s.version);
    }
    this.appliedPartitions.set(topic, partitions);
    for (const waiter of [...this.waiters]) {
      if (!this.hasApplied(waiter.topic, waiter.topicId, waiter.partitions)) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }
}

function recordOf(state: PartitionState): PartitionRecord {
  return {
    topic: state.topic,
    partition: state.partition,
    leaderId: state.leaderId,
    leaderEpoch: state.leaderEpoch,
    replicas: [...state.replicas],
    isr: [...state.isr],
  };
}
