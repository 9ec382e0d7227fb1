/**
 * Topic use cases: load at start-up, create, delete, alter configs, add partitions, describe.
 * Every change writes the catalog first and the logs second; start-up reconciles the two (logs
 * on disk that the catalog does not know are deleted, partitions the catalog knows are opened or
 * created), so a crash between the steps leaves nothing half-made that a restart does not finish.
 */
import type { PartitionRecord, TopicRecord } from '../catalog/catalog';
import { InvalidPartitionsError, InvalidReplicationFactorError, InvalidTopicError, TopicAlreadyExistsError, TopicDeletedError } from '../errors';
import { AsyncMutex } from './async-mutex';
import type { BrokerDeps } from './broker-deps';
import { ChangeSignal } from './change-signal';
import { mapConcurrent } from './map-concurrent';
import { lastStableOffset } from './read-limit';
import { alterOverrides, describeTopicConfig, parseTopicConfig } from './topic-config';
import { collisionKey, isInternalTopicName, validateTopicName } from './topic-name';
import type { PartitionRuntime, TopicRuntime } from './topic-registry';
import type { CreateTopicRequest, PartitionStatus, TopicDescription } from './types';

/** Most partitions one topic may have (each is a directory and, when active, open files). */
export const PARTITIONS_PER_TOPIC_MAX = 10_000;
/** Partitions opened (or created) at once: their file I/O overlaps instead of queueing. */
const PARTITION_OPENS_IN_FLIGHT = 16;

export class TopicService {
  private readonly mutex = new AsyncMutex();

  constructor(private readonly deps: BrokerDeps) {}

  /** Start-up: rebuild the registry from the catalog and reconcile the data directory with it. */
  async load(): Promise<void> {
    const { catalog, logs, registry } = this.deps;
    const records = await catalog.listTopics({ includeInternal: true });
    const partitions = await catalog.listPartitions(records.map((record) => record.name));
    const byTopic = groupBy(partitions, (p) => p.topic);
    const known = new Set<string>();
    for (const record of records) {
      const states = (byTopic.get(record.name) ?? []).sort((a, b) => a.partition - b.partition);
      for (const state of states) known.add(`${state.topic}\u0000${state.partition}`);
      registry.add(await this.openTopic(record, states));
    }
    for (const { topic, partition } of logs.listLogs()) {
      if (!known.has(`${topic}\u0000${partition}`)) {
        this.deps.logger.warn({ topic, partition }, 'deleting a log the catalog does not know (interrupted delete)');
        await logs.deleteLog(topic, partition);
      }
    }
  }

  create(request: CreateTopicRequest): Promise<TopicDescription> {
    return this.mutex.run(async () => {
      validateTopicName(request.name);
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
        throw new InvalidTopicError(`"${request.name}" collides with existing topic "${clash.record.name}" ('.' and '_' are the same in metric names)`, request.name);
      }
      const states = Array.from({ length: request.partitions }, (_, partition) => this.initialState(request.name, partition));
      const record = await catalog.createTopic(
        { name: request.name, internal: false, partitionCount: request.partitions, replicationFactor: request.replicationFactor, configs: overrides },
        states,
      );
      try {
        const runtime = await this.openTopic(record, states, config);
        registry.add(runtime);
        return describeTopic(runtime);
      } catch (error) {
        this.deps.replicas.removeTopic(record.name, error);
        await catalog.deleteTopic(record.name).catch(() => undefined);
        throw error;
      }
    });
  }

  delete(name: string): Promise<boolean> {
    return this.mutex.run(async () => {
      const { registry, catalog, logs, sticky } = this.deps;
      const topic = registry.get(name);
      if (!topic) return false;
      await catalog.deleteTopic(name);
      registry.remove(name);
      sticky.forget(name);
      const deleted = new TopicDeletedError(name);
      this.deps.replicas.removeTopic(name, deleted);
      topic.changed.close(deleted);
      for (const partition of topic.partitions) partition.changed.close(deleted);
      for (const partition of topic.partitions) await logs.deleteLog(name, partition.partition);
      return true;
    });
  }

  alterConfig(name: string, changes: { key: string; value: string | null }[]): Promise<TopicDescription> {
    return this.mutex.run(async () => {
      const topic = this.deps.registry.require(name);
      const overrides = alterOverrides(topic.record.configs, changes);
      const config = parseTopicConfig(overrides, topic.record.replicationFactor);
      topic.record = await this.deps.catalog.setTopicConfigs(name, overrides);
      topic.config = config;
      for (const partition of topic.partitions) partition.log.updateConfig(config.log);
      topic.changed.notify();
      return describeTopic(topic);
    });
  }

  addPartitions(name: string, count: number): Promise<TopicDescription> {
    return this.mutex.run(async () => {
      const topic = this.deps.registry.require(name);
      const current = topic.partitions.length;
      if (!Number.isInteger(count) || count <= current || count > PARTITIONS_PER_TOPIC_MAX) {
        throw new InvalidPartitionsError(`the new partition count must be above ${current} and at most ${PARTITIONS_PER_TOPIC_MAX}, got ${count}`);
      }
      const states = Array.from({ length: count - current }, (_, i) => this.initialState(name, current + i));
      topic.record = await this.deps.catalog.addPartitions(name, states);
      for (const state of states) topic.partitions.push(await this.openPartition(state, topic.config.log));
      topic.changed.notify();
      return describeTopic(topic);
    });
  }

  private initialState(topic: string, partition: number): PartitionRecord {
    return { topic, partition, ...this.deps.cluster.newAssignment() };
  }

  private async openTopic(record: TopicRecord, states: PartitionRecord[], config = parseTopicConfig(record.configs, record.replicationFactor)): Promise<TopicRuntime> {
    const partitions = await mapConcurrent(states, PARTITION_OPENS_IN_FLIGHT, (state) => this.openPartition(state, config.log));
    return { record, config, partitions, changed: new ChangeSignal() };
  }

  private async openPartition(state: PartitionRecord, logConfig: TopicRuntime['config']['log']): Promise<PartitionRuntime> {
    const log = await this.deps.logs.openLog(state.topic, state.partition, logConfig);
    if (log.leaderEpochCache.latestEpoch() < state.leaderEpoch) {
      log.leaderEpochCache.assign(state.leaderEpoch, log.logEndOffset);
    }
    const replica = this.deps.replicas.add(log, this.deps.cluster.assignmentFor(state));
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
