/**
 * READ_COMMITTED through GraphQL against a real node (docs/GRAPHQL-API.md "Exactly-once",
 * storage/FORMAT.md §13): a seeded random mix of commits and aborts across 3 partitions reads back
 * READ_COMMITTED (query and subscription) as exactly the committed set in order, READ_UNCOMMITTED
 * as every data record (pull consumers too); markers are never records; an open transaction holds READ_COMMITTED
 * readers at Partition.lastStableOffset and its commit releases them (a subscription wakes up).
 * Everything is written through the public mutations: initProducer, beginTransaction, produce,
 * commitTransaction / abortTransaction (test/support/graphql-txn-producer.ts).
 */
import { collect, startTestNode, waitFor, type TestNode } from '../../support/test-node';
import { prng, randomInt } from '../../support/prng';
import { GraphQLTxnProducer, producePlain } from '../../support/graphql-txn-producer';

const PAGE = `query($t: String!, $p: Int!, $o: SafeInt, $i: Isolation) {
  records(topic: $t, partition: $p, offset: $o, limit: 50, isolation: $i) { nextOffset highWatermark records { offset value } } }`;
const PARTITIONS = `query($t: String!) { topic(name: $t) { partitions { partition highWatermark lastStableOffset } } }`;
const SUBSCRIBE = `subscription($t: String!, $i: Isolation) {
  records(topic: $t, from: EARLIEST, isolation: $i) { partition lag highWatermark records { offset value } } }`;

interface Page {
  nextOffset: number;
  highWatermark: number;
  records: { offset: number; value: string }[];
}

async function readAll(t: TestNode, topic: string, partition: number, isolation: string): Promise<string[]> {
  const values: string[] = [];
  let offset = 0;
  for (let round = 0; round < 1_000; round++) {
    const page: Page = (await t.ok(PAGE, { t: topic, p: partition, o: offset, i: isolation })).records;
    values.push(...page.records.map((r) => r.value));
    if (page.nextOffset === offset) return values; // nothing more below the limit
    offset = page.nextOffset;
  }
  throw new Error('readAll did not finish in 1,000 pages');
}

