/**
 * Durable small files (checkpoints): write `<name>.tmp` → fsync → rename over `<name>` → fsync the
 * directory (docs/RELIABILITY.md §2.3 rule 4). A crash at any step leaves either the old complete
 * file or the new complete file, plus possibly a stray `.tmp` that readers ignore. fsync failures
 * surface as FsyncFailedError (fatal).
 *
 * Concurrency: callers serialize writes to one path (two concurrent writers would share the .tmp).
 */
import * as path from 'node:path';
import type { FileSystem } from './file-system';
import { FsyncFailedError } from './fsync-failed-error';

export const TMP_SUFFIX = '.tmp';

export async function syncDir(fs: FileSystem, dirPath: string): Promise<void> {
  try {
    await fs.fsyncDir(dirPath);
  } catch (error) {
    throw new FsyncFailedError(dirPath, error);
  }
}

export async function writeFileDurably(fs: FileSystem, filePath: string, data: Buffer): Promise<void> {
  const tmpPath = filePath + TMP_SUFFIX;
  const handle = await fs.open(tmpPath, 'create');
  try {
    await handle.truncate(0);
    await handle.write(data, 0);
    try {
      await handle.sync();
    } catch (error) {
      throw new FsyncFailedError(tmpPath, error);
    }
  } finally {
    await handle.close();
  }
  await fs.rename(tmpPath, filePath);
  await syncDir(fs, path.dirname(filePath));
}
