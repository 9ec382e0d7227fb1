/**
 * The data dir's lock: `<data-dir>/.lock`, held exclusively for the node process's whole life so
 * a second node (or a second `startNode` in the same process) on the same data dir refuses to
 * start instead of appending to the same partitions (Kafka's `.lock` in each log dir).
 *
 * Why an SQLite file and not flock(2): Node has no flock/fcntl in its standard library, and the
 * npm packages that add one (fs-ext, …) are native addons to build. better-sqlite3 is already a
 * dependency, and SQLite's unix VFS locks a database with fcntl(F_SETLK) byte-range locks: a
 * kernel lock that belongs to this process and dies with it, `kill -9` included, so a stale lock
 * never outlives a crash (no PID file to clean up). `locking_mode=EXCLUSIVE` plus an open
 * `BEGIN EXCLUSIVE` transaction takes SQLite's EXCLUSIVE lock (a write lock on the file's lock
 * bytes) and keeps it until close(); another process's connection then fails its first read or
 * lock at once with SQLITE_BUSY (busy timeout 0), and so does another connection in this process,
 * because SQLite shares one lock table per file across the connections of a process. `journal_mode=MEMORY`: nothing but `.lock`
 * itself is ever created, and the file stays empty (0 bytes, nothing is written to it).
 *
 * Why not the catalog's own connection: catalog.db is in WAL mode, which lets other processes
 * open it and even write between our calls (test/server/catalog/open-and-lock.test.ts relies on that),
 * and the logs are opened independently of it; the lock must be taken before either is touched.
 *
 * Why here (server/, the composition root) and not in storage/: storage imports Node built-ins
 * only, and no built-in gives a lock the kernel drops at process death. LogManager therefore
 * assumes it owns its directory; whoever opens it as a library must hold this lock (or its own).
 *
 * POSIX caveat: closing *any* descriptor of a file drops every fcntl lock the process holds on it,
 * so nothing in the node may open `.lock` other than this module (SQLite itself defers such
 * closes for its own connections). On-disk layout: storage/FORMAT.md §10.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DataDirLockedError } from './errors';

export const LOCK_FILE_NAME = '.lock';

export interface DataDirLock {
  readonly file: string;
  /** Releases the lock (idempotent). The kernel releases it anyway when the process exits. */
  release(): void;
}

/** Creates the data dir if needed and takes its lock; throws DataDirLockedError when another holder has it. */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new DataDirLockedError(dataDir, file, error);
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new Error(`${file} is not a lock file a logway node wrote (it is not empty); it holds no data: remove it and start again`, {
        cause: error,
      });
    }
    throw new Error(`cannot take the data dir lock ${file}: ${(error as Error).message}`, { cause: error });
  }
  let held = true;
  return {
    file,
    release() {
      if (!held) return;
      held = false;
      db.close(); // rolls the empty transaction back and drops the fcntl lock
    },
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
