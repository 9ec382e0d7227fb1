/**
 * Small documents that cost a naive validator exponential work (issue #10): the node runs in a
 * child process so that a validation that pins its CPU shows up here as a request that never
 * answers, not as a stalled test process. The time bounds only guard "it answers at all";
 * bench/http/query-limits.ts prints how fast.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startNodeProcess as startChild } from '../../support/node-process';

const ANSWER_WITHIN_MS = 20_000;

/** `{ ...G0 } fragment G0 on Query { ...G1 ...G1 } …`: 2^levels paths, under 2 KB for 40 levels. */
function doublingFragments(levels: number): string {
  let text = '{ ...G0 }';
  for (let i = 0; i < levels; i++) text += ` fragment G${i} on Query { ...G${i + 1} ...G${i + 1} }`;
  return `${text} fragment G${levels} on Query { cluster { version } }`;
}

describe('hostile documents', () => {
  let child: ChildProcess;
  let port: number;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-hostile-'));
    ({ child, port } = await startChild(dataDir));
  }, 40_000);
  afterAll(async () => {
    child.kill('SIGKILL'); // a node pinned by a failing case would not drain on SIGTERM
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 40 levels of fragments that each spread the next twice, over HTTP, and keeps serving', async () => {
    const query = doublingFragments(40);
    expect(query.length).toBeLessThan(2_000);
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(typeof body.data.cluster.version).toBe('string');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    expect(health.status).toBe(200);
  }, 60_000);

  it('answers the same document over graphql-ws', async () => {
    const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const result = await new Promise<any>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer over graphql-ws')), ANSWER_WITHIN_MS);
        client.subscribe(
          { query: doublingFragments(40) },
          {
            next: (value) => {
              clearTimeout(timer);
              resolve(value);
            },
            error: (error) => {
              clearTimeout(timer);
              reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
            },
            complete: () => undefined,
          },
        );
      });
      expect(result.errors).toBeUndefined();
      expect(typeof result.data.cluster.version).toBe('string');
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it('answers a document at the token limit full of same-named fields (overlap checks) at all', async () => {
    const query = `{ ${'cluster { version } '.repeat(1_240)}}`;
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    // graphql-js meters the pairwise overlap comparisons and aborts past its budget: a validation
    // error is as good an answer as data; what must not happen is no answer, or a bug's code.
    const body = (await response.json()) as any;
    if (body.errors) expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    else expect(typeof body.data.cluster.version).toBe('string');
  }, 60_000);
});
