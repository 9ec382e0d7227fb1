/**
 * The topic use cases (TopicService) against real logs and a real catalog: create with its checks,
 * what a topic looks like on the embedded single node (leader = this node, HW = log end), configs
 * that stick across restarts, partition growth, and delete (a recreated topic is a new, empty one,
 * and a restart does not bring the old one back).
 */
import { describeTopic } from '../../../server/broker/topics';
import { openBrokerFixture, type BrokerFixture } from '../../support/broker-fixture';

let node: BrokerFixture;

beforeEach(async () => {
  node = await openBrokerFixture();
});
afterEach(async () => {
  await node.close();
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code ?? String(error),
  );
const create = (name: string, partitions = 1, replicationFactor = 1, configs: { key: string; value: string | null }[] = []) =>
  node.topics.create({ name, partitions, replicationFactor, configs });
const describe_ = (name: string) => describeTopic(node.deps.registry.require(name));
const override = (name: string, key: string) => describe_(name).configs.find((c) => c.key === key);

describe('TopicService.create', () => {
  it('makes a topic led by this node, with empty partitions whose high watermark is the log end', async () => {
    const topic = await create('orders', 3);
    expect(topic).toMatchObject({ name: 'orders', internal: false, replicationFactor: 1, messageCount: 0 });
    expect(topic.partitions.map((p) => [p.partition, p.leader, p.replicas, p.isr, p.highWatermark, p.logEndOffset])).toEqual([
      [0, 0, [0], [0], 0, 0],
      [1, 0, [0], [0], 0, 0],
      [2, 0, [0], [0], 0, 0],
    ]);
    await node.produceValues('orders', ['a', 'b'], { partition: 1 });
    const after = describe_('orders');
    expect(after.partitions[1]).toMatchObject({ highWatermark: 2, logEndOffset: 2, lastStableOffset: 2, underReplicated: false });
    expect(after.messageCount).toBe(2);
  });

  it('refuses bad names, reserved names, colliding names and a second topic of the same name', async () => {
    await create('a.b');
    expect(await codeOf(create('a.b'))).toBe('TOPIC_ALREADY_EXISTS');
    expect(await codeOf(create('a_b'))).toBe('INVALID_TOPIC'); // '.' and '_' collide in metric names
    expect(await codeOf(create('__internal'))).toBe('INVALID_TOPIC');
    expect(await codeOf(create('has space'))).toBe('INVALID_TOPIC');
    expect(await codeOf(create(''))).toBe('INVALID_TOPIC');
    expect(node.deps.registry.all().map((t) => t.record.name)).toEqual(['a.b']);
  });

  it('refuses partition counts outside 1–10,000 and replication factors above the live nodes (one)', async () => {
    expect(await codeOf(create('t', 0))).toBe('INVALID_PARTITIONS');
    expect(await codeOf(create('t', 10_001))).toBe('INVALID_PARTITIONS');
    expect(await codeOf(create('t', 1.5))).toBe('INVALID_PARTITIONS');
    expect(await codeOf(create('t', 1, 2))).toBe('INVALID_REPLICATION_FACTOR');
    expect(await codeOf(create('t', 1, 0))).toBe('INVALID_REPLICATION_FACTOR');
    expect(await codeOf(create('t', 1, 1, [{ key: 'retention.ms', value: 'soon' }]))).toBe('INVALID_CONFIG');
    expect(await codeOf(create('t', 1, 1, [{ key: 'no.such.key', value: '1' }]))).toBe('INVALID_CONFIG');
    expect(node.deps.registry.get('t')).toBeUndefined();
    expect(await node.deps.catalog.listTopics({ includeInternal: true })).toEqual([]);
  });
});

describe('TopicService across a restart', () => {
  it('keeps the topic, its id, its configs and its records', async () => {
    const before = await create('orders', 2, 1, [{ key: 'retention.ms', value: '86400000' }]);
    await node.produceValues('orders', ['a', 'b', 'c'], { partition: 1 });
    await node.reopen();
    const after = describe_('orders');
    expect(after.topicId).toBe(before.topicId);
    expect(after.partitions.map((p) => p.highWatermark)).toEqual([0, 3]);
    expect(override('orders', 'retention.ms')).toMatchObject({ value: '86400000', isDefault: false });
  });
});

describe('TopicService.alterConfig', () => {
  it('sets and removes overrides, applies them to the logs, and keeps them across a restart', async () => {
    await create('orders');
    await node.topics.alterConfig('orders', [
      { key: 'max.message.bytes', value: '2048' },
      { key: 'cleanup.policy', value: 'compact' },
    ]);
    expect(node.deps.registry.require('orders').partitions[0]!.log.config.maxMessageBytes).toBe(2048);
    await node.topics.alterConfig('orders', [{ key: 'cleanup.policy', value: null }]);
    await node.reopen();
    expect(override('orders', 'max.message.bytes')).toMatchObject({ value: '2048', isDefault: false });
    expect(override('orders', 'cleanup.policy')).toMatchObject({ value: 'delete', isDefault: true });
    expect(await codeOf(node.topics.alterConfig('orders', [{ key: 'max.message.bytes', value: '-3' }]))).toBe('INVALID_CONFIG');
    expect(await codeOf(node.topics.alterConfig('nope', []))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });
});

describe('TopicService.addPartitions', () => {
  it('grows a topic (never shrinks it), the new partitions empty and kept across a restart', async () => {
    await create('orders', 2);
    await node.produceValues('orders', ['a'], { partition: 0 });
    const grown = await node.topics.addPartitions('orders', 4);
    expect(grown.partitions.map((p) => [p.partition, p.highWatermark])).toEqual([
      [0, 1],
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    expect(await codeOf(node.topics.addPartitions('orders', 4))).toBe('INVALID_PARTITIONS');
    expect(await codeOf(node.topics.addPartitions('orders', 3))).toBe('INVALID_PARTITIONS');
    await node.produceValues('orders', ['on the new one'], { partition: 3 });
    await node.reopen();
    expect(describe_('orders').partitions.map((p) => p.highWatermark)).toEqual([1, 0, 0, 1]);
  });

  it('wakes whoever waits on the topic', async () => {
    await create('orders', 1);
    const changed = node.deps.registry.require('orders').changed.next();
    await node.topics.addPartitions('orders', 2);
    await expect(changed).resolves.toBeUndefined();
  });
});

describe('TopicService.delete', () => {
  it('answers true once, false after; a recreated topic is a new, empty one, also after a restart', async () => {
    const old = await create('orders', 2);
    await node.produceValues('orders', ['old-a', 'old-b'], { partition: 0 });
    expect(await node.topics.delete('orders')).toBe(true);
    expect(await node.topics.delete('orders')).toBe(false);
    expect(node.deps.registry.get('orders')).toBeUndefined();
    const recreated = await create('orders', 1);
    expect(recreated.topicId).not.toBe(old.topicId);
    expect(recreated.partitions.map((p) => p.logEndOffset)).toEqual([0]);
    await node.reopen();
    expect(describe_('orders')).toMatchObject({ topicId: recreated.topicId, messageCount: 0 });
    expect(describe_('orders').partitions).toHaveLength(1);
  });

  it('ends what waits on the topic and its partitions with TOPIC_DELETED', async () => {
    await create('orders', 1);
    const topic = node.deps.registry.require('orders');
    const onTopic = topic.changed.next();
    const onPartition = topic.partitions[0]!.changed.next();
    await node.topics.delete('orders');
    expect(await codeOf(onTopic)).toBe('TOPIC_DELETED');
    expect(await codeOf(onPartition)).toBe('TOPIC_DELETED');
  });
});
