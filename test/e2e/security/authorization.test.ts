/**
 * ACLs enforced in the broker's use cases, black-box over HTTP and graphql-ws: each operation
 * once by a principal lacking the ACL (its code, and nothing changed) and once with it; DENY over
 * ALLOW; PREFIXED; listings show only what may be described; errors say nothing of existence; a
 * subscription that loses READ ends with TOPIC_AUTHORIZATION_FAILED; admin actions are audited.
 * (Without any credential everything is UNAUTHENTICATED: authentication.test.ts.)
 */
import { collect, waitFor } from '../../support/test-node';
import { ADMIN_KEY, startSecureNode, type SecureNode } from './security-support';

let node: SecureNode;
let carol: string;

const code = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;
const topicNames = async (credential: string) =>
  (await node.okAs(credential, '{ topics { name } }')).topics.map((t: { name: string }) => t.name);
const highWatermark = async (topic: string) =>
  (await node.okAs(ADMIN_KEY, '{ topic(name: $t) { partitions { highWatermark } } }'.replace('$t', JSON.stringify(topic)))).topic
    .partitions[0].highWatermark;

beforeAll(async () => {
  node = await startSecureNode();
  carol = (await node.keyFor('User:carol')).secret;
  await node.okAs(ADMIN_KEY, 'mutation { createTopic(input: {name: "secret-orders"}) { name } }');
  await node.okAs(ADMIN_KEY, 'mutation { produce(input: {topic: "secret-orders", records: [{value: "x"}]}) { records { offset } } }');
});

afterAll(async () => {
  await node?.stop();
});

