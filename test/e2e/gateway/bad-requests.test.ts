/**
 * Bad requests at the HTTP and graphql-ws door (docs/RELIABILITY.md §5): each gets a typed error
 * with `extensions.code` and a real answer, and the node keeps serving. Black-box against a real
 * node over real sockets.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { collect, startTestNode, type TestNode } from '../../support/test-node';

const MiB = 1024 * 1024;

/** Sends a body of `bytes` in 1 MiB writes, `pauseMs` apart (a client on a slower link than loopback). */
function postSlowly(url: string, bytes: number, pauseMs: number): Promise<{ status?: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(MiB, 'x');
    let result: { status?: number; body: string; error?: string } = { body: '' };
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': bytes } }, (res) => {
      result.status = res.statusCode;
      res.on('data', (d) => (result.body += d));
      res.on('end', () => resolve(result));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      result = { ...result, error: error.code ?? error.message };
      if (result.status === undefined) resolve(result);
    });
    let sent = 0;
    const next = () => {
      if (sent >= bytes || req.destroyed) return req.end();
      const piece = chunk.subarray(0, Math.min(MiB, bytes - sent));
      sent += piece.length;
      req.write(piece, () => setTimeout(next, pauseMs));
    };
    next();
  });
}

/** A raw HTTP/1.1 exchange: writes the head, then `bodyBytes` in 1 MiB pieces; resolves with all bytes read. */
function rawExchange(port: number, head: string, bodyBytes: number, pauseMs: number): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let error: string | undefined;
    socket.on('data', (d) => (text += d));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
    socket.on('close', () => resolve({ text, error }));
    socket.write(head);
    let sent = 0;
    const chunk = Buffer.alloc(MiB, 'x');
    const timer = setInterval(() => {
      if (sent >= bodyBytes || socket.destroyed) return clearInterval(timer);
      const piece = chunk.subarray(0, Math.min(MiB, bodyBytes - sent));
      sent += piece.length;
      socket.write(piece);
    }, pauseMs);
    setTimeout(() => socket.destroy(), 30_000).unref();
  });
}

describe('bad requests', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "kept" }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  afterEach(async () => {
    // Whatever the bad request was, the node still serves and nothing stored changed.
    expect(await t.ok(`{ topic(name: "kept") { name } }`)).toEqual({ topic: { name: 'kept' } });
  });

  describe('a body over the limit', () => {
    it('answers 413 PAYLOAD_TOO_LARGE to a 50 MB body sent at a slower pace, before closing', async () => {
      const result = await postSlowly(t.node.url, 50 * MiB, 5);
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('closes with Connection: close after the 413 and no reset while the client is still sending', async () => {
      const bytes = 20 * MiB;
      const head = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${bytes}\r\n\r\n`;
      const { text, error } = await rawExchange(t.node.port, head, bytes, 5);
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text.toLowerCase()).toContain('connection: close');
      expect(text).toContain('PAYLOAD_TOO_LARGE');
      expect(error).toBeUndefined();
    });

    it('answers 413 instead of 100 Continue when the announced body is too large', async () => {
      const head = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${50 * MiB}\r\nexpect: 100-continue\r\n\r\n`;
      const { text } = await rawExchange(t.node.port, head, 0, 5);
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text).toContain('PAYLOAD_TOO_LARGE');
    });
  });

  describe('document size', () => {
    const big = (filler: string) => `{ topic(name: "kept") { name } ${filler} }`;
    it.each([
      ['whitespace', ' '.repeat(MiB)],
      ['commas', ','.repeat(MiB)],
      ['a string literal', `t: topic(name: "${'x'.repeat(MiB)}") { name }`],
    ])('refuses a 1 MB document of %s with QUERY_TOO_LARGE before parsing it', async (_what, filler) => {
      const result = await t.gql(big(filler));
      expect(result.status).toBe(400);
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_LARGE', queryBytesMax: 128 * 1024 });
    });

    it('still runs a large document under the cap', async () => {
      expect((await t.gql(big(' '.repeat(100 * 1024)))).data).toEqual({ topic: { name: 'kept' } });
    });

    it('refuses the same document over graphql-ws with the same code', async () => {
      const sub = collect(t.wsClient(), big(','.repeat(MiB)), {}, () => true);
      await expect(sub.done).rejects.toMatchObject({
        errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_LARGE' }) })],
      });
    });
  });

  describe('operation selection', () => {
    const two = `query A { topic(name: "kept") { name } } query B { cluster { version } }`;
    it('answers GRAPHQL_VALIDATION_FAILED for two operations and no operationName', async () => {
      const result = await t.gql(two);
      expect(result.status).toBe(400);
      expect(result.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(result.errors![0]!.extensions).not.toHaveProperty('http'); // Apollo's status note stays inside
    });

    it('answers GRAPHQL_VALIDATION_FAILED for an unknown operationName, and runs a known one', async () => {
      const unknown = await fetch(t.node.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: two, operationName: 'C' }),
      });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const known = await fetch(t.node.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: two, operationName: 'A' }),
      });
      expect(await known.json()).toEqual({ data: { topic: { name: 'kept' } } });
    });

    it('answers GRAPHQL_VALIDATION_FAILED over graphql-ws too', async () => {
      const sub = collect(t.wsClient(), two, {}, () => true);
      await expect(sub.done).rejects.toMatchObject({
        errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })],
      });
    });
  });

  describe('persisted queries', () => {
    it("answers PERSISTED_QUERY_HASH_MISMATCH (400) for a hash that is not the query's", async () => {
      const query = `{ topic(name: "kept") { name } }`;
      const response = await fetch(t.node.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    });

    it('registers a query with its right hash and then runs it by hash alone over GET', async () => {
      const query = `{ topic(name: "kept") { name } }`;
      const sha256Hash = createHash('sha256').update(query).digest('hex');
      const extensions = { persistedQuery: { version: 1, sha256Hash } };
      const register = await fetch(t.node.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, extensions }),
      });
      expect(await register.json()).toEqual({ data: { topic: { name: 'kept' } } });
      const byHash = await fetch(`${t.node.url}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`);
      expect(await byHash.json()).toEqual({ data: { topic: { name: 'kept' } } });
    });
  });
});
