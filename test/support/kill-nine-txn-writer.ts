/**
 * Child process of test/storage/kill-nine-transactions.test.ts: transactions one after another on
 * one partition with small segments (rolls and producer-state snapshots happen), each by its own
 * producer (`firstProducerId` + n): two transactional batches, then an ABORT marker (every third)
 * or a COMMIT, all fsynced before their ack. Prints `TXN <producerId> <ABORT|COMMIT> <firstOffset>
 * <markerOffset>` once the marker is durable. Killed with SIGKILL mid-stream, often inside a transaction.
 * Run: node -r ./test/support/kill-nine-register.cjs test/support/kill-nine-txn-writer.ts <dataDir> <firstProducerId>
 */
import { DEFAULT_LOG_CONFIG, LogManager } from '../../storage';
import { appendMarker, appendTxn } from './txn-builders';

export const TXN_KILL_NINE_TOPIC = 'kill-nine-txn';
export const TXN_KILL_NINE_SEGMENT_BYTES = 2_048;

async function main(): Promise<void> {
  const [dataDir, firstText] = process.argv.slice(2);
  const manager = await LogManager.open({ dataDir });
  const log = await manager.openLog(TXN_KILL_NINE_TOPIC, 0, { ...DEFAULT_LOG_CONFIG, segmentBytes: TXN_KILL_NINE_SEGMENT_BYTES });
  process.stdout.write(`READY ${log.logEndOffset}\n`);
  for (let n = 0; ; n++) {
    const producerId = Number(firstText) + n;
    const first = await appendTxn(log, producerId, 0, 3, `p${producerId}-`);
    await appendTxn(log, producerId, 1, 2, `p${producerId}-`);
    const type = n % 3 === 0 ? 'ABORT' : 'COMMIT';
    const marker = await appendMarker(log, producerId, type);
    process.stdout.write(`TXN ${producerId} ${type} ${first.baseOffset} ${marker.baseOffset}\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  });
}
