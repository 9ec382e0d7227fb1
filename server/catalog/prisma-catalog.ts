/**
 * The SQLite catalog through Prisma (@prisma/adapter-better-sqlite3): the only importer of the
 * generated Prisma client. openCatalog() opens the file on one connection (WAL, synchronous=FULL,
 * foreign keys on, bounded busy_timeout; see sqlite-database.ts), refuses a corrupt file, applies
 * pending migrations (migrate.ts), then serves the Catalog interface.
 *
 * Concurrency contract: one connection, shared by Prisma and the prepared offset statements, and
 * one call at a time. Calls queue in arrival order; each runs alone on the connection, so a
 * Prisma transaction never sees another call's statements inside it (they would share the
 * transaction on a shared connection). A catalog call costs about 0.1–0.5 ms, so the queue
 * serves a few thousand calls per second. Another process holding the file's write lock makes a
 * call wait up to busyTimeoutMs (blocking the event loop: the driver is synchronous) and then fail
 * with CatalogBusyError, having applied nothing.
 */
import { preparedOnFirstUse } from './prepared-on-first-use';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { Prisma, PrismaClient } from '../../prisma/generated/client';
import { SystemClock, type Clock } from '../../storage/index';
import { CatalogBusyError, CatalogClosedError, TopicAlreadyExistsError, UnknownTopicOrPartitionError } from '../errors';
import type {
  DeletedTopicRecord,
  Catalog,
  CommittedOffsetRecord,
  GroupRecord,
  OpenCatalogOptions,
  PartitionRecord,
  ProducerRecord,
  SecurityCatalog,
  TopicRecord,
  TransactionRecord,
  TransactionTopicPartition,
} from './catalog';
import { applyMigrations } from './migrate';
import { prepareOffsetCommit, type OffsetCommit } from './offset-statements';
import { prepareAddPartitions, prepareCreateTopic } from './partition-statements';
import { prepareSecurityStatements } from './security-statements';
import { prepareTransactionStatements, type TransactionStatements } from './transaction-statements';
import {
  checkNewPartitions,
  checkOffset,
  partitionColumns,
  toCommittedOffsetRecord,
  toGroupRecord,
  toPartitionRecord,
  toTopicRecord,
} from './records';
import { isBusyError, locateMigrationsDir, prepareDatabase, toOpenError } from './sqlite-database';

/** Default wait for another connection's lock: short, because the wait blocks the event loop. */
const BUSY_TIMEOUT_MS_DEFAULT = 1_000;

/** Prisma's interactive transactions time out; ours only wait on SQLite, bounded by busyTimeoutMs. */
const TRANSACTION_SLACK_MS = 10_000;

export interface PrismaCatalogOptions extends OpenCatalogOptions {
  /**
   * How commitOffsets writes: 'prepared' (default) uses prepared better-sqlite3 statements,
   * 'prisma' uses Prisma upserts. Both keep the same contract; the second exists so the
   * contract suite and the benchmark can compare them.
   */
  offsetCommits?: 'prepared' | 'prisma';
  /** prisma/migrations; found next to the project by default. */
  migrationsDir?: string;
  /** Stamps createdAtMs / deletedAtMs (default: the system clock; the node passes its own). */
  clock?: Clock;
}

const topicInclude = { configs: true } as const;

/** ClusterMetadata holds one row, always this id. */
const CLUSTER_ROW_ID = 1;

export class PrismaCatalog implements Catalog {
  readonly #prisma: PrismaClient;
  readonly #transactionOptions: { timeout: number; maxWait: number };
  readonly #commitPrepared: ((group: string, offsets: readonly OffsetCommit[]) => void) | null;
  readonly #addPartitions: ReturnType<typeof prepareAddPartitions>;
  readonly #createTopic: ReturnType<typeof prepareCreateTopic>;
  readonly #transactions: TransactionStatements;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #clock: Clock;
  #closed = false;
  readonly security: SecurityCatalog;

