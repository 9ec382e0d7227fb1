/**
 * Simulated power loss (docs/RELIABILITY.md §2.1, scenario R4): only fsynced bytes survive, and the
 * disk may add zeros or garbage after them. With the default flush policy (fsync before ack) no
 * acknowledged record may be lost; with fsync off the log must still reopen as a clean prefix.
 */
import { openTestLog, readAllValues } from '../../support/log-builders';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { prng } from '../../support/prng';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();
type Acked = { offset: number; value: string };

async function produceThenLosePower(flushMessages: number, tailKind: 'zeros' | 'garbage', seed: number) {
  const faulty = new FaultyFileSystem();
  const { log } = await openTestLog(tmp.path, { fs: faulty, config: { segmentBytes: 4_096, flushMessages } });
  const acked: Acked[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      while (next < 240) {
        const i = next++;
        const values = [`w${worker}-a${i}-0`, `w${worker}-a${i}-1`];
        const result = await log.append(
          values.map((v) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(v), headers: [], timestampMs: 1 })),
          { leaderEpoch: 0 },
        );
        values.forEach((value, j) => acked.push({ offset: result.baseOffset + j, value }));
      }
    }),
  );
  const random = prng(seed);
  const { lostBytes } = await faulty.simulatePowerLoss(() =>
    tailKind === 'zeros'
      ? Buffer.alloc(1 + Math.floor(random() * 5_000))
      : Buffer.from(Array.from({ length: 1 + Math.floor(random() * 5_000) }, () => Math.floor(random() * 256))),
  );
  const reopened = await openTestLog(tmp.path, { config: { segmentBytes: 4_096, flushMessages } });
  const after = await readAllValues(reopened.log);
  await reopened.manager.close();
  return { acked: acked.sort((a, b) => a.offset - b.offset), after, lostBytes };
}

describe('power loss', () => {
  it.each([
    ['zeros', 1],
    ['garbage', 2],
    ['garbage', 3],
  ] as const)('loses no acknowledged record with fsync before ack (%s tail, seed %i)', async (tail, seed) => {
    const { acked, after } = await produceThenLosePower(1, tail, seed);
    const byOffset = new Map(after.map((r) => [r.offset, r.value]));
    for (const record of acked) expect(byOffset.get(record.offset)).toBe(record.value);
    expect(after.map((r) => r.offset)).toEqual(after.map((_, i) => i));
  });

  it('reopens as a clean prefix of what was written when fsync is off (the loss window is the unflushed tail)', async () => {
    const { acked, after, lostBytes } = await produceThenLosePower(1_000_000, 'garbage', 4);
    expect(lostBytes).toBeGreaterThan(0);
    expect(after.length).toBeLessThan(acked.length);
    expect(after).toEqual(acked.slice(0, after.length).map((r) => ({ offset: r.offset, key: expect.any(String), value: r.value })));
  });
});
