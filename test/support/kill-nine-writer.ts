/**
 * Child process of test/storage/kill-nine.test.ts: appends batches to one partition with the
 * default flush policy (fsync before ack), a few appends in flight at once (group commit), and
 * prints `ACK <baseOffset> <lastOffset> <sha256>` for each only after append() resolved. Every third
 * batch is gzip-compressed. It never stops on its own before `maxBatches`; the test kills it with
 * SIGKILL mid-stream. `fsync` = `off` sets flush.messages to its maximum (acked once written to the
 * page cache — which a process crash must not lose either).
 * Run: node -r ./test/support/kill-nine-register.cjs test/support/kill-nine-writer.ts <dataDir> <run> <maxBatches> <fsync: on|off>
 */
import { DEFAULT_LOG_CONFIG, LogManager } from '../../storage';
import { KILL_NINE_SEGMENT_BYTES, KILL_NINE_TOPIC, killNineBatch, recordsDigest } from './kill-nine-records';

const IN_FLIGHT = 4;

async function main(): Promise<void> {
  const [dataDir, runText, maxBatchesText, fsync] = process.argv.slice(2);
  const run = Number(runText);
  const maxBatches = Number(maxBatchesText);
  const manager = await LogManager.open({ dataDir });
  const log = await manager.openLog(KILL_NINE_TOPIC, 0, {
    ...DEFAULT_LOG_CONFIG,
    segmentBytes: KILL_NINE_SEGMENT_BYTES,
    flushMessages: fsync === 'off' ? Number.MAX_SAFE_INTEGER : DEFAULT_LOG_CONFIG.flushMessages,
  });
  process.stdout.write(`READY ${log.logEndOffset}\n`);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < maxBatches) {
      const batchIndex = next++;
      const records = killNineBatch(run, batchIndex);
      const result = await log.append(records, { leaderEpoch: run, compression: batchIndex % 3 === 0 ? 'gzip' : 'none' });
      process.stdout.write(`ACK ${result.baseOffset} ${result.lastOffset} ${recordsDigest(records)}\n`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await manager.close();
  process.stdout.write('DONE\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