  constructor(prisma: PrismaClient, db: BetterSqlite3.Database, busyTimeoutMs: number, offsetCommits: 'prepared' | 'prisma', clock: Clock) {
    this.#prisma = prisma;
    this.#clock = clock;
    this.#transactionOptions = { timeout: busyTimeoutMs + TRANSACTION_SLACK_MS, maxWait: busyTimeoutMs + TRANSACTION_SLACK_MS };
    this.#commitPrepared = offsetCommits === 'prepared' ? prepareOffsetCommit(db) : null;
    this.#addPartitions = prepareAddPartitions(db);
    this.#createTopic = prepareCreateTopic(db);
    const statements = preparedOnFirstUse(() => prepareSecurityStatements(db));
    // Each call through the queue, like every other catalog call (the concurrency contract above).
    this.security = {
      createApiKey: (key) => this.#run(async () => statements.createApiKey(key)),
      replaceApiKey: (key) => this.#run(async () => statements.replaceApiKey(key)),
      getApiKey: (id) => this.#run(async () => statements.getApiKey(id)),
      listApiKeys: () => this.#run(async () => statements.listApiKeys()),
      revokeApiKey: (id, nowMs) => this.#run(async () => statements.revokeApiKey(id, nowMs)),
      touchApiKeys: (uses) => this.#run(async () => statements.touchApiKeys(uses)),
      listAcls: () => this.#run(async () => statements.listAcls()),
      createAcls: (acls, nowMs) => this.#run(async () => statements.createAcls(acls, nowMs)),
      deleteAcls: (acls) => this.#run(async () => statements.deleteAcls(acls)),
      listQuotas: () => this.#run(async () => statements.listQuotas()),
      putQuota: (quota) => this.#run(async () => statements.putQuota(quota)),
      deleteQuota: (principal) => this.#run(async () => statements.deleteQuota(principal)),
    };
    this.#transactions = preparedOnFirstUse(() => prepareTransactionStatements(db));
  }

