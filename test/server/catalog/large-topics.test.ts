/**
 * Topics with thousands of partitions must not hold the event loop while the catalog writes their
 * rows (server/catalog/partition-statements.ts): Prisma's nested create of 1,980 partitions ran
 * for seconds as one chain of promises, so nothing else on the node (a produce, a ping) ran
 * meanwhile. The check is an ordering, not a timing: a setImmediate queued before the call must
 * run before the call resolves.
 */
import { join } from 'node:path';
import type { PartitionRecord } from '../../../server/catalog/catalog';
import { openCatalog, type PrismaCatalog } from '../../../server/catalog/prisma-catalog';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

function partitions(topic: string, from: number, to: number): PartitionRecord[] {
  return Array.from({ length: to - from }, (_, i) => ({
    topic,
    partition: from + i,
    leaderId: 0,
    leaderEpoch: 0,
    replicas: [0],
    isr: [0],
  }));
}

/** Resolves to whether an immediate queued before `work` started ran before `work` resolved. */
async function loopTurnedDuring(work: () => Promise<unknown>): Promise<boolean> {
  let turned = false;
  setImmediate(() => (turned = true));
  await work();
  return turned;
}

describe('catalog writes of many partitions', () => {
  let catalog: PrismaCatalog;
  beforeEach(async () => {
    catalog = await openCatalog({ databaseFile: join(tempDir(), 'catalog.db') });
  });
  afterEach(async () => {
    await catalog.close();
  });

  it('adds 1,980 partitions (20 → 2,000) in one transaction while letting the event loop turn', async () => {
    await catalog.createTopic(
      { name: 'wide', internal: false, partitionCount: 20, replicationFactor: 1, configs: {} },
      partitions('wide', 0, 20),
    );
    expect(await loopTurnedDuring(() => catalog.addPartitions('wide', partitions('wide', 20, 2_000)))).toBe(true);
    expect((await catalog.getTopics(['wide']))[0]!.partitionCount).toBe(2_000);
    expect(await catalog.listPartitions(['wide'])).toHaveLength(2_000);
  });

  it('creates a 10,000-partition topic while letting the event loop turn, and a failed add leaves nothing', async () => {
    expect(
      await loopTurnedDuring(() =>
        catalog.createTopic(
          { name: 'huge', internal: false, partitionCount: 10_000, replicationFactor: 1, configs: { 'retention.ms': '1' } },
          partitions('huge', 0, 10_000),
        ),
      ),
    ).toBe(true);
    expect(await catalog.listPartitions(['huge'])).toHaveLength(10_000);
    expect((await catalog.getTopics(['huge']))[0]!.configs).toEqual({ 'retention.ms': '1' });
    // A gap in the new partitions is refused before anything is written.
    await expect(catalog.addPartitions('huge', partitions('huge', 10_001, 10_002))).rejects.toMatchObject({ code: 'INVALID_PARTITIONS' });
    await expect(
      catalog.createTopic(
        { name: 'huge', internal: false, partitionCount: 1, replicationFactor: 1, configs: {} },
        partitions('huge', 0, 1),
      ),
    ).rejects.toMatchObject({
      code: 'TOPIC_ALREADY_EXISTS',
    });
    expect(await catalog.listPartitions(['huge'])).toHaveLength(10_000);
  });
});
