/**
 * The truncation arithmetic of KIP-101/KIP-279 (epoch-end.ts) over real leader-epoch caches:
 * the leader's answer for an epoch, and the follower's truncation point from that answer.
 */
import type { PartitionLog } from '../../../../storage';
import { epochEndOf, truncationOffset } from '../../../../server/cluster/replication/epoch-end';
import { openTestLog, records } from '../../../support/log-builders';
import { makeTmpDir, removeTmpDir } from '../../../support/tmp-dir';

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
  for (const dir of dirs) removeTmpDir(dir);
});

/** A log with `runs` of [epoch, record count] appended in order. */
async function logWith(runs: [number, number][]): Promise<PartitionLog> {
  const dir = makeTmpDir();
  dirs.push(dir);
  const { manager, log } = await openTestLog(dir);
  closers.push(() => manager.close());
  for (const [epoch, count] of runs) await log.append(records(count), { leaderEpoch: epoch });
  return log;
}

function followerOf(log: PartitionLog) {
  return { cache: log.leaderEpochCache, logEndOffset: log.logEndOffset, highWatermark: log.highWatermark };
}

it('the leader answers the largest epoch at or below the asked one and where it ends', async () => {
  const leader = await logWith([
    [1, 3],
    [4, 2],
    [6, 5],
  ]); // 1: 0..2, 4: 3..4, 6: 5..9
  expect(epochEndOf(leader.leaderEpochCache, 1)).toEqual({ epoch: 1, endOffset: 3 });
  expect(epochEndOf(leader.leaderEpochCache, 3)).toEqual({ epoch: 1, endOffset: 3 });
  expect(epochEndOf(leader.leaderEpochCache, 5)).toEqual({ epoch: 4, endOffset: 5 });
  expect(epochEndOf(leader.leaderEpochCache, 9)).toEqual({ epoch: 6, endOffset: 10 });
  // Older than every epoch the leader has: that epoch, ending where the leader's first epoch starts (Kafka's endOffsetFor).
  expect(epochEndOf(leader.leaderEpochCache, 0)).toEqual({ epoch: 0, endOffset: 0 });
  expect(epochEndOf(leader.leaderEpochCache, -1)).toEqual({ epoch: -1, endOffset: -1 });
});

it('an empty leader log answers UNDEFINED', async () => {
  const leader = await logWith([]);
  expect(epochEndOf(leader.leaderEpochCache, 3)).toEqual({ epoch: -1, endOffset: -1 });
});

it('a follower whose only epoch is older than all the leader’s is cut to the leader’s first epoch start, whatever its HW says', async () => {
  // The simulation's seed-7 stall: the follower wrote offsets 0..3 in epoch 3 as a leader whose
  // records never committed; the leader's log starts with epoch 5. Its HW came up to 4 from the
  // leader's answers, so falling back to the HW would keep the four records the leader never had.
  const leader = await logWith([
    [5, 18],
    [7, 3],
  ]);
  const follower = await logWith([[3, 4]]);
  follower.updateHighWatermark(4);
  const answer = epochEndOf(leader.leaderEpochCache, 3);
  expect(answer).toEqual({ epoch: 3, endOffset: 0 });
  expect(truncationOffset(answer, 3, followerOf(follower))).toBe(0);
});

it('a follower with the same epochs keeps its log; a longer tail in the shared epoch is cut to the leader’s end', async () => {
  const follower = await logWith([
    [1, 3],
    [4, 4],
  ]); // 4: 3..6
  expect(truncationOffset({ epoch: 4, endOffset: 7 }, 4, followerOf(follower))).toBe(7);
  expect(truncationOffset({ epoch: 4, endOffset: 5 }, 4, followerOf(follower))).toBe(5);
});

it('a follower epoch the leader never had is cut where the follower’s own answered epoch ends (KIP-279)', async () => {
  const follower = await logWith([
    [1, 3],
    [2, 4],
  ]); // the leader had 1: 0..4, then 3
  expect(truncationOffset({ epoch: 1, endOffset: 5 }, 2, followerOf(follower))).toBe(3);
});

it('a follower whose every epoch is newer than the leader’s answer is cut to its first epoch’s start', async () => {
  const follower = await logWith([[5, 3]]); // the leader's epochs: 1 (0..2), then 7
  expect(truncationOffset({ epoch: 1, endOffset: 3 }, 5, followerOf(follower))).toBe(0);
});

it('with no epoch answered the follower falls back to its high watermark', async () => {
  const follower = await logWith([[1, 4]]);
  follower.updateHighWatermark(2);
  expect(truncationOffset({ epoch: -1, endOffset: -1 }, 1, followerOf(follower))).toBe(2);
});
