/**
 * Read throughput from offset 0 of a whole log (default 1 GiB of 1 KiB records) through
 * PartitionLog.read with 1 MiB fetches (each batch CRC-checked, as every read is), next to a plain
 * sequential read of a file of the same size in 1 MiB chunks. Target: log ≥ 80% of raw. Each is
 * run twice, alternating, and the better run kept. Without --drop-caches both come from the page
 * cache (the machine has the RAM), which is the steady state of a consumer tailing a log.
 * Run: node dist/bench/storage/read-throughput.js [--gib 1] [--drop-caches] [--dir /path]
 */
import { join } from 'node:path';
import { dropPageCache, FigurePrinter, mbPerSecond, MIB, parseBenchOptions, secondsSince } from './bench-options';
import { fillLog, fixedBatch, FSYNC_OFF, openBenchLog, removeDir } from './bench-log';
import { rawSequentialRead, rawSequentialWrite } from './raw-disk';

const FETCH_BYTES = MIB;

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), 1, 'read');
  const printer = new FigurePrinter('read', options);
  const logDir = join(options.dir, 'log');
  const rawPath = join(options.dir, 'raw-read.bin');
  console.log(`read: ${(options.bytes / MIB).toFixed(0)} MiB log in ${options.dir}`);
  try {
    const filled = await openBenchLog(logDir, FSYNC_OFF);
    const records = fixedBatch(1024);
    const logBytes = await fillLog(filled.log, options.bytes, () => records);
    await filled.manager.close();
    await rawSequentialWrite(rawPath, logBytes, 8 * MIB, false);

    const { manager, log } = await openBenchLog(logDir, FSYNC_OFF);
    let bestLog = Infinity;
    let bestRaw = Infinity;
    let logRead = 0;
    for (let round = 0; round < 2; round++) {
      const dropped = dropPageCache(options);
      const start = process.hrtime.bigint();
      let offset = log.logStartOffset;
      logRead = 0;
      while (offset < log.logEndOffset) {
        const batches = await log.read(offset, { maxBytes: FETCH_BYTES, maxOffset: log.logEndOffset });
        if (batches.length === 0) throw new Error(`read(${offset}) returned nothing below logEndOffset ${log.logEndOffset}`);
        for (const batch of batches) logRead += batch.bytes.length;
        offset = batches[batches.length - 1].lastOffset + 1;
      }
      bestLog = Math.min(bestLog, secondsSince(start));
      dropPageCache(options);
      const raw = await rawSequentialRead(rawPath, FETCH_BYTES);
      bestRaw = Math.min(bestRaw, raw.seconds);
      if (round === 0) console.log(`read: page cache ${dropped ? 'dropped before each read' : 'warm (pass --drop-caches as root to read from disk)'}`);
    }
    await manager.close();
    printer.add('1 KiB records, 1 MiB fetches', 'log read from offset 0', mbPerSecond(logRead, bestLog), 'MB/s');
    printer.add('1 KiB records, 1 MiB fetches', 'raw sequential read', mbPerSecond(logRead, bestRaw), 'MB/s');
    printer.add('1 KiB records, 1 MiB fetches', 'log ÷ raw', (100 * bestRaw) / bestLog, '% (target ≥ 80)');
  } finally {
    removeDir(options.dir, options.keep);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
