/**
 * A node of a cluster coordinated through etcd (docs/CLUSTER-PROTOCOL.md "Control plane in
 * etcd"), as the broker sees it (ClusterMembership) and as the data plane needs it (NodeDirectory,
 * IsrChangeSink). `connect` reads and watches the cluster (members, controller, topics, partition
 * states) before the broker starts; `join` makes this node a member, campaigns for controller
 * and starts feeding partition states to the node; `leave` resigns, stops the feed and revokes the
 * lease; `close` ends the watches and the client.
 */
import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import type { Clock, Scheduler } from '../../../storage/index';
import type { Catalog, PartitionRecord, SecurityCatalog } from '../../catalog/catalog';
import {
  InvalidPartitionsError,
  InvalidReplicationFactorError,
  PreferredLeaderNotAvailableError,
  RequestTimedOutError,
  TopicAlreadyExistsError,
  UnknownTopicOrPartitionError,
} from '../../errors';
import type { ClusterMembership, ClusterNode, TopicPlacement, TopicPlacementRequest } from '../cluster-membership';
import type { IsrChangeSink, NodeDirectory, PartitionState } from '../cluster-view';
import type { ReplicaAssignment } from '../partition';
import { ClusterState } from './cluster-state';
import { Controller } from './controller';
import { ControllerElection } from './controller-election';
import { EtcdIsrChangeSink } from './etcd-isr-change-sink';
import { assignmentValue, ClusterKeys, parseAssignment, parseTopic, type TopicValue } from './etcd-keys';
import { preferredLeaderElection } from './failover-rules';
import { EtcdSession } from './etcd-session';
import { EtcdUnavailableError } from './etcd-unavailable-error';
import { MemberDirectory } from './member-directory';
import { NodeSync, type ClusterNodeHooks } from './node-sync';
import { PrefixMirror } from './prefix-mirror';
import { EtcdSecurityStore } from './etcd-security-store';

export interface EtcdClusterOptions {
  endpoints: readonly string[];
  /** The key prefix (`--cluster-id`). */
  clusterName: string;
  nodeId: number;
  /** The member lease's TTL, rounded up to whole seconds (at least 2: etcd's minimum). */
  sessionTimeoutMs: number;
  /** How long createTopic waits for the controller to place a topic (default 30 s). */
  placementTimeoutMs?: number;
  /** How long a call naming a topic this node does not know yet waits for it to arrive (default 10 s). */
  topicCatchUpTimeoutMs?: number;
  catalog: Catalog;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
}

/** How this node is reached, as its member key says. */
export interface MemberEndpoint {
  host: string;
  port: number;
  clusterPort: number;
  rack: string | null;
}

export class EtcdCluster implements ClusterMembership {
  private session: EtcdSession | null = null;
  private sync: NodeSync | null = null;
  private joined = false;
  /** One etcd read at a time per unknown topic name, however many calls name it. */
  private readonly topicLookups = new Map<string, Promise<TopicValue | null>>();
  private readonly startedAtMs: number;
  readonly isrChangeSink: IsrChangeSink;
  /** API keys, ACLs and quotas of the cluster (server/security/README.md "In a cluster"): the store behind the node's Security. */
  security!: SecurityCatalog;

  private constructor(
    private readonly options: EtcdClusterOptions,
    private readonly client: Etcd3,
    private readonly keys: ClusterKeys,
    readonly clusterId: string,
    private readonly mirrors: PrefixMirror[],
    readonly members: MemberDirectory,
    private readonly state: ClusterState,
    private readonly election: ControllerElection,
    readonly controller: Controller,
  ) {
    this.startedAtMs = options.clock.nowMs();
    this.isrChangeSink = new EtcdIsrChangeSink(client, keys, state, options.nodeId);
  }

