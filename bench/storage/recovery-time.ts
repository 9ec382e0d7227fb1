/**
 * Recovery time of a partition after kill -9: a child fills a log to --gib (default 1) of 1 KiB
 * records and keeps appending; we SIGKILL it 200 ms later, then time LogManager.open + openLog on
 * the directory (no clean-shutdown marker, so the loader validates what it cannot trust). Run
 * with the default flush policy (fsync per append) and with fsync off (more unflushed tail).
 * Run: node dist/bench/storage/recovery-time.js [--gib 1] [--dir /path]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FigurePrinter, MIB, parseBenchOptions, secondsSince } from './bench-options';
import { FSYNC_OFF, openBenchLog, removeDir } from './bench-log';

const KILL_DELAY_MS = 200;
const FILL_DEADLINE_MS = 20 * 60 * 1000;

function fillAndKill(dataDir: string, bytes: number, fsync: 'on' | 'off'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'recovery-writer.js'), dataDir, String(bytes), fsync], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const deadline = setTimeout(() => child.kill('SIGKILL'), FILL_DEADLINE_MS);
    let filled = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line !== 'FILLED') return;
      filled = true;
      setTimeout(() => child.kill('SIGKILL'), KILL_DELAY_MS);
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      if (filled && signal === 'SIGKILL') resolve();
      else reject(new Error(`recovery writer ended with ${signal ?? _code} before filling the log`));
    });
  });
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), 1, 'recovery');
  const printer = new FigurePrinter('recovery', options);
  console.log(`recovery: ${(options.bytes / MIB).toFixed(0)} MiB partition in ${options.dir}`);
  try {
    for (const fsync of ['on', 'off'] as const) {
      const dataDir = join(options.dir, `fsync-${fsync}`);
      await fillAndKill(dataDir, options.bytes, fsync);
      const start = process.hrtime.bigint();
      const { manager, log } = await openBenchLog(dataDir, fsync === 'off' ? FSYNC_OFF : {});
      const seconds = secondsSince(start);
      const label = `1 KiB records, ${fsync === 'on' ? 'fsync per append' : 'fsync off'}`;
      printer.add(label, 'open after kill -9', seconds * 1000, 'ms');
      printer.add(label, 'log size', log.sizeBytes / MIB, 'MiB');
      printer.add(label, 'segments', log.segmentCount, '');
      printer.add(label, 'segments CRC-scanned at open', log.openRecovery.recoveredSegmentCount, '');
      printer.add(label, 'recovery rate', log.sizeBytes / MIB / seconds, 'MiB/s of log');
      await manager.close();
      const cleanStart = process.hrtime.bigint();
      const reopened = await openBenchLog(dataDir, fsync === 'off' ? FSYNC_OFF : {});
      printer.add(label, 'open after clean close', secondsSince(cleanStart) * 1000, 'ms');
      await reopened.manager.close();
      removeDir(dataDir, options.keep);
    }
  } finally {
    removeDir(options.dir, options.keep);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
