/**
 * The Partition layer over a real log (real files): HW = the smallest log end offset of the ISR,
 * the min-ISR check of acks ALL, acks ALL waiting for the ISR, roles. A second replica is
 * simulated the way the replica fetcher will report one: the test calls
 * updateFollowerLogEndOffset with the offset that replica has reached. No network.
 */
import { ManualClock, ManualScheduler, type LogManager, type PartitionLog } from '../../../storage';
import { effectiveMinIsr, highWatermarkOver, Partition, roleOf, type ReplicaAssignment } from '../../../server/cluster/partition';
import { ReplicaManager } from '../../../server/cluster/replica-manager';
import { openTestLog, records } from '../../support/log-builders';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';

const LEADER = 0;
const FOLLOWER = 1;
const ONE_NODE: ReplicaAssignment = { leaderId: LEADER, leaderEpoch: 0, replicas: [LEADER], isr: [LEADER] };
const TWO_IN_SYNC: ReplicaAssignment = { leaderId: LEADER, leaderEpoch: 3, replicas: [LEADER, FOLLOWER], isr: [LEADER, FOLLOWER] };
const FOLLOWER_OUT_OF_SYNC: ReplicaAssignment = { ...TWO_IN_SYNC, isr: [LEADER] };

let dir: string;
let manager: LogManager;
let log: PartitionLog;

beforeEach(async () => {
  dir = makeTmpDir();
  ({ manager, log } = await openTestLog(dir));
});
afterEach(async () => {
  await manager.close(); // before the directory goes
  removeTmpDir(dir);
});

/** Settles to 'pending' when the promise has not settled after the event loop went round once. */
async function state(promise: Promise<void>): Promise<'resolved' | 'pending' | { code: string }> {
  const marker = Symbol('pending');
  const result = await Promise.race([
    promise.then(
      () => 'resolved' as const,
      (error: { code: string }) => ({ code: error.code }),
    ),
    new Promise<typeof marker>((resolve) => setImmediate(() => resolve(marker))),
  ]);
  return result === marker ? 'pending' : result;
}

describe('pure rules', () => {
  it('HW is the smallest log end offset of the ISR', () => {
    const leos = new Map([
      [0, 10],
      [1, 7],
      [2, 4],
    ]);
    expect(highWatermarkOver([0, 1], (id) => leos.get(id)!)).toBe(7);
    expect(highWatermarkOver([0, 1, 2], (id) => leos.get(id)!)).toBe(4);
    expect(highWatermarkOver([0], (id) => leos.get(id)!)).toBe(10);
  });

  it('roles follow the assignment; min ISR is capped at the replica count', () => {
    expect(roleOf(0, TWO_IN_SYNC)).toBe('LEADER');
    expect(roleOf(1, TWO_IN_SYNC)).toBe('FOLLOWER');
    expect(roleOf(2, TWO_IN_SYNC)).toBe('NONE');
    expect(effectiveMinIsr(2, 1)).toBe(1);
    expect(effectiveMinIsr(2, 3)).toBe(2);
  });
});

describe('Partition on one node (the ISR is the leader alone)', () => {
  it('moves the HW to the log end after every append, so acks ALL never waits', async () => {
    const partition = new Partition(LEADER, log, ONE_NODE);
    expect(partition.role).toBe('LEADER');
    const first = await partition.appendRecordsToLeader(records(3), 'ALL', 1);
    expect(first.highWatermarkIncremented).toBe(true);
    expect(partition.highWatermark).toBe(3);
    expect(partition.awaitReplicas(first.result.lastOffset + 1, 1, 1_000)).toBeNull();
    const second = await partition.appendRecordsToLeader(records(2), 'LEADER', 1);
    expect(second.result.baseOffset).toBe(3);
    expect(partition.highWatermark).toBe(5);
  });

  it('takes acks ALL on a one-replica topic whose min.insync.replicas is higher', async () => {
    const partition = new Partition(LEADER, log, ONE_NODE);
    await partition.appendRecordsToLeader(records(1), 'ALL', 2);
    expect(partition.highWatermark).toBe(1);
  });

  it('opens with the HW at the log end of what was already written', async () => {
    const before = new Partition(LEADER, log, ONE_NODE);
    await before.appendRecordsToLeader(records(4), 'LEADER', 1);
    const reopened = new Partition(LEADER, log, ONE_NODE);
    expect(reopened.highWatermark).toBe(4);
  });
});

