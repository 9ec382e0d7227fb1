import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, checksumOf, readMigrations } from '../../../server/catalog/migrate';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { useTempDirs } from './temp-dir';

const projectRoot = resolve(__dirname, '..', '..', '..');
const realMigrationsDir = join(projectRoot, 'prisma', 'migrations');
const schemaTool = join(projectRoot, 'prisma', 'tools', 'schema-diff.mjs');
const SCHEMA_TOOL_TIMEOUT_MS = 60_000;
/** The project's own migrations, in order (the tests add theirs after them). */
const REAL_MIGRATIONS = readMigrations(realMigrationsDir).map((m) => m.name);

const tempDir = useTempDirs();

/** A copy of the real migrations that a test may add to or edit. */
function copyOfMigrations(): string {
  const dir = join(tempDir(), 'migrations');
  cpSync(realMigrationsDir, dir, { recursive: true });
  return dir;
}

function addMigration(migrationsDir: string, name: string, sql: string): void {
  mkdirSync(join(migrationsDir, name));
  writeFileSync(join(migrationsDir, name, 'migration.sql'), sql);
}

function history(
  db: Database.Database,
): { migration_name: string; checksum: string; finished_at: string | null; applied_steps_count: number }[] {
  return db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all() as never;
}

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter(
    (name) => !name.startsWith('sqlite_'),
  );
}

function runSchemaTool(...args: string[]) {
  const result = spawnSync(process.execPath, [schemaTool, ...args], { encoding: 'utf8', timeout: SCHEMA_TOOL_TIMEOUT_MS });
  if (result.error) throw result.error;
  return result;
}

