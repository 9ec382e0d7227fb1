/**
 * A group that consumed and never committed (issue #9 item 4): after its last member left,
 * consumerGroup still lists every partition of the topics it consumed, with committedOffset null
 * and the whole log as lag (kafka-consumer-groups --describe shows "-" and the full lag), also
 * after a restart of the node; a deleted topic's partitions leave it.
 */
import { startTestNode, waitFor, sleep, type TestNode } from '../../support/test-node';
import { describeGroup, join, produceTo } from './group-support';

describe('a group that consumed but never committed', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    for (const [name, partitions] of [
      ['orders', 3],
      ['refunds', 1],
    ] as const) {
      await t.ok(`mutation($input: CreateTopicInput!) { createTopic(input: $input) { name } }`, { input: { name, partitions } });
      for (let p = 0; p < partitions; p++)
        await produceTo(
          t,
          name,
          p,
          Array.from({ length: 4 + p }, (_, i) => `${name}-${p}-${i}`),
        );
    }
  });
  afterAll(async () => {
    await t.stop();
  });

  /** Joins, reads everything, and leaves (the subscription completes), committing nothing. */
  async function consumeAll(group: string, topic: string, count: number): Promise<void> {
    const member = join(t.wsClient(), { topic, group, from: 'EARLIEST' });
    await waitFor(() => member.values().length === count, 15_000, `${count} records of ${topic}`);
    member.stop();
    for (let attempt = 0; attempt < 100 && (await describeGroup(t, group)).members.length > 0; attempt++) await sleep(50);
  }

  const rows = (group: any) => group.offsets.map((o: any) => [o.topic, o.partition, o.committedOffset, o.lag]);

  it('lists every partition with committedOffset null and the whole log as lag once its last member left', async () => {
    await consumeAll('billing2', 'orders', 4 + 5 + 6);
    const group = await describeGroup(t, 'billing2');
    expect(group.state).toBe('EMPTY');
    expect(group.members).toEqual([]);
    expect(rows(group)).toEqual([
      ['orders', 0, null, 4],
      ['orders', 1, null, 5],
      ['orders', 2, null, 6],
    ]);
    expect(group.totalLag).toBe(15);
    expect(group.offsets.map((o: any) => o.highWatermark)).toEqual([4, 5, 6]);
  });

  it('keeps them across a restart of the node', async () => {
    await consumeAll('survivor', 'refunds', 4);
    await t.restart();
    const group = await describeGroup(t, 'survivor');
    expect(rows(group)).toEqual([['refunds', 0, null, 4]]);
    expect(group.totalLag).toBe(4);
    expect((await describeGroup(t, 'billing2')).totalLag).toBe(15);
  });

  it('drops a deleted topic’s partitions, and a topic recreated with the name is not the group’s', async () => {
    await consumeAll('gone', 'refunds', 4);
    expect((await t.ok(`mutation { deleteTopic(name: "refunds") }`)).deleteTopic).toBe(true);
    const afterDelete = await describeGroup(t, 'gone');
    expect(afterDelete.offsets).toEqual([]);
    expect(afterDelete.totalLag).toBe(0);
    await t.ok(`mutation { createTopic(input: { name: "refunds", partitions: 1 }) { name } }`);
    await produceTo(t, 'refunds', 0, ['new']);
    expect((await describeGroup(t, 'gone')).offsets).toEqual([]);
    await t.restart();
    expect((await describeGroup(t, 'gone')).offsets).toEqual([]);
    expect((await describeGroup(t, 'survivor')).offsets).toEqual([]);
  });
});