  static async connect(options: EtcdClusterOptions): Promise<EtcdCluster> {
    const client = new Etcd3({ hosts: [...options.endpoints], dialTimeout: 5_000 });
    const mirrors: PrefixMirror[] = [];
    try {
      const keys = new ClusterKeys(options.clusterName);
      const ownId = await options.catalog.clusterId();
      const idTxn = await client
        .if(keys.id, 'Create', '==', 0)
        .then(client.put(keys.id).value(ownId))
        .else(client.get(keys.id))
        .commit()
        .catch((error: unknown) => {
          throw new EtcdUnavailableError(options.endpoints, error);
        });
      const clusterId = idTxn.succeeded ? ownId : (idTxn.responses[0]?.response_range?.kvs[0]?.value.toString() ?? ownId);
      const onError = (error: unknown) => options.logger.warn({ err: error }, 'etcd watch error; the client reconnects');
      for (const prefix of [
        keys.membersPrefix,
        keys.controller,
        keys.topicsPrefix,
        keys.partitionsPrefix,
        EtcdSecurityStore.prefixOf(keys),
      ])
        mirrors.push(await PrefixMirror.open(client, prefix, onError));
      const [memberMirror, controllerMirror, topicMirror, partitionMirror, securityMirror] = mirrors as [
        PrefixMirror,
        PrefixMirror,
        PrefixMirror,
        PrefixMirror,
        PrefixMirror,
      ];
      const members = new MemberDirectory(memberMirror, keys, options.logger);
      const state = new ClusterState(topicMirror, partitionMirror, keys, options.logger);
      const controller = new Controller(client, keys, state, members, options.logger);
      const election = new ControllerElection(client, keys, controllerMirror, options.nodeId, controller, options.logger);
      const cluster = new EtcdCluster(options, client, keys, clusterId, mirrors, members, state, election, controller);
      cluster.security = new EtcdSecurityStore(
        client,
        keys,
        securityMirror,
        options.nodeId,
        options.endpoints,
        options.scheduler,
        options.logger,
      );
      return cluster;
    } catch (error) {
      for (const mirror of mirrors) await mirror.close().catch(() => undefined);
      client.close();
      throw error;
    }
  }

  get nodeId(): number {
    return this.options.nodeId;
  }

  get controllerId(): number | null {
    return this.election.controllerId;
  }

  get nodeDirectory(): NodeDirectory {
    return this.members;
  }

  liveNodeIds(): number[] {
    return this.members.live().map((m) => m.nodeId);
  }

  liveNodes(): ClusterNode[] {
    return this.members
      .live()
      .map((m) => ({ nodeId: m.nodeId, host: m.host, port: m.port, clusterPort: m.clusterPort, rack: m.rack, startedAtMs: m.startedAt }));
  }

  /** New controllers this node saw elected since it started (metrics). */
  get controllerChanges(): number {
    return this.election.changes;
  }

  /** Partitions with no live leader, counted by the controller only (null on the other nodes), as Kafka's OfflinePartitionsCount. */
  offlinePartitionCount(): number | null {
    if (!this.isController(this.nodeId)) return null;
    return this.state.allStates().filter((s) => s.leaderId === null || !this.members.isLive(s.leaderId)).length;
  }

  isController(nodeId: number): boolean {
    return this.controllerId === nodeId;
  }

  /** Raises the topic key's partition count (a CAS on its mod revision) and waits for the controller to place the new partitions. */
  async placePartitions(topic: string, from: number, count: number): Promise<ReplicaAssignment[]> {
    const stored = this.state.topic(topic);
    if (!stored) throw new InvalidPartitionsError(`topic ${topic} is not in the cluster's state`);
    if (stored.value.partitions >= count) {
      throw new InvalidPartitionsError(
        `the topic has ${stored.value.partitions} partitions in the cluster already; ask for more than that`,
      );
    }
    const key = this.keys.topic(topic);
    const placed = this.whenPlaced(topic, stored.value.topicId, count);
    const txn = await this.client
      .if(key, 'Mod', '==', stored.modRevision)
      .then(this.client.put(key).value(JSON.stringify({ ...stored.value, partitions: count })))
      .commit();
    if (!txn.succeeded) {
      placed.cancel();
      throw new InvalidPartitionsError(
        `the partition count of ${topic} changed meanwhile (another createPartitions); read it and ask again`,
      );
    }
    const outcome = await placed.promise;
    if (!('states' in outcome)) throw new InvalidPartitionsError(outcome.error);
    return outcome.states.slice(from, count);
  }

  /** The live state once this node is a member (not older than the stored one); before that no leader, so nothing is served from a stale state. */
  assignmentFor(stored: PartitionRecord): ReplicaAssignment {
    const live = this.joined ? this.state.state(stored.topic, stored.partition) : undefined;
    if (live && live.leaderEpoch >= stored.leaderEpoch) return live;
    return { leaderId: null, leaderEpoch: stored.leaderEpoch, replicas: stored.replicas, isr: stored.isr };
  }

