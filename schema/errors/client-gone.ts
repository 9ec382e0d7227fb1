/**
 * Errors that only say the client went away while it was being served: its socket was reset or
 * closed under a write (`write ECONNRESET`, `EPIPE`, a stream destroyed with the connection). That
 * is normal life — a killed process, a closed laptop, a member leaving during group churn — not
 * a bug, so it is logged below warn; level 50 stays for real errors.
 */
const CLIENT_GONE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED']);

export function isClientGone(error: unknown): boolean {
  let current = error;
  // Through GraphQL's and Apollo's wrappers (originalError) and `cause` chains, a few levels deep.
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CLIENT_GONE_CODES.has(code)) return true;
    current = (current as { originalError?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
