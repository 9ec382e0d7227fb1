/**
 * Two input rules through GraphQL: one rule for a lookup timestamp (records(timestamp:) and
 * resetOffsets(to: TIMESTAMP) agree, before 1970 included), and empty header keys (Kafka allows
 * them: clients that mirror Kafka data send them) round-trip like any other key.
 */
import { collect, startTestNode, type TestNode } from '../../support/test-node';

const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { records { offset } } }`;
const AT = `query($t: DateTime) { records(topic: "lk", partition: 0, timestamp: $t, limit: 10) { records { offset } } }`;
const RESET = `mutation($t: DateTime) { resetOffsets(group: "lk-g", topic: "lk", to: TIMESTAMP, timestamp: $t) { offset } }`;

describe('lookup timestamps and header keys', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "lk" }) { name } }`);
    await t.ok(PRODUCE, {
      input: {
        topic: 'lk',
        records: [
          { value: 'a', timestamp: '2024-01-01T00:00:00.000Z' },
          { value: 'b', timestamp: '2024-01-02T00:00:00.000Z' },
        ],
      },
    });
  });
  afterAll(() => t.stop());

  it.each([
    ['year 1', '0001-01-01T00:00:00.000Z', 0],
    ['just before 1970', '1969-12-31T23:59:59.999Z', 0],
    ['the epoch', '1970-01-01T00:00:00.000Z', 0],
    ['between the records', '2024-01-01T12:00:00.000Z', 1],
    ['after every record', '2030-01-01T00:00:00.000Z', 2],
  ])('records(timestamp:) and resetOffsets(to: TIMESTAMP) agree on %s', async (_name, timestamp, expected) => {
    const page = await t.ok(AT, { t: timestamp });
    expect(page.records.records[0]?.offset ?? 2).toBe(expected);
    const reset = await t.ok(RESET, { t: timestamp });
    expect(reset.resetOffsets).toEqual([{ offset: expected }]);
  });

  it('both refuse the same way what is not a DateTime', async () => {
    expect(await t.errorCode(AT, { t: 'not a date' })).toBe('BAD_USER_INPUT');
    expect(await t.errorCode(RESET, { t: 'not a date' })).toBe('BAD_USER_INPUT');
  });

  it('keeps an empty header key, in order with the others, in pages and subscriptions', async () => {
    await t.ok(`mutation { createTopic(input: { name: "hk" }) { name } }`);
    const headers = [
      { key: '', value: 'empty' },
      { key: 'k', value: 'v' },
      { key: '', valueBase64: '/w==' },
    ];
    await t.ok(PRODUCE, { input: { topic: 'hk', records: [{ value: 'x', headers }] } });
    const page = await t.ok(`{ records(topic: "hk", partition: 0) { records { headers { key value valueBase64 } } } }`);
    expect(page.records.records[0].headers).toEqual([
      { key: '', value: 'empty', valueBase64: 'ZW1wdHk=' },
      { key: 'k', value: 'v', valueBase64: 'dg==' },
      { key: '', value: null, valueBase64: '/w==' },
    ]);
    const sub = collect(
      t.wsClient(),
      `subscription { records(topic: "hk", from: EARLIEST) { records { headers { key } } } }`,
      {},
      (events) => events.length >= 1,
    );
    const events = await sub.done;
    expect(events[0].records.records[0].headers.map((h: any) => h.key)).toEqual(['', 'k', '']);
  });
});