describe('migration applier', () => {
  describe('on a fresh database', () => {
    it('applies every migration in name order and records each like Prisma does', () => {
      const migrationsDir = copyOfMigrations();
      addMigration(migrationsDir, '20991231000000_second', 'CREATE TABLE "Later" ("id" INTEGER NOT NULL PRIMARY KEY);\n');
      const file = join(tempDir(), 'catalog.db');
      const db = new Database(file);
      const outcome = applyMigrations(db, migrationsDir, file);
      expect(outcome).toEqual({ applied: [...REAL_MIGRATIONS, '20991231000000_second'], alreadyApplied: [] });
      const rows = history(db);
      expect(rows.map((r) => r.migration_name)).toEqual(outcome.applied);
      for (const [row, migration] of rows.map((r, i) => [r, readMigrations(migrationsDir)[i]!] as const)) {
        expect(row.checksum).toBe(checksumOf(migration.sql));
        expect(row.finished_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
        expect(row.applied_steps_count).toBe(1);
      }
      expect(tables(db)).toEqual(expect.arrayContaining(['Topic', 'CommittedOffset', 'Later', '_prisma_migrations']));
      db.close();
    });
  });

  describe('on an already migrated database', () => {
    it('applies nothing again and only the migrations added since', () => {
      const migrationsDir = copyOfMigrations();
      const file = join(tempDir(), 'catalog.db');
      const db = new Database(file);
      applyMigrations(db, migrationsDir, file);
      expect(applyMigrations(db, migrationsDir, file)).toEqual({ applied: [], alreadyApplied: REAL_MIGRATIONS });
      addMigration(migrationsDir, '20991231000000_second', 'ALTER TABLE "Topic" ADD COLUMN "note" TEXT;\n');
      expect(applyMigrations(db, migrationsDir, file)).toEqual({
        applied: ['20991231000000_second'],
        alreadyApplied: REAL_MIGRATIONS,
      });
      expect(history(db)).toHaveLength(REAL_MIGRATIONS.length + 1);
      db.close();
    });
  });

  describe('table redefinitions', () => {
    // Prisma writes a SQLite column change as "create new_X, copy, drop X, rename", wrapped in
    // PRAGMA foreign_keys=OFF, which is a no-op inside a transaction. Dropping a parent table
    // with foreign keys on would cascade-delete every child row.
    const redefineTopic = `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Topic" (
    "topicId" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "partitionCount" INTEGER NOT NULL,
    "replicationFactor" INTEGER NOT NULL,
    "createdAtMs" BIGINT NOT NULL,
    "note" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_Topic" ("createdAtMs", "internal", "name", "partitionCount", "replicationFactor", "topicId") SELECT "createdAtMs", "internal", "name", "partitionCount", "replicationFactor", "topicId" FROM "Topic";
DROP TABLE "Topic";
ALTER TABLE "new_Topic" RENAME TO "Topic";
CREATE UNIQUE INDEX "Topic_name_key" ON "Topic"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;

    it('keeps child rows when a migration redefines their parent table', async () => {
      const migrationsDir = copyOfMigrations();
      const file = join(tempDir(), 'catalog.db');
      const catalog = await openCatalog({ databaseFile: file, migrationsDir });
      await catalog.createTopic(
        { name: 'orders', internal: false, partitionCount: 1, replicationFactor: 1, configs: { 'retention.ms': '1' } },
        [{ topic: 'orders', partition: 0, leaderId: 1, leaderEpoch: 0, replicas: [1], isr: [1] }],
      );
      await catalog.commitOffsets('g', [{ topic: 'orders', partition: 0, offset: 7, metadata: null, commitTimeMs: 1 }]);
      await catalog.close();
      addMigration(migrationsDir, '20991231000000_redefine_topic', redefineTopic);
      const reopened = await openCatalog({ databaseFile: file, migrationsDir });
      expect((await reopened.getTopics(['orders']))[0]?.configs).toEqual({ 'retention.ms': '1' });
      expect(await reopened.listPartitions(['orders'])).toHaveLength(1);
      expect((await reopened.fetchOffsets('g')).map((o) => o.offset)).toEqual([7]);
      // …and foreign keys are enforced again afterwards: deleting the topic still cascades.
      await reopened.deleteTopic('orders');
      expect(await reopened.fetchOffsets('g')).toEqual([]);
      await reopened.close();
    });

    it('refuses a migration that leaves rows pointing at nothing', () => {
      const migrationsDir = copyOfMigrations();
      const file = join(tempDir(), 'catalog.db');
      const db = new Database(file);
      applyMigrations(db, migrationsDir, file);
      db.exec(`INSERT INTO "Topic" VALUES ('t1', 'orders', 0, 1, 1, 0); INSERT INTO "TopicConfig" VALUES ('t1', 'k', 'v');`);
      addMigration(migrationsDir, '20991231000000_orphans', 'DELETE FROM "Topic";\n');
      expect(() => applyMigrations(db, migrationsDir, file)).toThrow(/leaves 1 foreign key violations/);
      expect(db.prepare('SELECT COUNT(*) FROM "Topic"').pluck().get()).toBe(1);
      db.close();
    });
  });

  describe('refusals', () => {
    it('refuses a database whose applied migration was edited afterwards, naming the migration', async () => {
      const migrationsDir = copyOfMigrations();
      const file = join(tempDir(), 'catalog.db');
      await (await openCatalog({ databaseFile: file, migrationsDir })).close();
      appendFileSync(join(migrationsDir, '20261125120000_init', 'migration.sql'), '-- an innocent-looking comment\n');
      await expect(openCatalog({ databaseFile: file, migrationsDir })).rejects.toMatchObject({
        code: 'CATALOG_MIGRATION_FAILED',
        message: expect.stringMatching(/20261125120000_init was edited/),
        details: { databaseFile: file, migration: '20261125120000_init' },
      });
    });

    it('refuses a database that has a migration this build does not know', () => {
      const newer = copyOfMigrations();
      addMigration(newer, '20991231000000_from_the_future', 'CREATE TABLE "Future" ("id" INTEGER PRIMARY KEY);\n');
      const file = join(tempDir(), 'catalog.db');
      const db = new Database(file);
      applyMigrations(db, newer, file);
      expect(() => applyMigrations(db, realMigrationsDir, file)).toThrow(/20991231000000_from_the_future, which this build does not have/);
      db.close();
    });

    it('rolls a failing migration back whole, records nothing for it, and applies it on a later start once fixed', () => {
      const migrationsDir = copyOfMigrations();
      const broken = 'CREATE TABLE "Half" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "NoSuchTable" VALUES (1);\n';
      addMigration(migrationsDir, '20991231000000_broken', broken);
      const file = join(tempDir(), 'catalog.db');
      const db = new Database(file);
      expect(() => applyMigrations(db, migrationsDir, file)).toThrow(
        expect.objectContaining({
          code: 'CATALOG_MIGRATION_FAILED',
          message: expect.stringMatching(/20991231000000_broken failed.*rolled back/),
        }),
      );
      expect(tables(db)).not.toContain('Half');
      expect(history(db).map((r) => r.migration_name)).toEqual(REAL_MIGRATIONS);
      writeFileSync(join(migrationsDir, '20991231000000_broken', 'migration.sql'), 'CREATE TABLE "Half" ("id" INTEGER PRIMARY KEY);\n');
      expect(applyMigrations(db, migrationsDir, file).applied).toEqual(['20991231000000_broken']);
      db.close();
    });

    it('refuses a history row that started but never finished', () => {
      const file = join(tempDir(), 'catalog.db');
      const db = new Database(file);
      applyMigrations(db, realMigrationsDir, file);
      db.prepare('UPDATE _prisma_migrations SET finished_at = NULL').run();
      expect(() => applyMigrations(db, realMigrationsDir, file)).toThrow(/started but never finished/);
      db.close();
    });
  });

  describe('agreement with Prisma’s own schema engine', () => {
    it('writes a history that Prisma’s engine reads as in sync, with nothing edited, failed or pending', async () => {
      const file = join(tempDir(), 'catalog.db');
      await (await openCatalog({ databaseFile: file })).close();
      const result = runSchemaTool('history', file);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: true,
        history: null,
      });
    });

    it('sees a migration edited after it was applied the way Prisma’s engine does', async () => {
      const migrationsDir = copyOfMigrations();
      const file = join(tempDir(), 'catalog.db');
      await (await openCatalog({ databaseFile: file, migrationsDir })).close();
      appendFileSync(join(migrationsDir, '20261125120000_init', 'migration.sql'), '\n');
      const result = runSchemaTool('history', file, migrationsDir);
      expect(JSON.parse(result.stdout).editedMigrationNames).toEqual(['20261125120000_init']);
    });

    it('opens a database migrated by Prisma’s engine without applying anything again', async () => {
      const file = join(tempDir(), 'catalog.db');
      const applied = runSchemaTool('apply', file);
      expect(JSON.parse(applied.stdout)).toEqual({ appliedMigrationNames: REAL_MIGRATIONS });
      const db = new Database(file);
      expect(applyMigrations(db, realMigrationsDir, file)).toEqual({ applied: [], alreadyApplied: REAL_MIGRATIONS });
      db.close();
    });
  });
});
