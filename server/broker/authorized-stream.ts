/**
 * A live stream that ends when its reader loses access: on every ACL change `stillAllowed` is
 * asked again, and if it answers an error the stream's pending and later `next()` reject with it
 * (TOPIC_AUTHORIZATION_FAILED for a lost READ) and the inner stream is closed (a group member
 * leaves its group). Checked on change only, never per batch.
 */
import type { CodedError } from '../errors';
import type { BrokerAccess } from './access';

export function endWhenDenied<T>(
  inner: AsyncIterableIterator<T>,
  access: BrokerAccess,
  stillAllowed: () => CodedError | null,
): AsyncIterableIterator<T> {
  let denied: CodedError | null = null;
  // The reject of the one next() in flight (consumers await each batch), so a denial ends it at
  // once; one slot, not a promise raced by every call, which would pile up a reaction per batch.
  let rejectPending: ((error: CodedError) => void) | null = null;
  const stop = access.onAclChange(() => {
    if (denied) return;
    denied = stillAllowed();
    if (!denied) return;
    stop();
    rejectPending?.(denied);
    rejectPending = null;
    void inner.return?.().catch(() => undefined);
  });
  return {
    next() {
      if (denied) return Promise.reject(denied);
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        rejectPending = reject;
        inner.next().then(
          (result) => {
            rejectPending = null;
            if (result.done) stop();
            resolve(result);
          },
          (error: unknown) => {
            rejectPending = null;
            reject(error);
          },
        );
      });
    },
    async return(value?: unknown) {
      stop();
      if (inner.return) return inner.return(value);
      return { done: true, value: value as T };
    },
    async throw(error?: unknown) {
      stop();
      if (inner.throw) return inner.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
