/**
 * Child process of test/storage/kill-nine-idempotent.test.ts: one idempotent producer appends
 * batches (sequence = batch number, 4 in flight, fsync before ack) to one partition with small
 * segments (so segments roll and producer-state snapshots are written), printing
 * `ACK <sequence> <baseOffset> <lastOffset>` once each append resolved. Killed with SIGKILL mid-stream.
 * Run: node -r ./test/support/kill-nine-register.cjs test/support/kill-nine-idempotent-writer.ts <dataDir> <firstSequence>
 */
import { DEFAULT_LOG_CONFIG, LogManager } from '../../storage';
import { IDEMPOTENT_KILL_NINE_PRODUCER_ID, IDEMPOTENT_KILL_NINE_SEGMENT_BYTES, KILL_NINE_TOPIC, killNineBatch } from './kill-nine-records';

async function main(): Promise<void> {
  const [dataDir, firstText] = process.argv.slice(2);
  const manager = await LogManager.open({ dataDir });
  const log = await manager.openLog(KILL_NINE_TOPIC, 0, { ...DEFAULT_LOG_CONFIG, segmentBytes: IDEMPOTENT_KILL_NINE_SEGMENT_BYTES });
  process.stdout.write(`READY ${log.logEndOffset}\n`);
  let next = Number(firstText);
  const worker = async (): Promise<void> => {
    for (;;) {
      const sequence = next++;
      const result = await log.append(killNineBatch(1, sequence), {
        leaderEpoch: 0,
        producerId: IDEMPOTENT_KILL_NINE_PRODUCER_ID,
        producerEpoch: 0,
        baseSequence: sequence,
      });
      process.stdout.write(`ACK ${sequence} ${result.baseOffset} ${result.lastOffset}\n`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
