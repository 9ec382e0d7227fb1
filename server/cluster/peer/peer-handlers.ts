/**
 * The receiving side of forwarded calls (docs/CLUSTER-PROTOCOL.md "Forwarded calls"): one
 * registry of handlers by (apiKey, apiVersion). The cluster port hands it every frame whose
 * apiKey is registered; the handler gets the decoded request and the carried caller (which it
 * authorizes again through server/broker/access.ts) and its answer or coded error is framed back.
 */
import { isCodedError } from '../../../storage/index';
import type { RequestIdentity } from '../../security/principal';
import { API_FETCH, API_OFFSETS_FOR_LEADER_EPOCH } from '../replication/protocol/messages';
import type { PeerApi } from './peer-api';
import { decodePeerRequest, encodePeerResponse, ForwardedCallError, peekHeader, type PeerOutcome } from './peer-envelope';

export type PeerHandler<Req, Res> = (request: Req, caller: RequestIdentity | null, connectionClosed: AbortSignal) => Promise<Res> | Res;

interface Registered {
  api: PeerApi<unknown, unknown>;
  handle: PeerHandler<unknown, unknown>;
}

export class PeerHandlers {
  private readonly byKey = new Map<number, Registered>();

  register<Req, Res>(api: PeerApi<Req, Res>, handle: PeerHandler<Req, Res>): void {
    if (api.apiKey === API_FETCH || api.apiKey === API_OFFSETS_FOR_LEADER_EPOCH)
      throw new Error(`api ${api.apiKey} is replication's, not a forwarded call`);
    if (this.byKey.has(api.apiKey)) throw new Error(`a handler for api ${api.apiKey} (${api.name}) is registered already`);
    this.byKey.set(api.apiKey, { api: api as PeerApi<unknown, unknown>, handle: handle as PeerHandler<unknown, unknown> });
  }

  /** Whether this frame body is a forwarded call this registry answers (its apiKey is registered). */
  accepts(body: Buffer): boolean {
    return body.length >= 2 && this.byKey.has(body.readInt16BE(0));
  }

  /**
   * Decodes (throws MalformedFrameError, synchronously, for a bad frame: the port closes the
   * connection) and returns the framed answer; a handler's failure is an ERROR answer, never a throw.
   */
  serve(body: Buffer, connectionClosed: AbortSignal): { apiName: string; answer: Promise<Buffer[]> } {
    const { apiKey } = peekHeader(body);
    const entry = this.byKey.get(apiKey)!;
    const { requestId, caller, request } = decodePeerRequest(entry.api, body);
    const answer = Promise.resolve()
      .then(() => entry.handle(request, caller, connectionClosed))
      .then(
        (response): PeerOutcome<unknown> => ({ ok: true, response }),
        (error: unknown): PeerOutcome<unknown> => ({ ok: false, error: asForwarded(error) }),
      )
      .then((outcome) => encodePeerResponse(entry.api, requestId, outcome));
    return { apiName: entry.api.name, answer };
  }
}

function asForwarded(error: unknown): ForwardedCallError {
  if (isCodedError(error)) return new ForwardedCallError(error.code, error.message, error.retriable, { ...error.details });
  return new ForwardedCallError('INTERNAL_SERVER_ERROR', 'the node that received the forwarded call failed', false, {});
}