  /** Runs `work` after every earlier call settled; maps a lock timeout to CatalogBusyError. */
  #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new CatalogClosedError());
    const result = this.#queue.then(work).catch((error: unknown) => {
      throw isBusyError(error) && !(error instanceof CatalogBusyError) ? new CatalogBusyError(error) : error;
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.#prisma.$transaction(work, this.#transactionOptions);
  }

  clusterId(): Promise<string> {
    return this.#run(async () => {
      // The one row has id 1; an existing row is kept as it is (update: nothing).
      const row = await this.#prisma.clusterMetadata.upsert({
        where: { id: CLUSTER_ROW_ID },
        create: { id: CLUSTER_ROW_ID, clusterId: randomUUID(), createdAtMs: BigInt(this.#clock.nowMs()) },
        update: {},
      });
      return row.clusterId;
    });
  }

  createProducer(nowMs: number): Promise<ProducerRecord> {
    return this.#run(() =>
      this.#transaction(async (tx) => {
        const top = await tx.producer.aggregate({ _max: { producerId: true } });
        const producerId = (top._max.producerId ?? -1n) + 1n;
        const row = await tx.producer.create({ data: { producerId, producerEpoch: 0, updatedAtMs: BigInt(nowMs) } });
        return toProducerRecord(row);
      }),
    );
  }

  initTransactionalProducer(
    transactionalId: string,
    timeoutMs: number,
    nowMs: number,
  ): Promise<{ producer: ProducerRecord; transaction: TransactionRecord }> {
    return this.#run(async () => this.#transactions.initTransactionalProducer(transactionalId, timeoutMs, nowMs));
  }

  saveTransaction(record: TransactionRecord, producerEpoch: number | null): Promise<void> {
    return this.#run(async () => this.#transactions.saveTransaction(record, producerEpoch));
  }

  addTransactionPartitions(transactionalId: string, partitions: readonly TransactionTopicPartition[]): Promise<void> {
    return this.#run(async () => this.#transactions.addTransactionPartitions(transactionalId, partitions));
  }

  getTransaction(transactionalId: string): Promise<TransactionRecord | null> {
    return this.#run(async () => this.#transactions.getTransaction(transactionalId));
  }

  expireTransactionalId(transactionalId: string, updatedAtMs: number, producerEpoch: number, nowMs: number): Promise<boolean> {
    return this.#run(async () => this.#transactions.expireTransactionalId(transactionalId, updatedAtMs, producerEpoch, nowMs));
  }

  listTransactions(): Promise<TransactionRecord[]> {
    return this.#run(async () => this.#transactions.listTransactions());
  }

  getProducer(producerId: number): Promise<ProducerRecord | null> {
    return this.#run(async () => {
      const row = await this.#prisma.producer.findUnique({ where: { producerId: BigInt(producerId) } });
      return row ? toProducerRecord(row) : null;
    });
  }

  listTopics(options: { prefix?: string; includeInternal?: boolean } = {}): Promise<TopicRecord[]> {
    const { prefix = '', includeInternal = false } = options;
    return this.#run(async () => {
      const rows = await this.#prisma.topic.findMany({
        where: { name: { startsWith: prefix }, ...(includeInternal ? {} : { internal: false }) },
        include: topicInclude,
        orderBy: { name: 'asc' },
      });
      // SQLite's LIKE (behind startsWith) ignores ASCII case; topic names are case-sensitive.
      return rows.filter((row) => row.name.startsWith(prefix)).map(toTopicRecord);
    });
  }

  getTopics(names: readonly string[]): Promise<(TopicRecord | null)[]> {
    return this.#run(async () => {
      const rows = await this.#prisma.topic.findMany({ where: { name: { in: [...new Set(names)] } }, include: topicInclude });
      const byName = new Map(rows.map((row) => [row.name, toTopicRecord(row)]));
      return names.map((name) => byName.get(name) ?? null);
    });
  }

  async createTopic(
    topic: Omit<TopicRecord, 'topicId' | 'createdAtMs'> & { topicId?: string },
    partitions: PartitionRecord[],
  ): Promise<TopicRecord> {
    checkNewPartitions(topic.name, 0, partitions);
    if (partitions.length !== topic.partitionCount) {
      throw new RangeError(`topic ${topic.name}: partitionCount ${topic.partitionCount} but ${partitions.length} partitions given`);
    }
    return this.#run(async () => {
      const topicId = topic.topicId ?? randomUUID();
      // Prepared statements: Prisma's nested create of 10,000 partitions held the event loop for seconds.
      await this.#createTopic({ ...topic, topicId, createdAtMs: this.#clock.nowMs() }, partitions);
      const row = await this.#prisma.topic.findUnique({ where: { topicId }, include: topicInclude });
      if (row === null) throw new UnknownTopicOrPartitionError(topic.name);
      return toTopicRecord(row);
    });
  }

  deleteTopic(name: string): Promise<TopicRecord | null> {
    return this.#run(() =>
      this.#transaction(async (tx) => {
        const row = await tx.topic.findUnique({ where: { name }, include: topicInclude });
        if (row === null) return null;
        // ON DELETE CASCADE removes its configs, partitions and committed offsets. The
        // DeletedTopic row in the same transaction is the delete mark: its directories go next.
        await tx.topic.delete({ where: { topicId: row.topicId } });
        await tx.deletedTopic.create({
          data: { topicId: row.topicId, name: row.name, partitionCount: row.partitionCount, deletedAtMs: BigInt(this.#clock.nowMs()) },
        });
        return toTopicRecord(row);
      }),
    );
  }

  listDeletedTopics(): Promise<DeletedTopicRecord[]> {
    return this.#run(async () => {
      const rows = await this.#prisma.deletedTopic.findMany({ orderBy: { deletedAtMs: 'asc' } });
      return rows.map((row) => ({
        topicId: row.topicId,
        name: row.name,
        partitionCount: row.partitionCount,
        deletedAtMs: Number(row.deletedAtMs),
      }));
    });
  }

  forgetDeletedTopic(topicId: string): Promise<void> {
    return this.#run(async () => {
      await this.#prisma.deletedTopic.deleteMany({ where: { topicId } });
    });
  }

  setTopicConfigs(name: string, configs: Record<string, string>): Promise<TopicRecord> {
    return this.#run(() =>
      this.#transaction(async (tx) => {
        const existing = await tx.topic.findUnique({ where: { name } });
        if (existing === null) throw new UnknownTopicOrPartitionError(name);
        const row = await tx.topic.update({
          where: { topicId: existing.topicId },
          data: { configs: { deleteMany: {}, create: Object.entries(configs).map(([key, value]) => ({ key, value })) } },
          include: topicInclude,
        });
        return toTopicRecord(row);
      }),
    );
  }

  addPartitions(name: string, partitions: PartitionRecord[]): Promise<TopicRecord> {
    return this.#run(async () => {
      await this.#addPartitions(name, partitions); // prepared statements: Prisma's nested create held the event loop for seconds
      const row = await this.#prisma.topic.findUnique({ where: { name }, include: topicInclude });
      if (row === null) throw new UnknownTopicOrPartitionError(name);
      return toTopicRecord(row);
    });
  }

  listPartitions(topics: readonly string[]): Promise<PartitionRecord[]> {
    return this.#run(async () => {
      const rows = await this.#prisma.partition.findMany({
        where: { topic: { name: { in: [...new Set(topics)] } } },
        include: { topic: { select: { name: true } } },
        orderBy: [{ topic: { name: 'asc' } }, { partition: 'asc' }],
      });
      return rows.map((row) => toPartitionRecord(row.topic.name, row));
    });
  }

  async updatePartition(p: PartitionRecord): Promise<void> {
    const columns = partitionColumns(p);
    return this.#run(async () => {
      const result = await this.#prisma.partition.updateMany({
        where: { topic: { name: p.topic }, partition: p.partition },
        data: columns,
      });
      if (result.count === 0) throw new UnknownTopicOrPartitionError(p.topic, p.partition);
    });
  }

  async commitOffsets(group: string, offsets: readonly Omit<CommittedOffsetRecord, 'group'>[]): Promise<void> {
    offsets.forEach(checkOffset);
    const commitPrepared = this.#commitPrepared;
    if (commitPrepared !== null) return this.#run(async () => commitPrepared(group, offsets));
    return this.#run(() => this.#commitOffsetsWithPrisma(group, offsets));
  }

  async #commitOffsetsWithPrisma(group: string, offsets: readonly OffsetCommit[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.#transaction(async (tx) => {
      const topics = await tx.topic.findMany({
        where: { name: { in: [...new Set(offsets.map((o) => o.topic))] } },
        select: { name: true, partitionCount: true },
      });
      const partitionCounts = new Map(topics.map((t) => [t.name, t.partitionCount]));
      for (const o of offsets) {
        const partitionCount = partitionCounts.get(o.topic);
        if (partitionCount === undefined || o.partition >= partitionCount) {
          throw new UnknownTopicOrPartitionError(o.topic, partitionCount === undefined ? undefined : o.partition);
        }
        const values = { offset: BigInt(o.offset), metadata: o.metadata, commitTimeMs: BigInt(o.commitTimeMs) };
        await tx.committedOffset.upsert({
          where: { groupId_topic_partition: { groupId: group, topic: o.topic, partition: o.partition } },
          create: { groupId: group, topic: o.topic, partition: o.partition, ...values },
          update: values,
        });
      }
    });
  }

  fetchOffsets(group: string, topic?: string): Promise<CommittedOffsetRecord[]> {
    return this.#run(async () => {
      const rows = await this.#prisma.committedOffset.findMany({
        where: { groupId: group, ...(topic === undefined ? {} : { topic }) },
        orderBy: [{ topic: 'asc' }, { partition: 'asc' }],
      });
      return rows.map(toCommittedOffsetRecord);
    });
  }

  fetchOffsetsForGroups(groups: readonly string[]): Promise<CommittedOffsetRecord[][]> {
    return this.#run(async () => {
      const rows = await this.#prisma.committedOffset.findMany({
        where: { groupId: { in: [...new Set(groups)] } },
        orderBy: [{ groupId: 'asc' }, { topic: 'asc' }, { partition: 'asc' }],
      });
      const byGroup = new Map<string, CommittedOffsetRecord[]>();
      for (const row of rows) {
        const list = byGroup.get(row.groupId) ?? [];
        list.push(toCommittedOffsetRecord(row));
        byGroup.set(row.groupId, list);
      }
      return groups.map((group) => [...(byGroup.get(group) ?? [])]);
    });
  }

  deleteOffsets(group: string, topic?: string): Promise<void> {
    return this.#run(async () => {
      await this.#prisma.committedOffset.deleteMany({ where: { groupId: group, ...(topic === undefined ? {} : { topic }) } });
    });
  }

  async upsertGroup(group: GroupRecord): Promise<void> {
    const values = {
      state: group.state,
      generation: group.generation,
      protocolType: group.protocolType,
      protocol: group.protocol,
      updatedAtMs: BigInt(group.updatedAtMs),
    };
    return this.#run(async () => {
      await this.#prisma.consumerGroup.upsert({
        where: { groupId: group.groupId },
        create: { groupId: group.groupId, ...values },
        update: values,
      });
    });
  }

  getGroup(groupId: string): Promise<GroupRecord | null> {
    return this.#run(async () => {
      const row = await this.#prisma.consumerGroup.findUnique({ where: { groupId } });
      return row === null ? null : toGroupRecord(row);
    });
  }

  listGroups(): Promise<GroupRecord[]> {
    return this.#run(async () => {
      const rows = await this.#prisma.consumerGroup.findMany({ orderBy: { groupId: 'asc' } });
      return rows.map(toGroupRecord);
    });
  }

  /** Removes the group, its members and remembered topics (cascade) and its committed offsets, as Kafka's DeleteGroups does. */
  deleteGroup(groupId: string): Promise<void> {
    return this.#run(async () => {
      await this.#prisma.$transaction([
        this.#prisma.committedOffset.deleteMany({ where: { groupId } }),
        this.#prisma.consumerGroup.deleteMany({ where: { groupId } }),
      ]);
    });
  }

  setGroupTopics(groupId: string, topics: readonly string[]): Promise<void> {
    return this.#run(() =>
      this.#transaction(async (tx) => {
        const existing = await tx.topic.findMany({ where: { name: { in: [...new Set(topics)] } }, select: { name: true } });
        await tx.groupTopic.deleteMany({ where: { groupId } });
        if (existing.length > 0) await tx.groupTopic.createMany({ data: existing.map(({ name }) => ({ groupId, topic: name })) });
      }),
    );
  }

  fetchGroupTopics(groups: readonly string[]): Promise<string[][]> {
    return this.#run(async () => {
      const rows = await this.#prisma.groupTopic.findMany({
        where: { groupId: { in: [...new Set(groups)] } },
        orderBy: [{ groupId: 'asc' }, { topic: 'asc' }],
      });
      const byGroup = new Map<string, string[]>();
      for (const row of rows) byGroup.set(row.groupId, [...(byGroup.get(row.groupId) ?? []), row.topic]);
      return groups.map((group) => [...(byGroup.get(group) ?? [])]);
    });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const done = this.#queue.then(() => this.#prisma.$disconnect());
    this.#closed = true;
    return done;
  }
}

