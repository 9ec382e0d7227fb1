/**
 * The leader's view of its followers in Partition, over a real log and a ManualClock: when a
 * follower counts as caught up (Kafka's Replica.updateFetchState), which ISR followers are lagging
 * past replica.lag.time.max.ms, which out-of-sync followers may rejoin (HW and the epoch's start),
 * and the change watchers a long-polling fetch waits on.
 */
import { ManualClock, ManualScheduler, type LogManager, type PartitionLog } from '../../../storage';
import { Partition, type ReplicaAssignment } from '../../../server/cluster/partition';
import { openTestLog, records } from '../../support/log-builders';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';

const LAG_MS = 1_000;
const THREE: ReplicaAssignment = { leaderId: 0, leaderEpoch: 2, replicas: [0, 1, 2], isr: [0, 1, 2] };

let dir: string;
let manager: LogManager;
let log: PartitionLog;
let clock: ManualClock;

beforeEach(async () => {
  dir = makeTmpDir();
  ({ manager, log } = await openTestLog(dir));
  clock = new ManualClock();
});
afterEach(async () => {
  await manager.close();
  removeTmpDir(dir);
});

function leader(assignment = THREE): Partition {
  return new Partition(0, log, assignment, new ManualScheduler(clock), clock);
}

it('an ISR follower inherited at election has the full lag window, then lags once it stops catching up', async () => {
  const p = leader();
  await p.appendRecordsToLeader(records(5), 'LEADER', 1);
  clock.advance(LAG_MS);
  expect(p.laggingReplicas(LAG_MS)).toEqual([]);
  p.updateFollowerFetchState(1, 5); // follower 1 asks for the log end: caught up now
  clock.advance(1);
  expect(p.laggingReplicas(LAG_MS)).toEqual([2]);
});

it('a follower behind the log end counts as caught up as of its previous fetch when it reached what the leader had then', async () => {
  const p = leader();
  await p.appendRecordsToLeader(records(5), 'LEADER', 1);
  p.updateFollowerFetchState(1, 5); // caught up at t=0
  p.updateFollowerFetchState(2, 5);
  clock.advance(600);
  await p.appendRecordsToLeader(records(5), 'LEADER', 1); // log end 10
  p.updateFollowerFetchState(1, 5); // t=600: behind; the leader's end when it answered is 10
  clock.advance(600);
  p.updateFollowerFetchState(1, 10); // t=1200: reached what the leader had at t=600, and the end now
  p.updateFollowerFetchState(2, 5); // t=1200: still at 5, last caught up t=0
  expect(p.laggingReplicas(LAG_MS)).toEqual([2]);
  await p.appendRecordsToLeader(records(5), 'LEADER', 1); // log end 15
  clock.advance(900); // t=2100
  p.updateFollowerFetchState(1, 12); // short of 15 but past what the leader had at its previous answer (10): caught up as of t=1200
  clock.advance(200); // t=2300: 1100 ms since t=1200
  expect(p.laggingReplicas(LAG_MS)).toEqual([1, 2]);
});

it('an out-of-sync follower may rejoin once it reached the HW and this epoch’s start', async () => {
  await log.append(records(4), { leaderEpoch: 1 }); // written under an earlier epoch: the epoch 2 start is 4
  const p = leader({ ...THREE, isr: [0, 1] });
  expect(p.leaderEpochStartOffset).toBe(4);
  await p.appendRecordsToLeader(records(2), 'LEADER', 1);
  p.updateFollowerFetchState(1, 6); // HW 6
  expect(p.highWatermark).toBe(6);
  p.updateFollowerFetchState(2, 3);
  expect(p.canRejoinIsr(2)).toBe(false);
  p.updateFollowerFetchState(2, 5);
  expect(p.canRejoinIsr(2)).toBe(false);
  p.updateFollowerFetchState(2, 6);
  expect(p.canRejoinIsr(2)).toBe(true);
  expect(p.canRejoinIsr(1)).toBe(false); // already in the ISR
});

it('a follower is never expanded before this epoch’s start, even at the HW', async () => {
  await log.append(records(4), { leaderEpoch: 1 }); // the previous leader's records; this log's HW is still 0
  const p = leader({ ...THREE, isr: [0, 2] }); // follower 2 unknown yet: the HW stays 0, the epoch starts at 4
  expect(p.highWatermark).toBe(0);
  p.updateFollowerFetchState(1, 2);
  expect(p.canRejoinIsr(1)).toBe(false); // at the HW (0) but short of the epoch start (4)
  p.updateFollowerFetchState(1, 4);
  expect(p.canRejoinIsr(1)).toBe(true);
});

it('watchers hear appends, HW moves and new assignments until they stop watching', async () => {
  const p = leader({ ...THREE, replicas: [0, 1], isr: [0, 1] });
  let calls = 0;
  const stop = p.onChange(() => calls++);
  await p.appendRecordsToLeader(records(1), 'LEADER', 1);
  expect(calls).toBe(1);
  p.updateFollowerFetchState(1, 1); // HW 0 → 1
  expect(calls).toBe(2);
  p.updateFollowerFetchState(1, 1); // nothing moved
  expect(calls).toBe(2);
  p.applyAssignment({ ...THREE, replicas: [0, 1], isr: [0] });
  expect(calls).toBe(3);
  stop();
  await p.appendRecordsToLeader(records(1), 'LEADER', 1);
  expect(calls).toBe(3);
});

it('reports each follower’s lag in records and in ms since it last caught up (-1 ms: never)', async () => {
  const p = leader({ ...THREE, isr: [0, 1] });
  await p.appendRecordsToLeader(records(8), 'LEADER', 1);
  p.updateFollowerFetchState(1, 8);
  clock.advance(250);
  p.updateFollowerFetchState(1, 8);
  await p.appendRecordsToLeader(records(2), 'LEADER', 1);
  clock.advance(100);
  expect(p.followerLag()).toEqual([
    { replicaId: 1, records: 2, ms: 100 },
    { replicaId: 2, records: 10, ms: -1 },
  ]);
});
