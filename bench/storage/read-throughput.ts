/**
 * Read throughput from offset 0 of a whole log (default 1 GiB of 1 KiB records) through
 * PartitionLog.read with 1 MiB fetches, next to a plain sequential read of the same bytes: the
 * log's own segment files, front to back in chunks the size a fetch reads (FileHandle.read into a
 * fresh buffer, as a fetch does). Target: log ≥ 80% of raw. Reading the same files matters here: a file written in
 * ~1 MiB batches at unaligned positions read back 2.5× slower on first read than one written in
 * one go (849 vs 346 µs per MiB, same minute), a page-cache effect no engine code is involved in.
 *
 * Interleaved: the log and the raw files are read in alternating 64 MiB slices, taking turns to go
 * first, and each side's time is summed, so both see the same moments of a noisy shared machine
 * (whole-run comparisons here swung by 2× from one minute to the next). Without --drop-caches an
 * untimed plain pass warms the files first. Then two passes:
 *   - first read after open: every batch is CRC-checked (a fresh process has proven nothing yet);
 *   - re-read: the segment's verified prefix spares the CRC (what fan-out consumers and a
 *     consumer catching up on bytes another already read pay).
 * Without --drop-caches both come from the page cache (the machine has the RAM), the steady state
 * of consumers tailing a log; with it, the cache is dropped before each pass.
 *
 * Run: node dist/bench/storage/read-throughput.js [--gib 1] [--drop-caches] [--dir /path]
 */
import { join } from 'node:path';
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { DEFAULT_LOG_CONFIG, type PartitionLog } from '../../storage';
import { dropPageCache, FigurePrinter, mbPerSecond, MIB, parseBenchOptions } from './bench-options';
import { BENCH_TOPIC, fillLog, fixedBatch, FSYNC_OFF, openBenchLog, removeDir } from './bench-log';

const FETCH_BYTES = MIB;
/**
 * What one fetch reads from the file: its budget plus one index interval (segment-reader.ts reads
 * from the index entry before the fetch offset in one go). The raw loop reads chunks of the same
 * size: with 1 MiB raw reads next to 1 MiB + 4 KiB log reads, malloc handed the raw loop the log's
 * freed buffers while the log's larger requests got fresh, page-faulting memory (measured 2× apart).
 */
const READ_CHUNK_BYTES = FETCH_BYTES + DEFAULT_LOG_CONFIG.indexIntervalBytes;
const SLICE_BYTES = 64 * MIB;

interface Side {
  position: number;
  bytes: number;
  ns: bigint;
}

/** Reads the log from `side.position` (an offset) until `sliceBytes` more were fetched or the end. */
async function readLogSlice(log: PartitionLog, side: Side, sliceBytes: number): Promise<void> {
  const start = process.hrtime.bigint();
  let read = 0;
  while (read < sliceBytes && side.position < log.logEndOffset) {
    const batches = await log.read(side.position, { maxBytes: FETCH_BYTES, maxOffset: log.logEndOffset });
    if (batches.length === 0) throw new Error(`read(${side.position}) returned nothing below logEndOffset ${log.logEndOffset}`);
    for (const batch of batches) read += batch.bytes.length;
    side.position = batches[batches.length - 1]!.lastOffset + 1;
  }
  side.bytes += read;
  side.ns += process.hrtime.bigint() - start;
}

/** Plain reads of the segment files in order; `side.position` counts bytes across all of them. */
async function readRawSlice(files: RawFile[], side: Side, sliceBytes: number): Promise<void> {
  const start = process.hrtime.bigint();
  let read = 0;
  while (read < sliceBytes) {
    const file = files.find((f) => side.position < f.start + f.sizeBytes);
    if (!file) break;
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const { bytesRead } = await file.handle.read(buffer, 0, READ_CHUNK_BYTES, side.position - file.start);
    read += bytesRead;
    side.position += bytesRead;
  }
  side.bytes += read;
  side.ns += process.hrtime.bigint() - start;
}

