/**
 * The broker facade: the use cases of one node, and the only part of server/ that schema/ calls.
 * It knows Kafka's semantics and nothing of GraphQL, so another front door (a CLI, a Kafka wire
 * listener) could use it unchanged. Built by createBroker() in the composition root.
 */
import { electPreferredLeaders } from './leader-election';
import { SystemScheduler, type Clock, type LogManager, type Scheduler } from '../../storage/index';
import type { Catalog } from '../catalog/catalog';
import type { CodedError } from '../errors';
import type { AdoptedTopic, ClusterMembership } from '../cluster/cluster-membership';
import { LocalCluster } from '../cluster/local-cluster';
import { ReplicaManager } from '../cluster/replica-manager';
import type { PartitionRecord } from '../catalog/catalog';
import type { Limits } from '../config';
import type { Security } from '../security/security';
import type { RequestIdentity } from '../security/principal';
import { BrokerAccess, type Caller } from './access';
import { endWhenDenied } from './authorized-stream';
import { SecurityAdmin } from './security-admin';
import { QuotaThrottle } from './quota-throttle';
import { NO_METRICS, type BrokerDeps, type BrokerLogger, type BrokerMetrics } from './broker-deps';
import { ConsumerGroups } from './consumer-groups';
import { fetchRecordPage } from './fetch';
import type { GroupCoordinatorConfig, ResetTarget } from '../coordinators/groups/index';
import { watchGroup } from './group-watch';
import { openMemberStream } from './member-stream';
import { PullConsumers, type PollRequest, type PollResult } from './pull-consumer';
import { StickyPartitioner } from './partitioner';
import { watchPartitions } from './partition-watch';
import { produce } from './produce';
import { openRecordStream } from './record-stream';
import { ProducerSequencer } from './producer-sequencer';
import {
  DEFAULT_PRODUCER_ID_EXPIRATION_MS,
  DEFAULT_PRODUCER_SEQUENCE_WAIT_MS,
  loggedSequences,
  producerStatesOf,
  type ProducerStateView,
} from './producer-states';
import { TopicRegistry } from './topic-registry';
import type { FailpointHook } from '../coordinators/transactions/failpoints';
import { createTransactionCoordinator } from './transactions';
import { TransactionCalls } from './transaction-calls';
import { Traffic, type TrafficRates, type TrafficSample } from './traffic';
import { describePartition, describeTopic, TopicService } from './topics';
import type {
  ClusterDescription,
  CommittedOffsetView,
  ConsumerGroupView,
  CreateTopicRequest,
  GroupStreamOptions,
  FetchRequest,
  PartitionStatus,
  ProduceOutcome,
  ProduceRequest,
  RecordBatchEvent,
  RecordPage,
  StreamRequest,
  TopicDescription,
} from './types';

export * from './types';
export type { BrokerLogger, BrokerMetrics } from './broker-deps';
export { TOPIC_CONFIG_KEYS } from './topic-config';
export type { PollRequest, PollResult } from './pull-consumer';
export type { ResetTarget } from '../coordinators/groups/index';
export type { TrafficRates, TrafficSample } from './traffic';
export type { ProducerStateView } from './producer-states';
export type { AclBinding, AclFilter, ApiKeyView, AuditEntry, QuotaView, SecurityAdmin } from './security-admin';
export type { TransactionView } from './transactions';
export type { TransactionStateName } from '../catalog/catalog';

export interface BrokerOptions {
  nodeId: number;
  host: string;
  port: number;
  version: string;
  catalog: Catalog;
  logs: LogManager;
  clock: Clock;
  /** Every timer of the broker (group tick, feed throttles, poll deadlines). Default: real timers. */
  scheduler?: Scheduler;
  limits: Limits;
  metrics?: BrokerMetrics;
  logger: BrokerLogger;
  groupConfig?: Partial<GroupCoordinatorConfig>;
  onBackgroundError?: (error: unknown) => void;
  /** Idempotent producers (storage/FORMAT.md §12): state expiry, and how long a call ahead of its sequence waits. */
  producerIdExpirationMs?: number;
  producerSequenceWaitMs?: number;
  /** Transactional ids with nothing open are forgotten after this much silence (default 7 days, Kafka's transactional.id.expiration.ms). */
  transactionalIdExpirationMs?: number;
  /** API keys, ACLs, audit (server/security/README.md); absent: auth off, nothing audited. */
  security?: Security;
  /** Test hook: the transaction step at which the node SIGKILLs itself (server/coordinators/transactions/failpoints.ts). */
  failpoint?: FailpointHook;
  /** The cluster this node is part of (server/cluster/etcd/etcd-cluster.ts); absent: the embedded single node. */
  cluster?: ClusterMembership;
}

