/**
 * Consumer lag: per partition, highWatermark − committedOffset (never negative), and the total.
 * The partitions reported are those the group has committed offsets for plus every partition of
 * the topics it consumes: its members' subscriptions, and after the last member left the topics
 * they had (ConsumerGroup.topics), as kafka-consumer-groups --describe lists them. A partition
 * with no committed offset reports the whole readable log as lag (highWatermark −
 * logStartOffset): nothing of it was committed yet.
 * Time lag: how old the oldest uncommitted record is (now − its timestamp), 0 when caught up.
 */
import type { CoordinatorCore } from './coordinator-core';
import { findGroup } from './membership';
import { compareTopicPartitions, tpKey, type TopicPartition } from './topic-partition';

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly committedOffset: number | null;
  readonly metadata: string | null;
  readonly commitTimeMs: number | null;
  readonly logStartOffset: number;
  readonly highWatermark: number;
  readonly lag: number;
}

export interface GroupLag {
  readonly groupId: string;
  readonly partitions: readonly PartitionLag[];
  readonly totalLag: number;
}

function reportedPartitions(core: CoordinatorCore, groupId: string): TopicPartition[] {
  const group = findGroup(core, groupId);
  const keys = new Map<string, TopicPartition>();
  for (const record of core.offsets.list(groupId)) keys.set(tpKey(record), { topic: record.topic, partition: record.partition });
  const topics = new Set(group.topics);
  for (const member of group.members.values()) for (const topic of member.topics) topics.add(topic);
  for (const topic of topics) {
    const count = core.log.partitionCount(topic) ?? 0; // a deleted topic has none
    for (let partition = 0; partition < count; partition++) keys.set(tpKey({ topic, partition }), { topic, partition });
  }
  return [...keys.values()].sort(compareTopicPartitions);
}

export function groupLag(core: CoordinatorCore, groupId: string): GroupLag {
  const partitions: PartitionLag[] = [];
  let totalLag = 0;
  for (const tp of reportedPartitions(core, groupId)) {
    const watermarks = core.log.watermarks(tp.topic, tp.partition);
    if (watermarks === null) continue; // topic deleted since the commit
    const committed = core.offsets.get(groupId, tp);
    const from = committed?.offset ?? watermarks.logStartOffset;
    const lag = Math.max(0, watermarks.highWatermark - from);
    totalLag += lag;
    partitions.push({
      ...tp,
      committedOffset: committed?.offset ?? null,
      metadata: committed?.metadata ?? null,
      commitTimeMs: committed?.commitTimeMs ?? null,
      logStartOffset: watermarks.logStartOffset,
      highWatermark: watermarks.highWatermark,
      lag,
    });
  }
  return { groupId, partitions, totalLag };
}

export interface PartitionTimeLag extends TopicPartition {
  /** null when the log view cannot tell record timestamps. */
  readonly timeLagMs: number | null;
}

export async function groupTimeLag(core: CoordinatorCore, groupId: string): Promise<PartitionTimeLag[]> {
  const { partitions } = groupLag(core, groupId);
  const nowMs = core.clock.nowMs();
  return Promise.all(
    partitions.map(async (p): Promise<PartitionTimeLag> => {
      if (p.lag === 0) return { topic: p.topic, partition: p.partition, timeLagMs: 0 };
      const oldest = Math.max(p.committedOffset ?? p.logStartOffset, p.logStartOffset);
      const timestampMs = core.log.timestampAt ? await core.log.timestampAt(p.topic, p.partition, oldest) : null;
      return { topic: p.topic, partition: p.partition, timeLagMs: timestampMs === null ? null : Math.max(0, nowMs - timestampMs) };
    }),
  );
}
