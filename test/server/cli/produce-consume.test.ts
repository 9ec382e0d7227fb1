import { startTestNode, type TestNode } from '../../support/test-node';
import { collectRun, runCli, spawnCli } from './run-cli';

const RECORDS_QUERY = `query($topic: String!, $partition: Int!) {
  records(topic: $topic, partition: $partition, limit: 1000) { records { offset key value valueBase64 } }
}`;

describe('logway produce and consume', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode();
  });
  afterAll(async () => {
    await node?.stop();
  });

  async function createTopic(name: string, partitions = 1): Promise<void> {
    await node.ok('mutation($input: CreateTopicInput!) { createTopic(input: $input) { name } }', { input: { name, partitions } });
  }

  it('produces stdin lines with keys in order, in batches, and reports the rate on stderr', async () => {
    await createTopic('keyed');
    const lines = Array.from({ length: 25 }, (_, i) => `user-${i % 4}:{"n":${i}}`);
    const run = await runCli(['produce', 'keyed', '--key-separator', ':', '--batch', '10'], {
      url: node.node.url,
      stdin: lines.join('\n') + '\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^produced 25 records \(0\.00 MB\) to keyed in \d+\.\d\d s: [\d,]+ records\/s, \d+\.\d\d MB\/s\n$/);
    const page = await node.ok(RECORDS_QUERY, { topic: 'keyed', partition: 0 });
    expect(page.records.records.map((r: { key: string; value: string }) => `${r.key}:${r.value}`)).toEqual(lines);
    expect(page.records.records.map((r: { offset: number }) => r.offset)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('consume --from earliest --max N prints exactly what was produced, then exits 0', async () => {
    await createTopic('roundtrip');
    const lines = ['alpha:one', 'beta:two words', 'gamma:', 'delta:ünïcödé ✓', 'alpha:a:b:c'];
    const produced = await runCli(['produce', 'roundtrip', '--key-separator', ':'], { url: node.node.url, stdin: lines.join('\n') });
    expect(produced.code).toBe(0);
    const consumed = await runCli(['consume', 'roundtrip', '--from', 'earliest', '--max', String(lines.length), '--key-separator', ':'], {
      url: node.node.url,
    });
    expect(consumed.stderr).toBe(`Processed a total of ${lines.length} messages\n`);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe(lines.join('\n') + '\n');
  });

  it('keeps bytes that are not UTF-8 exact from produce to consume', async () => {
    await createTopic('binary');
    const input = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x41]), Buffer.from('\nplain\n')]);
    expect((await runCli(['produce', 'binary'], { url: node.node.url, stdin: input })).code).toBe(0);
    const page = await node.ok(RECORDS_QUERY, { topic: 'binary', partition: 0 });
    expect(page.records.records[0]).toMatchObject({ value: null, valueBase64: Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64') });
    const consumed = await runCli(['consume', 'binary', '--from', 'earliest', '--max', '2'], { url: node.node.url });
    expect(consumed.code).toBe(0);
    expect(consumed.stdoutBytes.equals(input)).toBe(true);
  });

  it('consumes as JSON lines with partition, offset, key and value', async () => {
    await createTopic('json-out', 2);
    await runCli(['produce', 'json-out', '--key-separator', '=', '--partition', '1'], { url: node.node.url, stdin: 'k1=v1\nk2={"a":1}\n' });
    const run = await runCli(['consume', 'json-out', '--from', 'offset:1', '--partitions', '1', '--max', '1', '--format', 'json'], {
      url: node.node.url,
    });
    expect(run.code).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record).toMatchObject({ topic: 'json-out', partition: 1, offset: 1, key: 'k2', value: '{"a":1}', headers: [] });
    expect(new Date(record.timestamp).toISOString()).toBe(record.timestamp);
  });

  it('follows the topic: records produced after consume started are printed as they arrive', async () => {
    await createTopic('live');
    const consumer = spawnCli(['consume', 'live', '--max', '3'], { url: node.node.url });
    consumer.stdin!.end();
    const done = collectRun(consumer);
    // The consumer starts at LATEST: wait until its subscription exists before producing.
    const subscribed = async () =>
      (await fetch(node.node.url.replace('/graphql', '/metrics')).then((r) => r.text())).match(/^logway_\w*subscriptions\w* (\d+)/m);
    for (let attempt = 0; attempt < 100; attempt++) {
      const match = await subscribed();
      if (match && Number(match[1]) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await runCli(['produce', 'live'], { url: node.node.url, stdin: 'one\ntwo\nthree\n' });
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('one\ntwo\nthree\n');
  });

  describe('consume --group', () => {
    const GROUP = `query($id: String!) { consumerGroup(id: $id) { totalLag members { memberId } offsets { partition committedOffset lag } } }`;
    const offsetsOf = async (group: string) =>
      (await node.ok(GROUP, { id: group })).consumerGroup.offsets.map((o: any) => [o.partition, o.committedOffset, o.lag]);
    const consume = (topic: string, ...flags: string[]) =>
      runCli(['consume', topic, '--from', 'earliest', ...flags], { url: node.node.url });

    it('commits what it printed on exit: a second run goes on after the first run’s records', async () => {
      await createTopic('grouped');
      await runCli(['produce', 'grouped'], { url: node.node.url, stdin: 'a\nb\nc\nd\ne\nf\ng\n' });
      const first = await consume('grouped', '--group', 'billing2', '--max', '3');
      expect([first.code, first.stdout, first.stderr]).toEqual([0, 'a\nb\nc\n', 'Processed a total of 3 messages\n']);
      expect(await offsetsOf('billing2')).toEqual([[0, 3, 4]]);
      const second = await consume('grouped', '--group', 'billing2', '--max', '3');
      expect([second.code, second.stdout]).toEqual([0, 'd\ne\nf\n']);
      expect(await offsetsOf('billing2')).toEqual([[0, 6, 1]]);
    });

    it('commits per partition only what reached stdout, so the runs together print every record once', async () => {
      await createTopic('grouped-2', 2);
      for (const partition of [0, 1]) {
        await runCli(['produce', 'grouped-2', '--partition', String(partition)], {
          url: node.node.url,
          stdin: `${partition}a\n${partition}b\n${partition}c\n`,
        });
      }
      const first = await consume('grouped-2', '--group', 'split', '--max', '4');
      const second = await consume('grouped-2', '--group', 'split', '--max', '2');
      expect([first.code, second.code]).toEqual([0, 0]);
      const printed = (first.stdout + second.stdout).trim().split('\n');
      expect(printed.sort()).toEqual(['0a', '0b', '0c', '1a', '1b', '1c']);
      expect(await offsetsOf('split')).toEqual([
        [0, 3, 0],
        [1, 3, 0],
      ]);
    });

    it('--no-commit commits nothing: every run prints the same records, and the group lags by the whole log', async () => {
      await createTopic('peeked');
      await runCli(['produce', 'peeked'], { url: node.node.url, stdin: 'x\ny\nz\n' });
      for (let run = 0; run < 2; run++) {
        const peek = await consume('peeked', '--group', 'peek', '--max', '2', '--no-commit');
        expect([peek.code, peek.stdout]).toEqual([0, 'x\ny\n']);
      }
      expect(await offsetsOf('peek')).toEqual([[0, null, 3]]);
      const usage = await consume('peeked', '--no-commit', '--max', '1');
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/--no-commit needs --group/);
    });

    it('commits periodically while it runs, not only on exit', async () => {
      await createTopic('grouped-live');
      await runCli(['produce', 'grouped-live'], { url: node.node.url, stdin: 'p\nq\n' });
      const consumer = spawnCli(['consume', 'grouped-live', '--group', 'tail', '--from', 'earliest'], { url: node.node.url });
      consumer.stdin!.end();
      const done = collectRun(consumer, 60_000);
      let committed: unknown = null;
      // The commit interval is 5 s; 30 s only bounds the wait.
      for (
        const started = Date.now();
        Date.now() - started < 30_000 && committed !== 2;
        await new Promise((resolve) => setTimeout(resolve, 200))
      ) {
        const group = (await node.ok(GROUP, { id: 'tail' })).consumerGroup;
        committed = group?.offsets[0]?.committedOffset ?? null;
      }
      expect(consumer.exitCode).toBeNull();
      expect(committed).toBe(2);
      consumer.kill('SIGINT');
      const run = await done;
      expect([run.code, run.stdout]).toEqual([0, 'p\nq\n']);
    });
  });

  it('stops on SIGINT, printing the count so far, and exits 0', async () => {
    await createTopic('interrupted');
    await runCli(['produce', 'interrupted'], { url: node.node.url, stdin: 'a\nb\n' });
    const consumer = spawnCli(['consume', 'interrupted', '--from', 'earliest'], { url: node.node.url });
    consumer.stdin!.end();
    let seen = '';
    const bothPrinted = new Promise<void>((resolve) =>
      consumer.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen === 'a\nb\n') resolve();
      }),
    );
    const done = collectRun(consumer);
    await bothPrinted;
    consumer.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('Processed a total of 2 messages\n');
  });
});
