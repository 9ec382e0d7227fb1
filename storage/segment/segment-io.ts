/**
 * Small I/O helpers shared by the segment files: fsync with the fatal-error contract, and reading
 * a whole small file (an index) that may be missing.
 *
 * Stateless; safe to call concurrently on different files.
 */
import type { FileHandle, FileSystem } from '../io/file-system';
import { isNotFound } from '../io/file-system';
import { FsyncFailedError } from '../io/fsync-failed-error';

export async function syncFileHandle(handle: FileHandle): Promise<void> {
  try {
    await handle.sync();
  } catch (error) {
    throw new FsyncFailedError(handle.path, error);
  }
}

/** The file's bytes, or null when it does not exist. */
export async function readFileIfExists(fs: FileSystem, filePath: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(filePath);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
