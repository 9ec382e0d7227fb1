/**
 * Topic delete, recreate and a lost catalog, against real node processes (storage/FORMAT.md §9,
 * docs/RELIABILITY.md bad-input/fault catalogue): a 249-character topic deletes whole and a
 * recreate of it is empty, also across restarts; killing the node and removing its catalog files
 * deletes no partition directory, and the topics come back from their partition.metadata.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { startNodeProcess as startChild, stopNodeProcess as stopChild, postGraphQL as gql } from '../../support/node-process';

const LONGEST_TOPIC = 'L'.repeat(249);
const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { records { partition offset } } }`;
const READ = `query($t: String!, $p: Int!) { records(topic: $t, partition: $p, offset: 0, limit: 100) { records { offset value } } }`;

interface Child {
  child: ChildProcess;
  url: string;
}

async function ok(url: string, query: string, variables?: object): Promise<any> {
  const body = await gql(url, query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function values(url: string, topic: string, partition: number): Promise<string[]> {
  return (await ok(url, READ, { t: topic, p: partition })).records.records.map((r: any) => r.value);
}

describe('topic identity across delete, recreate, restart and a lost catalog', () => {
  let dataDir = '';
  let node: Child | null = null;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-identity-'));
  });
  afterEach(async () => {
    if (node) await stopChild(node, 'SIGKILL');
    node = null;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('deletes a 249-character topic with 12 partitions whole; the recreated topic is empty, also after restarts', async () => {
    node = await startChild(dataDir);
    await ok(node.url, `mutation($n: String!) { createTopic(input: { name: $n, partitions: 12 }) { name } }`, { n: LONGEST_TOPIC });
    await ok(node.url, PRODUCE, { input: { topic: LONGEST_TOPIC, records: [{ value: 'OLD-DATA-11', partition: 11 }] } });
    expect(await ok(node.url, `mutation($n: String!) { deleteTopic(name: $n) }`, { n: LONGEST_TOPIC })).toEqual({ deleteTopic: true });
    expect((await ok(node.url, `{ topics { name } }`)).topics).toEqual([]);
    // At once, while the old directories may still be on their way out: a new identity, empty.
    await ok(node.url, `mutation($n: String!) { createTopic(input: { name: $n, partitions: 12 }) { name } }`, { n: LONGEST_TOPIC });
    expect(await values(node.url, LONGEST_TOPIC, 11)).toEqual([]);
    await ok(node.url, PRODUCE, { input: { topic: LONGEST_TOPIC, records: [{ value: 'OLD-DATA-11', partition: 11 }] } });
    expect(await ok(node.url, `mutation($n: String!) { deleteTopic(name: $n) }`, { n: LONGEST_TOPIC })).toEqual({ deleteTopic: true });

    await stopChild(node, 'SIGTERM');
    node = await startChild(dataDir); // used to fail at every start (level 60, exit 1)
    expect((await ok(node.url, `{ topics { name } }`)).topics).toEqual([]);
    await ok(node.url, `mutation($n: String!) { createTopic(input: { name: $n, partitions: 12 }) { name } }`, { n: LONGEST_TOPIC });
    expect(await values(node.url, LONGEST_TOPIC, 11)).toEqual([]);

    await stopChild(node, 'SIGKILL');
    node = await startChild(dataDir);
    expect(await values(node.url, LONGEST_TOPIC, 11)).toEqual([]);
    const logsDir = path.join(dataDir, 'logs');
    expect(readdirSync(logsDir).filter((n) => n.endsWith('-delete') || n.endsWith('-stray'))).toEqual([]);
  }, 120_000);

  it.each([['catalog.db-wal'], ['catalog.db']])(
    'kill -9 and a removed %s delete no partition directory: the topics come back from their logs with their records',
    async (lost) => {
      node = await startChild(dataDir);
      await ok(
        node.url,
        `mutation { createTopic(input: { name: "orders", partitions: 3, configs: [{ key: "retention.ms", value: "86400000" }] }) { name } }`,
      );
      await ok(node.url, `mutation { createTopic(input: { name: "audit" }) { name } }`);
      // A later config change is in the snapshot too (partition.metadata is rewritten by alterTopicConfig).
      await ok(node.url, `mutation { alterTopicConfig(name: "audit", configs: [{ key: "segment.bytes", value: "1048576" }]) { name } }`);
      for (const partition of [0, 1, 2]) {
        await ok(node.url, PRODUCE, {
          input: {
            topic: 'orders',
            records: [
              { value: `o${partition}-a`, partition },
              { value: `o${partition}-b`, partition },
            ],
          },
        });
      }
      await ok(node.url, PRODUCE, { input: { topic: 'audit', records: [{ value: 'a0', partition: 0 }] } });
      await stopChild(node, 'SIGKILL');
      const logsDir = path.join(dataDir, 'logs');
      const before = readdirSync(logsDir)
        .filter((n) => /-\d+$/.test(n))
        .sort();
      expect(before).toEqual(['audit-0', 'orders-0', 'orders-1', 'orders-2']);
      expect(existsSync(path.join(dataDir, lost))).toBe(true);
      rmSync(path.join(dataDir, lost));
      if (lost === 'catalog.db') rmSync(path.join(dataDir, 'catalog.db-wal'), { force: true });
      rmSync(path.join(dataDir, 'catalog.db-shm'), { force: true });

      node = await startChild(dataDir);
      expect(
        readdirSync(logsDir)
          .filter((n) => /-\d+$/.test(n))
          .sort(),
      ).toEqual(before);
      const topics = (await ok(node.url, `{ topics { name partitionCount configs { key value isDefault } } }`)).topics;
      expect(topics.map((t: any) => [t.name, t.partitionCount])).toEqual([
        ['audit', 1],
        ['orders', 3],
      ]);
      expect(topics[1].configs.find((c: any) => c.key === 'retention.ms')).toEqual({
        key: 'retention.ms',
        value: '86400000',
        isDefault: false,
      });
      expect(topics[0].configs.find((c: any) => c.key === 'segment.bytes')).toEqual({
        key: 'segment.bytes',
        value: '1048576',
        isDefault: false,
      });
      for (const partition of [0, 1, 2])
        expect(await values(node.url, 'orders', partition)).toEqual([`o${partition}-a`, `o${partition}-b`]);
      expect(await values(node.url, 'audit', 0)).toEqual(['a0']);
      // Recovered topics are ordinary topics again: they take writes and survive the next restart.
      await ok(node.url, PRODUCE, { input: { topic: 'orders', records: [{ value: 'after', partition: 0 }] } });
      await stopChild(node, 'SIGTERM');
      node = await startChild(dataDir);
      expect(await values(node.url, 'orders', 0)).toEqual(['o0-a', 'o0-b', 'after']);
    },
    120_000,
  );

  it('keeps and reports a directory no topic claims and nothing can recover (no partition.metadata): renamed -stray, never deleted', async () => {
    node = await startChild(dataDir);
    await ok(node.url, `mutation { createTopic(input: { name: "ghost" }) { name } }`);
    await ok(node.url, PRODUCE, { input: { topic: 'ghost', records: [{ value: 'g0', partition: 0 }] } });
    await stopChild(node, 'SIGKILL');
    // As an older version left it, and the catalog lost: no partition.metadata, no catalog entry.
    rmSync(path.join(dataDir, 'logs', 'ghost-0', 'partition.metadata'));
    for (const file of ['catalog.db', 'catalog.db-wal', 'catalog.db-shm']) rmSync(path.join(dataDir, file), { force: true });

    node = await startChild(dataDir);
    expect((await ok(node.url, `{ topics { name } }`)).topics).toEqual([]);
    const kept = readdirSync(path.join(dataDir, 'logs')).filter((n) => n.startsWith('ghost'));
    expect(kept).toEqual([expect.stringMatching(/^ghost-0\.[0-9a-f]{32}-stray$/)]);
    expect(readdirSync(path.join(dataDir, 'logs', kept[0]!))).toContain('00000000000000000000.log');
    // The name is free again, for a new topic that does not see the stray's records.
    await ok(node.url, `mutation { createTopic(input: { name: "ghost" }) { name } }`);
    expect(await values(node.url, 'ghost', 0)).toEqual([]);
  }, 120_000);

  it("upgrades a data dir written before partition.metadata: the catalog's topics keep their records and adopt its ids", async () => {
    node = await startChild(dataDir);
    const id = (await ok(node.url, `mutation { createTopic(input: { name: "old", partitions: 2 }) { topicId } }`)).createTopic.topicId;
    await ok(node.url, PRODUCE, {
      input: {
        topic: 'old',
        records: [
          { value: 'r0', partition: 0 },
          { value: 'r1', partition: 1 },
        ],
      },
    });
    await stopChild(node, 'SIGTERM');
    for (const p of [0, 1]) rmSync(path.join(dataDir, 'logs', `old-${p}`, 'partition.metadata'));

    node = await startChild(dataDir);
    expect(await values(node.url, 'old', 0)).toEqual(['r0']);
    expect(await values(node.url, 'old', 1)).toEqual(['r1']);
    for (const p of [0, 1]) {
      expect(readFileSync(path.join(dataDir, 'logs', `old-${p}`, 'partition.metadata'), 'utf8')).toContain(`topic_id: ${id}\n`);
    }
  }, 120_000);

  it('finishes a delete the catalog marked but whose directories were never renamed (crash after the catalog commit)', async () => {
    node = await startChild(dataDir);
    await ok(node.url, `mutation { createTopic(input: { name: "doomed", partitions: 2 }) { name } }`);
    await ok(node.url, `mutation { createTopic(input: { name: "kept" }) { name } }`);
    await ok(node.url, PRODUCE, { input: { topic: 'doomed', records: [{ value: 'OLD', partition: 0 }] } });
    await stopChild(node, 'SIGTERM');
    const catalog = await openCatalog({ databaseFile: path.join(dataDir, 'catalog.db') });
    await catalog.deleteTopic('doomed'); // the delete's first step only: the mark, no rename
    await catalog.close();
    expect(readdirSync(path.join(dataDir, 'logs')).filter((n) => n.startsWith('doomed'))).toEqual(['doomed-0', 'doomed-1']);

    node = await startChild(dataDir);
    expect((await ok(node.url, `{ topics { name } }`)).topics).toEqual([{ name: 'kept' }]);
    await ok(node.url, `mutation { createTopic(input: { name: "doomed", partitions: 2 }) { name } }`);
    expect(await values(node.url, 'doomed', 0)).toEqual([]);
    await stopChild(node, 'SIGTERM');
    const check = await openCatalog({ databaseFile: path.join(dataDir, 'catalog.db') });
    expect(await check.listDeletedTopics()).toEqual([]);
    await check.close();
  }, 120_000);
});