  async placeTopic(request: TopicPlacementRequest): Promise<TopicPlacement> {
    if (request.replicationFactor > this.members.live().length) {
      throw new InvalidReplicationFactorError(
        `replication factor ${request.replicationFactor} is not from 1 to the ${this.members.live().length} live node(s)`,
      );
    }
    const key = this.keys.topic(request.name);
    const value: TopicValue = {
      topicId: randomUUID(),
      partitions: request.partitions,
      replicationFactor: request.replicationFactor,
      configs: { ...request.configs },
      createdAtMs: this.options.clock.nowMs(),
    };
    const placed = this.whenPlaced(request.name, value.topicId);
    const txn = await this.client
      .if(key, 'Create', '==', 0)
      .then(this.client.put(key).value(JSON.stringify(value)))
      .commit();
    if (!txn.succeeded) {
      placed.cancel();
      throw new TopicAlreadyExistsError(request.name);
    }
    const outcome = await placed.promise;
    if ('error' in outcome) {
      await this.client
        .if(key, 'Mod', '==', outcome.modRevision)
        .then(this.client.delete().key(key))
        .commit()
        .catch(() => undefined);
      throw new InvalidReplicationFactorError(outcome.error);
    }
    return { topicId: value.topicId, assignments: outcome.states };
  }

  /**
   * A linearizable read of the topic key tells whether the topic exists now; if it does, waits for
   * this node's sync to apply it (the watch delivers it a moment later). Before this node joins,
   * or when etcd cannot answer, it resolves at once and the caller answers from what it has.
   */
  async awaitTopic(topic: string, partition: number): Promise<void> {
    const sync = this.sync;
    if (!sync) return;
    const value = await this.lookUpTopic(topic);
    if (!value || value.error !== undefined || partition >= value.partitions) return;
    const wait = sync.whenApplied(topic, value.topicId, partition + 1);
    const timeoutMs = this.options.topicCatchUpTimeoutMs ?? 10_000;
    let timer = { cancel: () => {} };
    const timedOut = new Promise<never>((_, reject) => {
      timer = this.options.scheduler.after(timeoutMs, () =>
        reject(new RequestTimedOutError(`topic ${topic} exists in the cluster but this node has not applied it yet; retry`)),
      );
    });
    try {
      await Promise.race([wait.applied, timedOut]);
    } finally {
      timer.cancel();
      wait.cancel();
    }
  }

