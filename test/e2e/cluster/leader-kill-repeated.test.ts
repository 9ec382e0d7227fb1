/**
 * Leader kill -9 under acks ALL load, five times in a row (RELIABILITY R1, ducktape's hard_bounce):
 * each round kills the current leader, waits for an acknowledged produce on a new leader, restarts
 * the killed node on its data dir and waits until it is back in the ISR. Producers run throughout.
 * Reports acknowledged records lost (0) and divergent offsets below the HW (0); prints the
 * unavailability window of each round. A 4 s session timeout keeps the file near two minutes.
 */
import { AcksAllLoad } from '../../support/cluster/acks-all-load';
import { useTestCluster } from '../../support/cluster/cluster-harness';
import { checkAcknowledged } from '../../support/cluster/replica-check';

jest.setTimeout(300_000);

const ROUNDS = 5;

describe('leader kill -9, repeated', () => {
  const cluster = useTestCluster(3, ['--cluster-session-timeout-ms', '4000']);

  it(`loses no acknowledged record over ${ROUNDS} leader kills`, async () => {
    await cluster.ok(
      1,
      `mutation { createTopic(input: { name: "bounce", partitions: 1, replicationFactor: 3,
        configs: [{ key: "min.insync.replicas", value: "2" }] }) { name } }`,
    );
    await cluster.produce('bounce', 0, ['first']);
    const load = new AcksAllLoad(cluster, 'bounce', 0, { name: 'bounce', callTimeoutMs: 10_000 }).start();
    const windows: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = await cluster.leaderView('bounce', 0, true);
      const roundAtMs = Date.now();
      // An acknowledgement from this leader in this round (an earlier round's would not show it leads now).
      await cluster.waitFor('an acknowledgement from this leader', async () =>
        load.acks.some((a) => a.nodeId === before.leader && a.atMs > roundAtMs) ? true : undefined,
      );
      const killedAtMs = Date.now();
      await cluster.kill9(before.leader!);
      await cluster.waitFor(
        'an acknowledged produce on a new leader',
        async () => (load.acks.some((a) => a.atMs > killedAtMs && a.nodeId !== before.leader) ? true : undefined),
        60_000,
      );
      windows.push(Math.min(...load.acks.filter((a) => a.atMs > killedAtMs).map((a) => a.atMs)) - killedAtMs);
      await cluster.startNode(before.leader!);
      await cluster.waitFor(
        'the restarted node back in the ISR',
        async () => {
          const p = await cluster.leaderView('bounce');
          return p.isr.includes(before.leader!) ? p : undefined;
        },
        60_000,
      );
    }
    await load.stop();

    const { lost, replicas } = await checkAcknowledged(cluster, 'R1 leader kill -9 x5', 'bounce', ['first', ...load.acked], {
      unavailableMsPerRound: windows.join(','),
      errors: JSON.stringify(load.errors),
    });
    expect(lost).toEqual([]);
    expect(replicas.divergentOffsets).toEqual([]);
  });
});
