/**
 * Replication is batched: a follower has one connection to a leader and each FETCH carries every
 * partition it follows from that leader, however many (observed on the in-memory network twin,
 * without faults, so every request is counted).
 */
import { prng } from '../../../support/prng';
import { records } from '../../../support/log-builders';
import { ControlPlaneTwin } from '../../../support/replication/control-plane-twin';
import { InMemoryNetwork } from '../../../support/replication/in-memory-network';
import { ReplicationNode, waitUntil } from '../../../support/replication/replication-node';

const PARTITIONS = 6;
let nodes: ReplicationNode[] = [];
afterEach(async () => {
  for (const node of nodes) await node.close();
});

it('one connection per leader, and every FETCH carries all the partitions followed from it', async () => {
  const network = new InMemoryNetwork(prng(5), { dropRate: 0, maxDelayMs: 2 });
  const twin = new ControlPlaneTwin();
  nodes = [await ReplicationNode.start(0, twin, { network }), await ReplicationNode.start(1, twin, { network, fetch: { maxWaitMs: 50 } })];
  for (let p = 0; p < PARTITIONS; p++) await twin.write('wide', p, { leaderId: 0, leaderEpoch: 1, replicas: [0, 1], isr: [0, 1] });
  for (let round = 0; round < 3; round++) {
    await Promise.all(
      Array.from({ length: PARTITIONS }, async (_, p) => {
        const partition = nodes[0]!.partition('wide', p);
        const { result } = await partition.appendRecordsToLeader(records(2, `r${round}-`), 'ALL', 2);
        await partition.awaitReplicas(result.lastOffset + 1, 2, 20_000);
      }),
    );
  }
  await waitUntil(
    () => Array.from({ length: PARTITIONS }, (_, p) => nodes[1]!.log('wide', p).highWatermark).every((hw) => hw === 6),
    'the follower’s HWs',
  );
  const fetches = network.requests.filter((r) => r.apiKey === 1);
  expect(network.connections).toBe(1);
  // Partitions join the fetch as their states arrive; from the first fetch carrying all, every one does.
  const firstFull = fetches.findIndex((f) => f.partitions === PARTITIONS);
  expect(firstFull).toBeGreaterThanOrEqual(0);
  expect(fetches.slice(firstFull).every((f) => f.partitions === PARTITIONS)).toBe(true);
});
