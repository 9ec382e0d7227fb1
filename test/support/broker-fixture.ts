/**
 * A broker's use cases over real parts, for unit tests of server/broker: a LogManager and a
 * Prisma catalog in a temp dir, the topic use cases (TopicService) that create topics as the node
 * does, and the BrokerDeps the other use cases take. `reopen()` closes everything and opens the
 * same directory again, as a restart would.
 */
import path from 'node:path';
import { LogManager, ManualClock, SystemScheduler, type Clock, type Scheduler } from '../../storage';
import { NO_METRICS, type BrokerDeps, type BrokerMetrics } from '../../server/broker/broker-deps';
import { StickyPartitioner } from '../../server/broker/partitioner';
import { produce } from '../../server/broker/produce';
import { ProducerSequencer } from '../../server/broker/producer-sequencer';
import { createTransactionCoordinator } from '../../server/broker/transactions';
import { TopicRegistry } from '../../server/broker/topic-registry';
import { TopicService } from '../../server/broker/topics';
import type { ProduceOutcome, ProduceRecord, TopicDescription } from '../../server/broker/types';
import type { Catalog } from '../../server/catalog/catalog';
import { openCatalog } from '../../server/catalog/prisma-catalog';
import { LocalCluster } from '../../server/cluster/local-cluster';
import { ReplicaManager } from '../../server/cluster/replica-manager';
import { DEFAULT_LIMITS, type Limits } from '../../server/config';
import { makeTmpDir, removeTmpDir } from './tmp-dir';

export const QUIET_LOGGER = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface BrokerFixtureOptions {
  limits?: Partial<Limits>;
  metrics?: BrokerMetrics;
  /** Defaults to a ManualClock at 2023-11-14 (storage's default start). */
  clock?: ManualClock;
}

export interface BrokerFixture {
  readonly dir: string;
  readonly clock: ManualClock;
  deps: BrokerDeps;
  topics: TopicService;
  /** Errors of acks NONE appends and other background work (a test expects none unless it says so). */
  readonly backgroundErrors: unknown[];
  /** Creates a topic through the topic use case (replication factor 1, configs as key → value). */
  createTopic(name: string, partitions?: number, configs?: Record<string, string>): Promise<TopicDescription>;
  /** Produces `values` (as UTF-8) with acks ALL; `partition`/`key` apply to every record. */
  produceValues(topic: string, values: string[], options?: { partition?: number; key?: string }): Promise<ProduceOutcome>;
  /** Closes and opens the same data dir and catalog again (start-up reconciles them, as on a node). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** Builds BrokerDeps over a catalog and logs the caller opened. */
export async function brokerDeps(parts: {
  catalog: Catalog;
  logs: LogManager;
  clock: Clock;
  scheduler?: Scheduler;
  limits?: Partial<Limits>;
  metrics?: BrokerMetrics;
}): Promise<BrokerDeps> {
  const base: Omit<BrokerDeps, 'transactions'> = {
    nodeId: 0,
    catalog: parts.catalog,
    logs: parts.logs,
    clock: parts.clock,
    scheduler: parts.scheduler ?? new SystemScheduler(),
    limits: { ...DEFAULT_LIMITS, ...parts.limits },
    registry: new TopicRegistry(),
    cluster: await LocalCluster.open(parts.catalog, 0),
    replicas: new ReplicaManager(0),
    sticky: new StickyPartitioner(),
    metrics: parts.metrics ?? NO_METRICS,
    logger: QUIET_LOGGER,
    onBackgroundError: () => undefined,
    producers: new ProducerSequencer({
      catalog: parts.catalog,
      nowMs: () => parts.clock.nowMs(),
      scheduler: parts.scheduler ?? new SystemScheduler(),
      loggedSequences: () => [],
      expirationMs: 86_400_000,
      waitMs: 1_000,
    }),
  };
  const noGroups = (): never => {
    throw new Error('the broker fixture has no group coordinator (transactional offsets need a Broker)');
  };
  return { ...base, transactions: createTransactionCoordinator(base, noGroups, undefined) };
}

export function produceRecord(value: string, options: { partition?: number; key?: string; timestampMs?: number } = {}): ProduceRecord {
  return {
    key: options.key === undefined ? null : Buffer.from(options.key),
    value: Buffer.from(value),
    headers: [],
    partition: options.partition ?? null,
    timestampMs: options.timestampMs ?? null,
  };
}

export async function openBrokerFixture(options: BrokerFixtureOptions = {}): Promise<BrokerFixture> {
  const dir = makeTmpDir('logway-broker-');
  const clock = options.clock ?? new ManualClock();
  const backgroundErrors: unknown[] = [];
  let catalog: Catalog;
  let logs: LogManager;

  const open = async () => {
    catalog = await openCatalog({ databaseFile: path.join(dir, 'catalog.db') });
    logs = await LogManager.open({ dataDir: path.join(dir, 'logs'), clock, freeSpace: false });
    const deps = {
      ...(await brokerDeps({ catalog, logs, clock, ...options })),
      onBackgroundError: (error: unknown) => void backgroundErrors.push(error),
    };
    const topics = new TopicService(deps);
    await topics.load();
    fixture.deps = deps;
    fixture.topics = topics;
  };
  const shut = async () => {
    await fixture.topics.close();
    await logs.close();
    await catalog.close();
  };

  const fixture: BrokerFixture = {
    dir,
    clock,
    deps: undefined as unknown as BrokerDeps,
    topics: undefined as unknown as TopicService,
    backgroundErrors,
    createTopic: (name, partitions = 1, configs = {}) =>
      fixture.topics.create({
        name,
        partitions,
        replicationFactor: 1,
        configs: Object.entries(configs).map(([key, value]) => ({ key, value })),
      }),
    produceValues: (topic, values, produceOptions = {}) =>
      produce(fixture.deps, { topic, acks: 'ALL', records: values.map((value) => produceRecord(value, produceOptions)) }),
    reopen: async () => {
      await shut();
      await open();
    },
    close: async () => {
      try {
        await shut();
      } finally {
        removeTmpDir(dir);
      }
    },
  };
  await open();
  return fixture;
}