/**
 * Opens (creating it and its folder if missing) the catalog at options.databaseFile, checks it,
 * migrates it.
 * Throws CatalogCorruptError, CatalogMigrationError or CatalogBusyError; nothing stays open then.
 */
export async function openCatalog(options: PrismaCatalogOptions): Promise<PrismaCatalog> {
  const databaseFile = resolve(options.databaseFile);
  const busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS_DEFAULT;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new RangeError(`bad busyTimeoutMs ${busyTimeoutMs}`);
  mkdirSync(dirname(databaseFile), { recursive: true });
  const factory = new PrismaBetterSqlite3({ url: databaseFile, timeout: busyTimeoutMs });
  const adapter = await factory.connect();
  // The adapter keeps its better-sqlite3 connection in `client`; the catalog shares it so the
  // prepared statements and Prisma never wait on each other's locks.
  const db = (adapter as unknown as { client?: unknown }).client;
  if (!(db instanceof BetterSqlite3)) {
    await adapter.dispose();
    throw new Error('@prisma/adapter-better-sqlite3 no longer exposes its connection as `client`; update prisma-catalog.ts');
  }
  let prisma: PrismaClient | null = null;
  try {
    prepareDatabase(db, databaseFile);
    try {
      applyMigrations(db, options.migrationsDir ?? locateMigrationsDir(), databaseFile);
    } catch (error) {
      throw toOpenError(error, databaseFile);
    }
    prisma = new PrismaClient({
      adapter: { provider: 'sqlite', adapterName: factory.adapterName, connect: async () => adapter },
    });
    await prisma.$connect();
    return new PrismaCatalog(prisma, db, busyTimeoutMs, options.offsetCommits ?? 'prepared', options.clock ?? new SystemClock());
  } catch (error) {
    if (prisma !== null) await prisma.$disconnect().catch(() => undefined);
    if (db.open) db.close();
    throw error;
  }
}

function toProducerRecord(row: {
  producerId: bigint;
  producerEpoch: number;
  transactionalId: string | null;
  updatedAtMs: bigint;
}): ProducerRecord {
  return {
    producerId: Number(row.producerId),
    epoch: row.producerEpoch,
    transactionalId: row.transactionalId,
    updatedAtMs: Number(row.updatedAtMs),
  };
}
