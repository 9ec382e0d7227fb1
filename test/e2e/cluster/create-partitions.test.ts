/**
 * createPartitions on a real 3-node cluster: the controller places the added partitions with the
 * placement rule (replicationFactor replicas each, the first one leading), every node adds them to
 * its copy of the topic, and an added partition takes acks ALL produces that its follower serves.
 * A count not above the current one is INVALID_PARTITIONS. Bounded waits only.
 */
import { useTestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(180_000);

describe('createPartitions in a cluster', () => {
  const cluster = useTestCluster(3);

  it('places the added partitions, every node has them, and they replicate', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "grow", partitions: 1, replicationFactor: 2 }) { name } }`);
    await cluster.leaderView('grow', 0, true);
    const grown = await cluster.ok(2, `mutation { createPartitions(name: "grow", count: 4) { partitions { partition replicas } } }`);
    expect(grown.createPartitions.partitions.map((p: { partition: number }) => p.partition)).toEqual([0, 1, 2, 3]);

    for (const nodeId of [1, 2, 3]) {
      await cluster.waitFor(`node ${nodeId} to know 4 partitions`, async () => {
        const data = await cluster.ok(nodeId, `{ topic(name: "grow") { partitions { partition } } }`);
        return data.topic?.partitions.length === 4 ? true : undefined;
      });
    }
    const leaders = new Set<number>();
    for (let p = 1; p < 4; p++) {
      const view = await cluster.leaderView('grow', p, true);
      expect(view.replicas).toHaveLength(2);
      expect(new Set(view.replicas).size).toBe(2);
      expect(view.leader).toBe(view.replicas[0]);
      leaders.add(view.leader!);
      const values = [`p${p}-a`, `p${p}-b`];
      await cluster.produce('grow', p, values);
      const follower = view.replicas.find((id) => id !== view.leader)!;
      await cluster.waitFor(`the follower of grow-${p} to serve the records`, async () =>
        (await cluster.values(follower, 'grow', p)).join() === values.join() ? true : undefined,
      );
    }
    expect(leaders.size).toBeGreaterThan(1); // consecutive positions of the placement: leaders spread
  });

  it('refuses a count that is not above the current one with INVALID_PARTITIONS', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "fixed", partitions: 2, replicationFactor: 1 }) { name } }`);
    const body = await cluster.gql(3, `mutation { createPartitions(name: "fixed", count: 2) { name } }`);
    expect(body.errors?.[0]?.extensions?.code).toBe('INVALID_PARTITIONS');
    const data = await cluster.ok(3, `{ topic(name: "fixed") { partitions { partition } } }`);
    expect(data.topic.partitions).toHaveLength(2);
  });
});