  private lookUpTopic(topic: string): Promise<TopicValue | null> {
    const pending = this.topicLookups.get(topic);
    if (pending) return pending;
    const lookup = this.client
      .get(this.keys.topic(topic))
      .options({ deadline: this.options.clock.nowMs() + 2_000 })
      .exec()
      .then((read) => {
        const kv = read.kvs[0];
        return kv ? parseTopic(kv.value.toString()) : null;
      })
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error, topic }, 'etcd did not answer whether a topic exists; answering from this node');
        return null;
      })
      .finally(() => this.topicLookups.delete(topic));
    this.topicLookups.set(topic, lookup);
    return lookup;
  }

  /** The CAS of docs/CLUSTER-PROTOCOL.md "preferred-leader election", retried on a lost race. */
  async electPreferredLeader(topic: string, partition: number): Promise<number | null> {
    const key = this.keys.partition(topic, partition);
    let read: { assignment: ReplicaAssignment; mod: number } | null = null;
    const current = this.state.state(topic, partition);
    if (current) read = { assignment: current, mod: current.version };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!read) throw new UnknownTopicOrPartitionError(topic, partition);
      const next = preferredLeaderElection(read.assignment, (id) => this.members.isLive(id));
      if (next === 'NOT_NEEDED') return null;
      if (next === 'NOT_AVAILABLE') throw new PreferredLeaderNotAvailableError(topic, partition, read.assignment.replicas[0] ?? null);
      const txn = await this.client
        .if(key, 'Mod', '==', read.mod)
        .then(this.client.put(key).value(assignmentValue(next)))
        .else(this.client.get(key))
        .commit();
      if (txn.succeeded) {
        this.options.logger.info({ topic, partition, leaderId: next.leaderId, leaderEpoch: next.leaderEpoch }, 'preferred leader elected');
        return next.leaderEpoch;
      }
      const kv = txn.responses[0]?.response_range?.kvs[0];
      const assignment = kv ? parseAssignment(kv.value.toString()) : null;
      read = kv && assignment ? { assignment, mod: Number(kv.mod_revision) } : null;
    }
    throw new RequestTimedOutError(`the state of ${topic}-${partition} kept changing; retry electLeaders`);
  }

  /** The topic key rewritten with new `configs` (a CAS on its mod revision, re-read and retried on a lost race). */
  async alterTopicConfigs(
    topic: string,
    _current: Readonly<Record<string, string>>,
    next: (stored: Readonly<Record<string, string>>) => Record<string, string>,
  ): Promise<Record<string, string>> {
    const key = this.keys.topic(topic);
    for (let attempt = 0; attempt < 5; attempt++) {
      const kv = (await this.client.get(key).exec()).kvs[0];
      const stored = kv ? parseTopic(kv.value.toString()) : null;
      if (!kv || !stored || stored.error !== undefined) throw new UnknownTopicOrPartitionError(topic);
      const configs = next(stored.configs);
      const txn = await this.client
        .if(key, 'Mod', '==', Number(kv.mod_revision))
        .then(this.client.put(key).value(JSON.stringify({ ...stored, configs })))
        .commit();
      if (txn.succeeded) return configs;
    }
    throw new RequestTimedOutError(`the configuration of ${topic} kept changing; retry alterTopicConfig`);
  }

  /** The topic key and every partition state of it, in one transaction (every node's sync then drops its copy). */
  async deleteTopic(name: string): Promise<void> {
    await this.client
      .if(this.keys.topic(name), 'Create', '>', 0)
      .then(this.client.delete().key(this.keys.topic(name)), this.client.delete().prefix(`${this.keys.partitionsPrefix}${name}/`))
      .commit();
  }

  /** Makes this node a member (waiting out a key of its previous process), then campaigns and feeds the node. */
  async join(endpoint: MemberEndpoint, hooks: ClusterNodeHooks): Promise<void> {
    const { nodeId, sessionTimeoutMs, scheduler, logger, catalog } = this.options;
    const ttlSeconds = Math.max(2, Math.ceil(sessionTimeoutMs / 1000));
    this.session = new EtcdSession(
      this.client,
      this.keys,
      ttlSeconds,
      { nodeId, ...endpoint, startedAt: this.startedAtMs },
      this.members,
      scheduler,
      logger,
    );
    this.session.onLease((lease) => this.election.setLease(lease));
    await this.session.join();
    this.joined = true;
    this.sync = new NodeSync(this.state, hooks, catalog, logger);
    this.sync.start();
  }

  /** Clean shutdown, first half: resign the controller, stop applying states, revoke the lease. */
  async leave(): Promise<void> {
    await this.election.resign();
    await this.sync?.stop();
    await this.session?.leave();
  }

  async close(): Promise<void> {
    for (const mirror of this.mirrors) await mirror.close().catch(() => undefined);
    this.client.close();
  }

  /** Resolves once the topic of `topicId` has a state for each of its (at least `minPartitions`) partitions, or the controller refused it. */
  private whenPlaced(
    topic: string,
    topicId: string,
    minPartitions = 1,
  ): { promise: Promise<{ states: PartitionState[] } | { error: string; modRevision: number }>; cancel(): void } {
    let cancel = () => {};
    const promise = new Promise<{ states: PartitionState[] } | { error: string; modRevision: number }>((resolve, reject) => {
      const check = () => {
        const stored = this.state.topic(topic);
        if (stored?.value.topicId !== topicId) return;
        if (stored.value.error !== undefined) return done(() => resolve({ error: stored.value.error!, modRevision: stored.modRevision }));
        const states = this.state.placedStates(topic);
        if (states && states.length >= minPartitions) done(() => resolve({ states }));
      };
      const unsubscribe = this.state.onChange((changed) => changed === topic && check());
      const timer = this.options.scheduler.after(this.options.placementTimeoutMs ?? 30_000, () =>
        done(() =>
          reject(new RequestTimedOutError(`no controller placed the partitions of ${topic} in time; they are made once one does`)),
        ),
      );
      const done = (settle: () => void) => {
        unsubscribe();
        timer.cancel();
        settle();
      };
      cancel = () => done(() => resolve({ states: [] }));
    });
    return { promise, cancel };
  }
}
