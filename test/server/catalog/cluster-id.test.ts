/**
 * The cluster id lives in the catalog (one ClusterMetadata row, prisma/migrations/*_cluster_id):
 * made once, the first time a node opens the catalog, and the same after every reopen — also on a
 * catalog that existed before the migration, whose topics stay as they were.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { useTempDirs } from './temp-dir';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const realMigrationsDir = join(resolve(__dirname, '..', '..', '..'), 'prisma', 'migrations');
const tempDir = useTempDirs();

describe('cluster id in the catalog', () => {
  it('is a random UUID made on first use and the same on every later call and after a reopen', async () => {
    const file = join(tempDir(), 'catalog.db');
    const first = await openCatalog({ databaseFile: file });
    const id = await first.clusterId();
    expect(id).toMatch(UUID);
    expect(await Promise.all([first.clusterId(), first.clusterId()])).toEqual([id, id]);
    await first.close();
    const reopened = await openCatalog({ databaseFile: file });
    expect(await reopened.clusterId()).toBe(id);
    await reopened.close();
  });

  it('differs between two catalogs', async () => {
    const a = await openCatalog({ databaseFile: join(tempDir(), 'catalog.db') });
    const b = await openCatalog({ databaseFile: join(tempDir(), 'catalog.db') });
    expect(await a.clusterId()).not.toBe(await b.clusterId());
    await a.close();
    await b.close();
  });

  it('is added to a catalog written before the migration, keeping its topics', async () => {
    const oldMigrations = join(tempDir(), 'migrations');
    mkdirSync(oldMigrations);
    cpSync(join(realMigrationsDir, 'migration_lock.toml'), join(oldMigrations, 'migration_lock.toml'));
    cpSync(join(realMigrationsDir, '20261125120000_init'), join(oldMigrations, '20261125120000_init'), { recursive: true });
    const file = join(tempDir(), 'catalog.db');
    const old = await openCatalog({ databaseFile: file, migrationsDir: oldMigrations });
    await old.createTopic({ name: 'orders', internal: false, partitionCount: 1, replicationFactor: 1, configs: {} }, [
      { topic: 'orders', partition: 0, leaderId: 0, leaderEpoch: 0, replicas: [0], isr: [0] },
    ]);
    await old.close();

    const upgraded = await openCatalog({ databaseFile: file });
    const id = await upgraded.clusterId();
    expect(id).toMatch(UUID);
    expect((await upgraded.listTopics()).map((t) => t.name)).toEqual(['orders']);
    await upgraded.close();
    const again = await openCatalog({ databaseFile: file });
    expect(await again.clusterId()).toBe(id);
    await again.close();
  });
});
