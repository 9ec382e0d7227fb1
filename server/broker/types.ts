/**
 * The broker's plain value types: what its use cases take and return. No GraphQL here; schema/
 * maps these onto its object types. Offsets and times are safe-integer numbers.
 */
import type { BatchRecord, RecordHeader } from '../../storage/index';
import type { CommittedOffsetRecord } from '../catalog/catalog';

export type Acks = 'NONE' | 'LEADER' | 'ALL';
export type StartFrom = 'EARLIEST' | 'LATEST' | 'OFFSET' | 'TIMESTAMP';
export type Isolation = 'READ_UNCOMMITTED' | 'READ_COMMITTED';

export interface NodeDescription {
  nodeId: number;
  host: string;
  port: number;
  /** The replication listener (null on the embedded single node). */
  clusterPort: number | null;
  rack: string | null;
  isController: boolean;
  /** A listed node is a live member (the cluster lists no others yet). */
  alive: boolean;
  startedAtMs: number;
}

export interface ClusterDescription {
  clusterId: string;
  /** null while no controller is elected (a cluster between two controllers). */
  controllerId: number | null;
  version: string;
  nodes: NodeDescription[];
}

export interface PartitionStatus {
  topic: string;
  partition: number;
  leader: number | null;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  logStartOffset: number;
  highWatermark: number;
  logEndOffset: number;
  lastStableOffset: number;
  underReplicated: boolean;
  sizeBytes: number;
}

export interface TopicDescription {
  topicId: string;
  name: string;
  internal: boolean;
  replicationFactor: number;
  partitions: PartitionStatus[];
  configs: { key: string; value: string; isDefault: boolean; doc: string }[];
  sizeBytes: number;
  messageCount: number;
  createdAtMs: number;
}

export interface CreateTopicRequest {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: { key: string; value: string | null }[];
}

export interface ProduceRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  partition: number | null;
  timestampMs: number | null;
}

export interface ProduceRequest {
  topic: string;
  records: ProduceRecord[];
  acks: Acks;
  /** An idempotent producer (initProducer) and this call's sequence: appended at most once. */
  producer?: { producerId: number; epoch: number; transactionalId?: string | null } | null;
  sequence?: number | null;
}

export interface PartitionProduceResult {
  partition: number;
  baseOffset: number;
  lastOffset: number;
  count: number;
}

export interface RecordMetadata {
  partition: number;
  offset: number;
  timestampMs: number;
}

export interface ProduceOutcome {
  topic: string;
  partitions: PartitionProduceResult[];
  records: RecordMetadata[];
  /** Set when the producer was over its quota: how long the answer was held back (ms). */
  throttleTimeMs?: number;
}

/**
 * A record as decoded from its batch. Its topic and partition are those of the page or event that
 * carries it: not copied onto every record (one object less per record on the delivery path).
 */
export type ConsumedRecord = BatchRecord;

export interface FetchRequest {
  topic: string;
  partition: number;
  offset: number | null;
  timestampMs: number | null;
  limit: number;
  isolation: Isolation;
}

export interface RecordPage {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  nextOffset: number;
  highWatermark: number;
}

export interface StreamRequest {
  topic: string;
  /** null: every partition of the topic, including ones added later. */
  partitions: number[] | null;
  from: StartFrom;
  offset: number | null;
  timestampMs: number | null;
  maxBatch: number;
  isolation: Isolation;
}

export interface RecordBatchEvent {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  highWatermark: number;
  lag: number;
  memberId?: string;
  generation?: number;
  assignment?: number[];
  /**
   * Set only on a group member's assignment announcement (an event with no records): the
   * partitions it gained and lost since its previous announcement. Absent on record batches.
   */
  announcement?: AssignmentChange;
  /** Set when the reader was over its consumer quota: how long this batch was held back (ms). */
  throttleTimeMs?: number;
}

export interface AssignmentChange {
  assigned: number[];
  revoked: number[];
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface GroupMemberView {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string | null;
  host: string | null;
  connected: boolean;
  sessionTimeoutMs: number;
  heartbeatAgeMs: number;
  generation: number;
  autoCommit: boolean;
  assignment: TopicPartitions[];
  paused: TopicPartitions[];
}

export interface GroupPartitionOffsetView {
  topic: string;
  partition: number;
  committedOffset: number | null;
  metadata: string | null;
  commitTimeMs: number | null;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  lag: number;
}

export interface ConsumerGroupView {
  groupId: string;
  state: string;
  generation: number;
  protocolType: string;
  protocol: string | null;
  members: GroupMemberView[];
  offsets: GroupPartitionOffsetView[];
  totalLag: number;
}

/** A committed offset as the catalog stores it (the next offset to read, Kafka's convention). */
export type CommittedOffsetView = CommittedOffsetRecord;

export interface GroupStreamOptions {
  group: string;
  /** Static membership: reconnecting with the same id within the session timeout keeps the assignment. */
  groupInstanceId: string | null;
  sessionTimeoutMs: number | null;
  assignor: string | null;
  autoCommit: boolean;
  clientId: string | null;
  host: string | null;
  /**
   * Subscriptions: resolves once the client has received everything sent before the call (the
   * transport's proof of receipt; delivery-receipts.ts). With it, auto-commit commits only what was
   * proven received; without it (pull consumers, whose client came back for more), what was sent.
   */
  confirmReceipt?: () => Promise<void>;
}
