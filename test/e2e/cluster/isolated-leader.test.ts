/**
 * An isolated leader (RELIABILITY R8, Jepsen's zombie leader) on a real 3-node cluster whose links
 * all pass userspace proxies: acks ALL producers run on the leader, then every link of the leader
 * (to and from the followers' cluster ports, and to etcd) is blackholed while those producers go
 * on. The majority side elects a new leader and takes writes. The isolated node acknowledges
 * nothing the new leader lacks (it cannot: its followers never fetch, so its high watermark stays);
 * after healing it follows the new epoch, truncates the tail it appended alone, catches up and is
 * back in the ISR. Reports acknowledged records lost (0), divergent offsets below the high
 * watermark (0), and prints the unavailability window.
 */
import { AcksAllLoad } from '../../support/cluster/acks-all-load';
import { useTestCluster } from '../../support/cluster/cluster-harness';
import { checkAcknowledged, lostAcknowledged } from '../../support/cluster/replica-check';

jest.setTimeout(240_000);

describe('isolated leader', () => {
  const cluster = useTestCluster(3, [], { faultProxies: true });

  it('acknowledges nothing the new leader lacks, and after healing rejoins as a follower with its divergent tail truncated', async () => {
    await cluster.ok(
      1,
      `mutation { createTopic(input: { name: "zombie", partitions: 1, replicationFactor: 3,
        configs: [{ key: "min.insync.replicas", value: "2" }] }) { name } }`,
    );
    await cluster.produce('zombie', 0, ['first']);
    const before = await cluster.leaderView('zombie', 0, true);
    const oldLeader = before.leader!;
    const others = [1, 2, 3].filter((id) => id !== oldLeader);

    // Clients on the old leader's side keep sending to it; the others follow whoever the majority names.
    const onOldLeader = new AcksAllLoad(cluster, 'zombie', 0, { name: 'old', target: oldLeader, producers: 2 }).start();
    const majority = new AcksAllLoad(cluster, 'zombie', 0, { name: 'maj', viewFrom: () => others, callTimeoutMs: 5_000 }).start();
    await cluster.waitFor('acknowledgements from the leader before the partition', async () =>
      onOldLeader.acks.length >= 3 && majority.acks.length >= 3 ? true : undefined,
    );

    const isolatedAtMs = Date.now();
    cluster.links.isolate(oldLeader);
    const after = await cluster.waitFor(
      'a new leader on the majority side',
      async () => {
        const p = await cluster.partition(others[0]!, 'zombie');
        return p && p.leader !== null && p.leader !== oldLeader && p.leaderEpoch > before.leaderEpoch ? p : undefined;
      },
      60_000,
    );
    await cluster.waitFor(
      'an acknowledged produce on the new leader',
      async () => (majority.acks.some((a) => a.nodeId === after.leader && a.atMs > isolatedAtMs) ? true : undefined),
      60_000,
    );
    // The isolated node still believes it leads, has appended what its clients sent, and has acknowledged none of it.
    const zombie = (await cluster.partition(oldLeader, 'zombie'))!;
    expect(zombie.leader).toBe(oldLeader);
    expect(zombie.leaderEpoch).toBe(before.leaderEpoch);

    cluster.links.heal();
    await cluster.waitFor(
      'the old leader following the new epoch, back in the ISR',
      async () => {
        const p = await cluster.partition(oldLeader, 'zombie');
        const q = await cluster.partition(after.leader!, 'zombie');
        return p && q && p.leader !== oldLeader && p.leaderEpoch >= after.leaderEpoch && q.isr.includes(oldLeader) ? p : undefined;
      },
      90_000,
    );
    await Promise.all([majority.stop(), onOldLeader.stop()]);

    const ackedByOldLeaderAfterPartition = onOldLeader.acks.filter((a) => a.atMs > isolatedAtMs).flatMap((a) => a.values);
    const acked = ['first', ...majority.acked, ...onOldLeader.acked];
    const { lost, replicas, served } = await checkAcknowledged(cluster, 'R8 isolated leader', 'zombie', acked, {
      ackedByDeposedLeaderAfterPartition: ackedByOldLeaderAfterPartition.length,
      zombieLogEndOffset: zombie.logEndOffset,
      zombieHighWatermark: zombie.highWatermark,
      oldLeaderErrors: JSON.stringify(onOldLeader.errors),
      unavailableMs: majority.longestGapMs(isolatedAtMs),
    });
    expect(lost).toEqual([]);
    expect(replicas.divergentOffsets).toEqual([]);
    // Whatever the deposed leader acknowledged after the partition (calls its followers had already fetched) is on the new leader.
    expect(lostAcknowledged(served, ackedByOldLeaderAfterPartition)).toEqual([]);
  });
});
