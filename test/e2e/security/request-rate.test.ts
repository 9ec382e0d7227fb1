/**
 * Request rate limits per source (server/security/README.md "Request rate limits per
 * connection"), on a node started with --max-requests-per-second 5: a burst of HTTP requests from
 * one address gets 429 THROTTLED with Retry-After past the bucket, another address is served at
 * once; over graphql-ws a flooding connection's operations get THROTTLED errors while another
 * connection is served; a throttled source is served again once it waited retryAfterMs.
 */
import http from 'node:http';
import { sleep, startTestNode, type TestNode } from '../../support/test-node';

const RATE = 5;
let node: TestNode;

beforeAll(async () => {
  node = await startTestNode(['--max-requests-per-second', String(RATE)]);
});

afterAll(async () => {
  await node?.stop();
});

function post(localAddress: string): Promise<{ status: number; retryAfter: string | undefined; body: any }> {
  const url = new URL(node.node.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query: '{ topics { name } }' }));
  });
}

function runOverWs(client: ReturnType<TestNode['wsClient']>): Promise<any> {
  return new Promise((resolve) => {
    let value: any;
    client.subscribe(
      { query: '{ topics { name } }' },
      {
        next: (v) => (value = v),
        error: (errors) => resolve({ errors }),
        complete: () => resolve(value),
      },
    );
  });
}

describe('request rate limits', () => {
  test('HTTP: past the burst one address gets 429 THROTTLED with Retry-After; another address is served', async () => {
    const answers = await Promise.all(Array.from({ length: RATE * 12 }, () => post('127.0.0.1')));
    const ok = answers.filter((a) => a.status === 200);
    const throttled = answers.filter((a) => a.status === 429);
    expect(ok.length).toBeGreaterThanOrEqual(RATE);
    expect(throttled.length).toBeGreaterThan(0);
    expect(ok.length + throttled.length).toBe(answers.length);
    const refusal = throttled[0]!;
    expect(Number(refusal.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refusal.body.errors[0].extensions).toMatchObject({ code: 'THROTTLED', retriable: true, maxRequestsPerSecond: RATE });
    expect(refusal.body.errors[0].extensions.retryAfterMs).toBeGreaterThan(0);
    expect(refusal.body.data).toBeUndefined();

    const other = await post('127.0.0.2');
    expect(other.status).toBe(200);
    expect(other.body.data.topics).toEqual([]);

    // A client that waits what each refusal says is served again (within a few tries: the burst's
    // last requests may have taken tokens that came in after the first refusal was answered).
    let answer = await post('127.0.0.1');
    for (let attempt = 0; attempt < 5 && answer.status === 429; attempt++) {
      await sleep(answer.body.errors[0].extensions.retryAfterMs + 20);
      answer = await post('127.0.0.1');
    }
    expect(answer.status).toBe(200);
  });

  test('graphql-ws: a flooding connection gets THROTTLED errors; another connection is served', async () => {
    const flooder = node.wsClient();
    const results = await Promise.all(Array.from({ length: RATE * 12 }, () => runOverWs(flooder)));
    const served = results.filter((r) => r?.data);
    const throttled = results.filter((r) => r?.errors);
    expect(served.length).toBeGreaterThanOrEqual(RATE);
    expect(throttled.length).toBeGreaterThan(0);
    expect(served.length + throttled.length).toBe(results.length);
    expect(throttled[0].errors[0].extensions).toMatchObject({ code: 'THROTTLED', retriable: true });

    const other = await runOverWs(node.wsClient());
    expect(other.data.topics).toEqual([]);

    let again = await runOverWs(flooder);
    for (let attempt = 0; attempt < 5 && again.errors; attempt++) {
      await sleep(again.errors[0].extensions.retryAfterMs + 20);
      again = await runOverWs(flooder);
    }
    expect(again.data.topics).toEqual([]);
  });
});
