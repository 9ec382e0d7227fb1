/** A cluster member could not reach etcd at start-up (never shown to a GraphQL client: the node does not start). */
import { CodedError } from '../../../storage/index';

export class EtcdUnavailableError extends CodedError {
  readonly code = 'ETCD_UNAVAILABLE';
  constructor(endpoints: readonly string[], cause: unknown) {
    super(
      `cannot reach etcd at ${endpoints.join(',')} (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)})`,
      {},
      { cause },
    );
  }
}