export interface PartitionKey {
  topic: string;
  partition: number;
}

export class Broker {
  private readonly deps: BrokerDeps;
  private readonly topicService: TopicService;
  private groups!: ConsumerGroups;
  private pullConsumers!: PullConsumers;
  private readonly startedAtMs: number;
  private readonly traffic: Traffic;
  private readonly access: BrokerAccess;
  /** Client quotas (server/broker/quota-throttle.ts): answers held back while a principal is over its byte rate. */
  private readonly throttle: QuotaThrottle;
  /** Who calls through this facade: null on the node's own broker, set on a withIdentity() view. */
  private readonly identity: Caller = null;
  /** createApiKey, acls, auditLog…: the admin side of security, for this facade's caller. */
  readonly security: SecurityAdmin;
  /** initProducer, begin/commit/abortTransaction, listTransactions…: the transaction use cases, for this facade's caller. */
  readonly transactions: TransactionCalls;

  private constructor(
    private options: BrokerOptions,
    private readonly cluster: ClusterMembership,
  ) {
    this.traffic = new Traffic(options.clock, options.metrics ?? NO_METRICS);
    const scheduler = options.scheduler ?? new SystemScheduler();
    const base: Omit<BrokerDeps, 'transactions'> = {
      nodeId: options.nodeId,
      catalog: options.catalog,
      logs: options.logs,
      clock: options.clock,
      scheduler,
      limits: options.limits,
      registry: new TopicRegistry(),
      cluster,
      replicas: new ReplicaManager(options.nodeId, scheduler),
      sticky: new StickyPartitioner(),
      producers: new ProducerSequencer({
        catalog: options.catalog,
        nowMs: () => options.clock.nowMs(),
        scheduler,
        loggedSequences: (producerId) => loggedSequences(this.deps.registry, producerId, options.clock.nowMs()),
        expirationMs: options.producerIdExpirationMs ?? DEFAULT_PRODUCER_ID_EXPIRATION_MS,
        waitMs: options.producerSequenceWaitMs ?? DEFAULT_PRODUCER_SEQUENCE_WAIT_MS,
      }),
      metrics: this.traffic,
      logger: options.logger,
      onBackgroundError: options.onBackgroundError ?? (() => undefined),
    };
    this.deps = {
      ...base,
      transactions: createTransactionCoordinator(
        base,
        () => this.groups.coordinator,
        options.failpoint,
        options.transactionalIdExpirationMs,
      ),
    };
    this.topicService = new TopicService(this.deps);
    this.startedAtMs = options.clock.nowMs();
    this.access = new BrokerAccess(options.security ?? null);
    this.security = new SecurityAdmin(options.security ?? null, this.access, null);
    this.transactions = this.transactionCallsFor(null);
    this.throttle = new QuotaThrottle(options.security?.quotas ?? null, scheduler);
  }

  /**
   * This broker as `identity` sees it: every use case then checks its ACLs (server/broker/access.ts).
   * The transports give each request's GraphQL context one (server/http/context.ts).
   */
  withIdentity(identity: RequestIdentity): Broker {
    const view = Object.create(this) as Broker;
    Object.defineProperty(view, 'identity', { value: identity });
    Object.defineProperty(view, 'security', { value: new SecurityAdmin(this.options.security ?? null, this.access, identity) });
    Object.defineProperty(view, 'transactions', { value: this.transactionCallsFor(identity) });
    return view;
  }

  private transactionCallsFor(identity: Caller): TransactionCalls {
    return new TransactionCalls(this.deps, this.access, identity, () => this.groups.coordinator);
  }

