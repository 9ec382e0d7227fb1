/**
 * unclean.leader.election.enable on a real 3-node cluster, RF 2: the follower is killed (shrunk
 * out of the ISR), records are acknowledged by the leader alone, the leader is killed, then the
 * out-of-sync follower restarts. With the topic's default (false) the partition stays without a
 * running leader until the ISR member returns, which then leads with every record; with true
 * the controller elects the returning out-of-sync replica (a higher epoch), which takes writes
 * (the records only the old leader had may be lost: what the setting means). Bounded waits only.
 */
import { containsInOrder, useTestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(240_000);

describe('unclean leader election', () => {
  const cluster = useTestCluster(3);

  /** Kills the follower, produces to the leader alone, kills the leader, restarts the follower: [leader, follower]. */
  async function loseTheIsr(topic: string, unclean: string): Promise<{ leader: number; follower: number; acked: string[]; epoch: number }> {
    await cluster.ok(
      1,
      `mutation($t: String!, $u: String!) { createTopic(input: { name: $t, partitions: 1, replicationFactor: 2,
         configs: [{ key: "unclean.leader.election.enable", value: $u }] }) { name } }`,
      { t: topic, u: unclean },
    );
    const placed = await cluster.leaderView(topic, 0, true);
    const leader = placed.leader!;
    const follower = placed.replicas.find((id) => id !== leader)!;
    const acked = ['before-0', 'before-1'];
    await cluster.produce(topic, 0, acked);
    await cluster.kill9(follower);
    await cluster.waitFor('the follower shrunk out of the ISR', async () => {
      const p = await cluster.partition(leader, topic);
      return p && p.isr.length === 1 && p.isr[0] === leader ? p : undefined;
    });
    const alone = ['alone-0', 'alone-1'];
    const { leader: acknowledgedBy } = await cluster.produce(topic, 0, alone);
    expect(acknowledgedBy).toBe(leader);
    acked.push(...alone);
    const { leaderEpoch } = (await cluster.partition(leader, topic))!;
    await cluster.kill9(leader);
    await cluster.startNode(follower);
    return { leader, follower, acked, epoch: leaderEpoch };
  }

  it('false (the default): no out-of-sync leader; the ISR member returns and leads with every acknowledged record', async () => {
    const { leader, follower, acked, epoch } = await loseTheIsr('clean', 'false');
    const third = [1, 2, 3].find((id) => id !== leader && id !== follower)!;
    // The follower is a member again (its lease is live) and still no one but the dead leader is named.
    await cluster.waitFor('the returned follower listed as a live node', async () => {
      const data = await cluster.ok(third, `{ cluster { nodes { nodeId } } }`);
      return data.cluster.nodes.some((n: { nodeId: number }) => n.nodeId === follower) ? true : undefined;
    });
    const offline = await cluster.partition(third, 'clean');
    expect(offline!.leader === null || offline!.leader === leader).toBe(true);
    expect(offline!.isr).toEqual([leader]);
    const produced = await cluster.gql(
      follower,
      `mutation { produce(input: { topic: "clean", acks: ALL, records: [{ value: "x" }] }) { records { offset } } }`,
    );
    expect(produced.errors?.[0]?.extensions?.code).toMatch(/NOT_LEADER_OR_FOLLOWER|LEADER_NOT_AVAILABLE/);

    await cluster.startNode(leader);
    // Its return is answered with a new epoch led by it (until the controller writes it, a view may still show the old state).
    const back = await cluster.waitFor('the returned ISR member leading in a new epoch', async () => {
      const p = await cluster.partition(third, 'clean');
      return p && p.leaderEpoch > epoch ? p : undefined;
    });
    expect(back.leader).toBe(leader);
    expect(containsInOrder(await cluster.values(leader, 'clean'), acked)).toBe(true);
  });

  it('true: the returning out-of-sync replica is elected in a higher epoch and takes writes', async () => {
    const { leader, follower, epoch } = await loseTheIsr('dirty', 'true');
    const elected = await cluster.waitFor('the out-of-sync replica elected', async () => {
      const p = await cluster.partition(follower, 'dirty');
      return p && p.leader === follower ? p : undefined;
    });
    expect(elected.leaderEpoch).toBeGreaterThan(epoch);
    expect(elected.isr).toEqual([follower]);
    await cluster.produce('dirty', 0, ['after']);
    expect(await cluster.values(follower, 'dirty')).toContain('after');
    await cluster.startNode(leader);
  });
});
