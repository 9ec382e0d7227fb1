/**
 * The envelope of a forwarded call (docs/CLUSTER-PROTOCOL.md "Forwarded calls"): the caller
 * (null: the node itself, or a client's principal and host) before the request payload, and
 * OK-with-payload or a coded error in the response. Frames are the cluster port's own.
 */
import { CodedError } from '../../errors';
import type { RequestIdentity } from '../../security/principal';
import { FRAME_HEADER_BYTES, MalformedFrameError, MAX_FRAME_BYTES } from '../replication/protocol/messages';
import { encodeFrame } from '../replication/protocol/codec';
import { WireReader, WireWriter } from '../replication/protocol/wire-primitives';
import type { PeerApi } from './peer-api';

/** A coded error answered by the receiving node, rebuilt on the forwarding one with the same code. */
export class ForwardedCallError extends CodedError {
  override readonly retriable: boolean;
  constructor(
    readonly code: string,
    message: string,
    retriable: boolean,
    details: Record<string, unknown>,
  ) {
    super(message, details);
    this.retriable = retriable;
  }
}

export type PeerOutcome<Res> = { ok: true; response: Res } | { ok: false; error: ForwardedCallError };

export function writeCaller(w: WireWriter, caller: RequestIdentity | null): void {
  if (caller === null) {
    w.int8(0);
    return;
  }
  w.int8(1);
  w.string(caller.principal.type).string(caller.principal.name);
  w.nullableString(caller.host);
}

export function readCaller(r: WireReader): RequestIdentity | null {
  const kind = r.int8();
  if (kind === 0) return null;
  if (kind !== 1) throw new MalformedFrameError(`caller kind ${kind} is not 0 or 1`);
  const type = r.string();
  if (type !== 'User') throw new MalformedFrameError(`principal type ${type} is not User`);
  const name = r.string();
  const host = r.nullableString();
  return { principal: { type: 'User', name }, host };
}

export function encodePeerRequest<Req>(
  api: PeerApi<Req, unknown>,
  requestId: number,
  caller: RequestIdentity | null,
  request: Req,
): Buffer[] {
  return encodeFrame(
    requestId,
    api.apiKey,
    (w) => {
      writeCaller(w, caller);
      api.writeRequest(w, request);
    },
    api.apiVersion,
  );
}

export function encodePeerResponse<Res>(api: PeerApi<unknown, Res>, requestId: number, outcome: PeerOutcome<Res>): Buffer[] {
  return encodeFrame(
    requestId,
    api.apiKey,
    (w) => {
      if (outcome.ok) {
        w.int8(0);
        api.writeResponse(w, outcome.response);
        return;
      }
      const { error } = outcome;
      w.int8(1);
      w.string(error.code).string(truncate(error.message));
      w.int8(error.retriable ? 1 : 0);
      w.string(truncate(JSON.stringify(error.details ?? {})));
    },
    api.apiVersion,
  );
}

function truncate(text: string): string {
  return Buffer.byteLength(text, 'utf8') <= 32_767 ? text : Buffer.from(text, 'utf8').subarray(0, 32_000).toString('utf8');
}

/** The (apiKey, apiVersion, requestId) of a frame body; a body shorter than the header is malformed. */
export function peekHeader(body: Buffer): { apiKey: number; apiVersion: number; requestId: number } {
  if (body.length < FRAME_HEADER_BYTES) throw new MalformedFrameError(`frame body of ${body.length} bytes is shorter than its header`);
  return { apiKey: body.readInt16BE(0), apiVersion: body.readInt16BE(2), requestId: body.readInt32BE(4) };
}

export function decodePeerRequest<Req>(
  api: PeerApi<Req, unknown>,
  body: Buffer,
): { requestId: number; caller: RequestIdentity | null; request: Req } {
  const { requestId } = checkedHeader(api, body);
  const r = new WireReader(body, FRAME_HEADER_BYTES);
  const caller = readCaller(r);
  const request = api.readRequest(r);
  r.expectEnd();
  return { requestId, caller, request };
}

export function decodePeerResponse<Res>(api: PeerApi<unknown, Res>, body: Buffer): { requestId: number; outcome: PeerOutcome<Res> } {
  const { requestId } = checkedHeader(api, body);
  const r = new WireReader(body, FRAME_HEADER_BYTES);
  const status = r.int8();
  let outcome: PeerOutcome<Res>;
  if (status === 0) outcome = { ok: true, response: api.readResponse(r) };
  else if (status === 1) {
    const code = r.string();
    const message = r.string();
    const retriable = r.int8();
    if (retriable !== 0 && retriable !== 1) throw new MalformedFrameError(`retriable ${retriable} is not 0 or 1`);
    const details = parseDetails(r.string());
    outcome = { ok: false, error: new ForwardedCallError(code, message, retriable === 1, details) };
  } else throw new MalformedFrameError(`response status ${status} is not 0 or 1`);
  r.expectEnd();
  return { requestId, outcome };
}

function parseDetails(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedFrameError('error details are not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MalformedFrameError('error details are not a JSON object');
  return value as Record<string, unknown>;
}

function checkedHeader(api: PeerApi<unknown, unknown>, body: Buffer): { requestId: number } {
  const header = peekHeader(body);
  if (header.apiKey !== api.apiKey || header.apiVersion !== api.apiVersion)
    throw new MalformedFrameError(`frame is api ${header.apiKey} v${header.apiVersion}, not ${api.name} v${api.apiVersion}`);
  return { requestId: header.requestId };
}
