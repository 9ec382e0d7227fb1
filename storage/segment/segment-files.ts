/**
 * Moving a segment's files (`.log`, `.index`, `.timeindex`, and `.txnindex` when it has one) between named states
 * ('' live, `.cleaned`, `.swap`, `.deleted`) — the steps of retention, compaction and truncation.
 * The `.log` is always renamed LAST when entering a state and the order is fixed, so the loader can
 * treat "the .log has the suffix" as "the whole segment reached that state". Missing index files
 * are skipped (indexes are rebuildable).
 *
 * Stateless; callers serialize changes to one segment under the log lock.
 */
import type { FileSystem } from '../io/file-system';
import { isNotFound } from '../io/file-system';
import { INDEX_SUFFIX, LOG_SUFFIX, segmentFilePath, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX } from './file-names';

/** Indexes first, the .log last. */
const RENAME_ORDER = [INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX, LOG_SUFFIX] as const;

export async function renameSegmentFiles(
  fs: FileSystem,
  dir: string,
  baseOffset: number,
  fromState: string,
  toState: string,
): Promise<void> {
  for (const suffix of RENAME_ORDER) {
    try {
      await fs.rename(segmentFilePath(dir, baseOffset, suffix, fromState), segmentFilePath(dir, baseOffset, suffix, toState));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

export async function unlinkSegmentFiles(fs: FileSystem, dir: string, baseOffset: number, state: string): Promise<void> {
  for (const suffix of RENAME_ORDER) {
    await unlinkIfExists(fs, segmentFilePath(dir, baseOffset, suffix, state));
  }
}

export async function unlinkIfExists(fs: FileSystem, filePath: string): Promise<void> {
  try {
    await fs.unlink(filePath);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
