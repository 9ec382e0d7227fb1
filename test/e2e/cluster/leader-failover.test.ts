/**
 * Leader loss on a real 3-node cluster (RELIABILITY R1, R12 in part): kill -9 the leader of a
 * replicationFactor 3 partition after acks ALL produces; the controller elects a new leader from
 * the ISR with a higher epoch; every acknowledged record is readable from it; the old node
 * restarts on its data dir, catches up as a follower and is back in the ISR. Bounded waits only.
 */
import { containsInOrder, useTestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(180_000);

describe('leader kill -9', () => {
  const cluster = useTestCluster(3);

  it('elects a new leader from the ISR with a higher epoch, keeps every acknowledged record, and the old leader rejoins the ISR', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "events", partitions: 1, replicationFactor: 3 }) { name } }`);
    const acked: string[] = [];
    for (let round = 0; round < 5; round++) {
      const values = Array.from({ length: 20 }, (_, i) => `v${acked.length + i}`);
      await cluster.produce('events', 0, values);
      acked.push(...values);
    }

    const before = await cluster.leaderView('events', 0, true);
    const oldLeader = before.leader!;
    await cluster.kill9(oldLeader);
    const survivors = [1, 2, 3].filter((id) => id !== oldLeader);
    const after = await cluster.waitFor('a new leader', async () => {
      const p = await cluster.partition(survivors[0]!, 'events');
      return p && p.leader !== null && p.leader !== oldLeader ? p : undefined;
    });
    expect(survivors).toContain(after.leader);
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    expect(after.isr).not.toContain(oldLeader);
    expect(containsInOrder(await cluster.values(after.leader!, 'events'), acked)).toBe(true);

    // The new leader takes writes (the ISR is the two survivors, above min.insync.replicas 1).
    const more = Array.from({ length: 10 }, (_, i) => `w${i}`);
    const { leader: newLeader } = await cluster.produce('events', 0, more);
    expect(newLeader).not.toBe(oldLeader);
    acked.push(...more);

    await cluster.startNode(oldLeader);
    await cluster.waitFor(
      'the old leader back in the ISR',
      async () => {
        const p = await cluster.partition(survivors[0]!, 'events');
        return p && p.isr.includes(oldLeader) ? p : undefined;
      },
      60_000,
    );
    const caughtUp = await cluster.waitFor('the old leader to serve every acknowledged record', async () => {
      const values = await cluster.values(oldLeader, 'events');
      return containsInOrder(values, acked) ? values : undefined;
    });
    // Its log is the leader's below the high watermark: the same records in the same order.
    const leaderValues = await cluster.values((await cluster.leaderView('events')).leader!, 'events');
    expect(caughtUp).toEqual(leaderValues.slice(0, caughtUp.length));
  });
});
