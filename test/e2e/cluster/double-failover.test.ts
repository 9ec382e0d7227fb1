/**
 * Fast double failover on a real 3-node cluster (RELIABILITY R13, KIP-279): kill -9 the leader,
 * then kill -9 the new leader as soon as it leads, while acks ALL produces go on; the last node
 * leads; both killed nodes restart, truncate by leader epoch and catch up. Every acknowledged
 * record is on all three replicas and the three logs hold the same records below the high watermark.
 */
import { containsInOrder, useTestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(240_000);

describe('double failover', () => {
  const cluster = useTestCluster(3);

  it('loses no acknowledged record and the replicas converge', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "double", partitions: 1, replicationFactor: 3 }) { name } }`);
    const acked: string[] = [];
    let next = 0;
    const produceSome = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const values = Array.from({ length: 5 }, () => `r${next++}`);
        await cluster.produce('double', 0, values);
        acked.push(...values);
      }
    };
    await produceSome(4);
    const first = (await cluster.leaderView('double', 0, true)).leader!;
    await cluster.kill9(first);
    await produceSome(2); // goes to the new leader once one is elected
    const second = (await cluster.leaderView('double')).leader!;
    expect(second).not.toBe(first);
    await cluster.kill9(second);
    await produceSome(2);
    const third = (await cluster.leaderView('double')).leader!;
    expect([first, second]).not.toContain(third);

    await cluster.startNode(first);
    await cluster.startNode(second);
    const converged = await cluster.waitFor(
      'all three replicas in the ISR',
      async () => {
        const p = await cluster.partition(third, 'double');
        return p && p.isr.length === 3 ? p : undefined;
      },
      90_000,
    );
    const logs = await Promise.all(
      [1, 2, 3].map((id) =>
        cluster.waitFor(`node ${id} to serve up to the high watermark`, async () => {
          const values = await cluster.values(id, 'double');
          return values.length >= converged.highWatermark ? values.slice(0, converged.highWatermark) : undefined;
        }),
      ),
    );
    for (const log of logs) {
      expect(log).toEqual(logs[0]);
      expect(containsInOrder(log, acked)).toBe(true);
    }
  });
});
