/**
 * A slow follower (RELIABILITY R11) on a real 3-node cluster with proxied links: the link from one
 * follower to the leader is delayed past `--replica-lag-time-max-ms`, so that follower falls behind
 * and the leader shrinks it out of the ISR, while acks ALL producers go on (min.insync.replicas 2:
 * the leader and the other follower suffice); once the delay is lifted the follower catches up and
 * the ISR expands again. Reports acknowledged records lost (0) and divergent offsets below the HW
 * (0); prints how long the shrink and the expand took.
 */
import { AcksAllLoad } from '../../support/cluster/acks-all-load';
import { useTestCluster } from '../../support/cluster/cluster-harness';
import { checkAcknowledged } from '../../support/cluster/replica-check';

jest.setTimeout(240_000);

const LAG_TIME_MAX_MS = 2_000;

describe('slow follower', () => {
  const cluster = useTestCluster(3, ['--replica-lag-time-max-ms', String(LAG_TIME_MAX_MS)], { faultProxies: true });

  it('leaves the ISR while acks ALL keeps working, and rejoins once it catches up', async () => {
    await cluster.ok(
      1,
      `mutation { createTopic(input: { name: "slow", partitions: 1, replicationFactor: 3,
        configs: [{ key: "min.insync.replicas", value: "2" }] }) { name } }`,
    );
    await cluster.produce('slow', 0, ['first']);
    const { leader } = await cluster.leaderView('slow', 0, true);
    const slow = [1, 2, 3].find((id) => id !== leader)!;
    const load = new AcksAllLoad(cluster, 'slow', 0, { name: 'slow' }).start();
    await cluster.waitFor('acknowledgements before the delay', async () => (load.acks.length >= 3 ? true : undefined));

    const delayedAtMs = Date.now();
    cluster.links.replication(slow, leader!, { delayMs: LAG_TIME_MAX_MS * 1.5 });
    const shrunk = await cluster.waitFor(
      'the slow follower out of the ISR',
      async () => {
        const p = await cluster.partition(leader!, 'slow');
        return p && !p.isr.includes(slow) ? p : undefined;
      },
      60_000,
    );
    const shrunkAtMs = Date.now();
    expect(shrunk.isr.length).toBeGreaterThanOrEqual(2);
    await cluster.waitFor(
      'an acknowledged produce with the smaller ISR',
      async () => (load.acks.some((a) => a.atMs > shrunkAtMs) ? true : undefined),
      60_000,
    );

    cluster.links.heal();
    const healedAtMs = Date.now();
    await cluster.waitFor(
      'the follower back in the ISR',
      async () => {
        const p = await cluster.leaderView('slow');
        return p.isr.includes(slow) ? p : undefined;
      },
      90_000,
    );
    const expandedAtMs = Date.now();
    await load.stop();

    const { lost, replicas } = await checkAcknowledged(cluster, 'R11 slow follower', 'slow', ['first', ...load.acked], {
      shrinkAfterMs: shrunkAtMs - delayedAtMs,
      expandAfterMs: expandedAtMs - healedAtMs,
      longestAckGapMs: load.longestGapMs(delayedAtMs),
      errors: JSON.stringify(load.errors),
    });
    expect(lost).toEqual([]);
    expect(replicas.divergentOffsets).toEqual([]);
  });
});
