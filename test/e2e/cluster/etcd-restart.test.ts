/**
 * etcd killed and restarted under a running cluster (RELIABILITY R29, in part): while etcd is down
 * nothing acknowledged is lost (produces are acknowledged or answered with a retriable error);
 * after it is back on the same data dir the nodes are members again, a controller places new
 * topics, and every acknowledged record is on the leader.
 */
import { containsInOrder, useTestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(180_000);

describe('etcd restart', () => {
  const cluster = useTestCluster(3);

  it('keeps every acknowledged record and the cluster works again once etcd is back', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "outage", partitions: 1, replicationFactor: 3 }) { name } }`);
    const acked: string[] = [];
    await cluster.produce('outage', 0, ['a0', 'a1']);
    acked.push('a0', 'a1');
    const { leader } = await cluster.leaderView('outage', 0, true);

    await cluster.etcd.kill();
    const during = await cluster.gql(
      leader!,
      `mutation { produce(input: { topic: "outage", acks: ALL, records: [{ value: "d0", partition: 0 }] }) { records { offset } } }`,
    );
    if (!during.errors) acked.push('d0');
    else expect(during.errors[0].extensions.retriable).toBe(true);
    await cluster.etcd.restart();

    await cluster.produce('outage', 0, ['b0']);
    acked.push('b0');
    for (const id of [1, 2, 3]) {
      await cluster.waitFor(`node ${id} to list 3 members and a controller`, async () => {
        const data = await cluster.ok(id, `{ cluster { controllerId nodes { nodeId } } }`);
        return data.cluster.nodes.length === 3 && data.cluster.controllerId >= 1 ? true : undefined;
      });
    }
    await cluster.waitFor('a topic placed after the restart', async () => {
      const body = await cluster.gql(
        2,
        `mutation { createTopic(input: { name: "after-outage", partitions: 1, replicationFactor: 3 }) { name } }`,
      );
      return body.errors?.[0]?.extensions?.code === 'TOPIC_ALREADY_EXISTS' || !body.errors ? true : undefined;
    });
    expect((await cluster.leaderView('after-outage')).replicas).toHaveLength(3);
    const now = await cluster.leaderView('outage');
    expect(containsInOrder(await cluster.values(now.leader!, 'outage'), acked)).toBe(true);
  });
});
