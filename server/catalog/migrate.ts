/**
 * Applies the catalog's migrations (prisma/migrations/<name>/migration.sql, Prisma's layout) at
 * start-up, because `prisma migrate deploy` needs the native schema engine, which cannot be
 * installed here (docs/ENVIRONMENT.md).
 *
 * Format: the history is kept in `_prisma_migrations`, created with the DDL Prisma's schema engine
 * uses on SQLite, one row per applied migration: a random UUID id, checksum = lowercase hex
 * SHA-256 of the migration.sql bytes, started_at/finished_at as ISO-8601 text with a +00:00 offset
 * (what Prisma's engine writes through the better-sqlite3 adapter), applied_steps_count 1. So `prisma migrate status/deploy`
 * run later against the same file agrees about what is applied.
 *
 * Rules: migrations run in name order (the timestamp prefix), with foreign keys off, each in its
 * own BEGIN IMMEDIATE transaction together with its history row and a `PRAGMA foreign_key_check`
 * that must come back empty; a failing
 * migration rolls back whole (SQLite DDL is transactional) and leaves no row, so the next start
 * retries it. The applier refuses to open (CatalogMigrationError) when an applied migration's file
 * was edited (checksum differs), when the database has a migration this build does not know (a
 * newer Logway wrote it), or when the history has an unfinished row (Prisma's P3009 state).
 *
 * Concurrency: takes the database write lock per migration, and re-reads the history inside that
 * transaction, so two processes opening one fresh file apply each migration once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { CatalogMigrationError } from '../errors';

/** The DDL of Prisma's schema engine for the SQLite history table (schema-engine sqlite flavour). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  /** Folder name, e.g. 20261125120000_init. */
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationOutcome {
  applied: string[];
  alreadyApplied: string[];
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
}

/** The DateTime text Prisma writes on SQLite, e.g. 2026-11-25T12:19:10.776+00:00. */
function prismaTimestamp(): string {
  return new Date().toISOString().replace('Z', '+00:00');
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Reads prisma/migrations: every sub-folder holding a migration.sql, in name order. */
export function readMigrations(migrationsDir: string): MigrationFile[] {
  const lockFile = join(migrationsDir, 'migration_lock.toml');
  if (existsSync(lockFile) && !/provider\s*=\s*"sqlite"/.test(readFileSync(lockFile, 'utf8'))) {
    throw new CatalogMigrationError(`${lockFile} is not for the sqlite provider`, { migrationsDir });
  }
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

function readHistory(db: BetterSqlite3.Database): Map<string, HistoryRow> {
  const rows = db
    .prepare('SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL')
    .all() as HistoryRow[];
  return new Map(rows.map((row) => [row.migration_name, row]));
}

function checkHistory(history: Map<string, HistoryRow>, migrations: readonly MigrationFile[], databaseFile: string): void {
  const known = new Map(migrations.map((m) => [m.name, m]));
  for (const row of history.values()) {
    const migration = known.get(row.migration_name);
    if (row.finished_at === null) {
      throw new CatalogMigrationError(
        `migration ${row.migration_name} started but never finished in ${databaseFile}; resolve it by hand before starting`,
        { databaseFile, migration: row.migration_name },
      );
    }
    if (migration === undefined) {
      throw new CatalogMigrationError(
        `${databaseFile} has migration ${row.migration_name}, which this build does not have (written by a newer Logway?)`,
        { databaseFile, migration: row.migration_name },
      );
    }
    if (migration.checksum !== row.checksum) {
      throw new CatalogMigrationError(
        `migration ${row.migration_name} was edited after it was applied to ${databaseFile} ` +
          `(checksum ${row.checksum.slice(0, 12)}… recorded, ${migration.checksum.slice(0, 12)}… on disk); ` +
          'add a new migration instead of editing an applied one',
        { databaseFile, migration: row.migration_name },
      );
    }
  }
}

function applyOne(db: BetterSqlite3.Database, migration: MigrationFile, databaseFile: string): boolean {
  const apply = db.transaction((): boolean => {
    // Re-read inside the write lock: another process may have applied it meanwhile.
    const row = readHistory(db).get(migration.name);
    if (row !== undefined) {
      checkHistory(new Map([[row.migration_name, row]]), [migration], databaseFile);
      return false;
    }
    const id = randomUUID();
    db.prepare('INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)').run(
      id,
      migration.checksum,
      migration.name,
      prismaTimestamp(),
    );
    db.exec(migration.sql);
    const violations = db.prepare('PRAGMA foreign_key_check').all();
    if (violations.length > 0) {
      throw new CatalogMigrationError(`migration ${migration.name} leaves ${violations.length} foreign key violations`, {
        databaseFile,
        migration: migration.name,
      });
    }
    db.prepare('UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?').run(prismaTimestamp(), id);
    return true;
  });
  try {
    return apply.immediate();
  } catch (error) {
    if (error instanceof CatalogMigrationError) throw error;
    if (isBusy(error)) throw error;
    throw new CatalogMigrationError(
      `migration ${migration.name} failed on ${databaseFile} and was rolled back: ${(error as Error).message}`,
      { databaseFile, migration: migration.name },
      error,
    );
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Brings `db` up to date with the migrations in `migrationsDir`. Throws CatalogMigrationError
 * (nothing applied by the failing step) or the driver's SQLITE_BUSY error, which the caller maps.
 */
export function applyMigrations(db: BetterSqlite3.Database, migrationsDir: string, databaseFile: string): MigrationOutcome {
  const migrations = readMigrations(migrationsDir);
  db.exec(CREATE_MIGRATIONS_TABLE);
  const history = readHistory(db);
  checkHistory(history, migrations, databaseFile);
  const outcome: MigrationOutcome = { applied: [], alreadyApplied: [] };
  // Foreign keys off while migrating, as SQLite's table-redefinition procedure requires: Prisma
  // redefines a table as "create new_X, copy, DROP X, rename", and its PRAGMA foreign_keys=OFF
  // inside migration.sql is a no-op within our transaction, so with keys on, DROP X would
  // cascade-delete every child row. foreign_key_check before each commit catches real damage.
  // Number(): the Prisma adapter's connection returns every integer as a BigInt.
  const foreignKeysWereOn = Number(db.pragma('foreign_keys', { simple: true })) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of migrations) {
      if (history.has(migration.name) || !applyOne(db, migration, databaseFile)) {
        outcome.alreadyApplied.push(migration.name);
      } else {
        outcome.applied.push(migration.name);
      }
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeysWereOn ? 'ON' : 'OFF'}`);
  }
  return outcome;
}
