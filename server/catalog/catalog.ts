/**
 * The catalog: the node's metadata store behind one interface (docs/ARCHITECTURE.md "The
 * catalog"). Topics and their config overrides, partition assignment and state, consumer groups
 * and committed offsets. Everything crossing this interface is a plain value: no Prisma type
 * leaks out, and BigInt columns (offsets, epoch-millisecond times) become JS numbers here.
 *
 * Implemented by server/catalog/prisma-catalog.ts (SQLite through Prisma). Errors are CodedErrors
 * from server/errors.ts: TopicAlreadyExistsError, UnknownTopicOrPartitionError, CatalogBusyError
 * (retriable; nothing was applied), CatalogCorruptError and CatalogMigrationError at open.
 */

export interface TopicRecord {
  /** Random UUID: a deleted-then-recreated topic has a new id. */
  topicId: string;
  name: string;
  internal: boolean;
  partitionCount: number;
  replicationFactor: number;
  /** Only the overrides the user set (Kafka key names). */
  configs: Record<string, string>;
  createdAtMs: number;
}

/** A topic removed from the catalog whose partition directories may still be on disk (storage/FORMAT.md §9). */
export interface DeletedTopicRecord {
  topicId: string;
  name: string;
  partitionCount: number;
  deletedAtMs: number;
}

export interface PartitionRecord {
  topic: string;
  partition: number;
  leaderId: number | null;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
}

export interface CommittedOffsetRecord {
  group: string;
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
  commitTimeMs: number;
}

export interface GroupRecord {
  groupId: string;
  state: string;
  generation: number;
  protocolType: string | null;
  protocol: string | null;
  updatedAtMs: number;
}

/** A producer id handed out by initProducer, its current epoch, and when it was issued or bumped. */
export interface ProducerRecord {
  producerId: number;
  epoch: number;
  transactionalId: string | null;
  updatedAtMs: number;
}

/** int16: the highest producer epoch a batch header can carry. */
export const MAX_PRODUCER_EPOCH = 0x7fff;

export type TransactionStateName = 'EMPTY' | 'ONGOING' | 'PREPARE_COMMIT' | 'PREPARE_ABORT' | 'COMPLETE_COMMIT' | 'COMPLETE_ABORT' | 'DEAD';

export interface TransactionTopicPartition {
  topic: string;
  partition: number;
}

/** A group offset a commitTransaction carries, pending until the commit completes. */
export interface TransactionOffsetRecord {
  group: string;
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
}

/** A transactional id's transaction (server/coordinators/transactions/README.md): `epoch` is the transaction's, the producer's current one is in Producer. */
export interface TransactionRecord {
  transactionalId: string;
  producerId: number;
  epoch: number;
  state: TransactionStateName;
  timeoutMs: number;
  startedAtMs: number | null;
  updatedAtMs: number;
  partitions: TransactionTopicPartition[];
  offsets: TransactionOffsetRecord[];
}

