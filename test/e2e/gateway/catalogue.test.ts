/**
 * Rows of the bad-input catalogue (docs/RELIABILITY.md §5) that concern HTTP, GraphQL and
 * graphql-ws, tried against a production-like node (introspection off) on both transports.
 */
import WebSocket from 'ws';
import { collect, startTestNode, type TestNode } from '../../support/test-node';

/** Opens a raw graphql-transport-ws socket, sends `messages` as it opens, resolves with the close code. */
function closeCodeAfter(url: string, messages: object[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'graphql-transport-ws');
    ws.on('open', () => messages.forEach((m) => ws.send(JSON.stringify(m))));
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => undefined);
    setTimeout(() => reject(new Error('socket stayed open')), 10_000);
  });
}

async function wsErrors(t: TestNode, query: string, variables: Record<string, unknown> = {}): Promise<any[]> {
  const sub = collect(t.wsClient(), query, variables, () => true);
  try {
    await sub.done;
  } catch (error) {
    return (error as { errors?: any[] }).errors ?? [];
  }
  throw new Error('expected errors');
}

describe('bad-input catalogue on HTTP and graphql-ws (introspection off)', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode(['--introspection', 'false']);
    await t.ok(`mutation { createTopic(input: { name: "kept" }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('#28: no "Did you mean" suggestions over HTTP or graphql-ws', async () => {
    for (const query of [`{ topicz { name } }`, `{ topics { nam } }`]) {
      const http = await t.gql(query);
      expect(http.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(http.errors)).not.toMatch(/did you mean/i);
      const ws = await wsErrors(t, query);
      expect(ws[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(ws)).not.toMatch(/did you mean/i);
    }
  });

  it('#28: __schema is refused on both transports', async () => {
    expect((await t.gql(`{ __schema { types { name } } }`)).status).toBe(400);
    expect((await wsErrors(t, `{ __schema { types { name } } }`))[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('#30: a variable of the wrong type is BAD_USER_INPUT on both transports', async () => {
    const query = `query($n: String!) { topic(name: $n) { name } }`;
    const http = await t.gql(query, { n: 5 });
    expect(http.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect((await wsErrors(t, query, { n: 5 }))[0].extensions.code).toBe('BAD_USER_INPUT');
    const subscription = `subscription($t: String!) { partitionState(topic: $t) { partition } }`;
    expect((await wsErrors(t, subscription, { t: 5 }))[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('#30: a variable used where another type is expected is a validation error on both transports', async () => {
    const query = `query($n: Int!) { topic(name: $n) { name } }`;
    expect((await t.gql(query, { n: 1 })).errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await wsErrors(t, query, { n: 1 }))[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('#23 and #27: depth 100 and a fragment cycle are refused at validation on both transports', async () => {
    let nested = 'version';
    for (let i = 0; i < 100; i++) nested = `cluster { ${nested} }`;
    const http = await t.gql(`{ ${nested} }`);
    expect(http.status).toBe(400);
    expect(http.errors!.map((e) => e.extensions!.code)).toContain('QUERY_TOO_COMPLEX');
    expect((await wsErrors(t, `{ ${nested} }`)).map((e) => e.extensions.code)).toContain('QUERY_TOO_COMPLEX');
    const cycleQuery = `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`;
    expect((await t.gql(cycleQuery)).errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const cycle = await wsErrors(t, cycleQuery);
    expect(cycle[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('#32: two connection_init messages close with 4429, none within 3 s with 4408', async () => {
    expect(await closeCodeAfter(t.node.wsUrl, [{ type: 'connection_init' }, { type: 'connection_init' }])).toBe(4429);
    expect(await closeCodeAfter(t.node.wsUrl, [])).toBe(4408);
  });
});