describe('authorization', () => {
  test('createTopic needs CREATE (PREFIXED on the topic here); denied, nothing is created', async () => {
    const create = 'mutation { createTopic(input: {name: "carol-orders"}) { name } }';
    expect(code(await node.as(carol, create))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await topicNames(ADMIN_KEY)).not.toContain('carol-orders');
    await node.allow([
      { principal: 'User:carol', resourceType: 'TOPIC', resourceName: 'carol-', patternType: 'PREFIXED', operation: 'ALL' },
    ]);
    expect((await node.okAs(carol, create)).createTopic.name).toBe('carol-orders');
    // PREFIXED covers carol-* only.
    expect(code(await node.as(carol, 'mutation { createTopic(input: {name: "other"}) { name } }'))).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  test('produce needs WRITE; denied, nothing is appended, and the error is the same whether the topic exists or not', async () => {
    const produce = (topic: string) => `mutation { produce(input: {topic: "${topic}", records: [{value: "v"}]}) { records { offset } } }`;
    const denied = await node.as(carol, produce('secret-orders'));
    expect(code(denied)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await highWatermark('secret-orders')).toBe(1);
    const missing = await node.as(carol, produce('no-such-topic'));
    expect(code(missing)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(missing.errors?.[0]?.message.replace('no-such-topic', 'T')).toBe(denied.errors?.[0]?.message.replace('secret-orders', 'T'));
    await node.allow([{ principal: 'User:carol', resourceType: 'TOPIC', resourceName: 'secret-orders', operation: 'WRITE' }]);
    expect((await node.okAs(carol, produce('secret-orders'))).produce.records[0].offset).toBe(1);
  });

  test('records needs READ; listings and lookups show only what may be described', async () => {
    const read = '{ records(topic: "secret-orders", partition: 0) { records { value } } }';
    await node.okAs(ADMIN_KEY, 'mutation { createTopic(input: {name: "hidden"}) { name } }');
    const dave = (await node.keyFor('User:dave')).secret;
    expect(code(await node.as(dave, read))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await topicNames(dave)).toEqual([]);
    expect((await node.okAs(dave, '{ topic(name: "secret-orders") { name } }')).topic).toBeNull();
    await node.allow([{ principal: 'User:dave', resourceType: 'TOPIC', resourceName: 'secret-orders', operation: 'READ' }]);
    expect((await node.okAs(dave, read)).records.records.map((r: { value: string }) => r.value)).toEqual(['x', 'v']);
    // READ implies DESCRIBE: now listed, "hidden" still not.
    expect(await topicNames(dave)).toEqual(['secret-orders']);
    // Settings need DESCRIBE_CONFIGS.
    const configsOf = async (credential: string) =>
      (await node.okAs(credential, '{ topic(name: "secret-orders") { configs { key } } }')).topic.configs;
    expect(await configsOf(dave)).toEqual([]);
    expect((await configsOf(ADMIN_KEY)).length).toBeGreaterThan(5);
    expect(await topicNames(ADMIN_KEY)).toEqual(expect.arrayContaining(['secret-orders', 'hidden', 'carol-orders']));
  });

  test('a DENY wins over an ALLOW', async () => {
    const erin = (await node.keyFor('User:erin')).secret;
    await node.allow([
      { principal: 'User:erin', resourceType: 'TOPIC', resourceName: '*', operation: 'ALL' },
      {
        principal: 'User:erin',
        resourceType: 'TOPIC',
        resourceName: 'secret-',
        patternType: 'PREFIXED',
        operation: 'READ',
        permission: 'DENY',
      },
    ]);
    expect(code(await node.as(erin, '{ records(topic: "secret-orders", partition: 0) { nextOffset } }'))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    expect((await node.okAs(erin, '{ records(topic: "hidden", partition: 0) { nextOffset } }')).records.nextOffset).toBe(0);
  });

  test('alterTopicConfig and deleteTopic are refused without ALTER_CONFIGS / DELETE and change nothing', async () => {
    const dave = (await node.keyFor('User:dave2')).secret;
    await node.allow([{ principal: 'User:dave2', resourceType: 'TOPIC', resourceName: 'hidden', operation: 'READ' }]);
    const alter = 'mutation { alterTopicConfig(name: "hidden", configs: [{key: "retention.ms", value: "1000"}]) { name } }';
    expect(code(await node.as(dave, alter))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(code(await node.as(dave, 'mutation { deleteTopic(name: "hidden") }'))).toBe('TOPIC_AUTHORIZATION_FAILED');
    const configs = (await node.okAs(ADMIN_KEY, '{ topic(name: "hidden") { configs { key value isDefault } } }')).topic.configs;
    expect(configs.find((c: { key: string }) => c.key === 'retention.ms').isDefault).toBe(true);
    await node.allow([
      { principal: 'User:dave2', resourceType: 'TOPIC', resourceName: 'hidden', operation: 'ALTER_CONFIGS' },
      { principal: 'User:dave2', resourceType: 'TOPIC', resourceName: 'hidden', operation: 'DELETE' },
    ]);
    expect((await node.okAs(dave, alter)).alterTopicConfig.name).toBe('hidden');
    expect((await node.okAs(dave, 'mutation { deleteTopic(name: "hidden") }')).deleteTopic).toBe(true);
  });

  test('groups need READ on the group as well; commits too', async () => {
    const frank = (await node.keyFor('User:frank')).secret;
    await node.allow([{ principal: 'User:frank', resourceType: 'TOPIC', resourceName: 'secret-orders', operation: 'READ' }]);
    const commit = 'mutation { commitOffsets(group: "billing", offsets: [{topic: "secret-orders", partition: 0, offset: 1}]) { offset } }';
    expect(code(await node.as(frank, commit))).toBe('GROUP_AUTHORIZATION_FAILED');
    expect((await node.okAs(ADMIN_KEY, '{ consumerGroups { id } }')).consumerGroups).toEqual([]);
    const { client } = node.wsAs(frank);
    const denied = collect(
      client,
      'subscription { records(topic: "secret-orders", group: "billing", from: EARLIEST) { kind } }',
      {},
      () => false,
    );
    await expect(denied.done).rejects.toThrow('GROUP_AUTHORIZATION_FAILED');
    await node.allow([{ principal: 'User:frank', resourceType: 'GROUP', resourceName: 'billing', operation: 'READ' }]);
    expect((await node.okAs(frank, commit)).commitOffsets[0].offset).toBe(1);
    expect((await node.okAs(frank, '{ consumerGroups { id } }')).consumerGroups.map((g: { id: string }) => g.id)).toEqual(['billing']);
  });

  test('pollRecords needs READ on the topic and the group; initProducer WRITE on some topic (or IDEMPOTENT_WRITE)', async () => {
    const hank = (await node.keyFor('User:hank')).secret;
    const poll = 'mutation { pollRecords(topic: "secret-orders", group: "pullers") { memberId batches { records { value } } } }';
    expect(code(await node.as(hank, poll))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(code(await node.as(hank, 'mutation { initProducer { producerId } }'))).toBe('CLUSTER_AUTHORIZATION_FAILED');
    await node.allow([{ principal: 'User:hank', resourceType: 'TOPIC', resourceName: 'secret-orders', operation: 'READ' }]);
    expect(code(await node.as(hank, poll))).toBe('GROUP_AUTHORIZATION_FAILED');
    expect((await node.okAs(ADMIN_KEY, '{ consumerGroup(id: "pullers") { id } }')).consumerGroup).toBeNull();
    await node.allow([
      { principal: 'User:hank', resourceType: 'GROUP', resourceName: 'pull', patternType: 'PREFIXED', operation: 'READ' },
      { principal: 'User:hank', resourceType: 'TOPIC', resourceName: 'secret-orders', operation: 'WRITE' },
    ]);
    const polled = (await node.okAs(hank, poll)).pollRecords;
    expect(polled.memberId).toEqual(expect.any(String));
    expect((await node.okAs(hank, 'mutation { initProducer { producerId } }')).initProducer.producerId).toEqual(expect.any(Number));
  });

  test('keys and ACLs need ALTER on the cluster', async () => {
    expect(code(await node.as(carol, 'mutation { createApiKey(principal: "User:carol") { secret } }'))).toBe(
      'CLUSTER_AUTHORIZATION_FAILED',
    );
    expect(
      code(
        await node.as(
          carol,
          'mutation { createAcls(acls: [{principal: "User:carol", resourceType: CLUSTER, resourceName: "kafka-cluster", operation: ALL}]) { principal } }',
        ),
      ),
    ).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect(code(await node.as(carol, 'mutation { deleteAcls(filter: {}) { principal } }'))).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect(code(await node.as(carol, '{ acls { principal } }'))).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect((await node.okAs(ADMIN_KEY, '{ acls(filter: {principal: "User:carol"}) { operation } }')).acls).toHaveLength(2);
  });

  test('a subscription that loses READ ends with TOPIC_AUTHORIZATION_FAILED', async () => {
    const gina = (await node.keyFor('User:gina')).secret;
    await node.allow([{ principal: 'User:gina', resourceType: 'TOPIC', resourceName: 'secret-orders', operation: 'READ' }]);
    const { client } = node.wsAs(gina);
    const sub = collect(client, 'subscription { records(topic: "secret-orders", from: EARLIEST) { records { value } } }', {}, () => false);
    await waitFor(() => sub.events.length > 0, 10_000, 'the first batch');
    await node.okAs(ADMIN_KEY, 'mutation { deleteAcls(filter: {principal: "User:gina"}) { principal } }');
    await expect(sub.done).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
  });

  test('partitionState and groupLag subscriptions that lose DESCRIBE end with the authorization error', async () => {
    const hugo = (await node.keyFor('User:hugo')).secret;
    await node.allow([
      { principal: 'User:hugo', resourceType: 'TOPIC', resourceName: 'secret-orders', operation: 'DESCRIBE' },
      { principal: 'User:hugo', resourceType: 'GROUP', resourceName: 'hugos', operation: 'DESCRIBE' },
    ]);
    await node.okAs(
      ADMIN_KEY,
      'mutation { commitOffsets(group: "hugos", offsets: [{topic: "secret-orders", partition: 0, offset: 1}]) { offset } }',
    );
    const { client } = node.wsAs(hugo);
    const partitions = collect(client, 'subscription { partitionState(topic: "secret-orders") { highWatermark } }', {}, () => false);
    const lag = collect(client, 'subscription { groupLag(group: "hugos") { id } }', {}, () => false);
    await waitFor(() => partitions.events.length > 0 && lag.events.length > 0, 10_000, 'the first partition state and group lag');
    await node.okAs(ADMIN_KEY, 'mutation { deleteAcls(filter: {principal: "User:hugo", resourceType: TOPIC}) { principal } }');
    await expect(partitions.done).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
    await node.okAs(ADMIN_KEY, 'mutation { deleteAcls(filter: {principal: "User:hugo", resourceType: GROUP}) { principal } }');
    await expect(lag.done).rejects.toThrow('GROUP_AUTHORIZATION_FAILED');
  });

  test('a group member that loses READ on its group ends with GROUP_AUTHORIZATION_FAILED and leaves the group', async () => {
    const ivan = (await node.keyFor('User:ivan')).secret;
    await node.allow([
      { principal: 'User:ivan', resourceType: 'TOPIC', resourceName: 'secret-orders', operation: 'READ' },
      { principal: 'User:ivan', resourceType: 'GROUP', resourceName: 'ivans', operation: 'READ' },
    ]);
    const { client } = node.wsAs(ivan);
    const sub = collect(
      client,
      'subscription { records(topic: "secret-orders", group: "ivans", from: EARLIEST) { kind } }',
      {},
      () => false,
    );
    await waitFor(() => sub.events.length > 0, 10_000, 'the assignment');
    await node.okAs(ADMIN_KEY, 'mutation { deleteAcls(filter: {principal: "User:ivan", resourceType: GROUP}) { principal } }');
    await expect(sub.done).rejects.toThrow('GROUP_AUTHORIZATION_FAILED');
    const members = async () =>
      (await node.okAs(ADMIN_KEY, '{ consumerGroup(id: "ivans") { members { memberId } } }')).consumerGroup?.members ?? [];
    for (let i = 0; i < 200 && (await members()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await members()).toEqual([]);
  });

  test('admin actions are audited with the principal, denials included', async () => {
    const reset = await node.as(carol, 'mutation { resetOffsets(group: "billing", topic: "secret-orders", to: EARLIEST) { offset } }');
    expect(code(reset)).toBe('GROUP_AUTHORIZATION_FAILED');
    await node.okAs(ADMIN_KEY, 'mutation { resetOffsets(group: "billing", topic: "secret-orders", to: EARLIEST) { offset } }');
    const entries = (await node.okAs(ADMIN_KEY, '{ auditLog(limit: 1000) { principal action resource outcome } }')).auditLog;
    expect(entries).toEqual(
      expect.arrayContaining([
        { principal: 'User:carol', action: 'createTopic', resource: 'topic:carol-orders', outcome: 'ok' },
        { principal: 'User:carol', action: 'createTopic', resource: 'topic:other', outcome: 'TOPIC_AUTHORIZATION_FAILED' },
        { principal: 'User:dave2', action: 'deleteTopic', resource: 'topic:hidden', outcome: 'ok' },
        {
          principal: 'User:carol',
          action: 'resetOffsets',
          resource: 'group:billing topic:secret-orders',
          outcome: 'GROUP_AUTHORIZATION_FAILED',
        },
        { principal: 'User:admin', action: 'resetOffsets', resource: 'group:billing topic:secret-orders', outcome: 'ok' },
        { principal: 'User:dave2', action: 'alterTopicConfig', resource: 'topic:hidden', outcome: 'ok' },
        expect.objectContaining({ principal: 'User:admin', action: 'createApiKey', outcome: 'ok' }),
        expect.objectContaining({ principal: 'User:admin', action: 'deleteAcls', outcome: 'ok' }),
      ]),
    );
    expect(code(await node.as(carol, '{ auditLog { action } }'))).toBe('CLUSTER_AUTHORIZATION_FAILED');
  });
});
