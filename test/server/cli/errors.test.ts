import { freePort } from '../../support/free-port';
import { startTestNode, type TestNode } from '../../support/test-node';
import { runCli } from './run-cli';

describe('logway error reporting', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode();
    await node.ok('mutation { createTopic(input: { name: "present" }) { name } }');
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('produce to a missing topic prints the server code and exits 1', async () => {
    const run = await runCli(['produce', 'absent'], { url: node.node.url, stdin: 'x\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: UNKNOWN_TOPIC_OR_PARTITION: /);
  });

  it('a line without the key separator is BAD_USER_INPUT naming the line, and nothing of its batch is sent', async () => {
    const run = await runCli(['produce', 'present', '--key-separator', ':'], { url: node.node.url, stdin: 'k:v\nno separator\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: BAD_USER_INPUT: line 2 has no key separator ":"\n');
    const page = await node.ok('{ records(topic: "present", partition: 0) { records { offset } } }');
    expect(page.records.records).toEqual([]);
  });

  it('consume of a missing topic prints the server code and exits 1', async () => {
    const run = await runCli(['consume', 'absent', '--from', 'earliest', '--max', '1'], { url: node.node.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: UNKNOWN_TOPIC_OR_PARTITION: /m);
  });

  it('consume of a partition the topic does not have prints the server code', async () => {
    const run = await runCli(['consume', 'present', '--max', '1', '--partitions', '7'], { url: node.node.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: UNKNOWN_TOPIC_OR_PARTITION: /m);
  });

  it('a --max-batch above the node limit is rejected by the node, and its code is shown', async () => {
    const run = await runCli(['consume', 'present', '--max', '1', '--max-batch', '10001'], { url: node.node.url });
    expect(run.code).toBe(1);
    // docs/GRAPHQL-API.md: a maxBatch above the maximum is BAD_USER_INPUT (server/broker/record-stream.ts).
    expect(run.stderr).toMatch(/^error: BAD_USER_INPUT: maxBatch/m);
  });

  it('unknown flags, bad numbers and unknown commands are usage errors with exit 2', async () => {
    const flag = await runCli(['topics', 'list', '--bogus'], { url: node.node.url });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^error: USAGE: .*--bogus/);
    const number = await runCli(['produce', 'present', '--batch', 'many'], { url: node.node.url });
    expect(number.code).toBe(2);
    expect(number.stderr).toMatch(/^error: USAGE: --batch must be an integer/);
    const from = await runCli(['consume', 'present', '--from', 'yesterday'], { url: node.node.url });
    expect(from.code).toBe(2);
    expect(from.stderr).toMatch(/^error: USAGE: --from must be earliest, latest, offset:N or timestamp:ISO/);
    const command = await runCli(['nonsense']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^error: USAGE: unknown command "nonsense"/);
  });

  it('a node that is not there is NODE_UNREACHABLE with the URL, exit 1', async () => {
    const port = await freePort();
    const run = await runCli(['topics', 'list', '--url', `127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: NODE_UNREACHABLE: cannot reach http://127\\.0\\.0\\.1:${port}/graphql: ECONNREFUSED`));
    const consume = await runCli(['consume', 'present', '--url', `http://127.0.0.1:${port}/graphql`]);
    expect(consume.code).toBe(1);
    expect(consume.stderr).toMatch(/^error: NODE_UNREACHABLE: /);
  });
});
