/**
 * Authentication at both doors (server/security/README.md): without a valid credential every
 * operation, introspection too, is UNAUTHENTICATED with HTTP 401 and changes nothing; graphql-ws
 * closes a connection_init without one with 4403; a revoked key stops working at once and its
 * open sockets are closed; failed attempts are limited per source address.
 */
import http from 'node:http';
import { collect, waitFor } from '../../support/test-node';
import { ADMIN_KEY, startSecureNode, type SecureNode } from './security-support';

let node: SecureNode;

beforeAll(async () => {
  node = await startSecureNode();
});

afterAll(async () => {
  await node?.stop();
});

function postFrom(localAddress: string, authorization: string): Promise<number> {
  const url = new URL(node.node.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', authorization },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query: '{ whoami }' }));
  });
}

describe('authentication', () => {
  test('without a credential every operation is UNAUTHENTICATED with 401, and nothing changes', async () => {
    for (const query of [
      '{ whoami }',
      '{ topics { name } }',
      '{ __schema { queryType { name } } }',
      'mutation { createTopic(input: {name: "nope"}) { name } }',
    ]) {
      const result = await node.as(null, query);
      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.data).toBeUndefined();
    }
    const get = await fetch(`${node.node.url}?query=${encodeURIComponent('{ __schema { queryType { name } } }')}`);
    expect(get.status).toBe(401);
    expect(get.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await get.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await node.as('lw_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '{ whoami }');
    expect(wrong.status).toBe(401);
    const topics = await node.okAs(ADMIN_KEY, '{ topics { name } }');
    expect(topics.topics).toEqual([]);
  });

  test('the bootstrap key is User:admin; a created key is its principal', async () => {
    expect((await node.okAs(ADMIN_KEY, '{ whoami }')).whoami).toBe('User:admin');
    const key = await node.keyFor('User:alice');
    expect(key.secret).toMatch(/^lw_[0-9a-f]{16}_/);
    expect((await node.okAs(key.secret, '{ whoami }')).whoami).toBe('User:alice');
    const keys = (await node.okAs(ADMIN_KEY, '{ apiKeys { id principal lastUsedAt } }')).apiKeys;
    expect(keys.find((k: { id: string }) => k.id === key.id)).toMatchObject({ principal: 'User:alice' });
    expect(JSON.stringify(keys)).not.toContain(key.secret.slice(20));
  });

  test('graphql-ws: a missing or wrong credential closes with 4403; a good one subscribes', async () => {
    expect(await node.wsAs(null).closed).toBe(4403);
    expect(await node.wsAs('lw_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').closed).toBe(4403);
    await node.okAs(ADMIN_KEY, 'mutation { createTopic(input: {name: "ws-ok"}) { name } }');
    await node.okAs(ADMIN_KEY, 'mutation { produce(input: {topic: "ws-ok", records: [{value: "a"}]}) { records { offset } } }');
    const { client } = node.wsAs(ADMIN_KEY);
    const sub = collect(
      client,
      'subscription { records(topic: "ws-ok", from: EARLIEST) { records { value } } }',
      {},
      (events) => events.length >= 1,
    );
    const events = await sub.done;
    expect(events[0].records.records[0].value).toBe('a');
  });

  test('a revoked key stops working at once and its open socket is closed with 4403', async () => {
    const key = await node.keyFor('User:bob');
    await node.allow([{ principal: 'User:bob', resourceType: 'TOPIC', resourceName: 'ws-ok', operation: 'READ' }]);
    const { client, closed } = node.wsAs(key.secret);
    const sub = collect(client, 'subscription { records(topic: "ws-ok", from: EARLIEST) { records { value } } }', {}, () => false);
    // Its subscription is live once the first batch arrived.
    await waitFor(() => sub.events.length > 0, 10_000, 'the first batch');
    expect((await node.okAs(key.secret, '{ whoami }')).whoami).toBe('User:bob');
    expect((await node.okAs(ADMIN_KEY, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id: key.id })).revokeApiKey).toBe(true);
    expect(await closed).toBe(4403);
    const after = await node.as(key.secret, '{ whoami }');
    expect(after.status).toBe(401);
    expect((await node.okAs(ADMIN_KEY, '{ apiKeys { id } }')).apiKeys.map((k: { id: string }) => k.id)).not.toContain(key.id);
  });

  test('failed attempts are limited per source address; another address is unaffected', async () => {
    const bad = 'Bearer lw_0123456789abcdef_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
    // 10 failures empty the bucket (it refills at 1/s, so a slow machine may need a few more).
    const statuses: number[] = [];
    while (statuses.length < 40 && statuses.at(-1) !== 429) statuses.push(await postFrom('127.0.0.2', bad));
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.at(-1)).toBe(429);
    // Even the right key is refused from that address while its budget is empty…
    expect(await postFrom('127.0.0.2', `Bearer ${ADMIN_KEY}`)).toBe(429);
    // …and works from another one.
    expect(await postFrom('127.0.0.3', `Bearer ${ADMIN_KEY}`)).toBe(200);
    // Requests with no credential at all are not guesses: they do not use up the budget.
    for (let i = 0; i < 15; i++) expect(await postFrom('127.0.0.4', '')).toBe(401);
    expect(await postFrom('127.0.0.4', `Bearer ${ADMIN_KEY}`)).toBe(200);
  });
});
