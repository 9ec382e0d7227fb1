/**
 * `logway produce --transactional-id X`: one transaction per batch, committed at its end (issue
 * #12 "Clients"). Every batch is stored once and in order, each closed by one COMMIT marker with the
 * epoch one higher per transaction; a commit whose answer was lost is retried and answers true.
 */
import { startTestNode, type TestNode } from '../../support/test-node';
import { lossyProxy } from '../../support/lossy-proxy';
import { batchesOnDisk } from '../../support/txn-log';
import { runCli } from './run-cli';

describe('logway produce --transactional-id', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode();
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('commits one transaction per batch, also when a commit answer is lost', async () => {
    await node.ok(`mutation { createTopic(input: { name: "cli-txn", partitions: 1 }) { name } }`);
    // Requests: 0 initProducer, then begin / produce / commit per batch; 3 is the first commit: applied, answer lost.
    const proxy = await lossyProxy(node.node.port, new Set([3]));
    try {
      const lines = Array.from({ length: 12 }, (_, i) => `line-${i}`);
      const run = await runCli(
        ['produce', 'cli-txn', '--transactional-id', 'cli-x', '--batch', '5', '--url', `http://127.0.0.1:${proxy.port}/graphql`],
        { stdin: lines.join('\n') + '\n' },
      );
      expect(run.stderr).toMatch(/produced 12 records/);
      expect(run.code).toBe(0);
      const page = await node.ok(`{ records(topic: "cli-txn", partition: 0, limit: 100) { records { value } } }`);
      expect(page.records.records.map((r: { value: string }) => r.value)).toEqual(lines);
      const batches = await batchesOnDisk(node.dataDir, 'cli-txn', 0);
      expect(batches.map((b) => [b.marker ?? b.values.length, b.producerEpoch])).toEqual([
        [5, 0],
        ['COMMIT', 1],
        [5, 1],
        ['COMMIT', 2],
        [2, 2],
        ['COMMIT', 3],
      ]);
      const txn = (await node.ok(`{ transactions { transactionalId state epoch } }`)).transactions;
      expect(txn).toEqual([{ transactionalId: 'cli-x', state: 'COMPLETE_COMMIT', epoch: 2 }]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses --transactional-id with --acks NONE or --idempotent', async () => {
    for (const extra of [['--acks', 'NONE'], ['--idempotent']]) {
      const run = await runCli(['produce', 'cli-txn', '--transactional-id', 'x', ...extra], { url: node.node.url, stdin: 'x\n' });
      expect(run.code).toBe(2);
    }
  });
});