  static async start(options: BrokerOptions): Promise<Broker> {
    const broker = new Broker(options, options.cluster ?? (await LocalCluster.open(options.catalog, options.nodeId)));
    await broker.topicService.load();
    broker.groups = await ConsumerGroups.open(broker.deps, options.catalog, options.groupConfig);
    broker.groups.start();
    broker.pullConsumers = new PullConsumers(broker.deps, broker.groups);
    await broker.deps.transactions.recover(); // PREPARE_* finished, expired ONGOING aborted, before the node serves
    broker.deps.transactions.startExpiry();
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
    const { host, port, version } = this.options;
    const { cluster } = this;
    return {
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId,
      version,
      nodes: cluster
        .liveNodes({ host, port, startedAtMs: this.startedAtMs })
        .map((node) => ({ ...node, isController: cluster.isController(node.nodeId), alive: true })),
    };
  }

  /** This node's Partitions: the control plane feeds them partition states, the data plane replicates them (server/main.ts wires both). */
  get replicaManager(): ReplicaManager {
    return this.deps.replicas;
  }

  /** A topic the cluster created on another node: this node's copy of it (server/cluster/etcd/node-sync.ts). */
  adoptTopic(topic: AdoptedTopic, states: PartitionRecord[]): Promise<void> {
    return this.topicService.adopt(topic, states);
  }

  listTopics(options: { prefix?: string | null; includeInternal?: boolean } = {}): TopicDescription[] {
    return this.deps.registry
      .all()
      .filter((t) => (options.includeInternal || !t.record.internal) && (!options.prefix || t.record.name.startsWith(options.prefix)))
      .filter((t) => this.access.mayTopic(this.identity, 'DESCRIBE', t.record.name))
      .sort((a, b) => a.record.name.localeCompare(b.record.name))
      .map((t) => this.withoutHiddenConfigs(describeTopic(t)));
  }

  /** Aligned with `names`; null where a topic does not exist (dataloader batch function). */
  describeTopics(names: readonly string[]): (TopicDescription | null)[] {
    return names.map((name) => {
      if (!this.access.mayTopic(this.identity, 'DESCRIBE', name)) return null;
      const topic = this.deps.registry.get(name);
      return topic ? this.withoutHiddenConfigs(describeTopic(topic)) : null;
    });
  }

  /** Aligned with `keys`; null where the partition does not exist. */
  describePartitions(keys: readonly PartitionKey[]): (PartitionStatus | null)[] {
    return keys.map(({ topic, partition }) => {
      if (!this.access.mayTopic(this.identity, 'DESCRIBE', topic)) return null;
      const runtime = this.deps.registry.get(topic)?.partitions[partition];
      return runtime ? describePartition(runtime) : null;
    });
  }

  createTopic(request: CreateTopicRequest): Promise<TopicDescription> {
    return this.access.audited(this.identity, 'createTopic', `topic:${request.name}`, () => {
      this.access.createTopic(this.identity, request.name);
      return this.topicService.create(request);
    });
  }

  async deleteTopic(name: string): Promise<boolean> {
    return this.access.audited(this.identity, 'deleteTopic', `topic:${name}`, async () => {
      this.access.topic(this.identity, 'DELETE', name);
      const deleted = await this.topicService.delete(name);
      if (deleted) this.topicGone(name);
      return deleted;
    });
  }

  /** The cluster deleted a topic on another node: this node's copy goes too (server/cluster/etcd/node-sync.ts). */
  async dropTopic(name: string, topicId: string): Promise<void> {
    if (await this.topicService.drop(name, topicId)) this.topicGone(name);
  }

  private topicGone(name: string): void {
    this.groups.coordinator.topicDeleted(name);
    this.traffic.forget(name);
  }

  alterTopicConfig(name: string, configs: { key: string; value: string | null }[]): Promise<TopicDescription> {
    return this.access.audited(this.identity, 'alterTopicConfig', `topic:${name}`, () => {
      this.access.topic(this.identity, 'ALTER_CONFIGS', name);
      return this.topicService.alterConfig(name, configs);
    });
  }

  createPartitions(name: string, count: number): Promise<TopicDescription> {
    return this.access.audited(this.identity, 'createPartitions', `topic:${name}`, () => {
      this.access.topic(this.identity, 'ALTER', name);
      return this.topicService.addPartitions(name, count);
    });
  }

