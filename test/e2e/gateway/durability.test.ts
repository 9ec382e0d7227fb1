import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestNode } from '../../support/test-node';
import { startNodeProcess as startChild, postGraphQL as gql } from '../../support/node-process';

const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { records { partition offset } } }`;

describe('durability of acknowledged records', () => {
  it('serves everything acknowledged before a clean restart, and new offsets continue after it', async () => {
    const t = await startTestNode();
    try {
      await t.ok(
        `mutation { createTopic(input: { name: "kept", partitions: 2, configs: [{ key: "retention.ms", value: "86400000" }] }) { name } }`,
      );
      await t.ok(PRODUCE, { input: { topic: 'kept', records: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) } });
      await t.restart();
      const topic = await t.ok(`{ topic(name: "kept") { configs { key value isDefault } partitions { highWatermark } } }`);
      expect(topic.topic.partitions.reduce((s: number, p: any) => s + p.highWatermark, 0)).toBe(10);
      expect(topic.topic.configs.find((c: any) => c.key === 'retention.ms')).toEqual({
        key: 'retention.ms',
        value: '86400000',
        isDefault: false,
      });
      const more = await t.ok(PRODUCE, { input: { topic: 'kept', records: [{ value: 'after', partition: 0 }] } });
      const before = topic.topic.partitions[0].highWatermark;
      expect(more.produce.records[0].offset).toBe(before);
    } finally {
      await t.stop();
    }
  });

  it('loses no acknowledged record when the node is killed with SIGKILL mid-stream', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-kill-'));
    let { child, url } = await startChild(dataDir);
    try {
      await gql(url, `mutation { createTopic(input: { name: "crash", partitions: 3 }) { name } }`);
      const acknowledged: { partition: number; offset: number; value: string }[] = [];
      let sent = 0;
      let stop = false;
      const producers = [0, 1, 2].map(async (worker) => {
        while (!stop) {
          const values = Array.from({ length: 20 }, () => `w${worker}-${sent++}`);
          let result: any;
          try {
            result = await gql(url, PRODUCE, { input: { topic: 'crash', records: values.map((value) => ({ value, partition: worker })) } });
          } catch {
            return; // the node died under this request: not acknowledged
          }
          if (!result.data) return;
          result.data.produce.records.forEach((r: any, i: number) => acknowledged.push({ ...r, value: values[i] }));
        }
      });
      // Kill it mid-stream after 1.5 s of load, and not before some calls were acknowledged (a loaded
      // machine may take longer than that to acknowledge the first ones).
      const started = Date.now();
      while ((Date.now() - started < 1_500 || acknowledged.length < 60) && Date.now() - started < 30_000)
        await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(producers);
      expect(acknowledged.length).toBeGreaterThan(0);

      ({ child, url } = await startChild(dataDir));
      for (const partition of [0, 1, 2]) {
        const mine = acknowledged.filter((a) => a.partition === partition).sort((a, b) => a.offset - b.offset);
        const found = new Map<number, string>();
        let offset = 0;
        for (;;) {
          const page = await gql(
            url,
            `query($o: SafeInt) { records(topic: "crash", partition: ${partition}, offset: $o, limit: 10000) { nextOffset records { offset value } } }`,
            { o: offset },
          );
          for (const r of page.data.records.records) found.set(r.offset, r.value);
          if (page.data.records.records.length === 0) break;
          offset = page.data.records.nextOffset;
        }
        for (const a of mine) expect(found.get(a.offset)).toBe(a.value);
      }
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
