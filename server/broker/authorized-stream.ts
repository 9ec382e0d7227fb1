/**
 * A live stream that ends when its reader loses access: on every ACL change `stillAllowed` is
 * asked again, and if it answers an error the stream's pending and later `next()` reject with it
 * (TOPIC_AUTHORIZATION_FAILED for a lost READ) and the inner stream is closed (a group member
 * leaves its group). Checked on change only, never per batch.
 */
import type { CodedError } from '../errors';
import type { BrokerAccess } from './access';

export function endWhenDenied<T>(inner: AsyncIterableIterator<T>, access: BrokerAccess, stillAllowed: () => CodedError | null): AsyncIterableIterator<T> {
  let denied: CodedError | null = null;
  let reject: (error: CodedError) => void = () => undefined;
  const revoked = new Promise<never>((_resolve, rejectWith) => {
    reject = rejectWith;
  });
  revoked.catch(() => undefined); // nobody may be waiting when it fires
  const stop = access.onAclChange(() => {
    if (denied) return;
    denied = stillAllowed();
    if (!denied) return;
    stop();
    reject(denied);
    void inner.return?.().catch(() => undefined);
  });
  return {
    async next() {
      if (denied) throw denied;
      const result = await Promise.race([inner.next(), revoked]);
      if (result.done) stop();
      return result;
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
