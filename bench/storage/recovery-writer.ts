/**
 * Child process of recovery-time.ts: fills one partition to `bytes` with 1 KiB records, prints
 * FILLED, then keeps appending until it is killed with SIGKILL (so the kill lands mid-write).
 * Run by recovery-time.js: node recovery-writer.js <dataDir> <bytes> <fsync: on|off>
 */
import { fillLog, fixedBatch, FSYNC_OFF, openBenchLog } from './bench-log';

async function main(): Promise<void> {
  const [dataDir, bytesText, fsync] = process.argv.slice(2);
  const { log } = await openBenchLog(dataDir, fsync === 'off' ? FSYNC_OFF : {});
  const records = fixedBatch(1024);
  await fillLog(log, Number(bytesText), () => records);
  process.stdout.write('FILLED\n');
  for (let round = 0; round < 1_000_000; round++) await log.append(records, { leaderEpoch: 0 });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
