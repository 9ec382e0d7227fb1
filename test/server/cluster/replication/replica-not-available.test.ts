/**
 * A follower that hears of a reassignment before its leader does is refused
 * (REPLICA_NOT_AVAILABLE) and keeps retrying with back-off, so it copies as soon as the leader
 * applies the same state. Fetches are counted on the in-memory network twin, so the test knows
 * the refusals happened.
 */
import { prng } from '../../../support/prng';
import { records } from '../../../support/log-builders';
import { ControlPlaneTwin } from '../../../support/replication/control-plane-twin';
import { InMemoryNetwork } from '../../../support/replication/in-memory-network';
import { ReplicationNode, waitUntil } from '../../../support/replication/replication-node';

const TOPIC = 'moved';
let nodes: ReplicationNode[] = [];
afterEach(async () => {
  for (const node of nodes) await node.close();
});

it('keeps retrying a leader that does not count it as a replica yet, and copies once it does', async () => {
  const network = new InMemoryNetwork(prng(3), { dropRate: 0, maxDelayMs: 1 });
  const twin = new ControlPlaneTwin();
  nodes = [await ReplicationNode.start(0, twin, { network }), await ReplicationNode.start(1, twin, { network })];
  const [n0, n1] = nodes;
  const state = { topic: TOPIC, partition: 0, leaderId: 0, leaderEpoch: 2, isr: [0] };
  await n0!.replicas.becomeLeaderOrFollower([{ ...state, replicas: [0], version: 1 }]);
  await n0!.partition(TOPIC).appendRecordsToLeader(records(2), 'LEADER', 1);
  // Node 1 hears of the reassignment first: its fetches are refused.
  await n1!.replicas.becomeLeaderOrFollower([{ ...state, replicas: [0, 1], version: 2 }]);
  await waitUntil(() => network.requests.filter((r) => r.apiKey === 1).length >= 3, 'three refused fetches');
  expect(n1!.log(TOPIC).logEndOffset).toBe(0);
  await n0!.replicas.becomeLeaderOrFollower([{ ...state, replicas: [0, 1], version: 2 }]);
  await waitUntil(() => n1!.log(TOPIC).highWatermark === 2, 'node 1 to copy once the leader knows it', 10_000);
});