interface RawFile {
  handle: FileHandle;
  start: number;
  sizeBytes: number;
}

async function openSegmentFiles(logDir: string): Promise<RawFile[]> {
  const partitionDir = join(
    logDir,
    (await readdir(logDir)).find((name) => name.startsWith(`${BENCH_TOPIC}-`))!,
  );
  const files: RawFile[] = [];
  let start = 0;
  for (const name of (await readdir(partitionDir)).filter((n) => n.endsWith('.log')).sort()) {
    const handle = await open(join(partitionDir, name), 'r');
    const { size } = await handle.stat();
    files.push({ handle, start, sizeBytes: size });
    start += size;
  }
  return files;
}

/** One untimed plain pass over the segment files: pages just written read slower the first time. */
async function interleavedWarmUp(logDir: string): Promise<void> {
  const files = await openSegmentFiles(logDir);
  try {
    await readRawSlice(files, { position: 0, bytes: 0, ns: 0n }, Number.MAX_SAFE_INTEGER);
  } finally {
    for (const file of files) await file.handle.close();
  }
}

async function interleavedPass(log: PartitionLog, logDir: string): Promise<{ log: Side; raw: Side }> {
  const logSide: Side = { position: log.logStartOffset, bytes: 0, ns: 0n };
  const rawSide: Side = { position: 0, bytes: 0, ns: 0n };
  const files = await openSegmentFiles(logDir);
  try {
    // Whoever reads a slice first finds it colder (disk, or pages not touched since written), so
    // the two take turns going first.
    for (let slice = 0; logSide.position < log.logEndOffset; slice++) {
      if (slice % 2 === 0) await readLogSlice(log, logSide, SLICE_BYTES);
      await readRawSlice(files, rawSide, SLICE_BYTES);
      if (slice % 2 === 1) await readLogSlice(log, logSide, SLICE_BYTES);
    }
  } finally {
    for (const file of files) await file.handle.close();
  }
  return { log: logSide, raw: rawSide };
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), 1, 'read');
  const printer = new FigurePrinter('read', options);
  const logDir = join(options.dir, 'log');
  console.log(
    `read: ${(options.bytes / MIB).toFixed(0)} MiB log in ${options.dir}, log and raw read in alternating ${SLICE_BYTES / MIB} MiB slices`,
  );
  try {
    const filled = await openBenchLog(logDir, FSYNC_OFF);
    const records = fixedBatch(1024);
    const logBytes = await fillLog(filled.log, options.bytes, () => records);
    await filled.manager.close();
    console.log(`read: ${(logBytes / MIB).toFixed(0)} MiB appended`);

    const { manager, log } = await openBenchLog(logDir, FSYNC_OFF);
    try {
      if (!options.dropCaches) await interleavedWarmUp(logDir);
      for (const pass of ['first read after open (CRC-checked)', 're-read (verified prefix)']) {
        const dropped = dropPageCache(options);
        if (pass.startsWith('first'))
          console.log(`read: page cache ${dropped ? 'dropped before each pass' : 'warm (pass --drop-caches as root to read from disk)'}`);
        const result = await interleavedPass(log, logDir);
        const logRate = mbPerSecond(result.log.bytes, Number(result.log.ns) / 1e9);
        const rawRate = mbPerSecond(result.raw.bytes, Number(result.raw.ns) / 1e9);
        printer.add(`1 KiB records, ${pass}`, 'log read from offset 0', logRate, 'MB/s');
        printer.add(`1 KiB records, ${pass}`, 'raw sequential read', rawRate, 'MB/s');
        printer.add(`1 KiB records, ${pass}`, 'log ÷ raw', (100 * logRate) / rawRate, '% (target ≥ 80)');
      }
    } finally {
      await manager.close();
    }
  } finally {
    removeDir(options.dir, options.keep);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
