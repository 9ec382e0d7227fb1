/**
 * Preparing the catalog's SQLite connection, and telling SQLite's failures apart.
 *
 * Pragmas, each for a reason:
 * - journal_mode=WAL: readers never block the writer, and a commit is one append to the -wal file.
 * - synchronous=FULL: the WAL is fsynced at every commit. With WAL, NORMAL only syncs at
 *   checkpoints, so a power loss can drop the last transactions; a committed offset that
 *   disappears makes a consumer re-read (or, after a reset, skip) records, so commits pay the fsync.
 * - foreign_keys=ON: SQLite's default is OFF per connection, and the catalog relies on ON DELETE
 *   CASCADE (topic → configs, partitions, committed offsets; group → members).
 * - busy_timeout: set by the driver from busyTimeoutMs. better-sqlite3 is synchronous, so a wait
 *   for another connection's lock blocks the event loop for up to that long; keep it small.
 *
 * At open, `PRAGMA quick_check` (O(pages), about 1 ms for a catalog of a few MB) must say "ok",
 * else the node refuses to start with CatalogCorruptError naming the file.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { CatalogBusyError, CatalogCorruptError } from '../errors';

/** SQLite result codes (primary code = low 8 bits of the extended code). */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/** How many quick_check complaints go into the error message (it can list thousands). */
const QUICK_CHECK_REPORTED_MAX = 5;

function sqliteCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * True for "the database is locked by someone else", whether raised by better-sqlite3 directly
 * (SqliteError code SQLITE_BUSY or SQLITE_LOCKED, or an extended code of either) or through Prisma, whose driver adapter turns
 * SQLITE_BUSY into a DriverAdapterError of kind SocketTimeout (keeping originalCode) that the
 * client reports as P1008 with the adapter error in meta.driverAdapterError.
 */
export function isBusyError(error: unknown): boolean {
  const pending: unknown[] = [error];
  for (let visited = 0; pending.length > 0 && visited < 8; visited += 1) {
    const e = pending.shift() as Record<string, unknown> | null | undefined;
    if (e === null || typeof e !== 'object') continue;
    for (const code of [e.code, e.originalCode]) {
      if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) return true;
    }
    if (typeof e.extendedCode === 'number' && [SQLITE_BUSY, SQLITE_LOCKED].includes(e.extendedCode & 0xff)) return true;
    pending.push(e.cause, (e.meta as Record<string, unknown> | undefined)?.driverAdapterError);
  }
  return false;
}

function isCorruptionError(error: unknown): boolean {
  const code = sqliteCodeOf(error);
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code?.startsWith('SQLITE_CORRUPT_') === true;
}

/** Maps a failure at open to the catalog's errors; anything else is rethrown as is. */
export function toOpenError(error: unknown, databaseFile: string): unknown {
  if (isBusyError(error)) return new CatalogBusyError(error);
  if (isCorruptionError(error)) {
    return new CatalogCorruptError(
      `catalog database ${databaseFile} is corrupt or not an SQLite database (${(error as Error).message}); ` +
        'restore it from a backup or move it aside',
      { databaseFile },
      error,
    );
  }
  return error;
}

/** Sets the pragmas and checks the file; throws CatalogCorruptError or CatalogBusyError. */
export function prepareDatabase(db: BetterSqlite3.Database, databaseFile: string): void {
  try {
    const journalMode = db.pragma('journal_mode = WAL', { simple: true });
    if (journalMode !== 'wal') throw new Error(`could not switch ${databaseFile} to WAL (journal_mode is ${String(journalMode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new CatalogCorruptError(
        `catalog database ${databaseFile} fails PRAGMA quick_check: ${problems.slice(0, QUICK_CHECK_REPORTED_MAX).join('; ')}` +
          (problems.length > QUICK_CHECK_REPORTED_MAX ? ` (and ${problems.length - QUICK_CHECK_REPORTED_MAX} more)` : ''),
        { databaseFile, problems: problems.slice(0, QUICK_CHECK_REPORTED_MAX) },
      );
    }
  } catch (error) {
    throw toOpenError(error, databaseFile);
  }
}

/**
 * prisma/migrations, found by walking up from this file: ../../prisma from server/catalog in the
 * sources, ../../../prisma from dist/server/catalog once compiled.
 */
export function locateMigrationsDir(fromDir: string = __dirname): string {
  for (let dir = fromDir, steps = 0; steps < 5; dir = dirname(dir), steps += 1) {
    const candidate = join(dir, 'prisma', 'migrations');
    if (existsSync(join(candidate, 'migration_lock.toml'))) return candidate;
  }
  throw new Error(`prisma/migrations not found above ${fromDir}`);
}
