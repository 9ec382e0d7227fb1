/**
 * A log that fails to load (corruption found by recovery) must not keep the descriptors its
 * segments opened on the way: nothing else can ever close them, and the node keeps running.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CorruptLogError } from '../../../storage';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { openCrashableLog, records } from '../../support/log-builders';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();
const CONFIG = { segmentBytes: 2_048, indexIntervalBytes: 256 };

it('closes every handle it opened when recovery refuses a corrupt log', async () => {
  const first = await openCrashableLog(tmp.path, { config: CONFIG });
  for (let i = 0; i < 5; i++) await first.log.append(records(4, `b${i}-`), { leaderEpoch: 2 });
  await first.crash();
  const dir = path.join(tmp.path, 'events-0');
  const active = path.join(
    dir,
    fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.log'))
      .sort()
      .at(-1)!,
  );
  const bytes = fs.readFileSync(active);
  bytes[70] ^= 0xff; // inside the first batch, with valid batches after it: corruption, not a torn tail
  fs.writeFileSync(active, bytes);

  const reopening = new FaultyFileSystem();
  try {
    await expect(openCrashableLog(tmp.path, { config: CONFIG, fs: reopening })).rejects.toBeInstanceOf(CorruptLogError);
    expect(reopening.openHandleCount).toBe(0);
  } finally {
    await reopening.abandon();
  }
});
