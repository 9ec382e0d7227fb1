/**
 * Recognises errors after which a node must not keep running. An fsync failure is the case today
 * (docs/RELIABILITY.md rule 9, "fsyncgate"): Linux may have dropped the dirty pages, so a retry can
 * report success for data that is gone; the only safe move is to exit and recover on the next
 * start. storage/ marks such errors with `fatal: true` (FsyncFailedError, code FSYNC_FAILED); this
 * looks through the wrappers they travel in (GraphQLError.originalError, Error.cause, pino's `err`).
 */

const FATAL_CODES = new Set(['FSYNC_FAILED']);

/** Depth bound for the wrapper walk: real chains are 1–3 deep; 8 stops a cyclic `cause`. */
const WRAPPER_DEPTH_MAX = 8;

export function findFatalError(value: unknown): Error | null {
  let current: unknown = value;
  for (let depth = 0; depth < WRAPPER_DEPTH_MAX && current !== null && typeof current === 'object'; depth++) {
    const candidate = current as { fatal?: unknown; code?: unknown; originalError?: unknown; cause?: unknown; err?: unknown };
    if (candidate.fatal === true || (typeof candidate.code === 'string' && FATAL_CODES.has(candidate.code))) {
      return current instanceof Error ? current : new Error(String(candidate.code ?? 'fatal error'));
    }
    current = candidate.err ?? candidate.originalError ?? candidate.cause;
  }
  return null;
}
