import { partitionForKey } from '../../../server/broker/partitioner';
import { startTestNode, type TestNode } from '../../support/test-node';

const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) {
  topic partitions { partition baseOffset lastOffset count } records { partition offset timestampMs } } }`;
const BROWSE = `query($topic: String!, $partition: Int!, $offset: SafeInt, $timestamp: DateTime, $limit: Int) {
  records(topic: $topic, partition: $partition, offset: $offset, timestamp: $timestamp, limit: $limit) {
    nextOffset highWatermark
    records { topic partition offset timestampMs timestamp key keyBase64 value valueBase64 json headers { key value valueBase64 } } } }`;

describe('produce and browse through GraphQL', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(
      `mutation { one: createTopic(input: { name: "one" }) { name } four: createTopic(input: { name: "four", partitions: 4 }) { name } }`,
    );
  });
  afterAll(async () => {
    await t.stop();
  });

  it('round-trips keys, values, headers, binary bytes and timestamps', async () => {
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41]);
    const produced = await t.ok(PRODUCE, {
      input: {
        topic: 'one',
        records: [
          {
            key: 'k1',
            value: '{"a":1}',
            headers: [
              { key: 'h', value: 'v' },
              { key: 'h', value: 'second' },
              { key: 'bin', valueBase64: binary.toString('base64') },
            ],
            timestampMs: 1_700_000_000_000,
          },
          { keyBase64: binary.toString('base64'), valueBase64: binary.toString('base64'), timestamp: '2024-01-02T03:04:05.678Z' },
          { key: '', value: null },
          { value: 'no key' },
        ],
      },
    });
    expect(produced.produce.partitions).toEqual([{ partition: 0, baseOffset: 0, lastOffset: 3, count: 4 }]);
    expect(produced.produce.records.map((r: any) => r.offset)).toEqual([0, 1, 2, 3]);

    const page = await t.ok(BROWSE, { topic: 'one', partition: 0 });
    const [r0, r1, r2, r3] = page.records.records;
    expect(page.records.nextOffset).toBe(4);
    expect(page.records.highWatermark).toBe(4);
    expect(r0).toMatchObject({
      offset: 0,
      key: 'k1',
      value: '{"a":1}',
      json: { a: 1 },
      timestampMs: 1_700_000_000_000,
      timestamp: new Date(1_700_000_000_000).toISOString(),
    });
    expect(r0.headers).toEqual([
      { key: 'h', value: 'v', valueBase64: Buffer.from('v').toString('base64') },
      { key: 'h', value: 'second', valueBase64: Buffer.from('second').toString('base64') },
      { key: 'bin', value: null, valueBase64: binary.toString('base64') },
    ]);
    expect(r1).toMatchObject({
      key: null,
      keyBase64: binary.toString('base64'),
      value: null,
      valueBase64: binary.toString('base64'),
      json: null,
      timestampMs: Date.parse('2024-01-02T03:04:05.678Z'),
    });
    // An empty key and a missing key are different things, and a null value is a tombstone.
    expect(r2).toMatchObject({ key: '', keyBase64: '', value: null, valueBase64: null });
    expect(r3).toMatchObject({ key: null, keyBase64: null, value: 'no key' });
  });

  it('places keyed records by murmur2, like Kafka, and keeps per-key order', async () => {
    const keys = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const records = Array.from({ length: 50 }, (_, i) => ({ key: keys[i % keys.length], value: `v${i}` }));
    const produced = await t.ok(PRODUCE, { input: { topic: 'four', records } });
    produced.produce.records.forEach((meta: any, i: number) => {
      expect(meta.partition).toBe(partitionForKey(Buffer.from(records[i]!.key!), 4));
    });
    for (const key of keys) {
      const partition = partitionForKey(Buffer.from(key), 4);
      const page = await t.ok(BROWSE, { topic: 'four', partition, limit: 1000 });
      const values = page.records.records.filter((r: any) => r.key === key).map((r: any) => r.value);
      const expected = records.filter((r) => r.key === key).map((r) => r.value);
      expect(values).toEqual(expected);
    }
  });

  it("puts a call's keyless records in one partition (sticky) and honours an explicit partition", async () => {
    const sticky = await t.ok(PRODUCE, { input: { topic: 'four', records: Array.from({ length: 10 }, (_, i) => ({ value: `s${i}` })) } });
    expect(sticky.produce.partitions).toHaveLength(1);
    const explicit = await t.ok(PRODUCE, { input: { topic: 'four', records: [{ value: 'x', partition: 3, key: 'alpha' }] } });
    expect(explicit.produce.records[0].partition).toBe(3);
  });

  it('pages through a partition with limit and nextOffset, and browses by timestamp', async () => {
    await t.ok(`mutation { createTopic(input: { name: "paged" }) { name } }`);
    const base = Date.now() - 60_000;
    await t.ok(PRODUCE, {
      input: { topic: 'paged', records: Array.from({ length: 25 }, (_, i) => ({ value: `${i}`, timestampMs: base + i * 1000 })) },
    });
    const seen: string[] = [];
    let offset = 0;
    for (;;) {
      const page = await t.ok(BROWSE, { topic: 'paged', partition: 0, offset, limit: 10 });
      seen.push(...page.records.records.map((r: any) => r.value));
      if (page.records.records.length === 0) break;
      offset = page.records.nextOffset;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `${i}`));
    const byTime = await t.ok(BROWSE, { topic: 'paged', partition: 0, timestamp: new Date(base + 10_500).toISOString(), limit: 2 });
    expect(byTime.records.records.map((r: any) => r.offset)).toEqual([11, 12]);
    const future = await t.ok(BROWSE, { topic: 'paged', partition: 0, timestamp: new Date(base + 10_000_000).toISOString() });
    expect(future.records.records).toEqual([]);
    expect(future.records.nextOffset).toBe(25);
  });

  describe('bad input changes nothing', () => {
    async function hw(topic: string, partition = 0): Promise<number> {
      const data = await t.ok(`{ topic(name: "${topic}") { partitions { highWatermark } } }`);
      return data.topic.partitions[partition].highWatermark;
    }

    it.each([
      ['a missing topic', { topic: 'nope', records: [{ value: 'x' }] }, 'UNKNOWN_TOPIC_OR_PARTITION'],
      [
        'a partition out of range',
        { topic: 'one', records: [{ value: 'ok' }, { value: 'x', partition: 9 }] },
        'UNKNOWN_TOPIC_OR_PARTITION',
      ],
      ['a negative partition', { topic: 'one', records: [{ value: 'x', partition: -1 }] }, 'UNKNOWN_TOPIC_OR_PARTITION'],
      ['no records', { topic: 'one', records: [] }, 'BAD_USER_INPUT'],
      ['value and valueBase64 together', { topic: 'one', records: [{ value: 'a', valueBase64: 'YQ==' }] }, 'BAD_USER_INPUT'],
      ['non-canonical base64', { topic: 'one', records: [{ value: 'fine' }, { valueBase64: 'YQ' }] }, 'BAD_USER_INPUT'],
      ['base64 with junk', { topic: 'one', records: [{ valueBase64: 'Y$==' }] }, 'BAD_USER_INPUT'],
      ['a lone surrogate in text', { topic: 'one', records: [{ value: 'a\ud800b' }] }, 'BAD_USER_INPUT'],
      ['a negative timestamp', { topic: 'one', records: [{ value: 'x', timestampMs: -1 }] }, 'INVALID_RECORD'],
      [
        'a timestamp far in the future',
        { topic: 'one', records: [{ value: 'x', timestampMs: Date.now() + 86_400_000 * 365 }] },
        'INVALID_RECORD',
      ],
      [
        'too many headers',
        { topic: 'one', records: [{ value: 'x', headers: Array.from({ length: 65 }, (_, i) => ({ key: `h${i}` })) }] },
        'LIMIT_EXCEEDED',
      ],
      [
        'a record over max.message.bytes',
        { topic: 'one', records: [{ value: 'small' }, { value: 'x'.repeat(1_100_000) }] },
        'RECORD_TOO_LARGE',
      ],
      [
        'a batch over max.message.bytes',
        { topic: 'one', records: Array.from({ length: 3 }, () => ({ value: 'y'.repeat(400_000) })) },
        'RECORD_TOO_LARGE',
      ],
      ['too many records in one call', { topic: 'one', records: Array.from({ length: 10_001 }, () => ({ value: '' })) }, 'LIMIT_EXCEEDED'],
      ['a sequence without a producer', { topic: 'one', records: [{ value: 'x' }], sequence: 1 }, 'BAD_USER_INPUT'],
      [
        'a transactional producer nobody initialized',
        { topic: 'one', records: [{ value: 'x' }], producer: { producerId: 0, epoch: 0, transactionalId: 'tx' }, sequence: 0 },
        'UNKNOWN_PRODUCER_ID',
      ],
      ['a variable of the wrong type', { topic: 'one', records: [{ value: 5 }] }, 'BAD_USER_INPUT'],
      ['an unknown input field', { topic: 'one', records: [{ value: 'x', colour: 'red' }] }, 'BAD_USER_INPUT'],
      ['an unknown acks value', { topic: 'one', acks: 'SOME', records: [{ value: 'x' }] }, 'BAD_USER_INPUT'],
    ])('refuses %s', async (_what, input, code) => {
      const before = await hw('one');
      expect(await t.errorCode(PRODUCE, { input })).toBe(code);
      expect(await hw('one')).toBe(before);
    });

    it('answers OFFSET_OUT_OF_RANGE with the log bounds, and BAD_USER_INPUT for a negative offset or a limit above the maximum', async () => {
      const out = await t.gql(BROWSE, { topic: 'one', partition: 0, offset: 1_000_000 });
      expect(out.errors![0]!.extensions).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE', logStartOffset: 0, logEndOffset: await hw('one') });
      expect(await t.errorCode(BROWSE, { topic: 'one', partition: 0, offset: -1 })).toBe('BAD_USER_INPUT');
      expect(await t.errorCode(BROWSE, { topic: 'one', partition: 0, limit: 1_000_000 })).toBe('BAD_USER_INPUT');
      expect(await t.errorCode(BROWSE, { topic: 'one', partition: 0, limit: 0 })).toBe('BAD_USER_INPUT');
      expect(await t.errorCode(BROWSE, { topic: 'one', partition: 7 })).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    });
  });

  it('acknowledges acks NONE at once with offsets -1, and the records still land', async () => {
    await t.ok(`mutation { createTopic(input: { name: "fire" }) { name } }`);
    const produced = await t.ok(PRODUCE, { input: { topic: 'fire', acks: 'NONE', records: [{ value: 'a' }, { value: 'b' }] } });
    expect(produced.produce.records).toEqual([
      { partition: 0, offset: -1, timestampMs: -1 },
      { partition: 0, offset: -1, timestampMs: -1 },
    ]);
    for (let i = 0; i < 100; i++) {
      const page = await t.ok(BROWSE, { topic: 'fire', partition: 0 });
      if (page.records.records.length === 2) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('acks NONE records never appeared');
  });
});
