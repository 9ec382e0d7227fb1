/**
 * The rows of docs/RELIABILITY.md's bad-input catalogue (46–53) that the other exactly-once and
 * group tests leave open, black-box through GraphQL: each gets its code and changes nothing
 * (transaction state, log, last stable offset, committed offsets). Row 50: a transaction's offsets
 * committed for a member with a stale generation are ILLEGAL_GENERATION, the transaction stays
 * open and abortable, the group's offsets unchanged. Where each other row is tested: the table in
 * server/coordinators/transactions/README.md "Bad inputs".
 */
import { startTestNode, type TestNode } from '../../support/test-node';
import { GraphQLTxnProducer, producePlain, TXN_MUTATIONS } from '../../support/graphql-txn-producer';
import { describeGroup, join, waitForBalanced } from '../groups/group-support';

const COMMIT = `mutation($p: ProducerIdentityInput!, $o: [TxnOffsetInput!], $m: String, $g: Int) { commitTransaction(producer: $p, offsets: $o, memberId: $m, generation: $g) }`;
const MEMBER_COMMIT = `mutation($g: String!, $o: [OffsetCommitInput!]!, $m: String, $gen: Int) { commitOffsets(group: $g, offsets: $o, memberId: $m, generation: $gen) { offset } }`;
const TXNS = `{ transactions { transactionalId epoch state partitions { topic partition } } }`;
const PARTITIONS = `query($t: String!) { topic(name: $t) { partitions { partition highWatermark lastStableOffset } } }`;

