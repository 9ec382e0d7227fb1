/**
 * alterTopicConfig on a real 3-node cluster: the overrides are the cluster's (the topic key in
 * etcd), not the asked node's. A change made through a follower is what the leader enforces (a
 * raised min.insync.replicas refuses acks ALL once a replica is gone), a node that was down during
 * the change has it when it returns, and a bad value is refused with nothing changed anywhere.
 */
import { useTestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(180_000);

const ALTER = `mutation($t: String!, $c: [ConfigEntryInput!]!) { alterTopicConfig(name: $t, configs: $c) { configs { key value isDefault } } }`;

describe('alterTopicConfig in a cluster', () => {
  const cluster = useTestCluster(3);

  async function configOn(nodeId: number, topic: string, key: string): Promise<string | undefined> {
    const data = await cluster.ok(nodeId, `query($t: String!) { topic(name: $t) { configs { key value } } }`, { t: topic });
    return data.topic?.configs.find((c: { key: string }) => c.key === key)?.value;
  }

  function everyNodeHas(nodes: number[], topic: string, key: string, value: string): Promise<true> {
    return cluster.waitFor(`${key}=${value} on nodes ${nodes.join(',')}`, async () => {
      const values = await Promise.all(nodes.map((id) => configOn(id, topic, key)));
      return values.every((v) => v === value) ? true : undefined;
    });
  }

  it('a change made through a follower reaches every node, and the leader enforces it', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "strict", partitions: 1, replicationFactor: 3 }) { name } }`);
    const { leader } = await cluster.leaderView('strict', 0, true);
    const [follower, other] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    const altered = await cluster.ok(follower, ALTER, { t: 'strict', c: [{ key: 'min.insync.replicas', value: '3' }] });
    expect(altered.alterTopicConfig.configs).toContainEqual({ key: 'min.insync.replicas', value: '3', isDefault: false });
    await everyNodeHas([1, 2, 3], 'strict', 'min.insync.replicas', '3');

    await cluster.produce('strict', 0, ['with-three']);
    await cluster.kill9(other);
    await cluster.waitFor('the ISR without the killed follower', async () => {
      const p = await cluster.partition(leader!, 'strict');
      return p && p.isr.length === 2 ? p : undefined;
    });
    const refused = await cluster.gql(
      leader!,
      `mutation { produce(input: { topic: "strict", acks: ALL, records: [{ value: "two-only" }] }) { records { offset } } }`,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_ENOUGH_REPLICAS');
    expect(await cluster.values(leader!, 'strict')).toEqual(['with-three']);
    await cluster.startNode(other);
    await cluster.leaderView('strict', 0, true);
  });

  it('a node that was down during the change has it when it returns; a bad value changes nothing anywhere', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "kept", partitions: 1, replicationFactor: 3 }) { name } }`);
    await cluster.leaderView('kept', 0, true);
    await cluster.kill9(3);
    await cluster.ok(2, ALTER, { t: 'kept', c: [{ key: 'retention.ms', value: '3600000' }] });
    await cluster.startNode(3);
    await everyNodeHas([1, 2, 3], 'kept', 'retention.ms', '3600000');

    const bad = await cluster.gql(1, ALTER, { t: 'kept', c: [{ key: 'retention.ms', value: 'soon' }] });
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_CONFIG');
    for (const id of [1, 2, 3]) expect(await configOn(id, 'kept', 'retention.ms')).toBe('3600000');

    const reset = await cluster.ok(3, ALTER, { t: 'kept', c: [{ key: 'retention.ms', value: null }] });
    expect(reset.alterTopicConfig.configs).toContainEqual(expect.objectContaining({ key: 'retention.ms', isDefault: true }));
    await cluster.waitFor('retention.ms back to its default on every node', async () => {
      const data = await Promise.all([1, 2, 3].map((id) => cluster.ok(id, `{ topic(name: "kept") { configs { key isDefault } } }`)));
      return data.every((d) => d.topic.configs.find((c: { key: string }) => c.key === 'retention.ms').isDefault) ? true : undefined;
    });
  });
});
