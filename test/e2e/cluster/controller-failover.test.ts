/**
 * The controller moves when its node dies, and the new one does the controller's jobs: after kill
 * -9 of the controller node another live node is elected, it places a new topic, and the
 * partitions the dead node led get new leaders from their ISR. A clean SIGTERM of the new
 * controller hands the role on too (resign + lease revoke).
 */
import { useTestCluster, type TestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(180_000);

async function controllerSeenBy(cluster: TestCluster, nodeId: number): Promise<number> {
  const data = await cluster.ok(nodeId, `{ cluster { controllerId nodes { nodeId } } }`);
  return data.cluster.controllerId;
}

describe('controller failover', () => {
  const cluster = useTestCluster(3);

  it('elects another controller when the controller node is killed, and after a clean shutdown of that one', async () => {
    const first = await cluster.waitFor('a controller', async () => {
      const id = await controllerSeenBy(cluster, 1);
      return id >= 1 ? id : undefined;
    });
    await cluster.ok(first, `mutation { createTopic(input: { name: "before", partitions: 3, replicationFactor: 3 }) { name } }`);
    const ledByFirst = await cluster.waitFor('partitions placed and led', async () => {
      const data = await cluster.ok(first, `{ topic(name: "before") { partitions { partition leader isr } } }`);
      const parts = data.topic.partitions as { partition: number; leader: number | null; isr: number[] }[];
      return parts.every((p) => p.leader !== null && p.isr.length === 3)
        ? parts.filter((p) => p.leader === first).map((p) => p.partition)
        : undefined;
    });

    await cluster.kill9(first);
    const rest = [1, 2, 3].filter((id) => id !== first);
    const second = await cluster.waitFor('a new controller', async () => {
      const seen = await Promise.all(rest.map((id) => controllerSeenBy(cluster, id)));
      return seen[0] !== first && seen[0]! >= 1 && seen.every((s) => s === seen[0]) ? seen[0] : undefined;
    });
    expect(rest).toContain(second);

    // The new controller elected leaders for what the dead node led.
    for (const partition of ledByFirst) {
      await cluster.waitFor(`a new leader for before-${partition}`, async () => {
        const p = await cluster.partition(rest[0]!, 'before', partition);
        return p && p.leader !== null && p.leader !== first ? p : undefined;
      });
    }
    // And it places topics: a replication factor 2 fits the two live nodes, 3 no longer does.
    const placed = await cluster.ok(
      rest[0]!,
      `mutation { createTopic(input: { name: "after", partitions: 2, replicationFactor: 2 }) { partitions { replicas } } }`,
    );
    for (const p of placed.createTopic.partitions) expect([...p.replicas].sort()).toEqual(rest);
    const refused = await cluster.gql(
      rest[0]!,
      `mutation { createTopic(input: { name: "after3", partitions: 1, replicationFactor: 3 }) { name } }`,
    );
    expect(refused.errors[0].extensions.code).toBe('INVALID_REPLICATION_FACTOR');

    // A clean shutdown of the second controller hands the role to the last node.
    const last = rest.find((id) => id !== second)!;
    expect(await cluster.terminate(second)).toBe(0);
    await cluster.waitFor('the last node to be controller', async () =>
      (await controllerSeenBy(cluster, last)) === last ? true : undefined,
    );
  });
});
