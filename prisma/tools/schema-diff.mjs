#!/usr/bin/env node
/**
 * Prisma's own schema engine (the WebAssembly build, @prisma/schema-engine-wasm) driven without
 * the native binary, which cannot be downloaded here (docs/ENVIRONMENT.md).
 *
 *   node prisma/tools/schema-diff.mjs init [schema.prisma]
 *       prints the SQL that creates the schema from an empty database (what
 *       `prisma migrate diff --from-empty --to-schema` prints): the source of a new migration.sql.
 *   node prisma/tools/schema-diff.mjs drift <database file> [schema.prisma]
 *       diffs a live database against schema.prisma; prints the SQL that would make them equal
 *       and exits 2 when they differ, 0 when they match (the drift test runs this).
 *   node prisma/tools/schema-diff.mjs history <database file> [migrations dir]
 *       prints, as JSON, what Prisma's engine thinks of the database's _prisma_migrations
 *       history against the migration files (diagnoseMigrationHistory): edited, failed, pending.
 *   node prisma/tools/schema-diff.mjs apply <database file> [migrations dir]
 *       applies the migrations with Prisma's own engine (applyMigrations), as
 *       `prisma migrate deploy` would; used to check that our applier writes the same history.
 *   node prisma/tools/schema-diff.mjs create <name>
 *       what `prisma migrate dev --create-only --name <name>` does: replays prisma/migrations into
 *       a scratch database, diffs it against schema.prisma and writes the difference to
 *       prisma/migrations/<UTC yyyymmddhhmmss>_<name>/migration.sql (nothing when they match).
 *       Read the SQL before committing it: a migration is applied once and never edited.
 *
 * An ES module on purpose: the wasm package ships only ES modules, which jest's CommonJS runtime
 * cannot load, so tests run this file in a child process.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(resolve(projectRoot, 'package.json'));

async function loadSchemaEngine() {
  // The package's exports map hides package.json; resolve its glue file and take the folder.
  const packageDir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const glue = await import(resolve(packageDir, 'schema_engine_bg.js'));
  const bytes = readFileSync(resolve(packageDir, 'schema_engine_bg.wasm'));
  // The package's own entry does `import * as wasm from "./x.wasm"`, which Node 20 only allows
  // behind --experimental-wasm-modules; instantiating by hand with the same glue is equivalent.
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue.SchemaEngine;
}

async function openEngine(schemaText, databaseFile) {
  const SchemaEngine = await loadSchemaEngine();
  const { PrismaBetterSqlite3 } = require('@prisma/adapter-better-sqlite3');
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  // For `init` the database is never opened; an in-memory one keeps the adapter happy.
  const factory = new PrismaBetterSqlite3({ url: databaseFile === null ? ':memory:' : `file:${databaseFile}` });
  return SchemaEngine.new({ datamodels: [['schema.prisma', schemaText]] }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
}

const noFilters = { externalTables: [], externalEnums: [] };

function migrationList(migrationsDir) {
  const lockPath = resolve(migrationsDir, 'migration_lock.toml');
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(resolve(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort();
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(resolve(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === 'init') {
    const schemaFile = resolve(rest[0] ?? resolve(projectRoot, 'prisma', 'schema.prisma'));
    const schemaText = readFileSync(schemaFile, 'utf8');
    const engine = await openEngine(schemaText, null);
    const result = await engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schemaText }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    process.stdout.write(result.stdout);
    return 0;
  }
  if (command === 'drift' && rest[0] !== undefined) {
    const databaseFile = resolve(rest[0]);
    const schemaFile = resolve(rest[1] ?? resolve(projectRoot, 'prisma', 'schema.prisma'));
    const schemaText = readFileSync(schemaFile, 'utf8');
    const engine = await openEngine(schemaText, databaseFile);
    // `schemaDatasource` introspects the database behind the adapter; Prisma's migrate tables
    // (_prisma_migrations) are ignored by the engine, as in `prisma migrate diff`.
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: [{ path: 'schema.prisma', content: schemaText }], configDir: dirname(schemaFile) },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schemaText }] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    process.stdout.write(result.stdout);
    return result.exitCode;
  }
  if ((command === 'history' || command === 'apply') && rest[0] !== undefined) {
    const databaseFile = resolve(rest[0]);
    const migrationsList = migrationList(resolve(rest[1] ?? resolve(projectRoot, 'prisma', 'migrations')));
    const schemaText = readFileSync(resolve(projectRoot, 'prisma', 'schema.prisma'), 'utf8');
    const engine = await openEngine(schemaText, databaseFile);
    const result =
      command === 'history'
        ? await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilters })
        : await engine.applyMigrations({ migrationsList, filters: noFilters });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  if (command === 'create' && /^[a-z0-9_]+$/.test(rest[0] ?? '')) {
    const migrationsDir = resolve(projectRoot, 'prisma', 'migrations');
    const schemaText = readFileSync(resolve(projectRoot, 'prisma', 'schema.prisma'), 'utf8');
    const scratchDir = mkdtempSync(resolve(tmpdir(), 'logway-migration-'));
    try {
      const scratchFile = resolve(scratchDir, 'scratch.db');
      const engine = await openEngine(schemaText, scratchFile);
      await engine.applyMigrations({ migrationsList: migrationList(migrationsDir), filters: noFilters });
      const result = await engine.diff({
        from: { tag: 'schemaDatasource', files: [{ path: 'schema.prisma', content: schemaText }], configDir: scratchDir },
        to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schemaText }] },
        script: true,
        exitCode: true,
        filters: noFilters,
      });
      if (result.exitCode === 0) {
        process.stdout.write('schema.prisma matches prisma/migrations: no migration written\n');
        return 0;
      }
      const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
      const dir = resolve(migrationsDir, `${stamp}_${rest[0]}`);
      mkdirSync(dir);
      writeFileSync(resolve(dir, 'migration.sql'), result.stdout);
      process.stdout.write(`wrote ${dir}/migration.sql:\n${result.stdout}`);
      return 0;
    } finally {
      rmSync(scratchDir, { recursive: true, force: true });
    }
  }
  process.stderr.write(
    'usage: schema-diff.mjs init [schema.prisma] | drift <database file> [schema.prisma] | history|apply <database file> [migrations dir] | create <snake_case_name>\n',
  );
  return 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`schema-diff: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
