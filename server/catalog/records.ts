/**
 * Conversions between catalog rows and the plain records of server/catalog/catalog.ts, plus the
 * checks on records coming in. Rows are described structurally here so that only
 * prisma-catalog.ts imports the generated Prisma client. BigInt columns (offsets, epoch-ms times)
 * become numbers: offsets are exact up to 2^53 (docs/ARCHITECTURE.md), and a larger stored value
 * is corruption, reported as a RangeError rather than silently rounded.
 */
import { InvalidPartitionsError } from '../errors';
import type { CommittedOffsetRecord, GroupRecord, PartitionRecord, TopicRecord } from './catalog';

export interface TopicRow {
  topicId: string;
  name: string;
  internal: boolean;
  partitionCount: number;
  replicationFactor: number;
  createdAtMs: bigint;
  configs: { key: string; value: string }[];
}

export interface PartitionRow {
  partition: number;
  leaderId: number | null;
  leaderEpoch: number;
  replicas: string;
  isr: string;
}

export interface CommittedOffsetRow {
  groupId: string;
  topic: string;
  partition: number;
  offset: bigint;
  metadata: string | null;
  commitTimeMs: bigint;
}

export interface GroupRow {
  groupId: string;
  state: string;
  generation: number;
  protocolType: string | null;
  protocol: string | null;
  updatedAtMs: bigint;
}

export function toSafeNumber(value: bigint | number, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} ${value} is not a safe integer`);
  return n;
}

export function toTopicRecord(row: TopicRow): TopicRecord {
  const configs: Record<string, string> = {};
  for (const { key, value } of [...row.configs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    configs[key] = value;
  }
  return {
    topicId: row.topicId,
    name: row.name,
    internal: row.internal,
    partitionCount: row.partitionCount,
    replicationFactor: row.replicationFactor,
    configs,
    createdAtMs: toSafeNumber(row.createdAtMs, 'createdAtMs'),
  };
}

function parseBrokerIds(json: string, what: string): number[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || !value.every((id) => Number.isSafeInteger(id))) {
    throw new RangeError(`${what} column holds ${json}, not a JSON array of node ids`);
  }
  return value as number[];
}

export function toPartitionRecord(topic: string, row: PartitionRow): PartitionRecord {
  return {
    topic,
    partition: row.partition,
    leaderId: row.leaderId,
    leaderEpoch: row.leaderEpoch,
    replicas: parseBrokerIds(row.replicas, 'replicas'),
    isr: parseBrokerIds(row.isr, 'isr'),
  };
}

export function toCommittedOffsetRecord(row: CommittedOffsetRow): CommittedOffsetRecord {
  return {
    group: row.groupId,
    topic: row.topic,
    partition: row.partition,
    offset: toSafeNumber(row.offset, 'offset'),
    metadata: row.metadata,
    commitTimeMs: toSafeNumber(row.commitTimeMs, 'commitTimeMs'),
  };
}

export function toGroupRecord(row: GroupRow): GroupRecord {
  return {
    groupId: row.groupId,
    state: row.state,
    generation: row.generation,
    protocolType: row.protocolType,
    protocol: row.protocol,
    updatedAtMs: toSafeNumber(row.updatedAtMs, 'updatedAtMs'),
  };
}

/** A partition's columns as stored; node id lists are asserted, since a bad one is a caller bug. */
export function partitionColumns(p: PartitionRecord): Omit<PartitionRow, 'partition'> {
  for (const [what, ids] of [
    ['replicas', p.replicas],
    ['isr', p.isr],
  ] as const) {
    if (!ids.every((id) => Number.isSafeInteger(id) && id >= 0)) {
      throw new RangeError(`${what} of ${p.topic}-${p.partition} must be node ids, got ${JSON.stringify(ids)}`);
    }
  }
  if (p.leaderId !== null && !Number.isSafeInteger(p.leaderId)) throw new RangeError(`bad leaderId ${p.leaderId}`);
  if (!Number.isSafeInteger(p.leaderEpoch) || p.leaderEpoch < 0) throw new RangeError(`bad leaderEpoch ${p.leaderEpoch}`);
  return { leaderId: p.leaderId, leaderEpoch: p.leaderEpoch, replicas: JSON.stringify(p.replicas), isr: JSON.stringify(p.isr) };
}

/**
 * New partitions of `topic` must be numbered firstPartition, firstPartition+1, … with no gap or
 * repeat, and name the topic: the catalog's partitionCount stays equal to the row count.
 */
export function checkNewPartitions(topic: string, firstPartition: number, partitions: readonly PartitionRecord[]): void {
  if (partitions.length === 0) throw new InvalidPartitionsError(`no partitions given for topic ${topic}`);
  const numbers = partitions.map((p) => p.partition).sort((a, b) => a - b);
  numbers.forEach((n, i) => {
    if (n !== firstPartition + i) {
      throw new InvalidPartitionsError(
        `partitions of ${topic} must be numbered ${firstPartition}..${firstPartition + partitions.length - 1}, got ${numbers.join(',')}`,
      );
    }
  });
  const stranger = partitions.find((p) => p.topic !== topic);
  if (stranger !== undefined) throw new InvalidPartitionsError(`partition record for ${stranger.topic} given for topic ${topic}`);
}

/** An offset being committed: a safe non-negative integer and a millisecond time. */
export function checkOffset(o: Omit<CommittedOffsetRecord, 'group'>): void {
  if (!Number.isSafeInteger(o.offset) || o.offset < 0) throw new RangeError(`bad offset ${o.offset} for ${o.topic}-${o.partition}`);
  if (!Number.isSafeInteger(o.partition) || o.partition < 0) throw new RangeError(`bad partition ${o.partition}`);
  if (!Number.isSafeInteger(o.commitTimeMs)) throw new RangeError(`bad commitTimeMs ${o.commitTimeMs}`);
}
