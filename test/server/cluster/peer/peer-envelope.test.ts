/**
 * The forwarded-call envelope (docs/CLUSTER-PROTOCOL.md "Forwarded calls"): the caller and the
 * OK/ERROR answer round-trip through frames; every malformed input (wrong api, bad caller kind,
 * bad principal type, truncation, trailing bytes, bad status, bad retriable flag, details that are
 * not a JSON object) is refused with MalformedFrameError.
 */
import type { PeerApi } from '../../../../server/cluster/peer/peer-api';
import {
  decodePeerRequest,
  decodePeerResponse,
  encodePeerRequest,
  encodePeerResponse,
  ForwardedCallError,
} from '../../../../server/cluster/peer/peer-envelope';
import { FrameSplitter } from '../../../../server/cluster/replication/protocol/frame-splitter';
import { MalformedFrameError } from '../../../../server/cluster/replication/protocol/messages';

/** A test call: request {n, s}, response {s}. */
const ECHO: PeerApi<{ n: number; s: string }, { s: string }> = {
  apiKey: 1050,
  apiVersion: 1,
  name: 'ECHO',
  writeRequest: (w, req) => void w.int32(req.n).string(req.s),
  readRequest: (r) => ({ n: r.int32(), s: r.string() }),
  writeResponse: (w, res) => void w.string(res.s),
  readResponse: (r) => ({ s: r.string() }),
};
const OTHER: PeerApi<{ n: number; s: string }, { s: string }> = { ...ECHO, apiKey: 1051, name: 'OTHER' };

function body(parts: Buffer[]): Buffer {
  const [b] = new FrameSplitter().push(Buffer.concat(parts));
  return b!;
}

const alice = { principal: { type: 'User' as const, name: 'alice' }, host: '127.0.0.1' };

describe('forwarded call envelope', () => {
  it.each([
    ['a client with a host', alice],
    ['a client without a host', { principal: { type: 'User' as const, name: 'bob' }, host: null }],
    ['the node itself', null],
  ])('round-trips the request of %s', (_label, caller) => {
    const decoded = decodePeerRequest(ECHO, body(encodePeerRequest(ECHO, 7, caller, { n: -3, s: 'héllo' })));
    expect(decoded).toEqual({ requestId: 7, caller, request: { n: -3, s: 'héllo' } });
  });

  it('round-trips an OK answer and a coded error answer', () => {
    expect(decodePeerResponse(ECHO, body(encodePeerResponse(ECHO, 9, { ok: true, response: { s: 'x' } })))).toEqual({
      requestId: 9,
      outcome: { ok: true, response: { s: 'x' } },
    });
    const error = new ForwardedCallError('NOT_LEADER_OR_FOLLOWER', 'not the leader', true, { topic: 't', partition: 2 });
    const { outcome } = decodePeerResponse(ECHO, body(encodePeerResponse(ECHO, 9, { ok: false, error })));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(ForwardedCallError);
    expect([outcome.error.code, outcome.error.message, outcome.error.retriable, outcome.error.details]).toEqual([
      'NOT_LEADER_OR_FOLLOWER',
      'not the leader',
      true,
      { topic: 't', partition: 2 },
    ]);
  });

  const request = () => body(encodePeerRequest(ECHO, 1, alice, { n: 1, s: 'a' }));
  const header = (rest: number[]) => Buffer.concat([request().subarray(0, 8), Buffer.from(rest)]);

  it.each<[string, () => Buffer]>([
    ['a body shorter than the header', () => Buffer.from([0, 1, 0])],
    ['another api', () => body(encodePeerRequest(OTHER, 1, alice, { n: 1, s: 'a' }))],
    [
      'another version',
      () => {
        const b = Buffer.from(request());
        b.writeInt16BE(2, 2);
        return b;
      },
    ],
    ['caller kind 2', () => header([2])],
    ['a principal type other than User', () => header([1, 0, 5, ...Buffer.from('Group'), 0, 1, 0x61, 0xff, 0xff, 0, 0, 0, 1, 0, 0])],
    ['a truncated caller', () => header([1, 0, 4])],
    ['a negative host length other than -1', () => header([1, 0, 4, ...Buffer.from('User'), 0, 1, 0x61, 0xff, 0xfe])],
    ['a truncated payload', () => request().subarray(0, request().length - 1)],
    ['trailing bytes', () => Buffer.concat([request(), Buffer.from([0])])],
  ])('refuses a request with %s', (_label, make) => {
    expect(() => decodePeerRequest(ECHO, make())).toThrow(MalformedFrameError);
  });

  const errorFrame = (status: number, retriable: number, details: string) => {
    const parts = encodePeerResponse(ECHO, 1, {
      ok: false,
      error: new ForwardedCallError('X', 'm', false, {}),
    });
    const b = body(parts);
    const head = b.subarray(0, 8);
    const str = (s: string) => {
      const bytes = Buffer.from(s);
      const len = Buffer.alloc(2);
      len.writeInt16BE(bytes.length);
      return Buffer.concat([len, bytes]);
    };
    return Buffer.concat([head, Buffer.from([status]), str('X'), str('m'), Buffer.from([retriable]), str(details)]);
  };

  it.each<[string, () => Buffer]>([
    ['status 2', () => errorFrame(2, 0, '{}')],
    ['retriable 2', () => errorFrame(1, 2, '{}')],
    ['details that are not JSON', () => errorFrame(1, 0, '{')],
    ['details that are a JSON array', () => errorFrame(1, 0, '[]')],
    ['details that are JSON null', () => errorFrame(1, 0, 'null')],
    ['a truncated OK payload', () => body(encodePeerResponse(ECHO, 1, { ok: true, response: { s: 'abc' } })).subarray(0, 12)],
    ['trailing bytes', () => Buffer.concat([errorFrame(1, 0, '{}'), Buffer.from([1])])],
    ['another api', () => body(encodePeerResponse(OTHER, 1, { ok: true, response: { s: 'a' } }))],
  ])('refuses a response with %s', (_label, make) => {
    expect(() => decodePeerResponse(ECHO, make())).toThrow(MalformedFrameError);
  });

  it('the hand-built error frame is itself well formed (the cases above differ from it only where they say)', () => {
    expect(decodePeerResponse(ECHO, errorFrame(1, 1, '{"a":1}')).outcome).toMatchObject({
      ok: false,
      error: { code: 'X', retriable: true },
    });
  });
});
