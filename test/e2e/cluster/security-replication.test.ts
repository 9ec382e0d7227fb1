/**
 * Security across a real cluster (server/security/README.md "In a cluster"): three node processes
 * and one etcd, auth required, the same --bootstrap-admin-key on each. One bootstrap key exists;
 * a key created on node 1 works on nodes 2 and 3; an ACL DENY added on node 2 refuses on node 3;
 * a quota set on node 3 throttles a producer on node 1; a key revoked on node 1 closes its WebSocket on node 2 (4403) and is refused there over HTTP;
 * with etcd down checks still answer from the mirrored state, changes answer ETCD_UNAVAILABLE and
 * nothing is half-written.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { useTestCluster } from '../../support/cluster/cluster-harness';
import { postGraphQL } from '../../support/node-process';

jest.setTimeout(180_000);

const ADMIN_KEY = 'cluster-admin-secret-0123456789';

describe('security replicated through etcd', () => {
  const cluster = useTestCluster(3, ['--auth', 'required', '--bootstrap-admin-key', ADMIN_KEY]);

  const as = (nodeId: number, credential: string, query: string, variables?: object): Promise<any> =>
    postGraphQL(cluster.node(nodeId).process!.url, query, variables, { authorization: `Bearer ${credential}` });
  const okAs = async (nodeId: number, credential: string, query: string, variables?: object): Promise<any> => {
    const body = await as(nodeId, credential, query, variables);
    if (body.errors?.length) throw new Error(`node ${nodeId}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const createKey = async (nodeId: number, principal: string): Promise<{ id: string; secret: string }> =>
    (await okAs(nodeId, ADMIN_KEY, 'mutation($p: String!) { createApiKey(principal: $p) { id secret } }', { p: principal })).createApiKey;
  const whoami = (nodeId: number, secret: string) => as(nodeId, secret, '{ whoami }');

  it('makes one bootstrap key however many nodes start with it', async () => {
    for (const id of [1, 2, 3]) {
      const keys = (await okAs(id, ADMIN_KEY, '{ apiKeys { id principal } }')).apiKeys;
      expect(keys.filter((k: { principal: string }) => k.principal === 'User:admin')).toHaveLength(1);
    }
  });

  it('a key created on node 1 works on nodes 2 and 3', async () => {
    const key = await createKey(1, 'User:alice');
    for (const id of [2, 3]) {
      const body = await cluster.waitFor(`node ${id} to accept the key`, async () => {
        const answer = await whoami(id, key.secret);
        return answer.data?.whoami ? answer : undefined;
      });
      expect(body.data.whoami).toBe('User:alice');
    }
    expect((await okAs(3, ADMIN_KEY, '{ apiKeys { id } }')).apiKeys.map((k: { id: string }) => k.id)).toContain(key.id);
  });

  it('an ACL DENY added on node 2 refuses on node 3', async () => {
    const key = await createKey(2, 'User:carol');
    const read = `{ records(topic: "payroll", partition: 0, offset: 0, limit: 1) { records { offset } } }`;
    await okAs(2, ADMIN_KEY, 'mutation($a: [AclInput!]!) { createAcls(acls: $a) { principal } }', {
      a: [{ principal: 'User:carol', resourceType: 'TOPIC', resourceName: '*', operation: 'READ' }],
    });
    // Allowed (the topic does not exist, so that is what node 3 says once it has the ALLOW).
    await cluster.waitFor('node 3 to apply the ALLOW', async () =>
      (await as(3, key.secret, read)).errors?.[0]?.extensions?.code === 'UNKNOWN_TOPIC_OR_PARTITION' ? true : undefined,
    );
    await okAs(2, ADMIN_KEY, 'mutation($a: [AclInput!]!) { createAcls(acls: $a) { principal } }', {
      a: [{ principal: 'User:carol', resourceType: 'TOPIC', resourceName: 'payroll', operation: 'READ', permission: 'DENY' }],
    });
    await cluster.waitFor('node 3 to apply the DENY', async () =>
      (await as(3, key.secret, read)).errors?.[0]?.extensions?.code === 'TOPIC_AUTHORIZATION_FAILED' ? true : undefined,
    );
  });

  it('a quota set on node 3 throttles a producer on node 1', async () => {
    const key = await createKey(1, 'User:frank');
    await okAs(1, ADMIN_KEY, 'mutation { createTopic(input: { name: "metered", partitions: 3, replicationFactor: 1 }) { name } }');
    await okAs(1, ADMIN_KEY, 'mutation($a: [AclInput!]!) { createAcls(acls: $a) { principal } }', {
      a: [{ principal: 'User:frank', resourceType: 'TOPIC', resourceName: 'metered', operation: 'WRITE' }],
    });
    const partition: number = await cluster.waitFor('a partition of "metered" led by node 1', async () => {
      const data = await okAs(1, ADMIN_KEY, '{ topic(name: "metered") { partitions { partition leader } } }');
      return data.topic?.partitions.find((p: { leader: number | null }) => p.leader === 1)?.partition;
    });
    await okAs(3, ADMIN_KEY, 'mutation { setQuota(principal: "User:frank", producerByteRate: 2000) { principal } }');
    await cluster.waitFor('node 1 to list the quota', async () =>
      (await okAs(1, ADMIN_KEY, '{ quotas { principal } }')).quotas.some((q: { principal: string }) => q.principal === 'User:frank')
        ? true
        : undefined,
    );
    const records = Array.from({ length: 20 }, (_, i) => ({ value: `${i}:${'x'.repeat(500)}`, partition }));
    const produce =
      'mutation($r: [RecordInput!]!) { produce(input: { topic: "metered", records: $r }) { throttleTimeMs records { offset } } }';
    // 10 KB a call over a 2,000 B/s quota measured over 10 s: by the third call the rate is over it
    // (without the replicated quota node 1 never throttles, and this times out).
    let calls = 0;
    const throttled = await cluster.waitFor('a throttled produce on node 1', async () => {
      const body = await as(1, key.secret, produce, { r: records });
      if (body.errors) return undefined;
      calls++;
      expect(body.data.produce.records).toHaveLength(20);
      return body.data.produce.throttleTimeMs > 0 ? body : undefined;
    });
    expect(throttled.extensions.throttleTimeMs).toBe(throttled.data.produce.throttleTimeMs);
    expect(calls).toBeLessThanOrEqual(4);
  });

  it('a key revoked on node 1 closes its WebSocket on node 2 and is refused there', async () => {
    const key = await createKey(1, 'User:dave');
    await cluster.waitFor('node 2 to accept the key', async () => ((await whoami(2, key.secret)).data?.whoami ? true : undefined));
    let connected = () => {};
    const opened = new Promise<void>((resolve) => (connected = resolve));
    let onClosed: (code: number) => void = () => undefined;
    const closed = new Promise<number>((resolve) => (onClosed = resolve));
    const client = createClient({
      url: cluster.node(2).process!.url.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${key.secret}` },
      on: { connected: () => connected(), closed: (event) => onClosed((event as { code: number }).code) },
      onNonLazyError: () => undefined,
    });
    try {
      await opened;
      expect((await okAs(1, ADMIN_KEY, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id: key.id })).revokeApiKey).toBe(true);
      expect(await closed).toBe(4403);
      const after = await whoami(2, key.secret);
      expect(after.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });

  it('with etcd down checks still answer, changes answer ETCD_UNAVAILABLE and nothing is half-written', async () => {
    const key = await createKey(1, 'User:erin');
    await cluster.waitFor('node 3 to accept the key', async () => ((await whoami(3, key.secret)).data?.whoami ? true : undefined));
    const aclsBefore = (await okAs(2, ADMIN_KEY, '{ acls { principal resourceName operation permission } }')).acls;
    await cluster.etcd.kill();
    try {
      expect((await whoami(3, key.secret)).data.whoami).toBe('User:erin');
      const change = await as(2, ADMIN_KEY, 'mutation($a: [AclInput!]!) { createAcls(acls: $a) { principal } }', {
        a: [
          { principal: 'User:erin', resourceType: 'TOPIC', resourceName: 'a', operation: 'READ' },
          { principal: 'User:erin', resourceType: 'TOPIC', resourceName: 'b', operation: 'WRITE' },
        ],
      });
      expect(change.errors[0].extensions).toMatchObject({ code: 'ETCD_UNAVAILABLE', retriable: true });
      const revoke = await as(1, ADMIN_KEY, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id: key.id });
      expect(revoke.errors[0].extensions.code).toBe('ETCD_UNAVAILABLE');
    } finally {
      await cluster.etcd.restart();
    }
    for (const id of [1, 2, 3]) {
      await cluster.waitFor(`node ${id} to answer after the restart`, async () =>
        (await whoami(id, key.secret)).data?.whoami ? true : undefined,
      );
      expect((await okAs(id, ADMIN_KEY, '{ acls { principal resourceName operation permission } }')).acls).toEqual(aclsBefore);
    }
  });
});
