import { collect, startTestNode, type TestNode } from '../../support/test-node';

describe('group subscription defaults', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(
      `mutation { createTopic(input: { name: "plain" }) { name } produce(input: { topic: "plain", records: [{ value: "a" }] }) { topic } }`,
    );
  });
  afterAll(async () => {
    await t.stop();
  });

  it('joins with every optional argument left out', async () => {
    const sub = collect<{ records: { assignment: number[] | null; records: { value: string }[] } }>(
      t.wsClient(),
      `subscription { records(topic: "plain", group: "defaults", from: EARLIEST) { assignment records { value } } }`,
      {},
      (events) => events.some((e) => e.records.records.length > 0),
    );
    const events = await sub.done;
    expect(events[0]!.records.assignment).toEqual([0]);
    expect(events.flatMap((e) => e.records.records.map((r) => r.value))).toEqual(['a']);
  });
});