  /** Preferred-leader election (ALTER on the cluster, as Kafka's ElectLeaders): leader-election.ts. */
  electLeaders(topic: string, partitions: readonly number[] | null): Promise<PartitionStatus[]> {
    return this.access.audited(this.identity, 'electLeaders', `topic:${topic}`, () => {
      this.access.cluster(this.identity, 'ALTER');
      return electPreferredLeaders(this.deps, topic, partitions);
    });
  }

  /** A topic's settings (`topic { configs }`) are shown only with DESCRIBE_CONFIGS; without it the list is empty. */
  private withoutHiddenConfigs(topic: TopicDescription): TopicDescription {
    return this.access.mayTopic(this.identity, 'DESCRIBE_CONFIGS', topic.name) ? topic : { ...topic, configs: [] };
  }

  async produce(request: ProduceRequest): Promise<ProduceOutcome> {
    this.access.topic(this.identity, 'WRITE', request.topic);
    const claimed = request.producer?.transactionalId;
    if (claimed) this.access.transactionalId(this.identity, 'WRITE', claimed);
    if (request.producer) this.transactions.authorizeByProducer(request.producer.producerId);
    const outcome = await produce(this.deps, request);
    // After the append, never instead of it: a producer over its quota is slowed, not refused.
    const throttleTimeMs = await this.throttle.afterProduce(this.identity, request.records);
    return throttleTimeMs > 0 ? { ...outcome, throttleTimeMs } : outcome;
  }

  /** The idempotent producers with live state in one partition (UNKNOWN_TOPIC_OR_PARTITION when it does not exist). */
  producerStates(topic: string, partition: number): ProducerStateView[] {
    this.access.topic(this.identity, 'DESCRIBE', topic);
    return producerStatesOf(this.deps.registry, topic, partition, this.deps.clock.nowMs());
  }

  async fetchRecords(request: FetchRequest): Promise<RecordPage> {
    this.access.topic(this.identity, 'READ', request.topic);
    return fetchRecordPage(this.deps, request);
  }

  /**
   * A live tail; with `group`, a consumer-group member that reads only its assigned partitions.
   * It ends with TOPIC_/GROUP_AUTHORIZATION_FAILED once an ACL change takes READ away.
   */
  async streamRecords(request: StreamRequest, group: GroupStreamOptions | null = null): Promise<AsyncIterableIterator<RecordBatchEvent>> {
    const stillAllowed = () => {
      this.access.topic(this.identity, 'READ', request.topic);
      if (group) this.access.group(this.identity, 'READ', group.group);
    };
    stillAllowed();
    const opened = await (group ? openMemberStream(this.deps, this.groups, request, group) : openRecordStream(this.deps, request));
    return this.endWhenDenied(this.throttle.throttleStream(this.identity, opened), stillAllowed);
  }

  /** A live stream that ends with the authorization error once an ACL change makes `check` throw (authorized-stream.ts). */
  private endWhenDenied<T>(stream: AsyncIterableIterator<T>, check: () => void): AsyncIterableIterator<T> {
    if (!this.access.enforces(this.identity)) return stream;
    return endWhenDenied(stream, this.access, () => {
      try {
        check();
        return null;
      } catch (error) {
        return error as CodedError;
      }
    });
  }

  async pollRecords(request: PollRequest): Promise<PollResult> {
    this.access.topic(this.identity, 'READ', request.topic);
    this.access.group(this.identity, 'READ', request.options.group);
    const result = await this.pullConsumers.poll(request);
    const throttleTimeMs = await this.throttle.beforeDelivery(this.identity, result.batches);
    return throttleTimeMs > 0 ? { ...result, throttleTimeMs } : result;
  }

  async leaveGroup(groupId: string, memberId: string): Promise<boolean> {
    this.access.group(this.identity, 'READ', groupId);
    return this.pullConsumers.leave(groupId, memberId);
  }

  listGroups(): ConsumerGroupView[] {
    return this.groups.list().filter((g) => this.access.mayGroup(this.identity, 'DESCRIBE', g.groupId));
  }

  /** Aligned with `groupIds`; null where a group does not exist (dataloader batch function). */
  describeGroups(groupIds: readonly string[]): (ConsumerGroupView | null)[] {
    return groupIds.map((groupId) => (this.access.mayGroup(this.identity, 'DESCRIBE', groupId) ? this.groups.describe(groupId) : null));
  }

