/**
 * Client quotas over GraphQL (server/security/README.md "Quotas"): setQuota / quotas / deleteQuota
 * need ALTER / DESCRIBE on the cluster, are audited and survive a restart; a produce over its
 * principal's producer byte rate is answered late with `extensions.throttleTimeMs` > 0 and every
 * record stored; a subscription and a pull consumer over the consumer byte rate get their batches
 * late (`throttleTimeMs` > 0) and every record. No timing is asserted, only that a throttle was
 * reported and nothing was lost.
 */
import { collect } from '../../support/test-node';
import { ADMIN_KEY, startSecureNode, type SecureNode } from './security-support';

let node: SecureNode;
let alice: string;
let bob: string;
/** Fresh principals for the graphql-ws produce and the pull consumer: a principal's rate meter keeps its last 11 s across tests. */
let carol: string;
let dave: string;

/** 22 records of 1,000 bytes: 22,000 B against a 2,000 B/s quota is 2,200 B/s over the 10 s window, a ~1 s throttle. */
const RECORDS = Array.from({ length: 22 }, (_, i) => ({ value: `${String(i).padStart(4, '0')}${'x'.repeat(996)}` }));
const PRODUCE =
  'mutation($t: String!, $r: [RecordInput!]!) { produce(input: {topic: $t, records: $r}) { throttleTimeMs records { offset } } }';

beforeAll(async () => {
  node = await startSecureNode();
  alice = (await node.keyFor('User:alice')).secret;
  bob = (await node.keyFor('User:bob')).secret;
  carol = (await node.keyFor('User:carol')).secret;
  dave = (await node.keyFor('User:dave')).secret;
  await node.okAs(ADMIN_KEY, 'mutation { createTopic(input: {name: "q-produce"}) { name } }');
  await node.okAs(ADMIN_KEY, 'mutation { createTopic(input: {name: "q-consume"}) { name } }');
  await node.allow([
    { principal: 'User:alice', resourceType: 'TOPIC', resourceName: 'q-', patternType: 'PREFIXED', operation: 'ALL' },
    { principal: 'User:bob', resourceType: 'TOPIC', resourceName: 'q-', patternType: 'PREFIXED', operation: 'ALL' },
    { principal: 'User:carol', resourceType: 'TOPIC', resourceName: 'q-', patternType: 'PREFIXED', operation: 'ALL' },
    { principal: 'User:dave', resourceType: 'TOPIC', resourceName: 'q-', patternType: 'PREFIXED', operation: 'ALL' },
    { principal: 'User:dave', resourceType: 'GROUP', resourceName: 'q-pull', operation: 'READ' },
  ]);
});

afterAll(async () => {
  await node?.stop();
});

