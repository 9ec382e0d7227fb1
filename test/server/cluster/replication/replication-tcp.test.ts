/**
 * Replication over real TCP sockets in one process: three ReplicaManagers with real logs in temp
 * dirs, the real cluster port and fetchers, an in-memory control plane twin (partition states,
 * CAS ISR changes, endpoints). acks ALL completes only once the followers have the bytes; a
 * follower that stops fetching is shrunk out after replica.lag.time.max.ms and expands back after
 * catching up; a leader change with a divergent follower tail truncates it by leader epoch.
 */
import { ControlPlaneTwin } from '../../../support/replication/control-plane-twin';
import { logBytes, ReplicationNode, waitUntil } from '../../../support/replication/replication-node';
import { readAllValues, records } from '../../../support/log-builders';

const TOPIC = 'orders';
/** replica.lag.time.max.ms where a test is about the ISR shrink; elsewhere long enough never to shrink on a loaded machine. */
const LAG_MS = 1_000;
const NO_SHRINK_MS = 600_000;

let twin: ControlPlaneTwin;
let nodes: ReplicationNode[] = [];

async function startCluster(count: number, lagMs = NO_SHRINK_MS): Promise<ReplicationNode[]> {
  twin = new ControlPlaneTwin();
  nodes = [];
  for (let id = 0; id < count; id++)
    nodes.push(await ReplicationNode.start(id, twin, { replicaLagTimeMaxMs: lagMs, fetch: { maxWaitMs: 200 } }));
  return nodes;
}

afterEach(async () => {
  for (const node of nodes) await node.close();
  nodes = [];
});

/** acks ALL on the leader: append, then wait for the ISR. */
async function produceAll(node: ReplicationNode, count: number, prefix: string, minIsr = 2, partition = 0): Promise<number> {
  const p = node.partition(TOPIC, partition);
  const { result } = await p.appendRecordsToLeader(records(count, prefix), 'ALL', minIsr);
  await p.awaitReplicas(result.lastOffset + 1, minIsr, 20_000);
  return result.lastOffset + 1;
}

it('acks ALL completes only once every ISR follower has the bytes; the replicas are byte-identical', async () => {
  const [leader, f1, f2] = await startCluster(3);
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 1, replicas: [0, 1, 2], isr: [0, 1, 2] });
  await twin.write(TOPIC, 1, { leaderId: 0, leaderEpoch: 1, replicas: [0, 1, 2], isr: [0, 1, 2] });
  for (let round = 0; round < 5; round++) {
    const end = await produceAll(leader!, 10, `r${round}-`, 3);
    // The answer came: both followers hold the records already (the HW counts only what they reported).
    expect(f1!.log(TOPIC).logEndOffset).toBeGreaterThanOrEqual(end);
    expect(f2!.log(TOPIC).logEndOffset).toBeGreaterThanOrEqual(end);
  }
  await produceAll(leader!, 3, 'p1-', 3, 1);
  const hw = leader!.partition(TOPIC).highWatermark;
  expect(hw).toBe(50);
  const expected = await logBytes(leader!.log(TOPIC), hw);
  for (const follower of [f1!, f2!]) expect((await logBytes(follower.log(TOPIC), hw)).equals(expected)).toBe(true);
  // The followers learn the HW from the leader's answers.
  await waitUntil(() => f1!.log(TOPIC).highWatermark === hw && f2!.log(TOPIC).highWatermark === hw, 'the followers’ HW');
  expect(f1!.log(TOPIC, 1).logEndOffset).toBe(3);
});

it('acks ALL waits while a follower is not fetching, then the lagging follower is shrunk out and expands back when it catches up', async () => {
  const [leader, f1, f2] = await startCluster(3, LAG_MS);
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 1, replicas: [0, 1, 2], isr: [0, 1, 2] });
  await produceAll(leader!, 5, 'a');
  await f2!.stopFetching();
  const p = leader!.partition(TOPIC);
  const { result } = await p.appendRecordsToLeader(records(5, 'b'), 'ALL', 2);
  // Follower 1 copies at once, follower 2 never: the produce answers only once 2 is out of the ISR
  // (after replica.lag.time.max.ms), with the HW over [0, 1].
  let isrWhenAcked: readonly number[] = [];
  await p.awaitReplicas(result.lastOffset + 1, 2, 20_000)!.then(() => (isrWhenAcked = p.isr));
  expect(isrWhenAcked).toEqual([0, 1]);
  expect(f1!.log(TOPIC).logEndOffset).toBe(10);
  expect(twin.state(TOPIC, 0).isr).toEqual([0, 1]);
  expect(p.isr).toEqual([0, 1]);
  expect(f2!.log(TOPIC).logEndOffset).toBe(5);
  // Follower 2 comes back, catches up, and is expanded back in.
  await f2!.resumeFetching();
  await waitUntil(() => twin.state(TOPIC, 0).isr.length === 3, 'the ISR expand');
  expect(twin.state(TOPIC, 0).isr).toEqual([0, 1, 2]);
  expect(f2!.log(TOPIC).logEndOffset).toBe(10);
  expect(twin.isrHistory.get(`${TOPIC}-0`)).toEqual([
    [0, 1, 2],
    [0, 1],
    [0, 1, 2],
  ]);
  expect(leader!.replication!.isrChanges).toEqual({ shrinks: 1, expands: 1 });
});