describe('exactly-once bad inputs change nothing', () => {
  let t: TestNode;
  const run = (query: string, variables?: Record<string, unknown>) => t.ok(query, variables);
  const transactionOf = async (id: string) =>
    (await t.ok(TXNS)).transactions.find((x: { transactionalId: string }) => x.transactionalId === id);
  const partitionsOf = async (topic: string) => (await t.ok(PARTITIONS, { t: topic })).topic.partitions;
  const committedOf = async (group: string) =>
    ((await describeGroup(t, group))?.offsets ?? []).map((o: any) => [o.topic, o.partition, o.committedOffset]);

  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "eo-in", partitions: 2 }) { name } }`);
    await t.ok(`mutation { createTopic(input: { name: "eo-out", partitions: 1 }) { name } }`);
    for (const p of [0, 1]) await producePlain(run, 'eo-in', p, ['i0', 'i1', 'i2']);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('#47: a transactional produce outside a transaction is INVALID_TXN_STATE: nothing appended, no partition registered, the LSO not pinned', async () => {
    const producer = new GraphQLTxnProducer(run, 'eo-47');
    await producer.init();
    const before = await partitionsOf('eo-out');
    const input = { topic: 'eo-out', producer: producer.producer, sequence: 0, records: [{ partition: 0, value: 'stray' }] };
    expect(await t.errorCode(TXN_MUTATIONS.produce, { input })).toBe('INVALID_TXN_STATE');
    // After a commit too: the old epoch is fenced, the new one has no open transaction.
    await producer.write('eo-out', 0, ['in-txn']);
    await producer.end('COMMIT');
    const after = await partitionsOf('eo-out');
    expect(
      await t.errorCode(TXN_MUTATIONS.produce, {
        input: { ...input, producer: { ...producer.producer, epoch: producer.producer!.epoch - 1 } },
      }),
    ).toBe('PRODUCER_FENCED');
    expect(await t.errorCode(TXN_MUTATIONS.produce, { input: { ...input, producer: producer.producer } })).toBe('INVALID_TXN_STATE');
    expect(after[0].highWatermark).toBe(before[0].highWatermark + 2); // its one record and the COMMIT marker
    expect(await partitionsOf('eo-out')).toEqual(after);
    expect(after[0].lastStableOffset).toBe(after[0].highWatermark);
    expect(await transactionOf('eo-47')).toMatchObject({ state: 'COMPLETE_COMMIT', partitions: [] });
  });

  it('#46: abort after the node timed the transaction out is PRODUCER_FENCED; the outcome stays an abort', async () => {
    const producer = new GraphQLTxnProducer(run, 'eo-46', 300);
    await producer.init();
    await producer.write('eo-out', 0, ['times-out']);
    const deadline = Date.now() + 20_000;
    while ((await transactionOf('eo-46')).state !== 'COMPLETE_ABORT' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const ended = await transactionOf('eo-46');
    expect(ended.state).toBe('COMPLETE_ABORT');
    const log = await partitionsOf('eo-out');
    expect(await t.errorCode(TXN_MUTATIONS.abort, { p: producer.producer })).toBe('PRODUCER_FENCED');
    expect(await t.errorCode(TXN_MUTATIONS.commit, { p: producer.producer })).toBe('PRODUCER_FENCED');
    expect(await transactionOf('eo-46')).toEqual(ended);
    expect(await partitionsOf('eo-out')).toEqual(log);
  });

  it('#49: two initProducer calls for one id at once: the later epoch fences the earlier, never both commit', async () => {
    const [first, second] = [new GraphQLTxnProducer(run, 'eo-49'), new GraphQLTxnProducer(run, 'eo-49')];
    await Promise.all([first.init(), second.init()]);
    expect(new Set([first.producer!.epoch, second.producer!.epoch]).size).toBe(2);
    const [older, newer] = first.producer!.epoch < second.producer!.epoch ? [first, second] : [second, first];
    const attempts = await Promise.allSettled(
      [older, newer].map(async (p, i) => {
        await p.write('eo-out', 0, [`contender-${i}`]);
        await p.end('COMMIT');
      }),
    );
    expect(attempts.map((a) => a.status)).toEqual(['rejected', 'fulfilled']);
    expect(String((attempts[0] as PromiseRejectedResult).reason)).toContain('PRODUCER_FENCED');
    const page = await t.ok(`{ records(topic: "eo-out", partition: 0, limit: 100, isolation: READ_COMMITTED) { records { value } } }`);
    const values = page.records.records.map((r: { value: string }) => r.value);
    expect(values).toContain('contender-1');
    expect(values).not.toContain('contender-0');
  });

  describe('#50: offsets of a stale member in a transaction', () => {
    it('are ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID; the transaction stays open and abortable; the offsets unchanged', async () => {
      const a = join(t.wsClient(), { topic: 'eo-in', group: 'eo-g', from: 'EARLIEST' });
      await waitForBalanced([a], 2);
      const oldGeneration = a.generation();
      const b = join(t.wsClient(), { topic: 'eo-in', group: 'eo-g', from: 'EARLIEST' });
      await waitForBalanced([a, b], 2);
      const moved = b.assignment()[0]!;
      const offsetsBefore = await committedOf('eo-g');

      const copier = new GraphQLTxnProducer(run, 'eo-50');
      await copier.init();
      await copier.write('eo-out', 0, ['copied']);
      const open = await transactionOf('eo-50');
      const offsets = [{ group: 'eo-g', topic: 'eo-in', partition: moved, offset: 2 }];
      const tries: [Record<string, unknown>, string][] = [
        [{ m: a.memberId(), g: oldGeneration }, 'ILLEGAL_GENERATION'], // the zombie: a's generation from before b joined, for the partition b took
        [{ m: a.memberId(), g: a.generation() }, 'ILLEGAL_GENERATION'], // a's current generation, but b's partition
        [{ m: 'nobody', g: b.generation() }, 'UNKNOWN_MEMBER_ID'],
        [{ m: b.memberId(), g: b.generation() + 1 }, 'ILLEGAL_GENERATION'],
        [{ m: b.memberId() }, 'BAD_USER_INPUT'],
        [
          { m: b.memberId(), g: b.generation(), o: [...offsets, { group: 'other', topic: 'eo-in', partition: moved, offset: 1 }] },
          'BAD_USER_INPUT',
        ],
      ];
      for (const [variables, code] of tries) {
        expect([variables, await t.errorCode(COMMIT, { p: copier.producer, o: offsets, ...variables })]).toEqual([variables, code]);
      }
      expect(await transactionOf('eo-50')).toEqual(open);
      expect(await committedOf('eo-g')).toEqual(offsetsBefore);
      const [pinned] = await partitionsOf('eo-out');
      expect(pinned.lastStableOffset).toBeLessThan(pinned.highWatermark);

      await copier.end('ABORT');
      const [released] = await partitionsOf('eo-out');
      expect(released.lastStableOffset).toBe(released.highWatermark);
      expect(await committedOf('eo-g')).toEqual(offsetsBefore);

      // The owner's current generation commits them with the transaction.
      await copier.write('eo-out', 0, ['copied-again']);
      expect((await t.ok(COMMIT, { p: copier.producer, o: offsets, m: b.memberId(), g: b.generation() })).commitTransaction).toBe(true);
      expect(await committedOf('eo-g')).toContainEqual(['eo-in', moved, 2]);
      a.stop();
      b.stop();
    });
  });

  it("#52–53 in a transaction's offsets (offset −1 or past the HW, 1 MiB metadata, a 10k-character group id): refused, the transaction stays open", async () => {
    const copier = new GraphQLTxnProducer(run, 'eo-52');
    await copier.init();
    await copier.write('eo-out', 0, ['x']);
    const open = await transactionOf('eo-52');
    const offset = { group: 'eo-52g', topic: 'eo-in', partition: 0, offset: 1 };
    const cases: [object, string][] = [
      [{ ...offset, offset: -1 }, 'BAD_USER_INPUT'],
      [{ ...offset, offset: 4 }, 'OFFSET_OUT_OF_RANGE'],
      [{ ...offset, metadata: 'm'.repeat(1 << 20) }, 'OFFSET_METADATA_TOO_LARGE'],
      [{ ...offset, group: 'g'.repeat(10_000) }, 'INVALID_GROUP_ID'],
      [{ ...offset, group: '' }, 'INVALID_GROUP_ID'],
    ];
    for (const [entry, code] of cases) expect(await t.errorCode(COMMIT, { p: copier.producer, o: [entry] })).toBe(code);
    expect(await transactionOf('eo-52')).toEqual(open);
    expect(await describeGroup(t, 'eo-52g')).toBeNull();
    await copier.end('ABORT');
  });

  it("#51: a member commit from a stale generation or for another member's partition leaves the committed offset unchanged", async () => {
    const a = join(t.wsClient(), { topic: 'eo-in', group: 'eo-51', from: 'EARLIEST' });
    await waitForBalanced([a], 2);
    await t.ok(MEMBER_COMMIT, {
      g: 'eo-51',
      o: [
        { topic: 'eo-in', partition: 0, offset: 1 },
        { topic: 'eo-in', partition: 1, offset: 1 },
      ],
      m: a.memberId(),
      gen: a.generation(),
    });
    const oldGeneration = a.generation();
    const b = join(t.wsClient(), { topic: 'eo-in', group: 'eo-51', from: 'EARLIEST' });
    await waitForBalanced([a, b], 2);
    const moved = b.assignment()[0]!;
    const before = await committedOf('eo-51');
    const stale = { g: 'eo-51', o: [{ topic: 'eo-in', partition: moved, offset: 3 }], m: a.memberId(), gen: oldGeneration };
    expect(await t.errorCode(MEMBER_COMMIT, stale)).toBe('ILLEGAL_GENERATION');
    expect(await t.errorCode(MEMBER_COMMIT, { ...stale, gen: a.generation() })).toBe('ILLEGAL_GENERATION');
    expect(await committedOf('eo-51')).toEqual(before);
    a.stop();
    b.stop();
  });
});
