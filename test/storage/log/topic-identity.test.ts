/**
 * Topic identity and deletion in the log engine (storage/FORMAT.md §9): partition.metadata,
 * `-delete` names that fit in 255 bytes, one data-dir fsync per delete, background removal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogManager, NodeFileSystem } from '../../../storage';
import { deleteDirName, strayDirName } from '../../../storage/log/partition-dirs';
import { decodePartitionMetadata, encodePartitionMetadata, PARTITION_METADATA_FILE } from '../../../storage/log/partition-metadata';
import { readAllValues, records, testConfig } from '../../support/log-builders';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();
const LONGEST_TOPIC = 't'.repeat(249);
const ID_A = '0d1b6f9e-3c1a-4f6e-9c1e-2b7d8a4c5e6f';
const ID_B = '7a7a7a7a-0000-4000-8000-000000000001';

/** Counts fsyncs of directories (the data dir's are what a delete of N partitions must not multiply). */
class CountingFileSystem extends NodeFileSystem {
  readonly dirSyncs: string[] = [];
  override fsyncDir(dirPath: string): Promise<void> {
    this.dirSyncs.push(dirPath);
    return super.fsyncDir(dirPath);
  }
}

describe('partition directories and topic identity', () => {
  it('names a deleted or stray directory within 255 bytes, even for a 249-character topic at partition 9999', () => {
    for (const name of [deleteDirName(LONGEST_TOPIC, 9_999), strayDirName(LONGEST_TOPIC, 9_999), deleteDirName('orders', 3)]) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    }
    expect(deleteDirName('orders', 3)).toMatch(/^orders-3\.[0-9a-f]{32}-delete$/);
    expect(strayDirName('orders', 3)).toMatch(/^orders-3\.[0-9a-f]{32}-stray$/);
  });

  it('deletes the 12 partitions of a 249-character topic (the rename used to fail with ENAMETOOLONG)', async () => {
    const manager = await LogManager.open({ dataDir: tmp.path });
    for (let p = 0; p < 12; p++) {
      const log = await manager.openLog(LONGEST_TOPIC, p, testConfig(), { topicId: ID_A, configs: {} });
      await log.append(records(2, `OLD-DATA-${p}-`), { leaderEpoch: 0 });
    }
    const renamed = await manager.retireLogs(
      Array.from({ length: 12 }, (_, partition) => ({ topic: LONGEST_TOPIC, partition })),
      'delete',
    );
    expect(renamed).toHaveLength(12);
    await manager.whenDeletesDone();
    expect(fs.readdirSync(tmp.path).filter((n) => n.startsWith('t'))).toEqual([]);
    await manager.close();
  });

  it('renames every directory of a delete with ONE fsync of the data directory, and removes them in the background', async () => {
    const counting = new CountingFileSystem();
    const manager = await LogManager.open({ dataDir: tmp.path, fs: counting });
    const targets = Array.from({ length: 40 }, (_, partition) => ({ topic: 'wide', partition }));
    for (const { partition } of targets) await manager.openLog('wide', partition, testConfig(), { topicId: ID_A, configs: {} });
    counting.dirSyncs.length = 0;
    await manager.retireLogs(targets, 'delete');
    expect(counting.dirSyncs.filter((d) => d === tmp.path)).toHaveLength(1);
    await manager.whenDeletesDone();
    expect(fs.readdirSync(tmp.path).filter((n) => n.startsWith('wide'))).toEqual([]);
    await manager.close();
  });

  it('writes partition.metadata into a new log and refuses to serve a directory holding another topic id', async () => {
    const first = await LogManager.open({ dataDir: tmp.path });
    const log = await first.openLog('orders', 0, testConfig(), { topicId: ID_A, configs: { 'retention.ms': '1000' } });
    await log.append(records(1, 'OLD-DATA-'), { leaderEpoch: 0 });
    await first.close();
    const bytes = fs.readFileSync(path.join(tmp.path, 'orders-0', PARTITION_METADATA_FILE));
    expect(decodePartitionMetadata(bytes)).toEqual({ topicId: ID_A, topic: 'orders', partition: 0, configs: { 'retention.ms': '1000' } });

    const second = await LogManager.open({ dataDir: tmp.path });
    expect(second.listLogs()).toEqual([
      { topic: 'orders', partition: 0, metadata: { topicId: ID_A, topic: 'orders', partition: 0, configs: { 'retention.ms': '1000' } } },
    ]);
    await expect(second.openLog('orders', 0, testConfig(), { topicId: ID_B, configs: {} })).rejects.toMatchObject({
      code: 'KAFKA_STORAGE_ERROR',
      name: 'LogIdentityError',
    });
    expect(second.getLog('orders', 0)).toBeUndefined();
    await second.close();
    expect(fs.existsSync(path.join(tmp.path, 'orders-0', '00000000000000000000.log'))).toBe(true); // refused, not touched
  });

  it('adopts the given id into a directory an older version wrote without partition.metadata', async () => {
    const first = await LogManager.open({ dataDir: tmp.path });
    await (await first.openLog('legacy', 0, testConfig())).append(records(3), { leaderEpoch: 0 });
    await first.close();
    expect(fs.existsSync(path.join(tmp.path, 'legacy-0', PARTITION_METADATA_FILE))).toBe(false);
    const second = await LogManager.open({ dataDir: tmp.path });
    const log = await second.openLog('legacy', 0, testConfig(), { topicId: ID_A, configs: {} });
    expect((await readAllValues(log)).map((r) => r.value)).toEqual(['v0', 'v1', 'v2']);
    await second.close();
    const third = await LogManager.open({ dataDir: tmp.path });
    expect(third.listLogs()[0]!.metadata).toMatchObject({ topicId: ID_A });
    await third.close();
  });

  it('reads back what it writes and calls anything else corrupt', () => {
    const good = { topicId: ID_A, topic: 'a.b_c-d', partition: 7, configs: { 'cleanup.policy': 'compact' } };
    expect(decodePartitionMetadata(encodePartitionMetadata(good))).toEqual(good);
    const text = encodePartitionMetadata(good).toString();
    for (const bad of [
      '',
      text.replace('version: 0', 'version: 1'),
      text.replace('partition: 7', 'partition: x'),
      text.replace('{"cleanup.policy":"compact"}', '[1]'),
      text.replace('{"cleanup.policy":"compact"}', '{"a":1}'),
      text.slice(0, -1),
      text + 'extra: 1\n',
    ]) {
      expect(decodePartitionMetadata(Buffer.from(bad))).toBe('corrupt');
    }
  });
});