export interface Catalog {
  /**
   * The cluster's id: a random UUID created the first time a node opens this catalog (one row,
   * written once), the same on every later call and after every restart.
   */
  clusterId(): Promise<string>;
  /**
   * A new idempotent producer (initProducer without a transactionalId): the next producer id,
   * epoch 0. Ids are the Producer rows' highest + 1 in one transaction, and rows are never
   * removed, so an id survives restarts and is never handed out twice.
   */
  createProducer(nowMs: number): Promise<ProducerRecord>;
  /** The producer row of an id, or null when the id was never handed out. */
  getProducer(producerId: number): Promise<ProducerRecord | null>;
  listTopics(options?: { prefix?: string; includeInternal?: boolean }): Promise<TopicRecord[]>;
  /** Aligned with names (dataloader): null where a topic does not exist. */
  getTopics(names: readonly string[]): Promise<(TopicRecord | null)[]>;
  /** TopicAlreadyExistsError if the name is taken. A topicId is given only when recovering a topic from its logs; otherwise a new UUID. */
  createTopic(
    topic: Omit<TopicRecord, 'topicId' | 'createdAtMs'> & { topicId?: string },
    partitions: PartitionRecord[],
  ): Promise<TopicRecord>;
  /**
   * Removes the topic's partitions, configs and committed offsets and, in the same transaction,
   * records it as a DeletedTopic (the mark that its directories are to be deleted); null if it did not exist.
   */
  deleteTopic(name: string): Promise<TopicRecord | null>;
  /** Deleted topics whose directories are not known to be renamed `-delete` yet. */
  listDeletedTopics(): Promise<DeletedTopicRecord[]>;
  /** Drops the mark once every directory of the topic is renamed `-delete` (durably). */
  forgetDeletedTopic(topicId: string): Promise<void>;
  /** Replaces the override set. */
  setTopicConfigs(name: string, configs: Record<string, string>): Promise<TopicRecord>;
  addPartitions(name: string, partitions: PartitionRecord[]): Promise<TopicRecord>;
  listPartitions(topics: readonly string[]): Promise<PartitionRecord[]>;
  updatePartition(p: PartitionRecord): Promise<void>;
  /** One transaction, all or nothing. */
  commitOffsets(group: string, offsets: readonly Omit<CommittedOffsetRecord, 'group'>[]): Promise<void>;
  fetchOffsets(group: string, topic?: string): Promise<CommittedOffsetRecord[]>;
  /** Aligned with groups (dataloader). */
  fetchOffsetsForGroups(groups: readonly string[]): Promise<CommittedOffsetRecord[][]>;
  deleteOffsets(group: string, topic?: string): Promise<void>;
  upsertGroup(group: GroupRecord): Promise<void>;
  getGroup(groupId: string): Promise<GroupRecord | null>;
  listGroups(): Promise<GroupRecord[]>;
  deleteGroup(groupId: string): Promise<void>;
  /**
   * Replaces the topics the group consumes (remembered after its last member left, so its lag
   * covers partitions it never committed). Names of topics that do not exist are skipped; a
   * deleted topic's rows go with it, the group's with deleteGroup. The group row must exist.
   */
  setGroupTopics(groupId: string, topics: readonly string[]): Promise<void>;
  /** Aligned with groups: each one's remembered topics, sorted. */
  fetchGroupTopics(groups: readonly string[]): Promise<string[][]>;
  /** API keys and ACLs (server/security/README.md). */
  readonly security: SecurityCatalog;
  /**
   * initProducer(transactionalId): in one transaction, the id's producer with its epoch bumped
   * (a new producer id at epoch 0 once the epoch is exhausted), or a new producer and an EMPTY
   * transaction row; the transaction row as it was (the coordinator aborts an open one).
   */
  initTransactionalProducer(
    transactionalId: string,
    timeoutMs: number,
    nowMs: number,
  ): Promise<{ producer: ProducerRecord; transaction: TransactionRecord }>;
  /** In one transaction: the row, its partitions and pending offsets replaced by `record`; the producer's epoch set when not null. */
  saveTransaction(record: TransactionRecord, producerEpoch: number | null): Promise<void>;
  /** Registers partitions of the open transaction (before the first append to them); already registered ones are kept. */
  addTransactionPartitions(transactionalId: string, partitions: readonly TransactionTopicPartition[]): Promise<void>;
  /**
   * transactional.id.expiration.ms: in one transaction, deletes the id's Transaction row (and its
   * partitions and offsets rows) and unlinks its Producer row, whose epoch becomes `producerEpoch`
   * (the coordinator's fence of the retired producer id; ids are never reused). Does nothing and
   * answers false when the row is gone, open (ONGOING, PREPARE_*) or updated since `updatedAtMs`.
   */
  expireTransactionalId(transactionalId: string, updatedAtMs: number, producerEpoch: number, nowMs: number): Promise<boolean>;
  getTransaction(transactionalId: string): Promise<TransactionRecord | null>;
  listTransactions(): Promise<TransactionRecord[]>;
  close(): Promise<void>;
}

export interface OpenCatalogOptions {
  /** Path of the SQLite database file; created (and migrated) if missing. */
  databaseFile: string;
  /**
   * How long a statement waits for a lock held by another connection before the call fails
   * with CatalogBusyError (nothing applied). Default 5_000 ms.
   */
  busyTimeoutMs?: number;
}

/** An API key row: the salted scrypt hash of its secret, never the secret (server/security/README.md). */
export interface ApiKeyRecord {
  id: string;
  principal: string;
  salt: Buffer;
  hash: Buffer;
  params: string;
  description: string | null;
  createdAtMs: number;
  lastUsedAtMs: number | null;
  revokedAtMs: number | null;
}

/** One ACL binding, Kafka's names in upper case (TOPIC, PREFIXED, READ, ALLOW…). */
export interface AclRecord {
  principal: string;
  resourceType: string;
  resourceName: string;
  patternType: string;
  operation: string;
  permission: string;
  host: string;
}

/** A principal's client quota (bytes per second; null: unlimited). */
export interface QuotaRecord {
  principal: string;
  producerByteRate: number | null;
  consumerByteRate: number | null;
  updatedAtMs: number;
}

/** What changed in a security store behind the node's back (another node's write, seen through etcd's watch). */
export type SecurityChange = { kind: 'acls' } | { kind: 'quotas' } | { kind: 'apiKey'; id: string };

export interface SecurityCatalog {
  /**
   * Tells `listener` of every change made by someone else (a cluster's etcd store); the node's
   * own SQLite tables change only through this node and leave it out. Returns the unsubscribe.
   */
  onChange?(listener: (change: SecurityChange) => void): () => void;
  /** false when the id is taken (nothing written). */
  createApiKey(key: ApiKeyRecord): Promise<boolean>;
  /** Writes the row whatever was there (the bootstrap key, whose id comes from its secret). */
  replaceApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Sets revokedAtMs; false when there is no such key or it was revoked already. */
  revokeApiKey(id: string, nowMs: number): Promise<boolean>;
  /** One transaction for the coalesced lastUsedAt marks. */
  touchApiKeys(uses: readonly { id: string; lastUsedAtMs: number }[]): Promise<void>;
  listAcls(): Promise<AclRecord[]>;
  /** Inserts the bindings not there yet (one transaction); existing ones are kept as they are. */
  createAcls(acls: readonly AclRecord[], nowMs: number): Promise<void>;
  /** Deletes exactly these bindings (one transaction). */
  deleteAcls(acls: readonly AclRecord[]): Promise<void>;
  listQuotas(): Promise<QuotaRecord[]>;
  /** Writes the principal's row whatever was there. */
  putQuota(quota: QuotaRecord): Promise<void>;
  /** false when the principal had no row. */
  deleteQuota(principal: string): Promise<boolean>;
}
