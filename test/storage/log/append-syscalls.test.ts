/**
 * The per-append file work of the default flush policy (flush.messages=1), counted through the
 * injected FileSystem: an acknowledged append costs exactly one write and one fsync of the active
 * `.log` — no index, checkpoint or directory writes (indexes stay in memory until roll/close and
 * recovery rebuilds them). Profiling (bench/README.md) found this already true; this pins it.
 */
import * as path from 'node:path';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { openTestLog, records } from '../../support/log-builders';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';

describe('append file work', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTmpDir();
  });
  afterEach(() => removeTmpDir(dir));

  it('writes and fsyncs only the active .log, once each, per acknowledged append with fsync per append', async () => {
    const fs = new FaultyFileSystem();
    const { log, manager } = await openTestLog(dir, { fs, config: { flushMessages: 1, indexIntervalBytes: 64 } });
    await log.append(records(10), { leaderEpoch: 0 }); // first append of an epoch also persists the epoch checkpoint
    const before = fs.steps.length;
    const reads = fs.count('read');
    for (let i = 0; i < 20; i++) await log.append(records(10, `a${i}-`), { leaderEpoch: 0 });
    const steps = fs.steps.slice(before);
    expect(log.segmentBaseOffsets()).toEqual([0]);
    const logPath = path.join(dir, 'events-0', '00000000000000000000.log');
    expect(steps).toEqual(Array.from({ length: 20 }, () => [`writev ${logPath}`, `sync ${logPath}`]).flat());
    expect(fs.count('read')).toBe(reads);
    expect(log.recoveryPoint).toBe(210);
    await manager.close();
  });

  it('writes the .log without fsync per append when flush.messages is large, and fsyncs it once at close', async () => {
    const fs = new FaultyFileSystem();
    const { log, manager } = await openTestLog(dir, { fs, config: { flushMessages: 1_000_000, indexIntervalBytes: 64 } });
    await log.append(records(10), { leaderEpoch: 0 });
    const before = fs.steps.length;
    for (let i = 0; i < 20; i++) await log.append(records(10, `b${i}-`), { leaderEpoch: 0 });
    expect(fs.steps.slice(before).every((step) => step.startsWith('writev ') && step.endsWith('.log'))).toBe(true);
    expect(fs.steps.length - before).toBe(20);
    await manager.close();
    expect(fs.steps.slice(before).filter((step) => step.startsWith('sync ') && step.endsWith('.log'))).toHaveLength(1);
  });
});
