/**
 * Three real node processes and a real etcd form one cluster: every node lists the three live
 * members and the same controller, a topic with replicationFactor 3 has a replica on each, and an
 * acks ALL produce to its leader is on all three replicas. A topic created through one node is
 * served by the others right away (they wait for the control plane's state instead of answering
 * UNKNOWN_TOPIC_OR_PARTITION).
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { containsInOrder, useTestCluster } from '../../support/cluster/cluster-harness';
import { collect } from '../../support/test-node';

jest.setTimeout(120_000);

describe('a 3-node cluster through etcd', () => {
  const cluster = useTestCluster(3);

  it('every node lists all three live nodes and one controller', async () => {
    const views = await Promise.all(
      [1, 2, 3].map((id) =>
        cluster.waitFor(`node ${id} to see 3 members and a controller`, async () => {
          const data = await cluster.ok(
            id,
            `{ cluster { clusterId controllerId controller { nodeId } nodes { nodeId port clusterPort rack alive isController } } }`,
          );
          return data.cluster.nodes.length === 3 && data.cluster.controllerId >= 1 ? data.cluster : undefined;
        }),
      ),
    );
    expect(new Set(views.map((v) => v.clusterId)).size).toBe(1);
    expect(new Set(views.map((v) => v.controllerId)).size).toBe(1);
    for (const view of views) {
      expect(view.nodes.map((n: { nodeId: number }) => n.nodeId)).toEqual([1, 2, 3]);
      expect(
        view.nodes.every((n: { alive: boolean; clusterPort: number; rack: null }) => n.alive && n.clusterPort > 0 && n.rack === null),
      ).toBe(true);
      expect(view.nodes.filter((n: { isController: boolean }) => n.isController).map((n: { nodeId: number }) => n.nodeId)).toEqual([
        view.controllerId,
      ]);
      expect(view.controller.nodeId).toBe(view.controllerId);
      expect(view.nodes.find((n: { nodeId: number }) => n.nodeId === 1).port).toBe(cluster.node(1).process!.port);
    }
  });

  it('places a replicationFactor 3 topic on all three nodes, and an acks ALL produce is on every replica', async () => {
    const created = await cluster.ok(
      2,
      `mutation { createTopic(input: { name: "orders", partitions: 2, replicationFactor: 3 }) { replicationFactor partitions { partition leader replicas } } }`,
    );
    expect(created.createTopic.replicationFactor).toBe(3);
    for (const p of created.createTopic.partitions) expect([...p.replicas].sort()).toEqual([1, 2, 3]);

    await cluster.leaderView('orders', 0, true);
    const { offsets } = await cluster.produce('orders', 0, ['a', 'b', 'c']);
    expect(offsets[2]! - offsets[0]!).toBe(2);

    for (const id of [1, 2, 3]) {
      const values = await cluster.waitFor(`node ${id} to serve the three records`, async () => {
        const got = await cluster.values(id, 'orders');
        return got.length > offsets[2]! ? got : undefined;
      });
      expect(values.slice(offsets[0], offsets[2]! + 1)).toEqual(['a', 'b', 'c']);
      const p = await cluster.partition(id, 'orders');
      expect(p).toMatchObject({ replicas: expect.arrayContaining([1, 2, 3]) });
      expect(p!.logEndOffset).toBeGreaterThan(offsets[2]!);
    }
  });

  it('refuses a replication factor above the live node count with a typed error, and a produce on a follower is NOT_LEADER_OR_FOLLOWER', async () => {
    const tooMany = await cluster.gql(1, `mutation { createTopic(input: { name: "wide", partitions: 1, replicationFactor: 4 }) { name } }`);
    expect(tooMany.errors[0].extensions.code).toBe('INVALID_REPLICATION_FACTOR');

    // A node answers for the state it has applied: ask one that says it does not lead.
    const follower = await cluster.waitFor('a node that does not lead orders-0', async () => {
      for (const id of [1, 2, 3]) {
        const p = await cluster.partition(id, 'orders');
        if (p && p.leader !== null && p.leader !== id) return id;
      }
      return undefined;
    });
    const refused = await cluster.gql(
      follower,
      `mutation { produce(input: { topic: "orders", acks: ALL, records: [{ value: "x", partition: 0 }] }) { records { offset } } }`,
    );
    expect(refused.errors[0].extensions).toMatchObject({ code: 'NOT_LEADER_OR_FOLLOWER', retriable: true });
  });

  it('deletes a topic on every node, and a topic of the same name made again is a new one everywhere', async () => {
    const oldIds = await Promise.all([1, 2, 3].map(async (id) => (await cluster.ok(id, `{ topic(name: "orders") { name } }`)).topic));
    expect(oldIds.every((t) => t?.name === 'orders')).toBe(true);
    expect((await cluster.ok(3, `mutation { deleteTopic(name: "orders") }`)).deleteTopic).toBe(true);
    for (const id of [1, 2, 3]) {
      await cluster.waitFor(`node ${id} to drop orders`, async () =>
        (await cluster.ok(id, `{ topic(name: "orders") { name } }`)).topic === null ? true : undefined,
      );
    }
    await cluster.ok(1, `mutation { createTopic(input: { name: "orders", partitions: 1, replicationFactor: 3 }) { name } }`);
    for (const id of [1, 2, 3]) {
      const p = await cluster.waitFor(`node ${id} to have the new orders`, async () => {
        const found = await cluster.partition(id, 'orders');
        return found && found.leader !== null ? found : undefined;
      });
      expect(p).toMatchObject({ leaderEpoch: 0, logEndOffset: 0 });
    }
  });

  it('a topic or partition created through one node is served by every other node at once, not answered UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "fresh", partitions: 2, replicationFactor: 2 }) { name } }`);
    expect(await Promise.all([2, 3].map((id) => cluster.values(id, 'fresh', 1)))).toEqual([[], []]);
    await cluster.ok(2, `mutation { createPartitions(name: "fresh", count: 4) { name } }`);
    expect(await Promise.all([1, 3].map((id) => cluster.values(id, 'fresh', 3)))).toEqual([[], []]);
    const unknown = await cluster.gql(3, `{ records(topic: "fresh", partition: 4, offset: 0, limit: 1) { nextOffset } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const missing = await cluster.gql(3, `{ records(topic: "never-made", partition: 0, offset: 0, limit: 1) { nextOffset } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('a subscription on every replica follows the records produced on the leader (the follower and leader high watermarks wake tails)', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "tails", partitions: 1, replicationFactor: 3 }) { name } }`);
    await cluster.leaderView('tails', 0, true);
    const clients = [1, 2, 3].map((id) =>
      createClient({ url: `ws://127.0.0.1:${cluster.node(id).process!.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 }),
    );
    try {
      const streams = clients.map((client) =>
        collect(
          client,
          `subscription { records(topic: "tails", partitions: [0], from: EARLIEST) { records { value } } }`,
          {},
          (events: any[]) => events.flatMap((e) => e.records.records).length >= 3,
        ),
      );
      await cluster.produce('tails', 0, ['t1', 't2', 't3']);
      for (const stream of streams) {
        const events = await stream.done;
        expect(
          containsInOrder(
            events.flatMap((e: any) => e.records.records.map((r: { value: string }) => r.value)),
            ['t1', 't2', 't3'],
          ),
        ).toBe(true);
      }
    } finally {
      for (const client of clients) await client.dispose();
    }
  });
});
