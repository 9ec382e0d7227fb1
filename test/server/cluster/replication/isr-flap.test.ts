/**
 * A follower shrunk out of the ISR comes back only on its own fetch: another follower's fetches
 * never re-admit it on its stale report, even when that report still equals the HW (the ISR would
 * flap shrink/expand every check). Fetches are counted on the in-memory network twin, so the test
 * waits on them, not on time.
 */
import { prng } from '../../../support/prng';
import { records } from '../../../support/log-builders';
import { ControlPlaneTwin } from '../../../support/replication/control-plane-twin';
import { InMemoryNetwork } from '../../../support/replication/in-memory-network';
import { ReplicationNode, waitUntil } from '../../../support/replication/replication-node';

let nodes: ReplicationNode[] = [];
afterEach(async () => {
  for (const node of nodes) await node.close();
});

it('a silent follower at the HW stays out of the ISR while the others fetch', async () => {
  const network = new InMemoryNetwork(prng(8), { dropRate: 0, maxDelayMs: 1 });
  const twin = new ControlPlaneTwin();
  for (let id = 0; id < 3; id++)
    nodes.push(await ReplicationNode.start(id, twin, { network, replicaLagTimeMaxMs: 2_000, fetch: { maxWaitMs: 20 } })); // a lag bound a loaded CI machine keeps while catching up
  await twin.write('t', 0, { leaderId: 0, leaderEpoch: 1, replicas: [0, 1, 2], isr: [0, 1, 2] });
  const p = nodes[0]!.partition('t');
  const { result } = await p.appendRecordsToLeader(records(4), 'ALL', 3);
  await p.awaitReplicas(result.lastOffset + 1, 3, 20_000);
  await nodes[2]!.stopFetching(); // its last report: log end 4 = the HW, and nothing is produced after
  await waitUntil(() => twin.state('t', 0).isr.length === 2, 'node 2 shrunk out');
  const seen = network.requests.length;
  await waitUntil(() => network.requests.length >= seen + 10, 'ten more fetches from node 1');
  expect(twin.state('t', 0).isr).toEqual([0, 1]);
  expect(twin.isrHistory.get('t-0')).toEqual([
    [0, 1, 2],
    [0, 1],
  ]);
});
