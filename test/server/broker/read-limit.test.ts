/**
 * One read limit: every client read stops where readLimit says (the high watermark; under
 * READ_COMMITTED the last stable offset, the HW while no transaction is open), not at the log end. A Partition with a simulated
 * follower that lags (its log end offset reported by the test) keeps the limit below the log end.
 */
import type { LogManager, PartitionLog } from '../../../storage';
import { ChangeSignal } from '../../../server/broker/change-signal';
import { readRecords } from '../../../server/broker/fetch';
import { lastStableOffset, readLimit } from '../../../server/broker/read-limit';
import { resolveStart } from '../../../server/broker/record-stream';
import type { PartitionRuntime } from '../../../server/broker/topic-registry';
import { Partition } from '../../../server/cluster/partition';
import { openTestLog, records } from '../../support/log-builders';
import { appendMarker, appendTxn } from '../../support/txn-builders';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';

let dir: string;
let manager: LogManager;
let log: PartitionLog;

beforeEach(async () => {
  dir = makeTmpDir();
  ({ manager, log } = await openTestLog(dir));
});
afterEach(async () => {
  await manager.close();
  removeTmpDir(dir);
});

/** Batches of 3 and 2 records appended, the follower has the first (followers fetch whole batches): HW 3, log end 5. */
async function lagging(): Promise<PartitionRuntime> {
  const replica = new Partition(0, log, { leaderId: 0, leaderEpoch: 0, replicas: [0, 1], isr: [0, 1] });
  await replica.appendRecordsToLeader(records(3), 'LEADER', 1);
  await replica.appendRecordsToLeader(records(2), 'LEADER', 1);
  replica.updateFollowerLogEndOffset(1, 3);
  return { topic: 'events', partition: 0, log, replica, changed: new ChangeSignal() };
}

describe('readLimit', () => {
  it('is the high watermark under both isolation levels while there are no transactions', async () => {
    const { replica } = await lagging();
    expect(replica.logEndOffset).toBe(5);
    expect(readLimit(replica, 'READ_UNCOMMITTED')).toBe(3);
    expect(readLimit(replica, 'READ_COMMITTED')).toBe(3);
    expect(lastStableOffset(replica)).toBe(3);
  });

  it('bounds what a read returns, and where LATEST starts, below the log end', async () => {
    const runtime = await lagging();
    for (const isolation of ['READ_UNCOMMITTED', 'READ_COMMITTED'] as const) {
      const read = await readRecords(runtime, 0, 100, 1_048_576, isolation);
      expect(read.records.map((r) => r.offset)).toEqual([0, 1, 2]);
      expect(read.nextOffset).toBe(3);
    }
    expect(await resolveStart(runtime, { from: 'LATEST', offset: null, timestampMs: null })).toBe(3);
    runtime.replica.updateFollowerLogEndOffset(1, 5);
    expect((await readRecords(runtime, 3, 100, 1_048_576, 'READ_UNCOMMITTED')).records.map((r) => r.offset)).toEqual([3, 4]);
  });

  it('under READ_COMMITTED stops at the first offset of an open transaction, where LATEST starts too; its commit moves it', async () => {
    const replica = new Partition(0, log, { leaderId: 0, leaderEpoch: 0, replicas: [0], isr: [0] });
    const runtime: PartitionRuntime = { topic: 'events', partition: 0, log, replica, changed: new ChangeSignal() };
    await replica.appendRecordsToLeader(records(2), 'LEADER', 1);
    const txn = await appendTxn(log, 5, 0, 2);
    await replica.appendRecordsToLeader(records(1), 'LEADER', 1);
    expect(replica.highWatermark).toBe(5);
    expect(readLimit(replica, 'READ_COMMITTED')).toBe(txn.baseOffset);
    expect(readLimit(replica, 'READ_UNCOMMITTED')).toBe(5);
    expect(await resolveStart(runtime, { from: 'LATEST', offset: null, timestampMs: null, isolation: 'READ_COMMITTED' })).toBe(
      txn.baseOffset,
    );
    expect((await readRecords(runtime, 0, 100, 1_048_576, 'READ_COMMITTED')).records.map((r) => r.offset)).toEqual([0, 1]);
    await appendMarker(log, 5, 'COMMIT');
    replica.maybeIncrementLeaderHW();
    expect(readLimit(replica, 'READ_COMMITTED')).toBe(6);
    // Committed records are read; the marker (offset 5) is never a record, in either isolation.
    for (const isolation of ['READ_COMMITTED', 'READ_UNCOMMITTED'] as const) {
      expect((await readRecords(runtime, 0, 100, 1_048_576, isolation)).records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it("under READ_COMMITTED skips the batches of an aborted transaction, not the other producers' batches in its range", async () => {
    const replica = new Partition(0, log, { leaderId: 0, leaderEpoch: 0, replicas: [0], isr: [0] });
    const runtime: PartitionRuntime = { topic: 'events', partition: 0, log, replica, changed: new ChangeSignal() };
    await appendTxn(log, 1, 0, 2); // 0..1 aborted
    await appendTxn(log, 2, 0, 1); // 2 committed
    await replica.appendRecordsToLeader(records(1), 'LEADER', 1); // 3 plain
    await appendTxn(log, 1, 1, 1); // 4 aborted
    await appendMarker(log, 1, 'ABORT'); // 5
    await appendMarker(log, 2, 'COMMIT'); // 6
    replica.maybeIncrementLeaderHW();
    expect((await readRecords(runtime, 0, 100, 1_048_576, 'READ_COMMITTED')).records.map((r) => r.offset)).toEqual([2, 3]);
    expect((await readRecords(runtime, 1, 100, 1_048_576, 'READ_COMMITTED')).records.map((r) => r.offset)).toEqual([2, 3]);
    expect((await readRecords(runtime, 0, 100, 1_048_576, 'READ_UNCOMMITTED')).records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    expect((await readRecords(runtime, 0, 100, 1_048_576, 'READ_COMMITTED')).nextOffset).toBe(7);
  });
});
