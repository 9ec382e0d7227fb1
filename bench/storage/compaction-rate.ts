/**
 * Compaction rate: a cleanup.policy=compact log of --gib (default 0.25) of 200 B records over
 * 10,000 distinct keys in 16 MiB segments, then one PartitionLog.compact() pass timed: MB/s of
 * log cleaned, and the size before/after (≈ 10,000 live records should remain plus the active
 * segment, which compaction never touches).
 * Run: node dist/bench/storage/compaction-rate.js [--gib 0.25] [--dir /path]
 */
import { join } from 'node:path';
import { FigurePrinter, mbPerSecond, MIB, parseBenchOptions, secondsSince } from './bench-options';
import { fillLog, fixedBatch, FSYNC_OFF, openBenchLog, RECORDS_PER_BATCH, removeDir } from './bench-log';

const DISTINCT_KEYS = 10_000;

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), 0.25, 'compaction');
  const printer = new FigurePrinter('compaction', options);
  const dataDir = join(options.dir, 'log');
  console.log(`compaction: ${(options.bytes / MIB).toFixed(0)} MiB of keyed records in ${options.dir}`);
  try {
    const { manager, log } = await openBenchLog(dataDir, {
      ...FSYNC_OFF,
      cleanupPolicy: 'compact',
      segmentBytes: 16 * MIB,
      minCompactionLagMs: 0,
    });
    const batches = Array.from({ length: DISTINCT_KEYS / RECORDS_PER_BATCH }, (_, batch) =>
      fixedBatch(200, (index) => Buffer.from(`key-${batch * RECORDS_PER_BATCH + index}`)),
    );
    await fillLog(log, options.bytes, (index) => batches[index % batches.length]);
    await log.flush();
    log.updateHighWatermark(log.logEndOffset); // the cleaner never goes past the high watermark (single node: nothing else moves it)
    const before = log.sizeBytes;
    const segmentsBefore = log.segmentCount;
    const start = process.hrtime.bigint();
    const result = await log.compact();
    const seconds = secondsSince(start);
    const label = `200 B records, ${DISTINCT_KEYS} keys`;
    if (result === null) {
      console.log('compaction: compact() did nothing (returned null)');
    } else {
      printer.add(label, 'compaction rate', mbPerSecond(result.cleanedBytes, seconds), 'MB/s cleaned');
      printer.add(label, 'cleaned', result.cleanedBytes / MIB, 'MiB');
      printer.add(label, 'pass time', seconds, 's');
    }
    printer.add(label, 'log size before', before / MIB, 'MiB');
    printer.add(label, 'log size after', log.sizeBytes / MIB, 'MiB');
    printer.add(label, 'segments before/after', segmentsBefore, `→ ${log.segmentCount}`);
    await manager.close();
  } finally {
    removeDir(options.dir, options.keep);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