it('a new leader makes the old leader truncate its divergent tail by leader epoch, then copy the new one', async () => {
  const [n0, n1] = await startCluster(2);
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 1, replicas: [0, 1], isr: [0, 1] });
  await produceAll(n0!, 4, 'committed');
  // Node 1 stops fetching; node 0 takes writes only it has (acks LEADER: never acknowledged to ALL).
  await n1!.stopFetching();
  await n0!.partition(TOPIC).appendRecordsToLeader(records(3, 'divergent'), 'LEADER', 1);
  await n0!.partition(TOPIC).appendRecordsToLeader(records(2, 'divergent2'), 'LEADER', 1);
  expect(n0!.log(TOPIC).logEndOffset).toBe(9);
  // The controller elects node 1 (in the ISR) at epoch 2; node 0 becomes its follower.
  await twin.elect(TOPIC, 0, 1, [1]);
  expect(n1!.partition(TOPIC).role).toBe('LEADER');
  await n1!.resumeFetching(); // its cluster port again, for node 0 to fetch from
  await n1!.partition(TOPIC).appendRecordsToLeader(records(3, 'epoch2-'), 'LEADER', 1);
  // The follower's HW moves only after its append is written: min(leader HW 7, own log end).
  await waitUntil(() => n0!.log(TOPIC).highWatermark === 7, 'node 0 to truncate and copy epoch 2');
  expect(n0!.log(TOPIC).logEndOffset).toBe(7);
  const values = (await readAllValues(n0!.log(TOPIC))).map((r) => r.value);
  expect(values).toEqual(['committed0', 'committed1', 'committed2', 'committed3', 'epoch2-0', 'epoch2-1', 'epoch2-2']);
  expect((await logBytes(n0!.log(TOPIC), 7)).equals(await logBytes(n1!.log(TOPIC), 7))).toBe(true);
  expect(n0!.log(TOPIC).leaderEpochCache.entries()).toEqual([
    { epoch: 1, startOffset: 0 },
    { epoch: 2, startOffset: 4 },
  ]);
  // Node 0 is caught up: the new leader expands it back into the ISR.
  await waitUntil(() => twin.state(TOPIC, 0).isr.length === 2, 'node 0 back in the ISR');
});

it('a state with an older leader epoch is ignored, and a deposed leader never acknowledges', async () => {
  const [n0, n1] = await startCluster(2);
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 5, replicas: [0, 1], isr: [0, 1] });
  await produceAll(n0!, 2, 'x');
  const p0 = n0!.partition(TOPIC);
  await n1!.stopFetching();
  const { result } = await p0.appendRecordsToLeader(records(1, 'y'), 'ALL', 2);
  const waiting = p0.awaitReplicas(result.lastOffset + 1, 2, 20_000)!;
  // The new leader is node 1 at epoch 6: node 0's waiting produce fails, it is not acknowledged.
  await twin.elect(TOPIC, 0, 1, [1]);
  await expect(waiting).rejects.toMatchObject({ code: 'NOT_LEADER_OR_FOLLOWER' });
  await expect(p0.appendRecordsToLeader(records(1, 'z'), 'ALL', 1)).rejects.toMatchObject({ code: 'NOT_LEADER_OR_FOLLOWER' });
  // A late state from epoch 5 changes nothing.
  await n0!.replicas.becomeLeaderOrFollower([
    { topic: TOPIC, partition: 0, leaderId: 0, leaderEpoch: 5, replicas: [0, 1], isr: [0, 1], version: 99 },
  ]);
  expect(p0.role).toBe('FOLLOWER');
  expect(p0.leaderEpoch).toBe(6);
});

it('a restarted follower recovers its log, catches up, rejoins the ISR only then, and can lead at once with nothing acknowledged lost (R12)', async () => {
  const [n0, n1, n2] = await startCluster(3, LAG_MS);
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 1, replicas: [0, 1, 2], isr: [0, 1, 2] });
  await produceAll(n0!, 10, 'before');
  let ackedWhileDown = 0;
  await n2!.restart(async () => {
    // While node 2 is down the leader shrinks it out and keeps acknowledging with ISR [0, 1].
    await waitUntil(() => twin.state(TOPIC, 0).isr.length === 2, 'node 2 shrunk out');
    for (let round = 0; round < 5; round++) ackedWhileDown = await produceAll(n0!, 20, `down${round}-`);
  });
  expect(n2!.log(TOPIC).logEndOffset).toBeGreaterThanOrEqual(10); // recovered from its own files
  await waitUntil(() => twin.state(TOPIC, 0).isr.length === 3, 'node 2 back in the ISR');
  // It was let back in only with everything up to the HW at that time.
  expect(n2!.log(TOPIC).logEndOffset).toBeGreaterThanOrEqual(ackedWhileDown);
  // The leader is lost at once; the controller elects node 2.
  await n0!.stopFetching();
  twin.deregister(0);
  await twin.elect(TOPIC, 0, 2, [1, 2]);
  const end = await produceAll(n2!, 5, 'after');
  const values = (await readAllValues(n1!.log(TOPIC))).map((r) => r.value);
  expect(values.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `before${i}`));
  expect(values.filter((v) => v!.startsWith('down'))).toHaveLength(100);
  expect(values.slice(-5)).toEqual(Array.from({ length: 5 }, (_, i) => `after${i}`));
  expect((await logBytes(n1!.log(TOPIC), end)).equals(await logBytes(n2!.log(TOPIC), end))).toBe(true);
});
