/**
 * Per-partition producer state (storage/log/producer-state-manager.ts, FORMAT.md §12) on real
 * files: duplicate → original offsets and nothing appended, older epoch fenced, an old sequence out
 * of order, snapshot at roll, rebuild at open after a crash, with a damaged or missing snapshot,
 * and after truncation.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ManualClock, type AppendOptions } from '../../../storage';
import { openCrashableLog, openTestLog, records } from '../../support/log-builders';
import { makeTmpDir } from '../../support/tmp-dir';
import { decodeSnapshot } from '../../../storage/log/producer-state-snapshot';

const P = (producerId: number, sequence: number, producerEpoch = 0): AppendOptions => ({
  leaderEpoch: 0,
  producerId,
  producerEpoch,
  baseSequence: sequence,
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

function snapshots(dir: string): Promise<string[]> {
  return readdir(dir).then((names) => names.filter((n) => n.endsWith('.snapshot')).sort());
}

describe('producer state in the log', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await makeTmpDir('producer-state-');
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a retried batch with its original offsets and appends nothing', async () => {
    const { manager, log } = await openTestLog(dataDir);
    const first = await log.append(records(3), P(7, 0));
    await log.append(records(2), P(7, 1));
    const end = log.logEndOffset;
    const retry = await log.append(records(3), P(7, 0));
    expect(retry).toMatchObject({ baseOffset: first.baseOffset, lastOffset: first.lastOffset, duplicate: true });
    expect(log.logEndOffset).toBe(end);
    // A plain append next to it is not affected.
    expect((await log.append(records(1), { leaderEpoch: 0 })).baseOffset).toBe(end);
    await manager.close();
  });

  it('fences an older epoch and refuses an old sequence not among the last 5, changing nothing', async () => {
    const { manager, log } = await openTestLog(dataDir);
    for (let s = 0; s < 7; s++) await log.append(records(1), P(9, s, 1));
    const end = log.logEndOffset;
    expect(await codeOf(log.append(records(1), P(9, 7, 0)))).toBe('PRODUCER_FENCED');
    expect(await codeOf(log.append(records(1), P(9, 1, 1)))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect((await log.append(records(1), P(9, 2, 1))).duplicate).toBe(true); // still one of the last 5
    expect(log.logEndOffset).toBe(end);
    // A gap is a call-level rule (the node's sequencer); the log takes any later sequence.
    expect((await log.append(records(1), P(9, 20, 1))).duplicate).toBeUndefined();
    await manager.close();
  });

  it('accepts the wrap from 2^31-1 to 0', async () => {
    const { manager, log } = await openTestLog(dataDir);
    await log.append(records(1), P(3, 2 ** 31 - 1));
    const wrapped = await log.append(records(1), P(3, 0));
    expect(wrapped.duplicate).toBeUndefined();
    expect((await log.append(records(1), P(3, 2 ** 31 - 1))).duplicate).toBe(true);
    await manager.close();
  });

  it('rebuilds the state after a crash from the last roll snapshot plus the batches after it', async () => {
    const opened = await openCrashableLog(dataDir, { config: { segmentBytes: 600 } });
    const results = [];
    for (let s = 0; s < 30; s++) results.push(await opened.log.append(records(2), P(5, s)));
    const dir = opened.log.dir;
    expect(opened.log.segmentCount).toBeGreaterThan(2);
    expect((await snapshots(dir)).length).toBe(2); // the two newest are kept
    const end = opened.log.logEndOffset;
    await opened.crash();

    const { manager, log } = await openTestLog(dataDir, { config: { segmentBytes: 600 } });
    expect(log.logEndOffset).toBe(end);
    const retry = await log.append(records(2), P(5, 29));
    expect(retry).toMatchObject({ baseOffset: results[29]!.baseOffset, duplicate: true });
    expect((await log.append(records(2), P(5, 25))).baseOffset).toBe(results[25]!.baseOffset);
    expect(log.logEndOffset).toBe(end);
    await manager.close();
  });

  it('snapshots at a roll the last 5 batches below it, also when one group of appends spans the roll', async () => {
    // One group commit records all of its batches before it writes them; a roll inside the group used
    // to snapshot only what the 5-batch window still held below the roll, so a crash that lost the
    // group's tail refused retries of acknowledged batches as OUT_OF_ORDER_SEQUENCE_NUMBER.
    const { manager, log } = await openTestLog(dataDir, { config: { segmentBytes: 600 } });
    const results = [];
    for (let s = 0; s < 5; s++) results.push(await log.append(records(2), P(4, s)));
    results.push(...(await Promise.all(Array.from({ length: 12 }, (_, i) => log.append(records(2), P(4, 5 + i))))));
    const names = await snapshots(log.dir);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const snapshot = decodeSnapshot(await readFile(path.join(log.dir, name)))!;
      const below = results.map((r, sequence) => ({ sequence, lastOffset: r.lastOffset })).filter((r) => r.lastOffset < snapshot.offset);
      const expected = below.slice(-5).map((r) => r.sequence);
      expect({ name, sequences: snapshot.entries[0]?.batches.map((b) => b.sequence) ?? [] }).toEqual({ name, sequences: expected });
    }
    await manager.close();
  });

  it.each(['damaged', 'missing'])('rebuilds from the log alone when the snapshot is %s', async (damage) => {
    const opened = await openCrashableLog(dataDir, { config: { segmentBytes: 600 } });
    const results = [];
    for (let s = 0; s < 10; s++) results.push(await opened.log.append(records(2), P(6, s)));
    const dir = opened.log.dir;
    await opened.crash();
    for (const name of await snapshots(dir)) {
      const file = path.join(dir, name);
      if (damage === 'missing') await rm(file);
      else {
        const bytes = await readFile(file);
        bytes[bytes.length - 1]! ^= 0xff;
        await writeFile(file, bytes);
      }
    }
    const { manager, log } = await openTestLog(dataDir, { config: { segmentBytes: 600 } });
    const end = log.logEndOffset;
    for (const s of [5, 9])
      expect(await log.append(records(2), P(6, s))).toMatchObject({ baseOffset: results[s]!.baseOffset, duplicate: true });
    expect(await codeOf(log.append(records(2), P(6, 4)))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(log.logEndOffset).toBe(end);
    if (damage === 'damaged') expect((await snapshots(dir)).length).toBe(0);
    await manager.close();
  });

  it('after a clean close the snapshot at the log end holds everything', async () => {
    const first = await openTestLog(dataDir);
    const original = await first.log.append(records(4), P(8, 0));
    const dir = first.log.dir;
    await first.manager.close();
    expect(await snapshots(dir)).toEqual([`${String(original.lastOffset + 1).padStart(20, '0')}.snapshot`]);
    const { manager, log } = await openTestLog(dataDir);
    expect((await log.append(records(4), P(8, 0))).baseOffset).toBe(original.baseOffset);
    expect(log.producerState.entries(1_700_000_000_000).map((e) => e.producerId)).toEqual([8]);
    await manager.close();
  });

  it('drops the state of a truncated tail', async () => {
    const { manager, log } = await openTestLog(dataDir);
    const kept = await log.append(records(2), P(4, 0));
    const cut = await log.append(records(2), P(4, 1));
    await log.truncateTo(cut.baseOffset);
    const again = await log.append(records(2), P(4, 1));
    expect(again.duplicate).toBeUndefined();
    expect(again.baseOffset).toBe(cut.baseOffset);
    expect((await log.append(records(2), P(4, 0))).baseOffset).toBe(kept.baseOffset);
    await manager.close();
  });

  it('keeps the state of a producer writing old CreateTime timestamps (expiry counts from the append, also after a crash)', async () => {
    const clock = new ManualClock(1_700_000_000_000 + 30 * 86_400_000);
    const opened = await openCrashableLog(dataDir, { clock });
    const original = await opened.log.append(records(2), P(1, 0)); // timestamps 30 days old
    expect((await opened.log.append(records(2), P(1, 0))).duplicate).toBe(true);
    await opened.crash();
    const { manager, log } = await openTestLog(dataDir, { clock });
    expect(await log.append(records(2), P(1, 0))).toMatchObject({ baseOffset: original.baseOffset, duplicate: true });
    await manager.close();
  });

  it('forgets a producer silent past producer.id.expiration.ms', async () => {
    const { manager, log, clock } = await openTestLog(dataDir);
    await log.append(records(1, 'v', clock.nowMs()), P(2, 0));
    clock.advance(86_400_000);
    expect(log.producerState.entries(clock.nowMs())).toEqual([]);
    expect((await log.append(records(1, 'v', clock.nowMs()), P(2, 0))).duplicate).toBeUndefined();
    await manager.close();
  });
});
