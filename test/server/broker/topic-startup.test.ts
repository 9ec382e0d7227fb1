/**
 * planStartup (server/broker/topic-startup.ts): only directories whose partition.metadata names a
 * topic id the catalog marked deleted are deleted; everything else is opened, recovered or kept.
 */
import type { FoundLog, PartitionMetadata } from '../../../storage';
import type { DeletedTopicRecord, TopicRecord } from '../../../server/catalog/catalog';
import { planStartup } from '../../../server/broker/topic-startup';

const ID_ORDERS = '00000000-0000-4000-8000-000000000001';
const ID_OLD = '00000000-0000-4000-8000-000000000002';
const ID_LOST = '00000000-0000-4000-8000-000000000003';

function topic(name: string, topicId: string, partitionCount: number): TopicRecord {
  return { topicId, name, internal: false, partitionCount, replicationFactor: 1, configs: {}, createdAtMs: 0 };
}

function meta(topicId: string, name: string, partition: number, configs: Record<string, string> = {}): PartitionMetadata {
  return { topicId, topic: name, partition, configs };
}

function found(name: string, partition: number, metadata: FoundLog['metadata']): FoundLog {
  return { topic: name, partition, metadata };
}

const deleted: DeletedTopicRecord[] = [{ topicId: ID_OLD, name: 'orders', partitionCount: 2, deletedAtMs: 0 }];

describe('planStartup', () => {
  it('deletes only the directories of a topic id the catalog marked deleted', () => {
    const plan = planStartup([topic('orders', ID_ORDERS, 2)], deleted, [
      found('orders', 0, meta(ID_ORDERS, 'orders', 0)),
      found('orders', 1, null), // an older directory of the known topic: adopts the id
      found('orders', 5, meta(ID_OLD, 'orders', 5)),
    ]);
    expect(plan.toDelete).toEqual([found('orders', 5, meta(ID_OLD, 'orders', 5))]);
    expect(plan.toRecover).toEqual([]);
    expect(plan.toQuarantine).toEqual([]);
    expect(plan.toAdopt).toEqual([found('orders', 1, null)]);
  });

  it('with an empty catalog, deletes nothing: recovers topics that have partition.metadata, keeps the rest', () => {
    const plan = planStartup(
      [],
      [],
      [
        found('lost', 0, meta(ID_LOST, 'lost', 0, { 'retention.ms': '5' })),
        found('lost', 2, meta(ID_LOST, 'lost', 2, { 'retention.ms': '5' })),
        found('legacy', 0, null),
        found('broken', 0, 'corrupt'),
        found('renamed', 0, meta(ID_ORDERS, 'other', 0)),
      ],
    );
    expect(plan.toDelete).toEqual([]);
    expect(plan.toRecover).toEqual([
      {
        metadata: meta(ID_LOST, 'lost', 0, { 'retention.ms': '5' }),
        partitionCount: 3,
        logs: [found('lost', 0, expect.anything()), found('lost', 2, expect.anything())],
      },
    ]);
    expect(plan.toQuarantine.map((q) => q.log.topic)).toEqual(['legacy', 'broken', 'renamed']);
  });

  it('keeps (never opens or deletes) a directory of a known name holding another, unmarked topic id, or a partition beyond the count', () => {
    const plan = planStartup(
      [topic('orders', ID_ORDERS, 1)],
      [],
      [found('orders', 0, meta(ID_LOST, 'orders', 0)), found('orders', 1, meta(ID_ORDERS, 'orders', 1))],
    );
    expect(plan.toDelete).toEqual([]);
    expect(plan.toRecover).toEqual([]);
    expect(plan.toQuarantine.map((q) => [q.log.partition, q.reason])).toEqual([
      [0, expect.stringContaining(ID_LOST)],
      [1, expect.stringContaining('only 1 partitions')],
    ]);
  });

  it('recovers one id per name: a second id for the same lost name is kept aside', () => {
    const plan = planStartup([], [], [found('lost', 0, meta(ID_LOST, 'lost', 0)), found('lost', 1, meta(ID_OLD, 'lost', 1))]);
    expect(plan.toRecover).toHaveLength(1);
    expect(plan.toQuarantine.map((q) => q.log.partition)).toEqual([1]);
  });
});