  /** Aligned with `topics`: the groups with a member subscribed to the topic or a committed offset on it (dataloader batch function). */
  groupsReadingTopics(topics: readonly string[]): ConsumerGroupView[][] {
    return this.groups
      .readingTopics(topics)
      .map((groups, i) =>
        this.access.mayTopic(this.identity, 'DESCRIBE', topics[i]!)
          ? groups.filter((g) => this.access.mayGroup(this.identity, 'DESCRIBE', g.groupId))
          : [],
      );
  }

  /** Age of the oldest uncommitted record per partition (0 when caught up, null when unknown), aligned with `groupIds`. */
  groupTimeLags(groupIds: readonly string[]): Promise<{ topic: string; partition: number; timeLagMs: number | null }[][]> {
    return Promise.all(
      groupIds.map((groupId) =>
        this.access.mayGroup(this.identity, 'DESCRIBE', groupId) && this.groups.describe(groupId)
          ? this.groups.coordinator.timeLag(groupId)
          : Promise.resolve([]),
      ),
    );
  }

  async commitOffsets(
    groupId: string,
    offsets: { topic: string; partition: number; offset: number; metadata: string | null }[],
    memberId: string | null,
    generation: number | null,
  ): Promise<CommittedOffsetView[]> {
    this.access.group(this.identity, 'READ', groupId);
    for (const topic of new Set(offsets.map((o) => o.topic))) this.access.topic(this.identity, 'READ', topic);
    return this.groups.coordinator.commitOffsets({ groupId, offsets, memberId, generationId: generation });
  }

  resetOffsets(groupId: string, topic: string, target: ResetTarget, partitions?: number[]): Promise<CommittedOffsetView[]> {
    return this.access.audited(this.identity, 'resetOffsets', `group:${groupId} topic:${topic}`, () => {
      this.access.group(this.identity, 'READ', groupId);
      this.access.topic(this.identity, 'READ', topic);
      return this.groups.coordinator.resetOffsets(groupId, topic, target, partitions);
    });
  }

  pausePartitions(groupId: string, memberId: string, topic: string, partitions: number[], paused: boolean): number[] {
    this.access.group(this.identity, 'READ', groupId);
    const tps = partitions.map((partition) => ({ topic, partition }));
    const result = paused ? this.groups.coordinator.pause(groupId, memberId, tps) : this.groups.coordinator.resume(groupId, memberId, tps);
    return result.filter((tp) => tp.topic === topic).map((tp) => tp.partition);
  }

  /** Ends with GROUP_AUTHORIZATION_FAILED once an ACL change takes DESCRIBE away. */
  watchGroup(groupId: string): AsyncIterableIterator<ConsumerGroupView> {
    const check = () => this.access.group(this.identity, 'DESCRIBE', groupId);
    check();
    return this.endWhenDenied(watchGroup(this.deps, this.groups, groupId), check);
  }

  /** Ends group members (they will rejoin elsewhere) and stops group maintenance. Logs stay open. */
  async close(): Promise<void> {
    this.deps.transactions.close();
    await this.pullConsumers.close();
    await this.groups.close();
    await this.topicService.close();
  }

  /** Ends with TOPIC_AUTHORIZATION_FAILED once an ACL change takes DESCRIBE away. */
  watchPartitions(topic: string): AsyncIterableIterator<PartitionStatus[]> {
    const check = () => this.access.topic(this.identity, 'DESCRIBE', topic);
    check();
    return this.endWhenDenied(watchPartitions(this.deps, topic), check);
  }

  /** Produce and consume rates over the last 10 s, of one topic or (null) the whole node. */
  trafficRates(topic: string | null): TrafficRates {
    if (topic !== null) this.access.topic(this.identity, 'DESCRIBE', topic);
    return this.traffic.rates(topic);
  }

  /** Up to the last 5 minutes of the node's rates in samples of `stepSeconds`, oldest first. */
  trafficHistory(seconds: number, stepSeconds: number): TrafficSample[] {
    return this.traffic.history(seconds, stepSeconds);
  }

  /** Totals for the metrics endpoint: per topic, bytes on disk and partitions. */
  logSizes(): { topic: string; partition: number; sizeBytes: number }[] {
    return this.deps.registry
      .all()
      .flatMap((t) => t.partitions.map((p) => ({ topic: t.record.name, partition: p.partition, sizeBytes: p.log.sizeBytes })));
  }
}
