/**
 * The follower side's reactions, over real sockets with the control plane twin: a follower whose
 * log ends below the leader's log start starts over there (OFFSET_OUT_OF_RANGE); the
 * ReplicaManager applies partition states by epoch and version (fencing), stops fetching what it
 * now leads, and fetches from a new leader after a change. Waits are on the follower's HW: it
 * moves only after an append is written (the log end moves when the append is placed).
 */
import { readAllValues, records } from '../../../support/log-builders';
import { ControlPlaneTwin } from '../../../support/replication/control-plane-twin';
import { ReplicationNode, waitUntil } from '../../../support/replication/replication-node';

const TOPIC = 'events';
let twin: ControlPlaneTwin;
let nodes: ReplicationNode[] = [];

beforeEach(async () => {
  twin = new ControlPlaneTwin();
  nodes = [
    await ReplicationNode.start(0, twin, { fetch: { maxWaitMs: 100 } }),
    await ReplicationNode.start(1, twin, { fetch: { maxWaitMs: 100 } }),
  ];
});
afterEach(async () => {
  for (const node of nodes) await node.close();
});

it('a follower whose log ends below the leader’s log start empties its log and starts at the leader’s start', async () => {
  const [leader, follower] = nodes;
  await follower!.stopFetching();
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 1, replicas: [0, 1], isr: [0] });
  // The leader's log begins at 100 (older segments gone), the follower's is empty at 0.
  await leader!.log(TOPIC).truncateFullyAndStartAt(100);
  await leader!.partition(TOPIC).appendRecordsToLeader(records(3), 'LEADER', 1);
  await follower!.resumeFetching();
  await waitUntil(() => follower!.log(TOPIC).highWatermark === 103, 'the follower to start at 100 and copy');
  expect(follower!.log(TOPIC).logStartOffset).toBe(100);
  expect((await readAllValues(follower!.log(TOPIC))).map((r) => r.offset)).toEqual([100, 101, 102]);
});

it('applies states by leader epoch and version, stops fetching what it leads, and follows a new leader', async () => {
  const [n0, n1] = nodes;
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 3, replicas: [0, 1], isr: [0, 1] });
  const p1 = n1!.partition(TOPIC);
  expect(p1.role).toBe('FOLLOWER');
  // Same epoch, a version not above the applied one: ignored.
  await n1!.replicas.becomeLeaderOrFollower([{ ...twin.state(TOPIC, 0), isr: [0], version: 1 }]);
  expect(p1.isr).toEqual([0, 1]);
  // Same epoch, newer version (an ISR change): applied, fetching goes on.
  await n1!.replicas.becomeLeaderOrFollower([{ ...twin.state(TOPIC, 0), isr: [0], version: 7 }]);
  expect(p1.isr).toEqual([0]);
  await n0!.partition(TOPIC).appendRecordsToLeader(records(2, 'a'), 'LEADER', 1);
  await waitUntil(() => p1.log.highWatermark === 2, 'node 1 to copy from node 0');
  // Node 1 leads at epoch 4: it stops fetching (nothing node 0 appends under epoch 3 reaches it).
  await twin.write(TOPIC, 0, { leaderId: 1, leaderEpoch: 4, replicas: [0, 1], isr: [1] });
  expect(p1.role).toBe('LEADER');
  await p1.appendRecordsToLeader(records(1, 'b'), 'LEADER', 1);
  await waitUntil(() => n0!.log(TOPIC).highWatermark === 3, 'node 0 to follow node 1');
  expect((await readAllValues(n0!.log(TOPIC))).map((r) => r.value)).toEqual(['a0', 'a1', 'b0']);
  // Back to node 0 at epoch 5; node 1 follows again.
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 5, replicas: [0, 1], isr: [0] });
  await n0!.partition(TOPIC).appendRecordsToLeader(records(1, 'c'), 'LEADER', 1);
  await waitUntil(() => p1.log.highWatermark === 4, 'node 1 to follow node 0 again');
  expect((await readAllValues(p1.log)).map((r) => r.value)).toEqual(['a0', 'a1', 'b0', 'c0']);
});