describe('quota administration', () => {
  test('without ALTER on the cluster setQuota is refused and nothing is set; with it the quota is listed and audited', async () => {
    const denied = await node.as(alice, 'mutation { setQuota(principal: "User:alice", producerByteRate: 1) { principal } }');
    expect(denied.errors?.[0]?.extensions?.code).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect((await node.as(alice, '{ quotas { principal } }')).errors?.[0]?.extensions?.code).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect((await node.okAs(ADMIN_KEY, '{ quotas { principal } }')).quotas).toEqual([]);

    const set = await node.okAs(
      ADMIN_KEY,
      'mutation { setQuota(principal: "User:carol", producerByteRate: 5000) { principal producerByteRate consumerByteRate updatedAt } }',
    );
    expect(set.setQuota).toMatchObject({ principal: 'User:carol', producerByteRate: 5000, consumerByteRate: null });
    expect((await node.okAs(ADMIN_KEY, '{ quotas { principal producerByteRate } }')).quotas).toEqual([
      { principal: 'User:carol', producerByteRate: 5000 },
    ]);
    const audit = (await node.okAs(ADMIN_KEY, '{ auditLog(limit: 10) { principal action resource outcome } }')).auditLog;
    expect(audit).toEqual(
      expect.arrayContaining([
        {
          principal: 'User:alice',
          action: 'setQuota',
          resource: 'principal:User:alice producerByteRate=1 consumerByteRate=unlimited',
          outcome: 'CLUSTER_AUTHORIZATION_FAILED',
        },
        {
          principal: 'User:admin',
          action: 'setQuota',
          resource: 'principal:User:carol producerByteRate=5000 consumerByteRate=unlimited',
          outcome: 'ok',
        },
      ]),
    );
    expect((await node.okAs(ADMIN_KEY, 'mutation { deleteQuota(principal: "User:carol") }')).deleteQuota).toBe(true);
    expect((await node.okAs(ADMIN_KEY, 'mutation { deleteQuota(principal: "User:carol") }')).deleteQuota).toBe(false);
  });

  test('bad input is BAD_USER_INPUT and sets nothing', async () => {
    for (const mutation of [
      'mutation { setQuota(principal: "alice", producerByteRate: 10) { principal } }',
      'mutation { setQuota(principal: "User:alice", producerByteRate: 0) { principal } }',
      'mutation { setQuota(principal: "User:alice", consumerByteRate: -5) { principal } }',
    ]) {
      expect((await node.as(ADMIN_KEY, mutation)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect((await node.okAs(ADMIN_KEY, '{ quotas { principal } }')).quotas).toEqual([]);
  });
});

describe('throttling', () => {
  afterEach(async () => {
    await node.okAs(
      ADMIN_KEY,
      'mutation { a: deleteQuota(principal: "User:alice") b: deleteQuota(principal: "User:bob") c: deleteQuota(principal: "User:carol") d: deleteQuota(principal: "User:dave") }',
    );
  });

  test('a produce over the producer byte rate is answered with throttleTimeMs > 0 and every record stored', async () => {
    const fast = await node.as(alice, PRODUCE, { t: 'q-produce', r: RECORDS });
    expect(fast.errors).toBeUndefined();
    expect(fast.data.produce.throttleTimeMs).toBe(0);
    expect((fast as { extensions?: unknown }).extensions).toBeUndefined();

    await node.okAs(ADMIN_KEY, 'mutation { setQuota(principal: "User:alice", producerByteRate: 2000) { principal } }');
    const slowed = await node.as(alice, PRODUCE, { t: 'q-produce', r: RECORDS });
    expect(slowed.errors).toBeUndefined();
    const throttleTimeMs = (slowed as { extensions?: { throttleTimeMs?: number } }).extensions?.throttleTimeMs;
    expect(throttleTimeMs).toBeGreaterThan(0);
    expect(slowed.data.produce.throttleTimeMs).toBe(throttleTimeMs);
    expect(slowed.data.produce.records.map((r: { offset: number }) => r.offset)).toEqual(RECORDS.map((_, i) => 22 + i));

    // Another principal is not slowed by alice's quota.
    const other = await node.as(bob, PRODUCE, { t: 'q-produce', r: RECORDS.slice(0, 1) });
    expect(other.data.produce.throttleTimeMs).toBe(0);

    const page = await node.okAs(ADMIN_KEY, '{ records(topic: "q-produce", partition: 0, limit: 1000) { records { offset value } } }');
    expect(page.records.records.map((r: { value: string }) => r.value)).toEqual([...RECORDS, ...RECORDS, RECORDS[0]].map((r) => r!.value));
  });

  test('a produce over graphql-ws carries extensions.throttleTimeMs too', async () => {
    await node.okAs(ADMIN_KEY, 'mutation { setQuota(principal: "User:carol", producerByteRate: 2000) { principal } }');
    const { client } = node.wsAs(carol);
    const result = await new Promise<any>((resolve, reject) => {
      client.subscribe(
        { query: PRODUCE, variables: { t: 'q-produce', r: RECORDS } },
        { next: resolve, error: reject, complete: () => undefined },
      );
    });
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.throttleTimeMs).toBeGreaterThan(0);
    expect(result.data.produce.records).toHaveLength(RECORDS.length);
  });

  test('a subscription over the consumer byte rate gets its batches late (throttleTimeMs > 0) and every record', async () => {
    await node.okAs(
      ADMIN_KEY,
      'mutation($t: String!, $r: [RecordInput!]!) { produce(input: {topic: $t, records: $r}) { records { offset } } }',
      { t: 'q-consume', r: RECORDS },
    );
    await node.okAs(ADMIN_KEY, 'mutation { setQuota(principal: "User:bob", consumerByteRate: 2000) { principal } }');
    const { client } = node.wsAs(bob);
    const count = (events: any[]) => events.reduce((n, e) => n + e.records.records.length, 0);
    const sub = collect(
      client,
      'subscription { records(topic: "q-consume", from: EARLIEST, maxBatch: 11) { throttleTimeMs records { value } } }',
      {},
      (events) => count(events) >= RECORDS.length,
    );
    const events = await sub.done;
    expect(events.flatMap((e: any) => e.records.records.map((r: { value: string }) => r.value))).toEqual(RECORDS.map((r) => r.value));
    expect(events.some((e: any) => e.records.throttleTimeMs > 0)).toBe(true);
  });

  test('a pull consumer over the consumer byte rate is answered late with extensions.throttleTimeMs and every record', async () => {
    await node.okAs(ADMIN_KEY, 'mutation { setQuota(principal: "User:dave", consumerByteRate: 2000) { principal } }');
    const poll =
      'mutation($m: String) { pollRecords(group: "q-pull", topic: "q-consume", memberId: $m, maxRecords: 1000) { memberId throttleTimeMs batches { records { value } } } }';
    const values: string[] = [];
    let memberId: string | null = null;
    let throttled = 0;
    for (let i = 0; i < 20 && values.length < RECORDS.length; i++) {
      const result: { data?: any; errors?: unknown; extensions?: { throttleTimeMs?: number } } = await node.as(dave, poll, { m: memberId });
      expect(result.errors).toBeUndefined();
      memberId = result.data.pollRecords.memberId;
      for (const batch of result.data.pollRecords.batches) values.push(...batch.records.map((r: { value: string }) => r.value));
      const extension = result.extensions?.throttleTimeMs;
      if (result.data.pollRecords.throttleTimeMs > 0) {
        expect(extension).toBe(result.data.pollRecords.throttleTimeMs);
        throttled++;
      }
    }
    expect(values).toEqual(RECORDS.map((r) => r.value));
    expect(throttled).toBeGreaterThan(0);
    await node.okAs(dave, 'mutation($m: String!) { leaveGroup(group: "q-pull", memberId: $m) }', { m: memberId });
  });

  test('quotas survive a restart', async () => {
    await node.okAs(
      ADMIN_KEY,
      'mutation { setQuota(principal: "User:*", producerByteRate: 123456, consumerByteRate: 654321) { principal } }',
    );
    await node.restart();
    expect((await node.okAs(ADMIN_KEY, '{ quotas { principal producerByteRate consumerByteRate } }')).quotas).toEqual([
      { principal: 'User:*', producerByteRate: 123456, consumerByteRate: 654321 },
    ]);
    await node.okAs(ADMIN_KEY, 'mutation { deleteQuota(principal: "User:*") }');
  });
});
