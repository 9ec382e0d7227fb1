/**
 * The committed offsets of every group, in memory, mirroring the catalog's CommittedOffset rows.
 * The catalog is written first (one transaction per commit); the cache is updated only after the
 * write succeeded, so the cache never shows an offset a restart would lose.
 *
 * Single-threaded; the coordinator serializes writes per group.
 */
import type { CommittedOffsetRecord } from '../../catalog/catalog';
import { compareTopicPartitions, tpKey, type TopicPartition } from './topic-partition';

export class OffsetCache {
  private readonly byGroup = new Map<string, Map<string, CommittedOffsetRecord>>();

  load(groupId: string, records: readonly CommittedOffsetRecord[]): void {
    const map = new Map<string, CommittedOffsetRecord>();
    for (const record of records) map.set(tpKey(record), { ...record });
    this.byGroup.set(groupId, map);
  }

  get(groupId: string, tp: TopicPartition): CommittedOffsetRecord | undefined {
    return this.byGroup.get(groupId)?.get(tpKey(tp));
  }

  committedOffset(groupId: string, tp: TopicPartition): number | null {
    return this.get(groupId, tp)?.offset ?? null;
  }

  list(groupId: string, topic?: string): CommittedOffsetRecord[] {
    const records = [...(this.byGroup.get(groupId)?.values() ?? [])].filter((r) => topic === undefined || r.topic === topic);
    return records.sort(compareTopicPartitions).map((r) => ({ ...r }));
  }

  put(records: readonly CommittedOffsetRecord[]): void {
    for (const record of records) {
      const map = this.byGroup.get(record.group) ?? new Map<string, CommittedOffsetRecord>();
      map.set(tpKey(record), { ...record });
      this.byGroup.set(record.group, map);
    }
  }

  delete(groupId: string, topic?: string): void {
    if (topic === undefined) {
      this.byGroup.delete(groupId);
      return;
    }
    const map = this.byGroup.get(groupId);
    if (!map) return;
    for (const [key, record] of map) if (record.topic === topic) map.delete(key);
  }

  /** Drops every group's offsets of a deleted topic (the catalog's deleteTopic removed the rows). */
  deleteTopic(topic: string): string[] {
    const touched: string[] = [];
    for (const [groupId, map] of this.byGroup) {
      let removed = false;
      for (const [key, record] of map) {
        if (record.topic === topic) {
          map.delete(key);
          removed = true;
        }
      }
      if (removed) touched.push(groupId);
    }
    return touched;
  }
}
