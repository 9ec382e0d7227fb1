/**
 * Topic use cases: load at start-up, create, delete, alter configs, add partitions, describe.
 * Every change writes the catalog first and the logs second; start-up reconciles the two
 * (topic-startup.ts: directories of topics the catalog marked deleted are deleted, directories it
 * does not know are recovered or kept, never deleted; partitions the catalog knows are opened or
 * created), so a crash between the steps leaves nothing half-made that a restart does not finish.
 *
 * Identity: every log is opened with its topic's id, so a directory holding another topic id
 * (an older topic of the same name) is never served (storage/FORMAT.md §9). Delete: one catalog
 * transaction removes the topic and marks it deleted, and the call answers; then, in the
 * background, the logs are closed and their directories renamed `-delete` (16 at a time, one
 * fsync), the mark is dropped, and the trees are removed. A create of the same name waits for
 * those renames; a crash before them leaves the mark, and the next start finishes the delete.
 */
import { AsyncLock, type LogIdentity } from '../../storage/index';
import type { PartitionRecord, TopicRecord } from '../catalog/catalog';
import {
  InvalidPartitionsError,
  InvalidReplicationFactorError,
  InvalidTopicError,
  TopicAlreadyExistsError,
  TopicDeletedError,
} from '../errors';
import type { BrokerDeps } from './broker-deps';
import { ChangeSignal } from './change-signal';
import { mapConcurrent } from './map-concurrent';
import { lastStableOffset } from './read-limit';
import { alterOverrides, describeTopicConfig, parseTopicConfig } from './topic-config';
import { applyStartupPlan, planStartup } from './topic-startup';
import { collisionKey, isInternalTopicName, validateTopicName } from './topic-name';
import { followReplicaChanges, type PartitionRuntime, type TopicRuntime } from './topic-registry';
import type { AdoptedTopic } from '../cluster/cluster-membership';
import type { CreateTopicRequest, PartitionStatus, TopicDescription } from './types';

/** Most partitions one topic may have (each is a directory and, when active, open files). */
export const PARTITIONS_PER_TOPIC_MAX = 10_000;
/** Partitions opened (or created) at once: their file I/O overlaps instead of queueing. */
const PARTITION_OPENS_IN_FLIGHT = 16;

export class TopicService {
  private readonly mutex = new AsyncLock();
  /** Deleted topics whose directories are still being renamed `-delete`, by name. */
  private readonly retiring = new Map<string, Promise<void>>();

  constructor(private readonly deps: BrokerDeps) {}

  /** Start-up: rebuild the registry from the catalog and reconcile the data directory with it. */
  async load(): Promise<void> {
    const { catalog, logs, registry } = this.deps;
    const deleted = await catalog.listDeletedTopics();
    const plan = planStartup(await catalog.listTopics({ includeInternal: true }), deleted, logs.listLogs());
    await applyStartupPlan(this.deps, plan, deleted);
    const records = await catalog.listTopics({ includeInternal: true });
    const partitions = await catalog.listPartitions(records.map((record) => record.name));
    const byTopic = groupBy(partitions, (p) => p.topic);
    for (const record of records) {
      const states = (byTopic.get(record.name) ?? []).sort((a, b) => a.partition - b.partition);
      registry.add(await this.openTopic(record, states));
    }
  }

