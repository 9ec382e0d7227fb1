/**
 * A paused leader is fenced by the leader epoch, not by its lease (RELIABILITY R10): SIGSTOP the
 * leader past its lease; the controller elects another from the ISR; after SIGCONT the old node
 * acknowledges no write (whatever it answers, it is not an acknowledgement) and ends up a
 * follower of the new epoch. Records acknowledged before the pause stay readable on the new leader.
 */
import { containsInOrder, useTestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(180_000);

const PRODUCE = `mutation($v: String!) { produce(input: { topic: "fenced", acks: ALL, records: [{ value: $v, partition: 0 }] }) { records { offset } } }`;

describe('paused leader', () => {
  const cluster = useTestCluster(3);

  it('is replaced while paused, and after SIGCONT it acknowledges no write', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "fenced", partitions: 1, replicationFactor: 3 }) { name } }`);
    await cluster.produce('fenced', 0, ['before']);
    const before = await cluster.leaderView('fenced', 0, true);
    const oldLeader = before.leader!;

    cluster.pause(oldLeader);
    const other = [1, 2, 3].find((id) => id !== oldLeader)!;
    const after = await cluster.waitFor('a new leader while the old one is paused', async () => {
      const p = await cluster.partition(other, 'fenced');
      return p && p.leader !== null && p.leader !== oldLeader ? p : undefined;
    });
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);

    cluster.resume(oldLeader);
    // At once after SIGCONT, before the old node may have heard of the new epoch.
    const answers = await Promise.all(['z1', 'z2', 'z3'].map((v) => cluster.gql(oldLeader, PRODUCE, { v })));
    for (const answer of answers) {
      expect(answer.data?.produce ?? null).toBeNull();
      expect(['NOT_LEADER_OR_FOLLOWER', 'REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND']).toContain(
        answer.errors[0].extensions.code,
      );
    }
    const view = await cluster.waitFor('the old leader to follow a newer epoch', async () => {
      const p = await cluster.partition(oldLeader, 'fenced');
      return p && p.leaderEpoch >= after.leaderEpoch && p.leader !== null && p.leader !== oldLeader ? p : undefined;
    });
    expect(view.leaderEpoch).toBeGreaterThan(before.leaderEpoch);

    // What the old node wrote after the pause is on no other replica; what was acknowledged is.
    const served = await cluster.values(after.leader!, 'fenced');
    expect(containsInOrder(served, ['before'])).toBe(true);
    expect(served.filter((v) => v.startsWith('z'))).toEqual([]);
  });
});
