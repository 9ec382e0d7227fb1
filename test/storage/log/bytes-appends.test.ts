/**
 * The bytes-level entry points of a partition log (storage/FORMAT.md §11) on real files:
 * appendAsLeader rewrites exactly baseOffset and the leader epoch (and the timestamps the topic
 * asks for, with a valid CRC), appendAsFollower writes the leader's bytes unchanged, a refused
 * append writes nothing, and the raw fetch (`read`) returns exactly the bytes appended.
 * Expected bytes come from the independent spec builder and its bit-by-bit CRC.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRecordBatch, encodeRecordBatch, type FetchedBatch, type PartitionLog } from '../../../storage';
import { bitwiseCrc32c, SpecBatch, specBatch } from '../format/spec-batch-builder';
import { MULTI_BATCH, RECORD_SHAPES } from '../format/segment-scenarios';
import { openTestLog, readAllValues, records, testConfig } from '../../support/log-builders';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();

const fixture = (scenario: string): Buffer => {
  const dir = join(__dirname, '../../fixtures/segments', scenario);
  return readFileSync(
    join(
      dir,
      readdirSync(dir).find((name) => name.endsWith('.log'))!,
    ),
  );
};
/** A client's batch: what a Kafka producer sends (baseOffset 0, epoch unknown, CreateTime). */
const client = (batch: Partial<SpecBatch> = {}): Buffer =>
  specBatch({ ...RECORD_SHAPES, baseOffset: 0, partitionLeaderEpoch: -1, ...batch });
const segmentFile = (log: PartitionLog, baseOffset = 0): Buffer =>
  readFileSync(join(log.dir, `${String(baseOffset).padStart(20, '0')}.log`));
const crcValid = (batch: Buffer): boolean => bitwiseCrc32c(batch.subarray(21)) === batch.readUInt32BE(17);
const concat = (batches: FetchedBatch[]): Buffer => Buffer.concat(batches.map((b) => b.bytes));

/** `bytes` as the leader must write them at `baseOffset` in `epoch`: those two fields, nothing else. */
function stamped(bytes: Buffer, baseOffset: number, epoch: number): Buffer {
  const expected = Buffer.from(bytes);
  expected.writeBigInt64BE(BigInt(baseOffset), 0);
  expected.writeInt32BE(epoch, 12);
  return expected;
}

describe('appendAsLeader', () => {
  it('assigns the next offsets and stamps its epoch, leaving every CRC-covered byte as sent', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    await log.append(records(3), { leaderEpoch: 2 });
    const sent = client();
    const before = segmentFile(log).length;
    const result = await log.appendAsLeader(Buffer.from(sent), { leaderEpoch: 2 });
    expect(result).toMatchObject({
      baseOffset: 3,
      lastOffset: 6,
      logAppendTimeMs: -1,
      sizeBytes: sent.length,
      maxTimestampMs: RECORD_SHAPES.maxTimestamp,
    });
    const written = segmentFile(log).subarray(before);
    expect(written.equals(stamped(sent, 3, 2))).toBe(true);
    expect(crcValid(written)).toBe(true);
    expect((await readAllValues(log)).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await manager.close();
  });

  it('stamps LogAppendTime: the type bit and maxTimestamp change, the CRC is recomputed, the records keep their bytes', async () => {
    const { manager, log, clock } = await openTestLog(tmp.path, { config: { messageTimestampType: 'LogAppendTime' } });
    const sent = client();
    const result = await log.appendAsLeader(Buffer.from(sent), { leaderEpoch: 0 });
    expect(result.logAppendTimeMs).toBe(clock.nowMs());
    const written = segmentFile(log);
    const expected = stamped(
      specBatch({ ...RECORD_SHAPES, baseOffset: 0, partitionLeaderEpoch: -1, attributes: 0x08, maxTimestamp: clock.nowMs() }),
      0,
      0,
    );
    expect(written.equals(expected)).toBe(true);
    expect(crcValid(written)).toBe(true);
    expect(written.subarray(61).equals(sent.subarray(61))).toBe(true);
    expect(decodeRecordBatch(written).records.map((r) => r.timestampMs)).toEqual([1, 2, 3, 4].map(() => clock.nowMs()));
    await manager.close();
  });

  it('corrects a CreateTime maxTimestamp that is not the largest record timestamp', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    const result = await log.appendAsLeader(client({ maxTimestamp: 5 }), { leaderEpoch: 1 });
    expect(result.maxTimestampMs).toBe(RECORD_SHAPES.maxTimestamp);
    const written = segmentFile(log);
    expect(written.equals(stamped(client(), 0, 1))).toBe(true);
    expect(crcValid(written)).toBe(true);
    await manager.close();
  });

  it('writes what the decoded path writes for the same records: append(records) builds on it', async () => {
    const { manager, log, clock } = await openTestLog(tmp.path, { config: { messageTimestampType: 'LogAppendTime' } });
    const twin = await manager.openLog('twin', 0, testConfig({ messageTimestampType: 'LogAppendTime' }));
    const batch = records(5, 'same-');
    await log.append(batch, { leaderEpoch: 4 });
    await twin.appendAsLeader(encodeRecordBatch(batch, { baseOffset: 0 }), { leaderEpoch: 4 });
    expect(segmentFile(twin).equals(segmentFile(log))).toBe(true);
    expect(segmentFile(log).readBigInt64BE(35)).toBe(BigInt(clock.nowMs())); // the LogAppendTime both stamped
    await manager.close();
  });

  it.each([
    ['a CRC mismatch', 'CORRUPT_MESSAGE', () => flip(client(), 70)],
    ['a truncated batch', 'CORRUPT_MESSAGE', () => client().subarray(0, 90)],
    ['lz4', 'UNSUPPORTED_COMPRESSION_TYPE', () => client({ attributes: 3 })],
    [
      'a batch over max.message.bytes',
      'RECORD_TOO_LARGE',
      () => encodeRecordBatch([{ key: null, value: Buffer.alloc(1_100_000), headers: [], timestampMs: 0 }], { baseOffset: 0 }),
    ],
    ['a baseOffset other than 0', 'INVALID_RECORD', () => client({ baseOffset: 3 })],
    ['two batches', 'INVALID_RECORD', () => Buffer.concat([client(), client()])],
    ['a control batch', 'INVALID_RECORD', () => specBatch({ ...MULTI_BATCH[0]!, attributes: 0x30, producerId: 1, producerEpoch: 0 })],
  ] as [string, string, () => Buffer][])('refuses %s with %s, writes nothing, and the log goes on', async (_what, code, bad) => {
    const { manager, log } = await openTestLog(tmp.path);
    await log.append(records(2), { leaderEpoch: 0 });
    const before = segmentFile(log);
    await expect(log.appendAsLeader(bad(), { leaderEpoch: 0 })).rejects.toMatchObject({ code });
    expect(log.logEndOffset).toBe(2);
    expect(segmentFile(log).equals(before)).toBe(true);
    expect(await log.appendAsLeader(client(), { leaderEpoch: 0 })).toMatchObject({ baseOffset: 2, lastOffset: 5 });
    await manager.close();
  });

  it('refuses one bad append of a group commit without failing the others queued with it', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    const settled = await Promise.allSettled([
      log.appendAsLeader(client(), { leaderEpoch: 0 }),
      log.appendAsLeader(flip(client(), 70), { leaderEpoch: 0 }),
      log.append(records(1), { leaderEpoch: 0 }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log.logEndOffset).toBe(5);
    await manager.close();
  });
});

