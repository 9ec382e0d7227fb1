/**
 * Append throughput of one partition: 100 B and 1 KiB records in batches of 1,000, with the
 * default flush policy (flush.messages=1: fsync before every ack) and with fsync off, next to the
 * disk's raw sequential write of the same bytes in the same chunk sizes with the same fsync
 * cadence. Target: log ≥ 80% of raw. A last case runs 4 appenders in flight to show group commit.
 * Run: node dist/bench/storage/append-throughput.js [--gib 0.25] [--dir /path] [--json out.jsonl]
 */
import { join } from 'node:path';
import { LogConfig } from '../../storage';
import { FigurePrinter, mbPerSecond, MIB, parseBenchOptions, secondsSince } from './bench-options';
import { fixedBatch, FSYNC_OFF, openBenchLog, RECORDS_PER_BATCH, removeDir } from './bench-log';
import { rawSequentialWrite } from './raw-disk';

interface Case {
  valueBytes: number;
  policy: 'fsync per append' | 'fsync off';
  appenders: number;
}

async function runCase(printer: FigurePrinter, dir: string, bytes: number, keep: boolean, { valueBytes, policy, appenders }: Case): Promise<void> {
  const label = `${valueBytes} B, ${policy}${appenders > 1 ? `, ${appenders} in flight` : ''}`;
  const caseDir = join(dir, `append-${valueBytes}-${policy.replace(/ /g, '-')}-${appenders}`);
  const overrides: Partial<LogConfig> = policy === 'fsync off' ? FSYNC_OFF : {};
  const { manager, log } = await openBenchLog(caseDir, overrides);
  const records = fixedBatch(valueBytes);
  let appendedBytes = 0;
  let batches = 0;
  let batchBytes = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (appendedBytes < bytes) {
        const result = await log.append(records, { leaderEpoch: 0 });
        appendedBytes += result.sizeBytes;
        batchBytes = result.sizeBytes;
        batches++;
      }
    }),
  );
  const seconds = secondsSince(start);
  await manager.close();
  removeDir(caseDir, keep);
  printer.add(label, 'log append', mbPerSecond(appendedBytes, seconds), 'MB/s');
  printer.add(label, 'log append', (batches * RECORDS_PER_BATCH) / seconds, 'records/s');
  if (appenders > 1) return;
  const raw = await rawSequentialWrite(join(dir, 'raw-write.bin'), appendedBytes, batchBytes, policy === 'fsync per append');
  removeDir(join(dir, 'raw-write.bin'), false);
  const rawRate = mbPerSecond(raw.bytes, raw.seconds);
  printer.add(label, `raw write (${(batchBytes / 1024).toFixed(0)} KiB chunks)`, rawRate, 'MB/s');
  printer.add(label, 'log ÷ raw', (100 * mbPerSecond(appendedBytes, seconds)) / rawRate, '% (target ≥ 80)');
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), 0.25, 'append');
  const printer = new FigurePrinter('append', options);
  console.log(`append: ${(options.bytes / MIB).toFixed(0)} MiB per case in ${options.dir}`);
  const cases: Case[] = [
    { valueBytes: 100, policy: 'fsync per append', appenders: 1 },
    { valueBytes: 100, policy: 'fsync off', appenders: 1 },
    { valueBytes: 1024, policy: 'fsync per append', appenders: 1 },
    { valueBytes: 1024, policy: 'fsync off', appenders: 1 },
    { valueBytes: 1024, policy: 'fsync per append', appenders: 4 },
  ];
  try {
    for (const benchCase of cases) await runCase(printer, options.dir, options.bytes, options.keep, benchCase);
  } finally {
    removeDir(options.dir, options.keep);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
