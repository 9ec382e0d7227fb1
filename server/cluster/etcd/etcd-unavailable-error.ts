/**
 * etcd could not be reached: at start-up (the node does not start), or for a change of the
 * replicated security state (retriable; nothing was written, server/security/README.md "In a cluster").
 */
import { CodedError } from '../../../storage/index';

export class EtcdUnavailableError extends CodedError {
  readonly code = 'ETCD_UNAVAILABLE';
  override readonly retriable = true;
  constructor(endpoints: readonly string[], cause: unknown) {
    super(
      `cannot reach etcd at ${endpoints.join(',')} (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)})`,
      {},
      { cause },
    );
  }
}