  create(request: CreateTopicRequest): Promise<TopicDescription> {
    return this.mutex.run(async () => {
      validateTopicName(request.name);
      await this.retiring.get(request.name); // the old topic's directories must be out of the way
      if (isInternalTopicName(request.name)) {
        throw new InvalidTopicError('names starting with "__" are reserved for internal topics', request.name);
      }
      if (!Number.isInteger(request.partitions) || request.partitions < 1 || request.partitions > PARTITIONS_PER_TOPIC_MAX) {
        throw new InvalidPartitionsError(`partitions must be from 1 to ${PARTITIONS_PER_TOPIC_MAX}, got ${request.partitions}`);
      }
      const liveNodeCount = this.deps.cluster.liveNodeIds().length;
      if (!Number.isInteger(request.replicationFactor) || request.replicationFactor < 1 || request.replicationFactor > liveNodeCount) {
        throw new InvalidReplicationFactorError(
          `replication factor ${request.replicationFactor} is not from 1 to the ${liveNodeCount} live node(s)`,
        );
      }
      const overrides = alterOverrides({}, request.configs);
      const config = parseTopicConfig(overrides, request.replicationFactor);
      const { registry, catalog } = this.deps;
      if (registry.get(request.name)) throw new TopicAlreadyExistsError(request.name);
      const clash = registry.all().find((t) => collisionKey(t.record.name) === collisionKey(request.name));
      if (clash) {
        throw new InvalidTopicError(
          `"${request.name}" collides with existing topic "${clash.record.name}" ('.' and '_' are the same in metric names)`,
          request.name,
        );
      }
      const placement = await this.deps.cluster.placeTopic({
        name: request.name,
        partitions: request.partitions,
        replicationFactor: request.replicationFactor,
        configs: overrides,
      });
      const states = placement.assignments.map((assignment, partition): PartitionRecord => ({
        topic: request.name,
        partition,
        ...assignment,
      }));
      const record = await catalog.createTopic(
        {
          name: request.name,
          internal: false,
          partitionCount: request.partitions,
          replicationFactor: request.replicationFactor,
          configs: overrides,
          topicId: placement.topicId,
        },
        states,
      );
      try {
        const runtime = await this.openTopic(record, states, config);
        registry.add(runtime);
        return describeTopic(runtime);
      } catch (error) {
        this.deps.replicas.removeTopic(record.name, error);
        // Undo as a delete would: catalog (with the mark), then whatever directories were made.
        await catalog.deleteTopic(record.name).catch(() => undefined);
        await this.deps.logs
          .retireLogs(states, 'delete')
          .then(() => catalog.forgetDeletedTopic(record.topicId))
          .catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * A topic another node created through the cluster: this node's catalog copy (same topic id)
   * and its logs, with the states the control plane gave. Nothing when it has the topic already.
   */
  adopt(topic: AdoptedTopic, states: PartitionRecord[]): Promise<void> {
    return this.mutex.run(async () => {
      await this.retiring.get(topic.name); // an older topic of this name still being removed
      const existing = this.deps.registry.get(topic.name);
      if (existing) {
        if (existing.record.topicId !== topic.topicId)
          this.deps.logger.warn(
            { topic: topic.name, local: existing.record.topicId, cluster: topic.topicId },
            "the cluster has another topic of this name than this node; keeping this node's",
          );
        else {
          if (states.length > existing.partitions.length) await this.addLocalPartitions(existing, states.slice(existing.partitions.length));
          if (!sameConfigs(existing.record.configs, topic.configs))
            // A config this node cannot apply must not hold up the topic's partition states.
            await this.applyConfigs(existing, { ...topic.configs }).catch((error: unknown) =>
              this.deps.logger.error(
                { err: error, topic: topic.name },
                "the cluster's config of this topic does not apply here; keeping this node's",
              ),
            );
        }
        return;
      }
      const record = await this.deps.catalog.createTopic(
        {
          name: topic.name,
          internal: false,
          partitionCount: topic.partitions,
          replicationFactor: topic.replicationFactor,
          configs: { ...topic.configs },
          topicId: topic.topicId,
        },
        states,
      );
      this.deps.registry.add(await this.openTopic(record, states));
    });
  }

  /** Deletes the topic: for the whole cluster (cluster.deleteTopic), then this node's copy. */
  delete(name: string): Promise<boolean> {
    return this.mutex.run(async () => {
      if (!this.deps.registry.get(name)) return false;
      await this.deps.cluster.deleteTopic(name);
      return this.deleteLocal(name, null);
    });
  }

  /** The cluster deleted a topic: this node's copy goes, if it is still the one of `topicId`. */
  drop(name: string, topicId: string): Promise<boolean> {
    return this.mutex.run(async () => this.deleteLocal(name, topicId));
  }

  private async deleteLocal(name: string, topicId: string | null): Promise<boolean> {
    const { registry, catalog, logs, sticky } = this.deps;
    const topic = registry.get(name);
    if (!topic || (topicId !== null && topic.record.topicId !== topicId)) return false;
    // From this commit on the topic is deleted: gone from the catalog, its id marked for deletion.
    await catalog.deleteTopic(name);
    registry.remove(name);
    sticky.forget(name);
    const deleted = new TopicDeletedError(name);
    this.deps.replicas.removeTopic(name, deleted);
    topic.changed.close(deleted);
    for (const partition of topic.partitions) partition.changed.close(deleted);
    const retired = logs
      .retireLogs(topic.partitions, 'delete')
      .then(() => catalog.forgetDeletedTopic(topic.record.topicId))
      .catch((error: unknown) => {
        // The delete stands (the catalog says so); the next start renames what is left, from the mark.
        this.deps.logger.error({ err: error, topic: name }, "renaming a deleted topic's directories failed; the next start finishes it");
      })
      .finally(() => {
        if (this.retiring.get(name) === retired) this.retiring.delete(name);
      });
    this.retiring.set(name, retired);
    return true;
  }

  /** Shutdown: waits for the renames of deleted topics in progress (what is left is finished by the next start). */
  async close(): Promise<void> {
    await Promise.all(this.retiring.values());
  }

  /** New overrides for the whole cluster (ClusterMembership.alterTopicConfigs), then this node's copy. */
  alterConfig(name: string, changes: { key: string; value: string | null }[]): Promise<TopicDescription> {
    return this.mutex.run(async () => {
      const topic = this.deps.registry.require(name);
      const overrides = await this.deps.cluster.alterTopicConfigs(name, topic.record.configs, (stored) => {
        const next = alterOverrides(stored, changes);
        parseTopicConfig(next, topic.record.replicationFactor); // refuses a bad value before anything is written
        return next;
      });
      await this.applyConfigs(topic, overrides);
      return describeTopic(topic);
    });
  }

  /** Catalog, then the open logs, then each partition.metadata (the config snapshot a recovery from the logs restores). */
  private async applyConfigs(topic: TopicRuntime, overrides: Record<string, string>): Promise<void> {
    const name = topic.record.name;
    const config = parseTopicConfig(overrides, topic.record.replicationFactor);
    topic.record = await this.deps.catalog.setTopicConfigs(name, overrides);
    topic.config = config;
    for (const partition of topic.partitions) partition.log.updateConfig(config.log);
    const identity = { topicId: topic.record.topicId, configs: overrides };
    await mapConcurrent(topic.partitions, PARTITION_OPENS_IN_FLIGHT, (p) => this.deps.logs.updateIdentity(name, p.partition, identity));
    topic.changed.notify();
  }

  addPartitions(name: string, count: number): Promise<TopicDescription> {
    return this.mutex.run(async () => {
      const topic = this.deps.registry.require(name);
      const current = topic.partitions.length;
      if (!Number.isInteger(count) || count <= current || count > PARTITIONS_PER_TOPIC_MAX) {
        throw new InvalidPartitionsError(
          `the new partition count must be above ${current} and at most ${PARTITIONS_PER_TOPIC_MAX}, got ${count}`,
        );
      }
      const assignments = await this.deps.cluster.placePartitions(name, current, count);
      const states = assignments.map((assignment, i): PartitionRecord => ({ topic: name, partition: current + i, ...assignment }));
      await this.addLocalPartitions(topic, states);
      return describeTopic(topic);
    });
  }

  /** Partitions the cluster added to a topic this node has (states in partition order, from its current count). */
  private async addLocalPartitions(topic: TopicRuntime, states: PartitionRecord[]): Promise<void> {
    topic.record = await this.deps.catalog.addPartitions(topic.record.name, states);
    const identity = { topicId: topic.record.topicId, configs: topic.record.configs };
    const added = await mapConcurrent(states, PARTITION_OPENS_IN_FLIGHT, (state) => this.openPartition(state, topic.config.log, identity));
    for (const partition of added) followReplicaChanges(topic, partition);
    topic.partitions.push(...added);
    topic.changed.notify();
  }

  private async openTopic(
    record: TopicRecord,
    states: PartitionRecord[],
    config = parseTopicConfig(record.configs, record.replicationFactor),
  ): Promise<TopicRuntime> {
    const identity = { topicId: record.topicId, configs: record.configs };
    const partitions = await mapConcurrent(states, PARTITION_OPENS_IN_FLIGHT, (state) => this.openPartition(state, config.log, identity));
    const runtime: TopicRuntime = { record, config, partitions, changed: new ChangeSignal() };
    for (const partition of partitions) followReplicaChanges(runtime, partition);
    return runtime;
  }

  private async openPartition(
    state: PartitionRecord,
    logConfig: TopicRuntime['config']['log'],
    identity: LogIdentity,
  ): Promise<PartitionRuntime> {
    const log = await this.deps.logs.openLog(state.topic, state.partition, logConfig, identity);
    const assignment = this.deps.cluster.assignmentFor(state);
    // A leader's epoch starts at its log end; a follower's epochs come only from its leader's batches.
    if (assignment.leaderId === this.deps.nodeId && log.leaderEpochCache.latestEpoch() < assignment.leaderEpoch) {
      log.leaderEpochCache.assign(assignment.leaderEpoch, log.logEndOffset);
    }
    const replica = this.deps.replicas.add(log, assignment);
    return { topic: state.topic, partition: state.partition, log, replica, changed: new ChangeSignal() };
  }
}

export function describePartition(runtime: PartitionRuntime): PartitionStatus {
  const { log, replica } = runtime;
  return {
    topic: runtime.topic,
    partition: runtime.partition,
    leader: replica.leaderId,
    leaderEpoch: replica.leaderEpoch,
    replicas: [...replica.replicas],
    isr: [...replica.isr],
    logStartOffset: log.logStartOffset,
    highWatermark: replica.highWatermark,
    logEndOffset: log.logEndOffset,
    lastStableOffset: lastStableOffset(replica),
    underReplicated: replica.isr.length < replica.replicas.length,
    sizeBytes: log.sizeBytes,
  };
}

export function describeTopic(topic: TopicRuntime): TopicDescription {
  const partitions = topic.partitions.map(describePartition);
  return {
    topicId: topic.record.topicId,
    name: topic.record.name,
    internal: topic.record.internal,
    replicationFactor: topic.record.replicationFactor,
    partitions,
    configs: describeTopicConfig(topic.record.configs),
    sizeBytes: partitions.reduce((sum, p) => sum + p.sizeBytes, 0),
    messageCount: partitions.reduce((sum, p) => sum + (p.highWatermark - p.logStartOffset), 0),
    createdAtMs: topic.record.createdAtMs,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function sameConfigs(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
