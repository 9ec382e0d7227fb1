/**
 * The broker facade: the use cases of one node, and the only part of server/ that schema/ calls.
 * It knows Kafka's semantics and nothing of GraphQL, so another front door (a CLI, a Kafka wire
 * listener) could use it unchanged. Built by createBroker() in the composition root.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, LogManager } from '../../storage/index';
import type { Catalog } from '../catalog/catalog';
import type { Limits } from '../config';
import { NO_METRICS, type BrokerDeps, type BrokerLogger, type BrokerMetrics } from './broker-deps';
import { fetchRecordPage } from './fetch';
import { StickyPartitioner } from './partitioner';
import { watchPartitions } from './partition-watch';
import { produce } from './produce';
import { openRecordStream } from './record-stream';
import { TopicRegistry } from './topic-registry';
import { describePartition, describeTopic, TopicService } from './topics';
import type {
  ClusterDescription, CreateTopicRequest, FetchRequest, PartitionStatus, ProduceOutcome, ProduceRequest,
  RecordBatchEvent, RecordPage, StreamRequest, TopicDescription,
} from './types';

export * from './types';
export type { BrokerLogger, BrokerMetrics } from './broker-deps';
export { TOPIC_CONFIG_KEYS } from './topic-config';

export interface BrokerOptions {
  nodeId: number;
  host: string;
  port: number;
  version: string;
  catalog: Catalog;
  logs: LogManager;
  clock: Clock;
  limits: Limits;
  metrics?: BrokerMetrics;
  logger: BrokerLogger;
}

export interface PartitionKey {
  topic: string;
  partition: number;
}

export class Broker {
  private readonly deps: BrokerDeps;
  private readonly topicService: TopicService;
  private readonly startedAtMs: number;
  private readonly clusterId = randomUUID();

  private constructor(private options: BrokerOptions) {
    this.deps = {
      nodeId: options.nodeId,
      catalog: options.catalog,
      logs: options.logs,
      clock: options.clock,
      limits: options.limits,
      registry: new TopicRegistry(),
      sticky: new StickyPartitioner(),
      metrics: options.metrics ?? NO_METRICS,
      logger: options.logger,
    };
    this.topicService = new TopicService(this.deps);
    this.startedAtMs = options.clock.nowMs();
  }

  static async start(options: BrokerOptions): Promise<Broker> {
    const broker = new Broker(options);
    await broker.topicService.load();
    return broker;
  }

  get limits(): Limits {
    return this.deps.limits;
  }

  /** Records the address the node really listens on (port 0 picks one at listen time). */
  setAdvertisedAddress(host: string, port: number): void {
    this.options = { ...this.options, host, port };
  }

  describeCluster(): ClusterDescription {
    const { nodeId, host, port, version } = this.options;
    return {
      clusterId: this.clusterId,
      controllerId: nodeId,
      version,
      nodes: [{ nodeId, host, port, isController: true, startedAtMs: this.startedAtMs }],
    };
  }

  listTopics(options: { prefix?: string | null; includeInternal?: boolean } = {}): TopicDescription[] {
    return this.deps.registry
      .all()
      .filter((t) => (options.includeInternal || !t.record.internal) && (!options.prefix || t.record.name.startsWith(options.prefix)))
      .sort((a, b) => a.record.name.localeCompare(b.record.name))
      .map(describeTopic);
  }

  /** Aligned with `names`; null where a topic does not exist (dataloader batch function). */
  describeTopics(names: readonly string[]): (TopicDescription | null)[] {
    return names.map((name) => {
      const topic = this.deps.registry.get(name);
      return topic ? describeTopic(topic) : null;
    });
  }

  /** Aligned with `keys`; null where the partition does not exist. */
  describePartitions(keys: readonly PartitionKey[]): (PartitionStatus | null)[] {
    return keys.map(({ topic, partition }) => {
      const runtime = this.deps.registry.get(topic)?.partitions[partition];
      return runtime ? describePartition(runtime) : null;
    });
  }

  createTopic(request: CreateTopicRequest): Promise<TopicDescription> {
    return this.topicService.create(request);
  }

  deleteTopic(name: string): Promise<boolean> {
    return this.topicService.delete(name);
  }

  alterTopicConfig(name: string, configs: { key: string; value: string | null }[]): Promise<TopicDescription> {
    return this.topicService.alterConfig(name, configs);
  }

  createPartitions(name: string, count: number): Promise<TopicDescription> {
    return this.topicService.addPartitions(name, count);
  }

  produce(request: ProduceRequest): Promise<ProduceOutcome> {
    return produce(this.deps, request);
  }

  fetchRecords(request: FetchRequest): Promise<RecordPage> {
    return fetchRecordPage(this.deps, request);
  }

  streamRecords(request: StreamRequest): Promise<AsyncIterableIterator<RecordBatchEvent>> {
    return openRecordStream(this.deps, request);
  }

  watchPartitions(topic: string): AsyncIterableIterator<PartitionStatus[]> {
    return watchPartitions(this.deps, topic);
  }

  /** Totals for the metrics endpoint: per topic, bytes on disk and partitions. */
  logSizes(): { topic: string; partition: number; sizeBytes: number }[] {
    return this.deps.registry.all().flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.record.name, partition: p.partition, sizeBytes: p.log.sizeBytes })),
    );
  }
}
