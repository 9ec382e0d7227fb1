/**
 * The Catalog contract (server/catalog/catalog.ts), written once and run against every
 * implementation or configuration by calling defineCatalogContract with a factory that opens a
 * catalog on a fresh database file (docs/HOUSE-STYLE.md §3.6 "Contract suites").
 */
import { join } from 'node:path';
import type { Catalog, CommittedOffsetRecord, PartitionRecord, TopicRecord } from '../../../server/catalog/catalog';
import { useTempDirs } from './temp-dir';

export type OpenCatalogAt = (databaseFile: string) => Promise<Catalog>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function partitionsOf(topic: string, count: number, first = 0): PartitionRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    topic,
    partition: first + i,
    leaderId: 1,
    leaderEpoch: 0,
    replicas: [1, 2, 3],
    isr: [1, 2, 3],
  }));
}

export function topicSpec(name: string, partitionCount = 3, configs: Record<string, string> = {}, internal = false) {
  return { name, internal, partitionCount, replicationFactor: 3, configs };
}

function offset(topic: string, partition: number, value: number, metadata: string | null = null): Omit<CommittedOffsetRecord, 'group'> {
  return { topic, partition, offset: value, metadata, commitTimeMs: 1_700_000_000_000 + value };
}

export function defineCatalogContract(name: string, openAt: OpenCatalogAt): void {
  describe(`Catalog contract: ${name}`, () => {
    const tempDir = useTempDirs();
    let catalog: Catalog;
    let databaseFile: string;

    beforeEach(async () => {
      databaseFile = join(tempDir(), 'catalog.db');
      catalog = await openAt(databaseFile);
    });
    afterEach(async () => {
      await catalog.close();
    });

    async function create(topic: string, partitionCount = 3, configs: Record<string, string> = {}): Promise<TopicRecord> {
      return catalog.createTopic(topicSpec(topic, partitionCount, configs), partitionsOf(topic, partitionCount));
    }

    describe('topics', () => {
      it('creates a topic with a random UUID, its config overrides and a creation time', async () => {
        const before = Date.now();
        const created = await create('orders', 3, { 'retention.ms': '60000', 'cleanup.policy': 'compact' });
        expect(created).toEqual({
          topicId: expect.stringMatching(UUID),
          name: 'orders',
          internal: false,
          partitionCount: 3,
          replicationFactor: 3,
          configs: { 'cleanup.policy': 'compact', 'retention.ms': '60000' },
          createdAtMs: expect.any(Number),
        });
        expect(created.createdAtMs).toBeGreaterThanOrEqual(before);
        expect(await catalog.getTopics(['orders'])).toEqual([created]);
      });

      it('refuses a second topic with the same name and leaves the first untouched', async () => {
        const first = await create('orders', 2, { 'retention.ms': '1' });
        await expect(create('orders', 5)).rejects.toMatchObject({ code: 'TOPIC_ALREADY_EXISTS' });
        expect(await catalog.getTopics(['orders'])).toEqual([first]);
        expect(await catalog.listPartitions(['orders'])).toHaveLength(2);
      });

      it('refuses partitions that are not numbered 0..n-1 and stores nothing', async () => {
        const gappy = [...partitionsOf('orders', 1), ...partitionsOf('orders', 1, 2)];
        await expect(catalog.createTopic(topicSpec('orders', 2), gappy)).rejects.toMatchObject({ code: 'INVALID_PARTITIONS' });
        expect(await catalog.getTopics(['orders'])).toEqual([null]);
      });

      it('answers getTopics aligned with the names asked, with null for unknown ones', async () => {
        const a = await create('a');
        const b = await create('b');
        expect(await catalog.getTopics(['b', 'missing', 'a', 'b'])).toEqual([b, null, a, b]);
        expect(await catalog.getTopics([])).toEqual([]);
      });

      it('lists topics by name, by exact case-sensitive prefix, hiding internal ones unless asked', async () => {
        await create('orders-eu');
        await create('Orders-us');
        await create('orders_x');
        await create('payments');
        await catalog.createTopic(topicSpec('__consumer_offsets', 1, {}, true), partitionsOf('__consumer_offsets', 1));
        expect((await catalog.listTopics()).map((t) => t.name)).toEqual(['Orders-us', 'orders-eu', 'orders_x', 'payments']);
        expect((await catalog.listTopics({ prefix: 'orders' })).map((t) => t.name)).toEqual(['orders-eu', 'orders_x']);
        expect((await catalog.listTopics({ prefix: 'orders_' })).map((t) => t.name)).toEqual(['orders_x']);
        expect((await catalog.listTopics({ includeInternal: true })).map((t) => t.name)).toContain('__consumer_offsets');
        expect((await catalog.listTopics({ prefix: '__', includeInternal: true })).map((t) => t.internal)).toEqual([true]);
      });

      it('deletes a topic with its partitions, configs and every group’s committed offsets, and nothing else', async () => {
        const orders = await create('orders', 2, { 'retention.ms': '1' });
        await create('payments', 1);
        await catalog.commitOffsets('g1', [offset('orders', 0, 10), offset('payments', 0, 7)]);
        await catalog.commitOffsets('g2', [offset('orders', 1, 20)]);
        expect(await catalog.deleteTopic('orders')).toEqual(orders);
        expect(await catalog.getTopics(['orders'])).toEqual([null]);
        expect(await catalog.listPartitions(['orders'])).toEqual([]);
        expect(await catalog.fetchOffsets('g1')).toEqual([{ group: 'g1', ...offset('payments', 0, 7) }]);
        expect(await catalog.fetchOffsets('g2')).toEqual([]);
        expect(await catalog.listPartitions(['payments'])).toHaveLength(1);
      });

      it('marks a deleted topic (id, name, partition count) in the same call, until the mark is forgotten', async () => {
        const orders = await create('orders', 2);
        expect(await catalog.listDeletedTopics()).toEqual([]);
        await catalog.deleteTopic('orders');
        const recreated = await create('orders', 1); // the mark does not hold the name
        expect(await catalog.listDeletedTopics()).toEqual([
          { topicId: orders.topicId, name: 'orders', partitionCount: 2, deletedAtMs: expect.any(Number) },
        ]);
        await catalog.forgetDeletedTopic(orders.topicId);
        expect(await catalog.listDeletedTopics()).toEqual([]);
        expect((await catalog.getTopics(['orders']))[0]).toEqual(recreated);
      });

      it('keeps a given topicId (a topic recovered from its logs)', async () => {
        const id = '0d1b6f9e-3c1a-4f6e-9c1e-2b7d8a4c5e6f';
        const created = await catalog.createTopic({ ...topicSpec('found', 1), topicId: id }, partitionsOf('found', 1));
        expect(created.topicId).toBe(id);
      });

      it('answers null when deleting a topic that does not exist', async () => {
        expect(await catalog.deleteTopic('missing')).toBeNull();
      });

      it('gives a recreated topic a new topicId and none of the old configs or offsets', async () => {
        const old = await create('orders', 2, { 'retention.ms': '1' });
        await catalog.commitOffsets('g', [offset('orders', 0, 5)]);
        await catalog.deleteTopic('orders');
        const recreated = await create('orders', 1);
        expect(recreated.topicId).not.toBe(old.topicId);
        expect(recreated.configs).toEqual({});
        expect(await catalog.fetchOffsets('g')).toEqual([]);
        expect(await catalog.listPartitions(['orders'])).toEqual(partitionsOf('orders', 1));
      });

      it('replaces the whole config override set', async () => {
        await create('orders', 1, { 'retention.ms': '1', 'segment.bytes': '1024' });
        const updated = await catalog.setTopicConfigs('orders', { 'retention.ms': '2', 'cleanup.policy': 'compact' });
        expect(updated.configs).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '2' });
        expect((await catalog.setTopicConfigs('orders', {})).configs).toEqual({});
        expect((await catalog.getTopics(['orders']))[0]?.configs).toEqual({});
      });

      it('refuses config changes and new partitions for a topic that does not exist', async () => {
        await expect(catalog.setTopicConfigs('missing', {})).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
        await expect(catalog.addPartitions('missing', partitionsOf('missing', 1))).rejects.toMatchObject({
          code: 'UNKNOWN_TOPIC_OR_PARTITION',
        });
      });
    });

    describe('partitions', () => {
      it('adds partitions after the last one and raises partitionCount', async () => {
        await create('orders', 2);
        const grown = await catalog.addPartitions('orders', partitionsOf('orders', 3, 2));
        expect(grown.partitionCount).toBe(5);
        expect((await catalog.listPartitions(['orders'])).map((p) => p.partition)).toEqual([0, 1, 2, 3, 4]);
      });

      it('refuses added partitions that do not continue the numbering and changes nothing', async () => {
        await create('orders', 2);
        await expect(catalog.addPartitions('orders', partitionsOf('orders', 1, 3))).rejects.toMatchObject({
          code: 'INVALID_PARTITIONS',
        });
        expect((await catalog.getTopics(['orders']))[0]?.partitionCount).toBe(2);
        expect(await catalog.listPartitions(['orders'])).toHaveLength(2);
      });

      it('lists the partitions of several topics, skipping unknown topics', async () => {
        await create('b', 2);
        await create('a', 1);
        const listed = await catalog.listPartitions(['a', 'missing', 'b']);
        expect(listed.map((p) => `${p.topic}-${p.partition}`)).toEqual(['a-0', 'b-0', 'b-1']);
        expect(listed[0]).toEqual({ topic: 'a', partition: 0, leaderId: 1, leaderEpoch: 0, replicas: [1, 2, 3], isr: [1, 2, 3] });
      });

      it('updates leader, leader epoch, replicas and ISR of one partition', async () => {
        await create('orders', 2);
        const moved: PartitionRecord = { topic: 'orders', partition: 1, leaderId: 3, leaderEpoch: 7, replicas: [3, 1, 2], isr: [3] };
        await catalog.updatePartition(moved);
        const offline: PartitionRecord = { ...moved, partition: 0, leaderId: null, leaderEpoch: 1, isr: [] };
        await catalog.updatePartition(offline);
        expect(await catalog.listPartitions(['orders'])).toEqual([offline, moved]);
      });

      it('refuses to update a partition that does not exist', async () => {
        await create('orders', 1);
        await expect(catalog.updatePartition({ ...partitionsOf('orders', 1)[0]!, partition: 1 })).rejects.toMatchObject({
          code: 'UNKNOWN_TOPIC_OR_PARTITION',
        });
        await expect(catalog.updatePartition(partitionsOf('missing', 1)[0]!)).rejects.toMatchObject({
          code: 'UNKNOWN_TOPIC_OR_PARTITION',
        });
      });
    });

    describe('committed offsets', () => {
      beforeEach(async () => {
        await create('orders', 3);
        await create('payments', 1);
      });

      it('stores and overwrites offsets with their metadata, keeping offsets past 2^32 exact', async () => {
        const big = 2 ** 40 + 1;
        await catalog.commitOffsets('g', [offset('orders', 0, 5, 'first'), offset('orders', 1, big)]);
        await catalog.commitOffsets('g', [offset('orders', 0, 6)]);
        expect(await catalog.fetchOffsets('g')).toEqual([
          { group: 'g', ...offset('orders', 0, 6) },
          { group: 'g', ...offset('orders', 1, big) },
        ]);
      });

      it('commits all or nothing: one unknown partition in a batch leaves every offset as it was', async () => {
        await catalog.commitOffsets('g', [offset('orders', 0, 1)]);
        const batch = [offset('orders', 0, 100), offset('payments', 0, 100), offset('orders', 3, 100)];
        await expect(catalog.commitOffsets('g', batch)).rejects.toMatchObject({
          code: 'UNKNOWN_TOPIC_OR_PARTITION',
          details: { topic: 'orders', partition: 3 },
        });
        await expect(catalog.commitOffsets('g', [offset('payments', 0, 100), offset('nope', 0, 1)])).rejects.toMatchObject({
          code: 'UNKNOWN_TOPIC_OR_PARTITION',
          details: { topic: 'nope' },
        });
        expect(await catalog.fetchOffsets('g')).toEqual([{ group: 'g', ...offset('orders', 0, 1) }]);
      });

      it('accepts an empty commit as a no-op', async () => {
        await catalog.commitOffsets('g', []);
        expect(await catalog.fetchOffsets('g')).toEqual([]);
      });

      it('fetches one group’s offsets, optionally for one topic, ordered by topic and partition', async () => {
        await catalog.commitOffsets('g', [offset('payments', 0, 3), offset('orders', 2, 2), offset('orders', 0, 1)]);
        await catalog.commitOffsets('other', [offset('orders', 0, 9)]);
        expect((await catalog.fetchOffsets('g')).map((o) => `${o.topic}-${o.partition}`)).toEqual(['orders-0', 'orders-2', 'payments-0']);
        expect((await catalog.fetchOffsets('g', 'payments')).map((o) => o.offset)).toEqual([3]);
        expect(await catalog.fetchOffsets('nobody')).toEqual([]);
      });

      it('fetches offsets for many groups aligned with the groups asked', async () => {
        await catalog.commitOffsets('a', [offset('orders', 0, 1)]);
        await catalog.commitOffsets('b', [offset('orders', 0, 2), offset('orders', 1, 3)]);
        const [b, none, a, b2] = await catalog.fetchOffsetsForGroups(['b', 'none', 'a', 'b']);
        expect(b!.map((o) => o.offset)).toEqual([2, 3]);
        expect(none).toEqual([]);
        expect(a).toEqual([{ group: 'a', ...offset('orders', 0, 1) }]);
        expect(b2).toEqual(b);
        expect(b2).not.toBe(b);
      });

      it('deletes a group’s offsets for one topic or for all topics', async () => {
        await catalog.commitOffsets('g', [offset('orders', 0, 1), offset('payments', 0, 2)]);
        await catalog.commitOffsets('h', [offset('orders', 0, 3)]);
        await catalog.deleteOffsets('g', 'orders');
        expect((await catalog.fetchOffsets('g')).map((o) => o.topic)).toEqual(['payments']);
        await catalog.deleteOffsets('g');
        expect(await catalog.fetchOffsets('g')).toEqual([]);
        expect(await catalog.fetchOffsets('h')).toHaveLength(1);
      });

      it('keeps committed offsets across close and reopen', async () => {
        await catalog.commitOffsets('g', [offset('orders', 2, 42, 'm')]);
        await catalog.close();
        catalog = await openAt(databaseFile);
        expect(await catalog.fetchOffsets('g')).toEqual([{ group: 'g', ...offset('orders', 2, 42, 'm') }]);
      });
    });

    describe('groups', () => {
      const group = {
        groupId: 'g',
        state: 'Stable',
        generation: 3,
        protocolType: 'consumer',
        protocol: 'range',
        updatedAtMs: 1_700_000_000_123,
      };

      it('upserts, reads and lists groups', async () => {
        await catalog.upsertGroup(group);
        await catalog.upsertGroup({ ...group, groupId: 'a', state: 'Empty', generation: 0, protocolType: null, protocol: null });
        await catalog.upsertGroup({ ...group, state: 'PreparingRebalance', generation: 4 });
        expect(await catalog.getGroup('g')).toEqual({ ...group, state: 'PreparingRebalance', generation: 4 });
        expect(await catalog.getGroup('missing')).toBeNull();
        expect((await catalog.listGroups()).map((g) => g.groupId)).toEqual(['a', 'g']);
      });

      it('deletes a group together with its committed offsets', async () => {
        await create('orders', 1);
        await catalog.upsertGroup(group);
        await catalog.commitOffsets('g', [offset('orders', 0, 1)]);
        await catalog.commitOffsets('keep', [offset('orders', 0, 2)]);
        await catalog.deleteGroup('g');
        await catalog.deleteGroup('never-existed');
        expect(await catalog.getGroup('g')).toBeNull();
        expect(await catalog.fetchOffsets('g')).toEqual([]);
        expect(await catalog.fetchOffsets('keep')).toHaveLength(1);
      });

      it('remembers the topics a group consumes, replaced whole, and forgets them with the topic or the group', async () => {
        await create('orders', 1);
        await create('payments', 1);
        await catalog.upsertGroup(group);
        await catalog.upsertGroup({ ...group, groupId: 'other' });
        await catalog.setGroupTopics('g', ['payments', 'orders', 'no-such-topic']);
        await catalog.setGroupTopics('other', ['orders']);
        expect(await catalog.fetchGroupTopics(['g', 'other', 'missing'])).toEqual([['orders', 'payments'], ['orders'], []]);
        await catalog.setGroupTopics('other', ['payments']);
        expect(await catalog.fetchGroupTopics(['other'])).toEqual([['payments']]);
        await catalog.deleteTopic('payments');
        expect(await catalog.fetchGroupTopics(['g', 'other'])).toEqual([['orders'], []]);
        await create('payments', 1);
        expect(await catalog.fetchGroupTopics(['g'])).toEqual([['orders']]);
        await catalog.deleteGroup('g');
        expect(await catalog.fetchGroupTopics(['g'])).toEqual([[]]);
        await catalog.close();
        catalog = await openAt(databaseFile);
        await catalog.setGroupTopics('other', ['orders']);
        await catalog.close();
        catalog = await openAt(databaseFile);
        expect(await catalog.fetchGroupTopics(['other'])).toEqual([['orders']]);
      });
    });

    describe('transactional ids', () => {
      it('expires an id that is not open and unchanged since: rows gone, producer unlinked with its fence epoch, the id fresh on the next init', async () => {
        const { producer, transaction } = await catalog.initTransactionalProducer('tx', 60_000, 1_000);
        expect(await catalog.expireTransactionalId('tx', transaction.updatedAtMs + 1, producer.epoch + 1, 9_000)).toBe(false); // changed since
        expect(await catalog.expireTransactionalId('tx', transaction.updatedAtMs, producer.epoch + 1, 9_000)).toBe(true);
        expect(await catalog.getTransaction('tx')).toBeNull();
        expect(await catalog.getProducer(producer.producerId)).toMatchObject({ transactionalId: null, epoch: producer.epoch + 1 });
        expect(await catalog.expireTransactionalId('tx', transaction.updatedAtMs, producer.epoch + 2, 9_000)).toBe(false); // gone
        const again = await catalog.initTransactionalProducer('tx', 60_000, 10_000);
        expect(again.producer.producerId).toBeGreaterThan(producer.producerId);
        expect(again.producer.epoch).toBe(0);
      });

      it('never expires an open transaction', async () => {
        const { producer, transaction } = await catalog.initTransactionalProducer('open', 60_000, 1_000);
        const ongoing = {
          ...transaction,
          state: 'ONGOING' as const,
          startedAtMs: 2_000,
          updatedAtMs: 2_000,
          partitions: [{ topic: 'orders', partition: 0 }],
        };
        await catalog.saveTransaction(ongoing, null);
        expect(await catalog.expireTransactionalId('open', 2_000, producer.epoch + 1, 99_000)).toBe(false);
        await catalog.saveTransaction({ ...ongoing, state: 'PREPARE_ABORT' }, producer.epoch + 1);
        expect(await catalog.expireTransactionalId('open', 2_000, producer.epoch + 2, 99_000)).toBe(false);
        expect(await catalog.getTransaction('open')).toMatchObject({
          state: 'PREPARE_ABORT',
          partitions: [{ topic: 'orders', partition: 0 }],
        });
      });
    });

    describe('concurrency and lifecycle', () => {
      it('serves concurrent calls as if one after the other', async () => {
        await create('orders', 3);
        const commits = Array.from({ length: 30 }, (_, i) => catalog.commitOffsets('g', [offset('orders', i % 3, i)]));
        const creates = Array.from({ length: 5 }, (_, i) => create(`t${i}`, 1));
        const duplicate = create('orders', 1).then(
          () => 'created',
          (error: { code?: string }) => error.code,
        );
        await Promise.all([...commits, ...creates]);
        expect(await duplicate).toBe('TOPIC_ALREADY_EXISTS');
        expect((await catalog.fetchOffsets('g')).map((o) => o.offset)).toEqual([27, 28, 29]);
        expect(await catalog.listTopics()).toHaveLength(6);
      });

      it('rejects calls after close', async () => {
        await catalog.close();
        await expect(catalog.listTopics()).rejects.toThrow(/closed/);
        catalog = await openAt(databaseFile);
      });
    });
  });
}
