/**
 * Leader appends encode into the LogManager's BatchBufferPool and give the memory back once the
 * write completed. These tests push enough bytes through (several 8 MiB slabs, appends in flight
 * at once) that released memory is overwritten by later batches: every record must still read
 * back exactly as appended, from the file and after a reopen.
 */
import { openTestLog, readAllValues } from '../../support/log-builders';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';
import type { LogRecordInput } from '../../../storage';

function batch(tag: string, count: number, valueBytes: number): LogRecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    key: null,
    value: Buffer.from(`${tag}-${i}-`.padEnd(valueBytes, tag[0])),
    headers: [],
    timestampMs: 1_700_000_000_000 + i,
  }));
}

describe('append buffer reuse', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTmpDir();
  });
  afterEach(() => removeTmpDir(dir));

  it('keeps every record intact when later appends reuse the memory earlier batches were encoded into', async () => {
    const { log, manager } = await openTestLog(dir, { config: { flushMessages: 1_000_000, segmentBytes: 16 * 1024 * 1024 } });
    const expected: string[] = [];
    // 48 appends × ~400 KiB = ~19 MiB: more than two 8 MiB slabs, so slabs are recycled; 4 in flight.
    for (let round = 0; round < 12; round++) {
      const tags = [0, 1, 2, 3].map((k) => `${'abcd'[k]}${round}`);
      const batches = tags.map((tag) => batch(tag, 400, 1000));
      await Promise.all(batches.map((records) => log.append(records, { leaderEpoch: 0 })));
      for (const records of batches) for (const r of records) expected.push(r.value!.toString());
    }
    log.updateHighWatermark(log.logEndOffset);
    expect((await readAllValues(log)).map((row) => row.value)).toEqual(expected);
    await manager.close();
    const reopened = await openTestLog(dir, { config: { flushMessages: 1_000_000, segmentBytes: 16 * 1024 * 1024 } });
    expect((await readAllValues(reopened.log)).map((row) => row.value)).toEqual(expected);
    await reopened.manager.close();
  });

  it('rejects a batch above max.message.bytes without disturbing the batches around it', async () => {
    const { log, manager } = await openTestLog(dir, { config: { maxMessageBytes: 200_000 } });
    await log.append(batch('x', 10, 100), { leaderEpoch: 0 });
    await expect(log.append(batch('y', 300, 1000), { leaderEpoch: 0 })).rejects.toThrow();
    await log.append(batch('z', 10, 100), { leaderEpoch: 0 });
    const values = (await readAllValues(log)).map((row) => row.value!.slice(0, 1));
    expect(values).toEqual([...Array(10).fill('x'), ...Array(10).fill('z')]);
    await manager.close();
  });
});