describe('Partition with a simulated second replica', () => {
  it('holds the HW at the follower’s log end offset until it catches up, and never moves it down', async () => {
    const partition = new Partition(LEADER, log, TWO_IN_SYNC);
    const appended = await partition.appendRecordsToLeader(records(5), 'LEADER', 1);
    expect(appended.highWatermarkIncremented).toBe(false);
    expect(partition.logEndOffset).toBe(5);
    expect(partition.highWatermark).toBe(0); // the follower has reported nothing yet
    expect(partition.updateFollowerLogEndOffset(FOLLOWER, 3)).toBe(true);
    expect(partition.highWatermark).toBe(3);
    expect(partition.updateFollowerLogEndOffset(FOLLOWER, 5)).toBe(true);
    expect(partition.highWatermark).toBe(5);
    expect(partition.updateFollowerLogEndOffset(FOLLOWER, 2)).toBe(false);
    expect(partition.highWatermark).toBe(5);
  });

  it('counts a joining member in the HW from the moment its ISR expansion is proposed (the maximal ISR), until the answer is applied', async () => {
    // The simulation's acknowledged-loss case: the control plane stores the expansion before the
    // leader hears back, and may elect the new member from then on; a record committed over the
    // old ISR alone would be missing on that new leader.
    const partition = new Partition(LEADER, log, FOLLOWER_OUT_OF_SYNC);
    await partition.appendRecordsToLeader(records(2), 'LEADER', 1);
    expect(partition.highWatermark).toBe(2);
    partition.updateFollowerLogEndOffset(FOLLOWER, 2); // caught up: the ISR manager proposes [0, 1]
    partition.beginIsrChange([LEADER, FOLLOWER]);
    expect(partition.maximalIsr).toEqual([LEADER, FOLLOWER]);
    await partition.appendRecordsToLeader(records(3), 'LEADER', 1);
    expect(partition.highWatermark).toBe(2); // waits for the joining follower, though the stored-as-applied ISR is [0]
    const acked = partition.awaitReplicas(5, 1, 10_000)!;
    expect(await state(acked)).toBe('pending');
    partition.applyAssignment(TWO_IN_SYNC); // the answer: the expansion stored
    partition.endIsrChange();
    expect(partition.highWatermark).toBe(2);
    partition.updateFollowerLogEndOffset(FOLLOWER, 5);
    expect(partition.highWatermark).toBe(5);
    expect(await state(acked)).toBe('resolved');
  });

  it('keeps the larger ISR for the HW while a shrink is in flight', async () => {
    const partition = new Partition(LEADER, log, TWO_IN_SYNC);
    partition.beginIsrChange([LEADER]);
    await partition.appendRecordsToLeader(records(2), 'LEADER', 1);
    expect(partition.highWatermark).toBe(0); // the follower may still be elected until the shrink is stored
    partition.applyAssignment(FOLLOWER_OUT_OF_SYNC); // stored: the follower can no longer be elected
    expect(partition.highWatermark).toBe(2);
    partition.endIsrChange();
    expect(partition.highWatermark).toBe(2);
  });

  it('stamps appends with its leader epoch', async () => {
    const partition = new Partition(LEADER, log, TWO_IN_SYNC);
    await partition.appendRecordsToLeader(records(2), 'LEADER', 1);
    expect(log.leaderEpochCache.latestEpoch()).toBe(3);
  });

  it('refuses acks ALL before writing when the ISR is below min.insync.replicas; LEADER and NONE are not checked', async () => {
    const partition = new Partition(LEADER, log, FOLLOWER_OUT_OF_SYNC);
    await expect(partition.appendRecordsToLeader(records(2), 'ALL', 2)).rejects.toMatchObject({
      code: 'NOT_ENOUGH_REPLICAS',
      details: { topic: 'events', partition: 0, isrCount: 1, minInsyncReplicas: 2 },
    });
    expect(partition.logEndOffset).toBe(0);
    await partition.appendRecordsToLeader(records(2), 'LEADER', 2);
    await partition.appendRecordsToLeader(records(1), 'NONE', 2);
    expect(partition.logEndOffset).toBe(3);
    // The out-of-sync follower does not hold the HW back: only the ISR counts.
    expect(partition.highWatermark).toBe(3);
  });

  it('answers acks ALL once the follower has the records', async () => {
    const partition = new Partition(LEADER, log, TWO_IN_SYNC);
    const { result } = await partition.appendRecordsToLeader(records(4), 'ALL', 2);
    const waiting = partition.awaitReplicas(result.lastOffset + 1, 2, 60_000)!;
    expect(waiting).not.toBeNull();
    partition.updateFollowerLogEndOffset(FOLLOWER, 2);
    expect(await state(waiting)).toBe('pending');
    partition.updateFollowerLogEndOffset(FOLLOWER, 4);
    expect(await state(waiting)).toBe('resolved');
  });

  it('fails a waiting acks ALL with NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrinks below the minimum', async () => {
    const partition = new Partition(LEADER, log, TWO_IN_SYNC);
    const { result } = await partition.appendRecordsToLeader(records(2), 'ALL', 2);
    const waiting = partition.awaitReplicas(result.lastOffset + 1, 2, 60_000)!;
    expect(partition.applyAssignment(FOLLOWER_OUT_OF_SYNC)).toBe(true); // the shrunk ISR is the leader: HW = its log end
    expect(partition.highWatermark).toBe(2);
    expect(await state(waiting)).toEqual({ code: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' });
  });

  it('gives up waiting after the timeout with REQUEST_TIMED_OUT', async () => {
    const partition = new Partition(LEADER, log, TWO_IN_SYNC);
    const { result } = await partition.appendRecordsToLeader(records(1), 'ALL', 2);
    await expect(partition.awaitReplicas(result.lastOffset + 1, 2, 5)).rejects.toMatchObject({ code: 'REQUEST_TIMED_OUT' });
  });

  it('times out on its scheduler: a waiting acks ALL fails when the scheduler passes the timeout', async () => {
    const scheduler = new ManualScheduler(new ManualClock());
    const partition = new Partition(LEADER, log, TWO_IN_SYNC, scheduler);
    const { result } = await partition.appendRecordsToLeader(records(1), 'ALL', 2);
    const waiting = partition.awaitReplicas(result.lastOffset + 1, 2, 60_000)!;
    await scheduler.advance(59_999);
    expect(await state(waiting)).toBe('pending');
    await scheduler.advance(1);
    expect(await state(waiting)).toEqual({ code: 'REQUEST_TIMED_OUT' });
    expect(scheduler.pending).toBe(0);
  });

  it('fails a waiting acks ALL when it stops being the leader', async () => {
    const partition = new Partition(LEADER, log, TWO_IN_SYNC);
    const { result } = await partition.appendRecordsToLeader(records(1), 'ALL', 1);
    const waiting = partition.awaitReplicas(result.lastOffset + 1, 1, 60_000)!;
    partition.applyAssignment({ leaderId: FOLLOWER, leaderEpoch: 4, replicas: [LEADER, FOLLOWER], isr: [FOLLOWER] });
    expect(partition.role).toBe('FOLLOWER');
    expect(await state(waiting)).toEqual({ code: 'NOT_LEADER_OR_FOLLOWER' });
  });
});

describe('Partition that is not the leader', () => {
  it('refuses produce with NOT_LEADER_OR_FOLLOWER and writes nothing', async () => {
    const partition = new Partition(FOLLOWER, log, TWO_IN_SYNC);
    expect(partition.role).toBe('FOLLOWER');
    await expect(partition.appendRecordsToLeader(records(1), 'LEADER', 1)).rejects.toMatchObject({
      code: 'NOT_LEADER_OR_FOLLOWER',
      details: { leaderId: LEADER, leaderEpoch: 3 },
    });
    expect(partition.logEndOffset).toBe(0);
  });
});

describe('ReplicaManager', () => {
  it('looks Partitions up by topic-partition and forgets a deleted topic’s, failing its waiting produces', async () => {
    const replicas = new ReplicaManager(LEADER);
    const partition = replicas.add(log, TWO_IN_SYNC);
    expect(replicas.partitionFor('events', 0)).toBe(partition);
    expect(() => replicas.partitionFor('events', 1)).toThrow(expect.objectContaining({ code: 'UNKNOWN_TOPIC_OR_PARTITION' }));
    const { result } = await partition.appendRecordsToLeader(records(1), 'ALL', 1);
    const waiting = partition.awaitReplicas(result.lastOffset + 1, 1, 60_000)!;
    const gone = Object.assign(new Error('deleted'), { code: 'TOPIC_DELETED' });
    replicas.removeTopic('events', gone);
    expect(await state(waiting)).toEqual({ code: 'TOPIC_DELETED' });
    expect(replicas.getPartition('events', 0)).toBeUndefined();
  });
});
