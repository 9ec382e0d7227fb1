/**
 * Follower restart, then immediate leader loss (RELIABILITY R12, KIP-101's scenario; R13's
 * convergence check): a follower is killed and restarted under acks ALL load; the moment it is back
 * in the ISR the leader and the other follower are killed -9 together, so the restarted follower,
 * the only live ISR member, must lead. Truncating to its high watermark on restart (pre-KIP-101)
 * would lose acknowledged records here; truncation by leader epoch loses none. The two killed
 * nodes restart, truncate by epoch and catch up. Reports lost (0) and divergent offsets below the HW (0).
 */
import { AcksAllLoad } from '../../support/cluster/acks-all-load';
import { useTestCluster } from '../../support/cluster/cluster-harness';
import { checkAcknowledged } from '../../support/cluster/replica-check';

jest.setTimeout(240_000);

describe('follower restart then leader loss', () => {
  const cluster = useTestCluster(3);

  it('loses no acknowledged record when the just-restarted follower becomes leader', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "kip101", partitions: 1, replicationFactor: 3 }) { name } }`);
    await cluster.produce('kip101', 0, ['first']);
    const { leader } = await cluster.leaderView('kip101', 0, true);
    const [restarted, other] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    const load = new AcksAllLoad(cluster, 'kip101', 0, { name: 'kip101', callTimeoutMs: 10_000 }).start();
    await cluster.waitFor('acknowledgements', async () => (load.acks.length >= 5 ? true : undefined));

    await cluster.kill9(restarted);
    const killedAtMs = Date.now();
    await cluster.waitFor('acknowledgements without the follower', async () =>
      load.acks.filter((a) => a.atMs > killedAtMs).length >= 5 ? true : undefined,
    );
    await cluster.startNode(restarted);
    await cluster.waitFor(
      'the restarted follower back in the ISR',
      async () => {
        const p = await cluster.partition(leader!, 'kip101');
        return p && p.isr.includes(restarted) ? p : undefined;
      },
      60_000,
    );
    const lostLeaderAtMs = Date.now();
    await Promise.all([cluster.kill9(leader!), cluster.kill9(other)]);
    const after = await cluster.waitFor(
      'the restarted follower leading',
      async () => {
        const p = await cluster.partition(restarted, 'kip101');
        return p && p.leader === restarted ? p : undefined;
      },
      60_000,
    );
    await cluster.waitFor(
      'an acknowledged produce on it',
      async () => (load.acks.some((a) => a.nodeId === restarted && a.atMs > lostLeaderAtMs) ? true : undefined),
      60_000,
    );
    const unavailableMs = Math.min(...load.acks.filter((a) => a.atMs > lostLeaderAtMs).map((a) => a.atMs)) - lostLeaderAtMs;
    await cluster.startNode(leader!);
    await cluster.startNode(other);
    await load.stop();

    const { lost, replicas } = await checkAcknowledged(
      cluster,
      'R12 follower restart then leader loss',
      'kip101',
      ['first', ...load.acked],
      {
        newLeaderEpoch: after.leaderEpoch,
        unavailableMs,
        errors: JSON.stringify(load.errors),
      },
      90_000,
    );
    expect(lost).toEqual([]);
    expect(replicas.divergentOffsets).toEqual([]);
  });
});
