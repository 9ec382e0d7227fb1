/**
 * Topic.consumerGroups: the groups reading a topic — a live member subscribed to it, or committed
 * offsets on it (an Empty group) — and not the groups that only read other topics.
 */
import { startTestNode, waitFor, type TestNode } from '../../support/test-node';

const TOPIC_GROUPS = `{ topics { name consumerGroups { id state members { clientId } } } }`;

describe('Topic.consumerGroups', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(
      `mutation { a: createTopic(input: { name: "orders", partitions: 2 }) { name } b: createTopic(input: { name: "audit" }) { name } c: createTopic(input: { name: "quiet" }) { name } }`,
    );
  });
  afterAll(async () => {
    await t.stop();
  });

  it('lists groups with a member subscribed to the topic and groups with committed offsets on it', async () => {
    // An Empty group that committed on orders (an admin commit: it has no members).
    await t.ok(`mutation { commitOffsets(group: "reports", offsets: [{ topic: "orders", partition: 1, offset: 0 }]) { offset } }`);
    // A live member of "billing" on orders, and one of "auditors" on audit only.
    const client = t.wsClient();
    const seen: string[] = [];
    const stops = [
      ['orders', 'billing'],
      ['audit', 'auditors'],
    ].map(([topic, group]) =>
      client.subscribe(
        {
          query: `subscription($t: String!, $g: String!) { records(topic: $t, group: $g, clientId: "c-1") { memberId } }`,
          variables: { t: topic, g: group },
        },
        { next: () => void seen.push(group!), error: (e) => void seen.push(String(e)), complete: () => undefined },
      ),
    );
    await waitFor(() => seen.includes('billing') && seen.includes('auditors'), 10_000, 'both members announced');

    const lookups = jest.spyOn(t.node.broker, 'groupsReadingTopics'); // watches, still calls through
    const { topics } = await t.ok(TOPIC_GROUPS);
    expect(lookups.mock.calls).toEqual([[['audit', 'orders', 'quiet']]]); // one batched lookup for the list
    lookups.mockRestore();
    const byName = Object.fromEntries(topics.map((x: any) => [x.name, x.consumerGroups]));
    expect(byName.orders).toEqual([
      { id: 'billing', state: 'STABLE', members: [{ clientId: 'c-1' }] },
      { id: 'reports', state: 'EMPTY', members: [] },
    ]);
    expect(byName.audit).toEqual([{ id: 'auditors', state: 'STABLE', members: [{ clientId: 'c-1' }] }]);
    expect(byName.quiet).toEqual([]);

    const one = await t.ok(`{ topic(name: "audit") { consumerGroups { id } } }`);
    expect(one.topic.consumerGroups).toEqual([{ id: 'auditors' }]);
    for (const stop of stops) stop();
  });
});
