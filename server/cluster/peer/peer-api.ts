/**
 * One forwarded call's codec (docs/CLUSTER-PROTOCOL.md "Forwarded calls"): its apiKey and
 * version and how its request and response payloads are written and read. Another call is
 * added by writing one of these and registering a handler (peer-handlers.ts).
 */
import type { WireReader, WireWriter } from '../replication/protocol/wire-primitives';

export interface PeerApi<Req, Res> {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly name: string;
  writeRequest(w: WireWriter, request: Req): void;
  /** Throws MalformedFrameError for anything the document does not allow. */
  readRequest(r: WireReader): Req;
  writeResponse(w: WireWriter, response: Res): void;
  readResponse(r: WireReader): Res;
}
