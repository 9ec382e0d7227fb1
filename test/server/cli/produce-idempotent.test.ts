/**
 * `logway produce --idempotent` retries safely: through a loopback proxy that drops the connection
 * after the node answered a produce (the answer is lost, the records are appended), the CLI sends
 * the batch again with the same sequence and every line is stored exactly once, in order.
 */
import { startTestNode, type TestNode } from '../../support/test-node';
import { lossyProxy } from '../../support/lossy-proxy';
import { runCli } from './run-cli';

describe('logway produce --idempotent', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode();
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('appends every batch once although the answers of two of them were lost', async () => {
    await node.ok(`mutation { createTopic(input: { name: "cli-idem", partitions: 1 }) { name } }`);
    // Request 0 is initProducer; 2 (sequence 1) and 4 (the retry of 1 went through as 3: sequence 2)
    // are appended by the node but their answers never reach the CLI.
    const proxy = await lossyProxy(node.node.port, new Set([2, 4]));
    try {
      const lines = Array.from({ length: 30 }, (_, i) => `line-${i}`);
      const run = await runCli(['produce', 'cli-idem', '--idempotent', '--batch', '5', '--url', `http://127.0.0.1:${proxy.port}/graphql`], {
        stdin: lines.join('\n') + '\n',
      });
      expect(run.stderr).toMatch(/produced 30 records/);
      expect(run.code).toBe(0);
      const page = await node.ok(`{ records(topic: "cli-idem", partition: 0, limit: 100) { records { value } } }`);
      expect(page.records.records.map((r: { value: string }) => r.value)).toEqual(lines);
      const producers = (await node.ok(`{ producers(topic: "cli-idem", partition: 0) { lastSequence } }`)).producers;
      expect(producers).toEqual([{ lastSequence: 5 }]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses --idempotent with --acks NONE', async () => {
    const run = await runCli(['produce', 'cli-idem', '--idempotent', '--acks', 'NONE'], { url: node.node.url, stdin: 'x\n' });
    expect(run.code).toBe(2);
  });
});
