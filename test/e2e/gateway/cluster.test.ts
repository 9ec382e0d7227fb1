/**
 * The cluster as a client sees it across restarts: the cluster id is made once (kept in the
 * catalog), and a data dir reopened under another --node-id is still served by its only node.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestNode } from '../../support/test-node';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('cluster', () => {
  it('keeps its cluster id across a restart', async () => {
    const t = await startTestNode();
    try {
      const before = (await t.ok(`{ cluster { clusterId } }`)).cluster.clusterId;
      expect(before).toMatch(UUID);
      await t.restart();
      expect((await t.ok(`{ cluster { clusterId nodes { isController } } }`)).cluster).toEqual({
        clusterId: before,
        nodes: [{ isController: true }],
      });
    } finally {
      await t.stop();
    }
  });

  it('serves a data dir written under another node id: records stay readable, produce goes on', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-test-'));
    try {
      const first = await startTestNode(['--node-id', '0'], dataDir);
      await first.ok(`mutation { createTopic(input: { name: "moved", partitions: 1 }) { name } }`);
      await first.ok(`mutation { produce(input: { topic: "moved", records: [{ value: "a" }, { value: "b" }] }) { records { offset } } }`);
      const clusterId = (await first.ok(`{ cluster { clusterId } }`)).cluster.clusterId;
      await first.stop();

      const second = await startTestNode(['--node-id', '7'], dataDir);
      try {
        const produced = await second.ok(
          `mutation { produce(input: { topic: "moved", acks: ALL, records: [{ value: "c" }] }) { records { offset } } }`,
        );
        expect(produced.produce.records).toEqual([{ offset: 2 }]);
        const page = await second.ok(
          `{ records(topic: "moved", partition: 0) { records { value } } topic(name: "moved") { partitions { leader isr highWatermark } } cluster { clusterId controllerId } }`,
        );
        expect(page.records.records.map((r: { value: string }) => r.value)).toEqual(['a', 'b', 'c']);
        expect(page.topic.partitions).toEqual([{ leader: 7, isr: [7], highWatermark: 3 }]);
        expect(page.cluster).toEqual({ clusterId, controllerId: 7 });
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
