/**
 * A group member's `host` is the client's address as the node saw it (the WebSocket's or the HTTP
 * request's remote address, like Kafka's CLIENT-HOST), and its `clientId` is what it asked for.
 */
import { startTestNode, waitFor, type TestNode } from '../../support/test-node';

const MEMBERS = `query($id: String!) { consumerGroup(id: $id) { members { memberId clientId host } } }`;

describe('group member host', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "hosts", partitions: 2 }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('records the remote address of a subscription member and its clientId', async () => {
    const client = t.wsClient();
    const events: unknown[] = [];
    const stop = client.subscribe(
      { query: `subscription { records(topic: "hosts", group: "ws-hosts", clientId: "billing-1") { memberId assignment } }` },
      { next: (value) => void events.push(value), error: (error) => void events.push(error), complete: () => undefined },
    );
    await waitFor(() => events.length > 0, 10_000, 'the assignment announcement');
    const { consumerGroup } = await t.ok(MEMBERS, { id: 'ws-hosts' });
    expect(consumerGroup.members).toEqual([{ memberId: expect.any(String), clientId: 'billing-1', host: '127.0.0.1' }]);
    stop();
  });

  it('records the remote address of a pull consumer that joins over HTTP', async () => {
    const { pollRecords } = await t.ok(`mutation { pollRecords(group: "http-hosts", topic: "hosts", clientId: "poller") { memberId } }`);
    const { consumerGroup } = await t.ok(MEMBERS, { id: 'http-hosts' });
    expect(consumerGroup.members).toEqual([{ memberId: pollRecords.memberId, clientId: 'poller', host: '127.0.0.1' }]);
    await t.ok(`mutation($m: String!) { leaveGroup(group: "http-hosts", memberId: $m) }`, { m: pollRecords.memberId });
  });
});
