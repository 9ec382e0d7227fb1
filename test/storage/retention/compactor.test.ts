/**
 * The compactor against its oracle: last value per key, tombstones removed after
 * delete.retention.ms, offsets preserved, the active segment untouched (seeded random keys).
 */
import { InvalidRecordError, LogRecordInput } from '../../../storage';
import { openTestLog, readAllValues, record } from '../../support/log-builders';
import { prng, randomInt } from '../../support/prng';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();
type Row = { offset: number; key: string | null; value: string | null };

function compactOracle(rows: (Row & { timestampMs: number })[], tombstoneCutoffMs: number): Row[] {
  const latest = new Map<string, Row & { timestampMs: number }>();
  for (const row of rows) latest.set(row.key!, row);
  return [...latest.values()]
    .filter((r) => r.value !== null || r.timestampMs >= tombstoneCutoffMs)
    .map(({ offset, key, value }) => ({ offset, key, value }))
    .sort((a, b) => a.offset - b.offset);
}

describe('compactor', () => {
  it.each([11, 12, 13, 14])('keeps the latest record per key and drops old tombstones (seed %i)', async (seed) => {
    const random = prng(seed);
    const deleteRetentionMs = 50_000;
    const { manager, log, clock } = await openTestLog(tmp.path, {
      config: { segmentBytes: 1_500, cleanupPolicy: 'compact', deleteRetentionMs, flushMessages: 1_000_000 },
    });
    const written: (Row & { timestampMs: number })[] = [];
    for (let i = 0; i < 120; i++) {
      const batch: LogRecordInput[] = Array.from({ length: 1 + randomInt(random, 4) }, () => {
        const key = `key${randomInt(random, 15)}`;
        const value = random() < 0.15 ? null : `v${i}-${randomInt(random, 1_000)}`;
        return record(key, value, clock.nowMs());
      });
      const result = await log.append(batch, { leaderEpoch: 0, compression: random() < 0.3 ? 'gzip' : 'none' });
      batch.forEach((r, j) =>
        written.push({
          offset: result.baseOffset + j,
          key: r.key!.toString(),
          value: r.value?.toString() ?? null,
          timestampMs: r.timestampMs,
        }),
      );
      clock.advance(1_000);
    }
    const activeBase = log.segmentBaseOffsets().at(-1)!;
    const before = await readAllValues(log);
    const sizeBefore = log.sizeBytes;
    const result = await log.compact();
    expect(result!.cleanedBytes).toBeGreaterThan(0);
    expect(log.sizeBytes).toBe(sizeBefore - result!.cleanedBytes);

    const after = await readAllValues(log);
    const cutoff = clock.nowMs() - deleteRetentionMs;
    const expectedSealed = compactOracle(
      written.filter((r) => r.offset < activeBase),
      cutoff,
    );
    expect(after.filter((r) => r.offset < activeBase)).toEqual(expectedSealed);
    expect(after.filter((r) => r.offset >= activeBase)).toEqual(before.filter((r) => r.offset >= activeBase));
    expect(log.logEndOffset).toBe(written.length);

    // A second pass finds nothing more to remove; a clean reopen sees the same log.
    await log.compact();
    expect(await readAllValues(log)).toEqual(after);
    await manager.close();
    const reopened = await openTestLog(tmp.path, { config: { segmentBytes: 1_500, cleanupPolicy: 'compact' } });
    expect(await readAllValues(reopened.log)).toEqual(after);
    await reopened.manager.close();
  });

  it('leaves segments younger than min.compaction.lag.ms alone', async () => {
    const { manager, log, clock } = await openTestLog(tmp.path, {
      config: { segmentBytes: 1_024, cleanupPolicy: 'compact', minCompactionLagMs: 3_600_000 },
    });
    for (let i = 0; i < 60; i++) await log.append([record('same', `v${i}`, clock.nowMs())], { leaderEpoch: 0 });
    expect(await log.compact()).toEqual({ cleanedBytes: 0 });
    clock.advance(3_600_000);
    expect((await log.compact())!.cleanedBytes).toBeGreaterThan(0);
    await manager.close();
  });

  it('returns null when cleanup.policy has no compact', async () => {
    const { manager, log } = await openTestLog(tmp.path);
    expect(await log.compact()).toBeNull();
    await manager.close();
  });

  it('rejects records without a key on compacted topics', async () => {
    const { manager, log } = await openTestLog(tmp.path, { config: { cleanupPolicy: 'compact' } });
    await expect(log.append([record(null, 'v')], { leaderEpoch: 0 })).rejects.toBeInstanceOf(InvalidRecordError);
    await manager.close();
  });
});
