/**
 * electLeaders (preferred-leader election) on a real 3-node cluster: kill -9 the preferred leader
 * (the first replica), produce acks ALL to the new leader, restart it; while it is out of the ISR
 * electLeaders answers PREFERRED_LEADER_NOT_AVAILABLE; once it is back in the ISR electLeaders
 * makes it leader again in a higher epoch, and every acknowledged record is readable from it.
 * Bad input is typed. Bounded waits only.
 */
import { containsInOrder, useTestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(180_000);

const ELECT = `mutation($t: String!, $p: [Int!]) { electLeaders(topic: $t, partitions: $p) { partition leader leaderEpoch isr } }`;

describe('electLeaders', () => {
  const cluster = useTestCluster(3);

  it('moves leadership back to the preferred replica once it is in the ISR, losing no acknowledged record', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "pref", partitions: 1, replicationFactor: 3 }) { name } }`);
    const placed = await cluster.leaderView('pref', 0, true);
    const preferred = placed.replicas[0]!;
    expect(placed.leader).toBe(preferred);
    const acked = Array.from({ length: 20 }, (_, i) => `a${i}`);
    await cluster.produce('pref', 0, acked);

    await cluster.kill9(preferred);
    const other = [1, 2, 3].find((id) => id !== preferred)!;
    const moved = await cluster.waitFor('a leader other than the preferred one', async () => {
      const p = await cluster.partition(other, 'pref');
      return p && p.leader !== null && p.leader !== preferred ? p : undefined;
    });
    const more = Array.from({ length: 20 }, (_, i) => `b${i}`);
    await cluster.produce('pref', 0, more);
    acked.push(...more);

    const refused = await cluster.gql(other, ELECT, { t: 'pref', p: [0] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PREFERRED_LEADER_NOT_AVAILABLE');

    await cluster.startNode(preferred);
    await cluster.waitFor(
      'the preferred replica back in the ISR',
      async () => {
        const p = await cluster.partition(other, 'pref');
        return p && p.isr.includes(preferred) ? p : undefined;
      },
      60_000,
    );
    const elected = await cluster.ok(other, ELECT, { t: 'pref', p: [0] });
    expect(elected.electLeaders).toHaveLength(1);
    const after = await cluster.waitFor('the preferred replica leading', async () => {
      const p = await cluster.partition(preferred, 'pref');
      return p && p.leader === preferred ? p : undefined;
    });
    expect(after.leaderEpoch).toBeGreaterThan(moved.leaderEpoch);
    const last = ['c0', 'c1'];
    await cluster.produce('pref', 0, last);
    acked.push(...last);
    expect(containsInOrder(await cluster.values(preferred, 'pref'), acked)).toBe(true);

    // Nothing to do once it leads: the same epoch comes back.
    const again = await cluster.ok(preferred, ELECT, { t: 'pref', p: null });
    expect(again.electLeaders[0].leaderEpoch).toBe(after.leaderEpoch);
  });

  it('answers a partition or topic that does not exist with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const wrongPartition = await cluster.gql(1, ELECT, { t: 'pref', p: [5] });
    expect(wrongPartition.errors?.[0]?.extensions?.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const wrongTopic = await cluster.gql(1, ELECT, { t: 'nope', p: null });
    expect(wrongTopic.errors?.[0]?.extensions?.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const duplicate = await cluster.gql(1, ELECT, { t: 'pref', p: [0, 0] });
    expect(duplicate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
