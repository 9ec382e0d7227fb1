import { untilActiveSubscriptions } from '../../support/metrics';
import { collect, startTestNode, waitFor, type TestNode } from '../../support/test-node';

const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { records { partition offset } } }`;
const RECORDS = `subscription($topic: String!, $partitions: [Int!], $from: StartFrom, $offset: SafeInt, $timestamp: DateTime, $maxBatch: Int) {
  records(topic: $topic, partitions: $partitions, from: $from, offset: $offset, timestamp: $timestamp, maxBatch: $maxBatch) {
    topic partition highWatermark lag records { offset value } } }`;

type BatchEvent = {
  records: { topic: string; partition: number; highWatermark: number; lag: number; records: { offset: number; value: string }[] };
};
const values = (events: BatchEvent[]) => events.flatMap((e) => e.records.records.map((r) => r.value));
const countOf = (n: number) => (events: BatchEvent[]) => values(events).length >= n;

describe('live subscriptions over graphql-ws', () => {
  let t: TestNode;
  const produce = (topic: string, vals: string[], extra: object = {}) =>
    t.ok(PRODUCE, { input: { topic, records: vals.map((value) => ({ value, ...extra })) } });

  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "live" }) { name } }`);
    await produce('live', ['a', 'b', 'c']);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('from EARLIEST delivers history then follows new records without polling', async () => {
    const sub = collect<BatchEvent>(t.wsClient(), RECORDS, { topic: 'live', from: 'EARLIEST' }, countOf(5));
    await waitFor(() => values(sub.events).length >= 3, 5_000, 'history');
    await produce('live', ['d', 'e']);
    const events = await sub.done;
    expect(values(events).slice(0, 5)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(events.at(-1)!.records.highWatermark).toBeGreaterThanOrEqual(5);
  });

  it('from LATEST delivers only what is produced after it started', async () => {
    const client = t.wsClient();
    const sub = collect<BatchEvent>(client, RECORDS, { topic: 'live', from: 'LATEST' }, countOf(1));
    // graphql-ws acknowledges the subscription asynchronously; a record produced before the
    // server resolved LATEST would be history. Produce until the subscriber sees one.
    let i = 0;
    while (values(sub.events).length === 0 && i < 50) {
      await produce('live', [`late-${i++}`]);
      await new Promise((r) => setTimeout(r, 50));
    }
    const events = await sub.done;
    expect(values(events)[0]).toMatch(/^late-/);
  });

  it('from OFFSET starts at that offset, also in the middle of a batch', async () => {
    const sub = collect<BatchEvent>(t.wsClient(), RECORDS, { topic: 'live', from: 'OFFSET', offset: 1 }, countOf(2));
    const events = await sub.done;
    expect(events[0]!.records.records[0]!.offset).toBe(1);
    expect(values(events).slice(0, 2)).toEqual(['b', 'c']);
  });

  it('from TIMESTAMP starts at the first record at or after it', async () => {
    await t.ok(`mutation { createTopic(input: { name: "timed" }) { name } }`);
    const base = Date.now() - 10_000;
    await t.ok(PRODUCE, {
      input: { topic: 'timed', records: [0, 1, 2, 3].map((i) => ({ value: `t${i}`, timestampMs: base + i * 1000 })) },
    });
    const sub = collect<BatchEvent>(
      t.wsClient(),
      RECORDS,
      { topic: 'timed', from: 'TIMESTAMP', timestamp: new Date(base + 1500).toISOString() },
      countOf(2),
    );
    expect(values(await sub.done).slice(0, 2)).toEqual(['t2', 't3']);
  });

  it('delivers batches no larger than maxBatch and reports lag', async () => {
    await t.ok(`mutation { createTopic(input: { name: "batched" }) { name } }`);
    await produce(
      'batched',
      Array.from({ length: 100 }, (_, i) => `${i}`),
    );
    const sub = collect<BatchEvent>(t.wsClient(), RECORDS, { topic: 'batched', from: 'EARLIEST', maxBatch: 30 }, countOf(100));
    const events = await sub.done;
    expect(events.map((e) => e.records.records.length)).toEqual([30, 30, 30, 10]);
    expect(events[0]!.records.lag).toBe(70);
    expect(events.at(-1)!.records.lag).toBe(0);
    expect(values(events)).toEqual(Array.from({ length: 100 }, (_, i) => `${i}`));
  });

  it('reads every partition, or only the ones named', async () => {
    await t.ok(`mutation { createTopic(input: { name: "multi", partitions: 3 }) { name } }`);
    for (const partition of [0, 1, 2]) {
      await t.ok(PRODUCE, { input: { topic: 'multi', records: [{ value: `p${partition}`, partition }] } });
    }
    const all = collect<BatchEvent>(t.wsClient(), RECORDS, { topic: 'multi', from: 'EARLIEST' }, countOf(3));
    expect(values(await all.done).sort()).toEqual(['p0', 'p1', 'p2']);
    const some = collect<BatchEvent>(t.wsClient(), RECORDS, { topic: 'multi', from: 'EARLIEST', partitions: [2] }, countOf(1));
    const events = await some.done;
    expect(events.map((e) => e.records.partition)).toEqual([2]);
  });

  it('follows partitions added while it runs', async () => {
    await t.ok(`mutation { createTopic(input: { name: "growing" }) { name } }`);
    await untilActiveSubscriptions(t, 0, "earlier tests' subscriptions ended");
    const sub = collect<BatchEvent>(t.wsClient(), RECORDS, { topic: 'growing', from: 'EARLIEST' }, countOf(1));
    await untilActiveSubscriptions(t, 1, 'the subscription runs before the partition is added');
    await t.ok(`mutation { createPartitions(name: "growing", count: 2) { name } }`);
    await t.ok(PRODUCE, { input: { topic: 'growing', records: [{ value: 'new', partition: 1 }] } });
    const events = await sub.done;
    expect(events[0]!.records.partition).toBe(1);
  });

  it('ends with TOPIC_DELETED when the topic is deleted, and never continues into a recreated topic', async () => {
    await t.ok(`mutation { createTopic(input: { name: "doomed" }) { name } }`);
    await untilActiveSubscriptions(t, 0, "earlier tests' subscriptions ended");
    const sub = collect<BatchEvent>(t.wsClient(), RECORDS, { topic: 'doomed', from: 'EARLIEST' }, () => false);
    // Subscribed to the first "doomed" before it is deleted (a later start would read the new one).
    await untilActiveSubscriptions(t, 1, 'the subscription runs before the topic is deleted');
    await t.ok(`mutation { deleteTopic(name: "doomed") }`);
    await t.ok(`mutation { createTopic(input: { name: "doomed" }) { name } }`);
    await produce('doomed', ['reborn']);
    await expect(sub.done).rejects.toMatchObject({
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'TOPIC_DELETED' }) })],
    });
    expect(values(sub.events)).toEqual([]);
  });

  it('answers bad start positions with codes', async () => {
    const cases: [object, string][] = [
      [{ topic: 'missing' }, 'UNKNOWN_TOPIC_OR_PARTITION'],
      [{ topic: 'live', partitions: [5] }, 'UNKNOWN_TOPIC_OR_PARTITION'],
      [{ topic: 'live', from: 'OFFSET', offset: 999_999 }, 'OFFSET_OUT_OF_RANGE'],
      [{ topic: 'live', from: 'OFFSET' }, 'BAD_USER_INPUT'],
      [{ topic: 'live', from: 'OFFSET', offset: -5 }, 'BAD_USER_INPUT'],
      [{ topic: 'live', maxBatch: 0 }, 'BAD_USER_INPUT'],
      [{ topic: 'live', maxBatch: 1_000_000 }, 'BAD_USER_INPUT'],
    ];
    const client = t.wsClient();
    for (const [variables, code] of cases) {
      const sub = collect<BatchEvent>(client, RECORDS, variables as Record<string, unknown>, () => true);
      await expect(sub.done).rejects.toMatchObject({
        errors: [expect.objectContaining({ extensions: expect.objectContaining({ code }) })],
      });
    }
    // The node keeps serving.
    expect(await t.ok(`{ topic(name: "live") { name } }`)).toEqual({ topic: { name: 'live' } });
  });

  it('pushes partitionState when the high watermark moves', async () => {
    await t.ok(`mutation { createTopic(input: { name: "watched", partitions: 2 }) { name } }`);
    const sub = collect<{ partitionState: { partition: number; highWatermark: number }[] }>(
      t.wsClient(),
      `subscription { partitionState(topic: "watched") { partition highWatermark logEndOffset isr leader } }`,
      {},
      (events) => events.some((e) => e.partitionState[1]!.highWatermark === 2),
    );
    await waitFor(() => sub.events.length >= 1, 5_000, 'initial state');
    expect(sub.events[0]!.partitionState.map((p) => p.highWatermark)).toEqual([0, 0]);
    await t.ok(PRODUCE, {
      input: {
        topic: 'watched',
        records: [
          { value: 'x', partition: 1 },
          { value: 'y', partition: 1 },
        ],
      },
    });
    const events = await sub.done;
    expect(events.at(-1)!.partitionState[1]).toMatchObject({ partition: 1, highWatermark: 2 });
  });

  it('stops reading when a client completes mid-stream, and other subscribers carry on', async () => {
    await t.ok(`mutation { createTopic(input: { name: "shared" }) { name } }`);
    const quitter = collect<BatchEvent>(t.wsClient(), RECORDS, { topic: 'shared', from: 'EARLIEST', maxBatch: 1 }, countOf(1));
    const stayer = collect<BatchEvent>(t.wsClient(), RECORDS, { topic: 'shared', from: 'EARLIEST' }, countOf(20));
    await produce(
      'shared',
      Array.from({ length: 20 }, (_, i) => `${i}`),
    );
    await quitter.done;
    expect(values(await stayer.done)).toHaveLength(20);
  });
});