describe('READ_COMMITTED through GraphQL', () => {
  let t: TestNode;
  const run = (query: string, variables?: Record<string, unknown>) => t.ok(query, variables);
  const producers = new Map<string, GraphQLTxnProducer>();
  /** The transactional producer of id `tx-<name>` (initialised on its first write). */
  const txn = (name: string | number) => {
    const id = `tx-${name}`;
    if (!producers.has(id)) producers.set(id, new GraphQLTxnProducer(run, id));
    return producers.get(id)!;
  };
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('a seeded random mix of commits and aborts across 3 partitions reads back as exactly the committed set, in order', async () => {
    const seed = Number(process.env.TXN_SEED ?? 20261202);
    const random = prng(seed);
    const topic = 'txn-mix';
    await t.ok(`mutation { createTopic(input: { name: "${topic}", partitions: 3 }) { name } }`);
    const committed: string[][] = [[], [], []];
    const everything: string[][] = [[], [], []];
    // Per producer: the values it wrote in its open transaction, by partition, in write order.
    const open = new Map<string, Map<number, { offset: number; value: string }[]>>();
    const byOffset: { partition: number; offset: number; value: string }[][] = [[], [], []];
    let n = 0;
    for (let step = 0; step < 150; step++) {
      const producerId = `mix-${randomInt(random, 5)}`;
      const roll = random();
      if (roll < 0.6) {
        const partition = randomInt(random, 3);
        const values = Array.from({ length: 1 + randomInt(random, 3) }, () => `s${seed}-${n++}`);
        const result = await txn(producerId).write(topic, partition, values);
        const written = open.get(producerId) ?? new Map();
        open.set(producerId, written);
        const list = written.get(partition) ?? [];
        written.set(partition, list);
        values.forEach((value, i) => list.push({ offset: result.baseOffset + i, value }));
        everything[partition]!.push(...values);
      } else if (roll < 0.7) {
        const partition = randomInt(random, 3);
        const value = `plain-${n++}`;
        const result = await producePlain(run, topic, partition, [value]);
        byOffset[partition]!.push({ partition, offset: result.baseOffset, value });
        everything[partition]!.push(value);
      } else {
        await endTransaction(producerId, random() < 0.5 ? 'COMMIT' : 'ABORT');
      }
    }
    for (const producerId of [...open.keys()]) await endTransaction(producerId, 'COMMIT');
    async function endTransaction(producerId: string, type: 'COMMIT' | 'ABORT'): Promise<void> {
      const written = open.get(producerId);
      if (!written) return;
      open.delete(producerId);
      await txn(producerId).end(type); // one marker in every partition it touched
      if (type === 'COMMIT') for (const [partition, list] of written) byOffset[partition]!.push(...list.map((r) => ({ partition, ...r })));
    }
    for (let p = 0; p < 3; p++) committed[p] = byOffset[p]!.sort((a, b) => a.offset - b.offset).map((r) => r.value);
    expect(committed.flat().length).toBeGreaterThan(50);
    expect(committed.flat().length).toBeLessThan(everything.flat().length); // some were aborted

    const partitions = (await t.ok(PARTITIONS, { t: topic })).topic.partitions;
    for (const p of partitions) expect(p.lastStableOffset).toBe(p.highWatermark); // nothing open any more
    for (let p = 0; p < 3; p++) {
      expect([seed, p, await readAll(t, topic, p, 'READ_COMMITTED')]).toEqual([seed, p, committed[p]]);
      expect([seed, p, await readAll(t, topic, p, 'READ_UNCOMMITTED')]).toEqual([seed, p, everything[p]]); // markers are never records
    }

    const client = t.wsClient();
    const total = committed.flat().length;
    const count = (events: { records: { records: unknown[] } }[]) => events.reduce((sum, e) => sum + e.records.records.length, 0);
    const sub = collect(client, SUBSCRIBE, { t: topic, i: 'READ_COMMITTED' }, (events) => count(events) >= total);
    const events = await sub.done;
    const delivered: string[][] = [[], [], []];
    for (const e of events) delivered[e.records.partition]!.push(...e.records.records.map((r: { value: string }) => r.value));
    expect([seed, delivered]).toEqual([seed, committed]);
    await client.dispose();
  });

  it('an open transaction holds READ_COMMITTED readers at the last stable offset; its commit wakes a subscription', async () => {
    const topic = 'txn-hold';
    await t.ok(`mutation { createTopic(input: { name: "${topic}", partitions: 1 }) { name } }`);
    await producePlain(run, topic, 0, ['a']);
    const opened = await txn(7).write(topic, 0, ['b']);
    await producePlain(run, topic, 0, ['c']);
    const [state] = (await t.ok(PARTITIONS, { t: topic })).topic.partitions;
    expect(state).toMatchObject({ highWatermark: 3, lastStableOffset: opened.baseOffset });
    const page: Page = (await t.ok(PAGE, { t: topic, p: 0, o: 0, i: 'READ_COMMITTED' })).records;
    expect(page.records.map((r) => r.value)).toEqual(['a']);
    expect(page.nextOffset).toBe(opened.baseOffset);
    expect(
      (await t.ok(PAGE, { t: topic, p: 0, o: 0, i: 'READ_UNCOMMITTED' })).records.records.map((r: { value: string }) => r.value),
    ).toEqual(['a', 'b', 'c']);

    const client = t.wsClient();
    const values = (events: { records: { records: { value: string }[] } }[]) =>
      events.flatMap((e) => e.records.records.map((r) => r.value));
    const sub = collect(client, SUBSCRIBE, { t: topic, i: 'READ_COMMITTED' }, (events) => values(events).includes('c'));
    await waitFor(() => values(sub.events).includes('a'), 10_000, 'the committed record before the open transaction');
    expect(sub.events.at(-1)!.records.lag).toBe(0); // lag is measured to the LSO, not the HW
    const beforeCommit = values(sub.events);
    await txn(7).end('COMMIT');
    const events = await sub.done;
    expect(beforeCommit).toEqual(['a']);
    expect(values(events)).toEqual(['a', 'b', 'c']);
    await client.dispose();
  });

  it('an aborted transaction is invisible to READ_COMMITTED and visible to READ_UNCOMMITTED', async () => {
    const topic = 'txn-abort';
    await t.ok(`mutation { createTopic(input: { name: "${topic}", partitions: 1 }) { name } }`);
    await txn(9).write(topic, 0, ['x1', 'x2']);
    await producePlain(run, topic, 0, ['p']);
    await txn(9).end('ABORT');
    expect(await readAll(t, topic, 0, 'READ_COMMITTED')).toEqual(['p']);
    expect(await readAll(t, topic, 0, 'READ_UNCOMMITTED')).toEqual(['x1', 'x2', 'p']);
    // A pull consumer too: its polls read the same way.
    const poll = `mutation($g: String!, $t: String!, $i: Isolation!, $m: String) {
      pollRecords(group: $g, topic: $t, isolation: $i, memberId: $m, maxWaitMs: 200) { memberId batches { records { value } } } }`;
    const polled = async (group: string, isolation: string, expected: number) => {
      const values: string[] = [];
      let memberId: string | null = null;
      for (let round = 0; round < 50 && values.length < expected; round++) {
        const result: { memberId: string; batches: { records: { value: string }[] }[] } = (
          await t.ok(poll, { g: group, t: topic, i: isolation, m: memberId })
        ).pollRecords;
        memberId = result.memberId;
        values.push(...result.batches.flatMap((b) => b.records.map((r) => r.value)));
      }
      return values;
    };
    expect(await polled('poll-rc', 'READ_COMMITTED', 1)).toEqual(['p']);
    expect(await polled('poll-ru', 'READ_UNCOMMITTED', 3)).toEqual(['x1', 'x2', 'p']);
  });

  it('the lag of a group whose member reads READ_COMMITTED is measured to the last stable offset', async () => {
    const topic = 'txn-group-lag';
    await t.ok(`mutation { createTopic(input: { name: "${topic}", partitions: 1 }) { name } }`);
    await producePlain(run, topic, 0, ['a', 'b']);
    await txn(11).write(topic, 0, ['t1', 't2']); // open: the LSO stays at 2, the HW is 4
    const lagOf = async (group: string) =>
      (await t.ok(`query($g: String!) { consumerGroup(id: $g) { totalLag offsets { highWatermark lag } } }`, { g: group })).consumerGroup;
    const client = t.wsClient();
    const groupSub = `subscription($t: String!, $g: String, $i: Isolation) { records(topic: $t, group: $g, from: EARLIEST, isolation: $i) { kind records { value } } }`;
    const committed = collect(client, groupSub, { t: topic, g: 'rc-group', i: 'READ_COMMITTED' }, () => false);
    const uncommitted = collect(client, groupSub, { t: topic, g: 'ru-group', i: 'READ_UNCOMMITTED' }, () => false);
    await waitFor(
      () =>
        committed.events.some((e) => e.records.kind === 'ASSIGNMENT') && uncommitted.events.some((e) => e.records.kind === 'ASSIGNMENT'),
      10_000,
      'both members assigned',
    );
    expect(await lagOf('rc-group')).toMatchObject({ totalLag: 2, offsets: [{ highWatermark: 4, lag: 2 }] }); // nothing committed: LSO − log start
    expect(await lagOf('ru-group')).toMatchObject({ totalLag: 4, offsets: [{ highWatermark: 4, lag: 4 }] });
    committed.stop();
    uncommitted.stop();
    await client.dispose();
  });
});