describe('appendAsFollower', () => {
  it('writes the leader bytes unchanged: the segment file is the fixture byte for byte', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    const leaderBytes = fixture('multi-batch-segment');
    await log.appendAsFollower(Buffer.from(leaderBytes));
    expect(segmentFile(log).equals(leaderBytes)).toBe(true);
    expect(log.logEndOffset).toBe(6);
    expect(log.leaderEpochCache.entries()).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 1, startOffset: 5 },
    ]);
    await manager.close();
  });

  it('keeps a compacted leader log, gaps and empty batch included, starting past its own log end', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    await log.truncateFullyAndStartAt(8);
    const leaderBytes = fixture('compacted-gaps'); // batches 10..17 and 18..22: a gap at 8..9
    await log.appendAsFollower(leaderBytes);
    expect(segmentFile(log, 8).equals(leaderBytes)).toBe(true);
    expect(log.logEndOffset).toBe(23);
    await manager.close();
  });

  it('refuses a batch of an older leader epoch than the log has, writing nothing', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    await log.appendAsFollower(specBatch({ ...MULTI_BATCH[0]!, partitionLeaderEpoch: 5 }));
    const before = segmentFile(log);
    await expect(log.appendAsFollower(specBatch({ ...MULTI_BATCH[1]!, partitionLeaderEpoch: 4 }))).rejects.toMatchObject({
      code: 'INVALID_RECORD',
    });
    expect([log.logEndOffset, segmentFile(log).equals(before)]).toEqual([3, true]);
    await log.appendAsFollower(specBatch({ ...MULTI_BATCH[1]!, partitionLeaderEpoch: 5 }));
    expect(log.logEndOffset).toBe(5);
    await manager.close();
  });
});

describe('the raw fetch (read)', () => {
  it('returns exactly the appended bytes, whole batches from the one holding the fetch offset, before and after a reopen', async () => {
    const first = await openTestLog(tmp.path);
    const leaderBytes = fixture('multi-batch-segment');
    await first.log.appendAsFollower(leaderBytes);
    const all = await first.log.read(0, { maxOffset: 6 });
    expect(all.map((b) => [b.baseOffset, b.lastOffset])).toEqual([
      [0, 2],
      [3, 4],
      [5, 5],
    ]);
    expect(concat(all).equals(leaderBytes)).toBe(true);
    expect(concat(await first.log.read(4, { maxOffset: 6 })).equals(leaderBytes.subarray(all[0]!.bytes.length))).toBe(true);
    await first.manager.close();
    const second = await openTestLog(tmp.path); // a new process's first read CRC-checks what it serves
    expect(concat(await second.log.read(0, { maxOffset: 6 })).equals(leaderBytes)).toBe(true);
    await second.manager.close();
  });

  it('returns what appendAsLeader wrote, as stamped', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    await log.append(records(1), { leaderEpoch: 3 });
    await log.appendAsLeader(client(), { leaderEpoch: 3 });
    const [batch] = await log.read(1, { maxOffset: log.logEndOffset });
    expect(batch!.bytes.equals(stamped(client(), 1, 3))).toBe(true);
    await manager.close();
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at]! ^= 0x04;
  return copy;
}
