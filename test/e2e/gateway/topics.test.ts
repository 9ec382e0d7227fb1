import { startTestNode, type TestNode } from '../../support/test-node';

const TOPIC_FIELDS = `name topicId partitionCount replicationFactor internal
  partitions { partition leader leaderEpoch replicas isr logStartOffset highWatermark logEndOffset lastStableOffset underReplicated }
  configs { key value isDefault }`;

describe('topics through GraphQL', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(async () => {
    await t.stop();
  });

  describe('lifecycle', () => {
    it('creates a topic with partitions and configs, lists and describes it', async () => {
      const created = await t.ok(`mutation($input: CreateTopicInput!) { createTopic(input: $input) { ${TOPIC_FIELDS} } }`, {
        input: { name: 'orders', partitions: 3, configs: [{ key: 'retention.ms', value: '3600000' }] },
      });
      expect(created.createTopic.partitionCount).toBe(3);
      expect(created.createTopic.partitions).toEqual(
        [0, 1, 2].map((partition) => ({
          partition,
          leader: 0,
          leaderEpoch: 0,
          replicas: [0],
          isr: [0],
          logStartOffset: 0,
          highWatermark: 0,
          logEndOffset: 0,
          lastStableOffset: 0,
          underReplicated: false,
        })),
      );
      const retention = created.createTopic.configs.find((c: any) => c.key === 'retention.ms');
      expect(retention).toEqual({ key: 'retention.ms', value: '3600000', isDefault: false });
      expect(created.createTopic.configs.find((c: any) => c.key === 'cleanup.policy')).toEqual({
        key: 'cleanup.policy',
        value: 'delete',
        isDefault: true,
      });

      const list = await t.ok(`{ topics { name } }`);
      expect(list.topics.map((x: any) => x.name)).toContain('orders');
      const one = await t.ok(`{ topic(name: "orders") { name partitionCount } missing: topic(name: "nope") { name } }`);
      expect(one).toEqual({ topic: { name: 'orders', partitionCount: 3 }, missing: null });
    });

    it('filters the list by prefix', async () => {
      await t.ok(`mutation { a: createTopic(input: { name: "pfx.one" }) { name } b: createTopic(input: { name: "pfx.two" }) { name } }`);
      const list = await t.ok(`{ topics(prefix: "pfx.") { name } }`);
      expect(list.topics.map((x: any) => x.name)).toEqual(['pfx.one', 'pfx.two']);
    });

    it('alters configs and sets them back to the default with a null value', async () => {
      await t.ok(`mutation { createTopic(input: { name: "cfg" }) { name } }`);
      const altered = await t.ok(
        `mutation { alterTopicConfig(name: "cfg", configs: [{ key: "cleanup.policy", value: "compact" }, { key: "segment.bytes", value: "1048576" }]) { configs { key value isDefault } } }`,
      );
      expect(altered.alterTopicConfig.configs.find((c: any) => c.key === 'cleanup.policy')).toEqual({
        key: 'cleanup.policy',
        value: 'compact',
        isDefault: false,
      });
      const reset = await t.ok(
        `mutation { alterTopicConfig(name: "cfg", configs: [{ key: "cleanup.policy", value: null }]) { configs { key value isDefault } } }`,
      );
      expect(reset.alterTopicConfig.configs.find((c: any) => c.key === 'cleanup.policy').isDefault).toBe(true);
      expect(reset.alterTopicConfig.configs.find((c: any) => c.key === 'segment.bytes').value).toBe('1048576');
    });

    it('adds partitions and never shrinks', async () => {
      await t.ok(`mutation { createTopic(input: { name: "grow", partitions: 2 }) { name } }`);
      const grown = await t.ok(`mutation { createPartitions(name: "grow", count: 5) { partitionCount partitions { partition } } }`);
      expect(grown.createPartitions.partitionCount).toBe(5);
      expect(await t.errorCode(`mutation { createPartitions(name: "grow", count: 3) { name } }`)).toBe('INVALID_PARTITIONS');
    });

    it('deletes a topic; deleting again answers false; the name can be reused with a new topicId', async () => {
      const first = await t.ok(`mutation { createTopic(input: { name: "gone" }) { topicId } }`);
      expect(await t.ok(`mutation { deleteTopic(name: "gone") }`)).toEqual({ deleteTopic: true });
      expect(await t.ok(`mutation { deleteTopic(name: "gone") }`)).toEqual({ deleteTopic: false });
      expect(await t.ok(`{ topic(name: "gone") { name } }`)).toEqual({ topic: null });
      const second = await t.ok(`mutation { createTopic(input: { name: "gone" }) { topicId } }`);
      expect(second.createTopic.topicId).not.toBe(first.createTopic.topicId);
    });
  });

  describe('bad input', () => {
    it.each([
      ['an empty name', `{ name: "" }`, 'INVALID_TOPIC'],
      ['an illegal character', `{ name: "a/b" }`, 'INVALID_TOPIC'],
      ['a reserved internal name', `{ name: "__consumer_offsets" }`, 'INVALID_TOPIC'],
      ['"..', `{ name: ".." }`, 'INVALID_TOPIC'],
      ['a name of 250 characters', `{ name: "${'x'.repeat(250)}" }`, 'INVALID_TOPIC'],
      ['zero partitions', `{ name: "zero", partitions: 0 }`, 'INVALID_PARTITIONS'],
      ['more partitions than allowed', `{ name: "huge", partitions: 100000 }`, 'INVALID_PARTITIONS'],
      ['a replication factor above the node count', `{ name: "rf", replicationFactor: 3 }`, 'INVALID_REPLICATION_FACTOR'],
      ['an unknown config', `{ name: "unk", configs: [{ key: "no.such.key", value: "1" }] }`, 'INVALID_CONFIG'],
      ['a bad config value', `{ name: "badval", configs: [{ key: "retention.ms", value: "soon" }] }`, 'INVALID_CONFIG'],
      ['a bad cleanup policy', `{ name: "badpol", configs: [{ key: "cleanup.policy", value: "shred" }] }`, 'INVALID_CONFIG'],
      [
        'a non-boolean unclean election',
        `{ name: "unclean", configs: [{ key: "unclean.leader.election.enable", value: "yes" }] }`,
        'INVALID_CONFIG',
      ],
    ])('refuses %s with a code and creates nothing', async (_what, input, code) => {
      const before = await t.ok(`{ topics { name } }`);
      expect(await t.errorCode(`mutation { createTopic(input: ${input}) { name } }`)).toBe(code);
      expect(await t.ok(`{ topics { name } }`)).toEqual(before);
    });

    it('refuses a duplicate name and a name colliding on "." versus "_"', async () => {
      await t.ok(`mutation { createTopic(input: { name: "dup.name" }) { name } }`);
      expect(await t.errorCode(`mutation { createTopic(input: { name: "dup.name" }) { name } }`)).toBe('TOPIC_ALREADY_EXISTS');
      expect(await t.errorCode(`mutation { createTopic(input: { name: "dup_name" }) { name } }`)).toBe('INVALID_TOPIC');
    });

    it('answers UNKNOWN_TOPIC_OR_PARTITION for operations on a missing topic', async () => {
      expect(await t.errorCode(`mutation { alterTopicConfig(name: "missing", configs: []) { name } }`)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
      expect(await t.errorCode(`mutation { createPartitions(name: "missing", count: 2) { name } }`)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    });

    it('leaves configs unchanged when one entry of an alteration is invalid', async () => {
      await t.ok(`mutation { createTopic(input: { name: "atomic-cfg" }) { name } }`);
      expect(
        await t.errorCode(
          `mutation { alterTopicConfig(name: "atomic-cfg", configs: [{ key: "retention.ms", value: "1000" }, { key: "segment.bytes", value: "-5" }]) { name } }`,
        ),
      ).toBe('INVALID_CONFIG');
      const topic = await t.ok(`{ topic(name: "atomic-cfg") { configs { key isDefault } } }`);
      expect(topic.topic.configs.every((c: any) => c.isDefault)).toBe(true);
    });
  });

  it('reports the cluster: one node that is the controller', async () => {
    const data = await t.ok(`{ cluster { controllerId version nodes { nodeId isController port } } }`);
    expect(data.cluster.controllerId).toBe(0);
    expect(data.cluster.nodes).toEqual([{ nodeId: 0, isController: true, port: t.node.port }]);
  });
});
