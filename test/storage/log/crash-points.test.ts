/**
 * Crash-point tests (docs/HOUSE-STYLE.md §3.6): for every multi-step file operation — roll,
 * truncate, retention delete, compaction swap — run it once counting its mutating steps, then once
 * per step N with a FaultyFileSystem that "crashes" before step N+1, reopen the directory with the
 * real file system (recovery) and check the invariants.
 */
import { ManualClock, PartitionLog } from '../../../storage';
import type { LogConfig } from '../../../storage';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { openTestLog, readAllValues, record, records } from '../../support/log-builders';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';

type Row = { offset: number; key: string | null; value: string | null };

interface Scenario {
  config: Partial<LogConfig>;
  setup(log: PartitionLog, clock: ManualClock): Promise<void>;
  operation(log: PartitionLog, clock: ManualClock): Promise<unknown>;
  check(before: Row[], after: Row[], log: PartitionLog, operationCompleted: boolean): void;
}

async function runCrashPoints(name: string, scenario: Scenario): Promise<number> {
  // Count the operation's steps once.
  const countDir = makeTmpDir();
  const counter = new FaultyFileSystem();
  let totalSteps: number;
  try {
    const clock = new ManualClock(1_000_000);
    const { log, manager } = await openTestLog(countDir, { fs: counter, clock, config: scenario.config });
    await scenario.setup(log, clock);
    const before = counter.steps.length;
    await scenario.operation(log, clock);
    totalSteps = counter.steps.length - before;
    await manager.close();
  } finally {
    removeTmpDir(countDir);
  }
  expect(totalSteps).toBeGreaterThan(0);
  process.stdout.write(`${name}: ${totalSteps} steps\n`);

  for (let crashAfter = 0; crashAfter <= totalSteps; crashAfter++) {
    const dir = makeTmpDir();
    const faulty = new FaultyFileSystem();
    try {
      const clock = new ManualClock(1_000_000);
      const { log } = await openTestLog(dir, { fs: faulty, clock, config: scenario.config });
      await scenario.setup(log, clock);
      log.updateHighWatermark(log.logEndOffset);
      const before = await readAllValues(log);
      faulty.crashAfterSteps(crashAfter);
      let completed = true;
      await scenario.operation(log, clock).catch(() => {
        completed = false;
      });
      await faulty.abandon();
      const reopened = await openTestLog(dir, { clock, config: scenario.config });
      const after = await readAllValues(reopened.log);
      try {
        scenario.check(before, after, reopened.log, completed && !faulty.crashed);
      } catch (error) {
        throw new Error(
          `${name}: crash after step ${crashAfter} (${faulty.steps[crashAfter - 1] ?? 'start'}): ${(error as Error).message}`,
        );
      }
      // The recovered log keeps working.
      const end = reopened.log.logEndOffset;
      await reopened.log.append([record('again', 'x')], { leaderEpoch: 9 });
      expect(reopened.log.logEndOffset).toBe(end + 1);
      await reopened.manager.close();
    } finally {
      await faulty.abandon();
      removeTmpDir(dir);
    }
  }
  return totalSteps;
}

function expectSubsequence(after: Row[], before: Row[]): void {
  const byOffset = new Map(before.map((r) => [r.offset, r]));
  for (const row of after) expect(byOffset.get(row.offset)).toEqual(row);
}

describe('crash points', () => {
  it('recovers after a crash at every step of a segment roll', async () => {
    const steps = await runCrashPoints('roll', {
      config: { segmentBytes: 1_024, flushMessages: 1_000_000 },
      async setup(log) {
        while (log.segmentCount === 1 && log.sizeBytes < 900) await log.append(records(2), { leaderEpoch: 0 });
      },
      operation: async (log) => {
        const start = log.segmentCount;
        while (log.segmentCount === start) await log.append(records(2, 'roll'), { leaderEpoch: 0 });
      },
      check(before, after) {
        // Everything acknowledged before the roll survives, in place; nothing is invented.
        expect(after.slice(0, before.length)).toEqual(before);
        expect(after.map((r) => r.offset)).toEqual(after.map((_, i) => i));
      },
    });
    expect(steps).toBeGreaterThan(3);
  });

  it('recovers after a crash at every step of truncateTo', async () => {
    await runCrashPoints('truncate', {
      config: { segmentBytes: 1_024, flushMessages: 1_000_000 },
      async setup(log) {
        for (let i = 0; i < 30; i++) await log.append(records(3, `t${i}-`), { leaderEpoch: i < 15 ? 1 : 2 });
      },
      operation: (log) => log.truncateTo(20),
      check(before, after, log, completed) {
        // What remains is always a prefix of the log, never shorter than the truncation point.
        expect(after).toEqual(before.slice(0, after.length));
        expect(after.length).toBeGreaterThanOrEqual(18); // offset 20 sits in the batch [18, 20]
        if (completed) expect(log.logEndOffset).toBe(18);
      },
    });
  });

  it('recovers after a crash at every step of a retention delete', async () => {
    await runCrashPoints('retention', {
      config: { segmentBytes: 1_024, retentionMs: 10_000, flushMessages: 1_000_000 },
      async setup(log, clock) {
        for (let i = 0; i < 30; i++) await log.append(records(3, `r${i}-`, clock.nowMs()), { leaderEpoch: 0 });
        clock.advance(60_000);
        log.updateHighWatermark(log.logEndOffset);
      },
      operation: (log) => log.runRetention(),
      check(before, after, log, completed) {
        // What remains is always a suffix of the log up to the same end.
        expect(after).toEqual(before.slice(before.length - after.length));
        expect(log.logEndOffset).toBe(90);
        if (completed) expect(log.segmentCount).toBe(1);
      },
    });
  });

  it('recovers after a crash at every step of a compaction swap (.cleaned → .swap → swap in → delete)', async () => {
    const oracle = (rows: Row[]) => {
      const latest = new Map<string, Row>();
      for (const row of rows) latest.set(row.key!, row);
      return [...latest.values()].sort((a, b) => a.offset - b.offset);
    };
    let sealedEnd = 0;
    const steps = await runCrashPoints('compaction', {
      config: { segmentBytes: 1_024, cleanupPolicy: 'compact', flushMessages: 1_000_000 },
      async setup(log, clock) {
        const t = clock.nowMs();
        for (let i = 0; i < 24; i++)
          await log.append([record(`key${i % 5}`, `v${i}`, t), record(`other${i % 3}`, `w${i}`, t)], { leaderEpoch: 0 });
        sealedEnd = log.segmentBaseOffsets().at(-1)!;
      },
      operation: (log) => log.compact(),
      check(before, after, log, completed) {
        expectSubsequence(after, before);
        expect(log.logEndOffset).toBe(48);
        // The latest record of every key is always there (compaction never loses the newest value).
        for (const row of oracle(before)) expect(after).toContainEqual(row);
        // The active segment is untouched.
        expect(after.filter((r) => r.offset >= sealedEnd)).toEqual(before.filter((r) => r.offset >= sealedEnd));
        if (completed) {
          const sealedAfter = after.filter((r) => r.offset < sealedEnd);
          const expected = oracle(before.filter((r) => r.offset < sealedEnd)).filter(
            (row) => !before.some((b) => b.key === row.key && b.offset > row.offset && b.offset < sealedEnd),
          );
          expect(sealedAfter).toEqual(expected);
        }
      },
    });
    expect(steps).toBeGreaterThan(10);
  });
});
