import { startTestNode, type TestNode } from '../../support/test-node';
import { runCli } from './run-cli';

describe('logway topics', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode();
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('creates a topic with partitions and configs, and the node has it', async () => {
    const run = await runCli(['topics', 'create', 'orders', '--partitions', '3', '--config', 'retention.ms=3600000'], {
      url: node.node.url,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('created topic orders (3 partitions, replication factor 1)\n');
    const data = await node.ok('{ topic(name: "orders") { partitionCount configs { key value isDefault } } }');
    expect(data.topic.partitionCount).toBe(3);
    expect(data.topic.configs).toContainEqual(expect.objectContaining({ key: 'retention.ms', value: '3600000', isDefault: false }));
  });

  it('lists topics as a table and as JSON', async () => {
    await node.ok('mutation { createTopic(input: { name: "listed", partitions: 2 }) { name } }');
    const text = await runCli(['topics', 'list'], { url: node.node.url });
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^NAME\s+PARTITIONS\s+REPLICATION\s+MESSAGES\s+SIZE-BYTES$/);
    expect(text.stdout).toMatch(/^listed\s+2\s+1\s+0\s+0$/m);
    const json = await runCli(['topics', 'list', '--format', 'json', '--url', node.node.url]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toContainEqual(expect.objectContaining({ name: 'listed', partitionCount: 2, replicationFactor: 1 }));
  });

  it('describes a topic: one row per partition with leader, ISR and watermarks', async () => {
    await node.ok('mutation { createTopic(input: { name: "described", partitions: 2 }) { name } }');
    await node.ok('mutation { produce(input: { topic: "described", records: [{ value: "x", partition: 1 }] }) { topic } }');
    const run = await runCli(['topics', 'describe', 'described'], { url: node.node.url });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Topic: described\s+TopicId: \S+\s+Partitions: 2\s+ReplicationFactor: 1\s+Messages: 1/);
    expect(lines[1]).toBe('Configs: (all default)');
    expect(lines[2]).toMatch(/^PARTITION\s+LEADER\s+EPOCH\s+REPLICAS\s+ISR\s+LOG-START\s+HIGH-WATERMARK\s+LOG-END$/);
    expect(lines[3]).toMatch(/^0\s+0\s+\d+\s+0\s+0\s+0\s+0\s+0$/);
    expect(lines[4]).toMatch(/^1\s+0\s+\d+\s+0\s+0\s+0\s+1\s+1$/);
  });

  it('deletes a topic, after which describe fails with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await node.ok('mutation { createTopic(input: { name: "doomed" }) { name } }');
    const deleted = await runCli(['topics', 'delete', 'doomed'], { url: node.node.url });
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('deleted topic doomed\n');
    expect((await node.ok('{ topic(name: "doomed") { name } }')).topic).toBeNull();
    const described = await runCli(['topics', 'describe', 'doomed'], { url: node.node.url });
    expect(described.code).toBe(1);
    expect(described.stderr).toBe('error: UNKNOWN_TOPIC_OR_PARTITION: no topic named "doomed"\n');
  });

  it('shows the server code when creating a topic that exists', async () => {
    await node.ok('mutation { createTopic(input: { name: "twice" }) { name } }');
    const run = await runCli(['topics', 'create', 'twice'], { url: node.node.url });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: TOPIC_ALREADY_EXISTS: /);
  });

  it('shows the server code for an invalid partition count and an invalid topic name', async () => {
    const partitions = await runCli(['topics', 'create', 'nope', '--partitions', '0'], { url: node.node.url });
    expect(partitions.code).toBe(1);
    expect(partitions.stderr).toMatch(/^error: INVALID_PARTITIONS: /);
    const name = await runCli(['topics', 'create', 'bad/name'], { url: node.node.url });
    expect(name.code).toBe(1);
    expect(name.stderr).toMatch(/^error: INVALID_TOPIC: /);
  });
});
