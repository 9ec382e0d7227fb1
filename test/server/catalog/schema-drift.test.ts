/**
 * schema.prisma and prisma/migrations must describe the same database: Prisma's own schema
 * engine (WebAssembly build, run by prisma/tools/schema-diff.mjs in a child process) diffs a
 * database migrated by our applier against schema.prisma, and the diff must be empty. Editing
 * schema.prisma without adding a migration makes this test fail with the SQL the missing
 * migration needs (write it to a new prisma/migrations/<timestamp>_<name>/migration.sql).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { useTempDirs } from './temp-dir';

const projectRoot = resolve(__dirname, '..', '..', '..');
const schemaTool = join(projectRoot, 'prisma', 'tools', 'schema-diff.mjs');
const schemaFile = join(projectRoot, 'prisma', 'schema.prisma');
const SCHEMA_TOOL_TIMEOUT_MS = 60_000;

const tempDir = useTempDirs();

async function freshlyMigratedDatabase(): Promise<string> {
  const file = join(tempDir(), 'catalog.db');
  await (await openCatalog({ databaseFile: file })).close();
  return file;
}

function drift(databaseFile: string, schema: string) {
  const result = spawnSync(process.execPath, [schemaTool, 'drift', databaseFile, schema], {
    encoding: 'utf8',
    timeout: SCHEMA_TOOL_TIMEOUT_MS,
  });
  if (result.error) throw result.error;
  return { exitCode: result.status, sql: result.stdout, stderr: result.stderr };
}

describe('schema.prisma against prisma/migrations', () => {
  it('a database built by the migrations is exactly what schema.prisma describes', async () => {
    const result = drift(await freshlyMigratedDatabase(), schemaFile);
    expect(result.stderr).toBe('');
    expect(result.sql).toBe('-- This is an empty migration.\n');
    expect(result.exitCode).toBe(0);
  });

  it('reports a field added to the schema without a migration, with the SQL it needs', async () => {
    const edited = join(tempDir(), 'schema.prisma');
    const original = readFileSync(schemaFile, 'utf8');
    writeFileSync(edited, original.replace('  replicationFactor Int', '  replicationFactor Int\n  minInsyncReplicas Int?'));
    const result = drift(await freshlyMigratedDatabase(), edited);
    expect(result.exitCode).toBe(2);
    expect(result.sql).toContain('ALTER TABLE "Topic" ADD COLUMN "minInsyncReplicas" INTEGER');
  });

  it('reports an index removed from the schema without a migration', async () => {
    const edited = join(tempDir(), 'schema.prisma');
    writeFileSync(edited, readFileSync(schemaFile, 'utf8').replace('  @@index([topic])\n', ''));
    const result = drift(await freshlyMigratedDatabase(), edited);
    expect(result.exitCode).toBe(2);
    expect(result.sql).toContain('DROP INDEX "CommittedOffset_topic_idx"');
  });
});
