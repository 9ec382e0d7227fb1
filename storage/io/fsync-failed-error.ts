/**
 * FsyncFailedError: an fsync (file or directory) failed. Fatal by design (docs/RELIABILITY.md §2.3
 * rule 6, PostgreSQL "fsyncgate"): after a failed fsync Linux may have dropped the dirty pages and
 * a retry can report success for data that is gone. The log that saw it refuses every later
 * operation with this same error and the node's top level is expected to exit; recovery on the
 * next start (and re-replication) repairs the data. Never retried, never swallowed.
 */
import { CodedError } from '../errors';

export class FsyncFailedError extends CodedError {
  readonly code = 'FSYNC_FAILED';
  readonly fatal = true;
  constructor(filePath: string, cause: unknown) {
    super(`fsync of ${filePath} failed; the log is unusable until the process restarts`, { path: filePath }, { cause });
  }
}

export function isFsyncFailedError(error: unknown): error is FsyncFailedError {
  return error instanceof FsyncFailedError;
}
