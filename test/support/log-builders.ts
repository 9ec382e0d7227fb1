/** Builders for log-engine tests: records, configs, opening a manager+log over a directory. */
import type { FileSystem, LogConfig, LogRecordInput, PartitionLog } from '../../storage';
import { decodeRecordBatch, DEFAULT_LOG_CONFIG, LogManager, ManualClock } from '../../storage';
import { FaultyFileSystem } from './faulty-file-system';

export function record(key: string | null, value: string | null, timestampMs = 1_700_000_000_000): LogRecordInput {
  return { key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value), headers: [], timestampMs };
}

export function records(count: number, prefix = 'v', timestampMs = 1_700_000_000_000): LogRecordInput[] {
  return Array.from({ length: count }, (_, i) => record(`k${i}`, `${prefix}${i}`, timestampMs));
}

export function testConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...DEFAULT_LOG_CONFIG, retentionMs: -1, ...overrides };
}

export interface OpenedLog {
  manager: LogManager;
  log: PartitionLog;
  clock: ManualClock;
}

export async function openTestLog(
  dataDir: string,
  options: { config?: Partial<LogConfig>; fs?: FileSystem; clock?: ManualClock; topic?: string } = {},
): Promise<OpenedLog> {
  const clock = options.clock ?? new ManualClock();
  const manager = await LogManager.open({ dataDir, fs: options.fs, clock });
  const log = await manager.openLog(options.topic ?? 'events', 0, testConfig(options.config));
  return { manager, log, clock };
}

export interface CrashableLog extends OpenedLog {
  /**
   * The process "dies": every descriptor it opened is closed, nothing is flushed, sealed or marked
   * clean (what the kernel does for a killed process), so reopening the directory recovers it.
   * Tests that reopen without this would leave the descriptors to the garbage collector.
   */
  crash(): Promise<void>;
}

/** openTestLog through a FaultyFileSystem that can crash() (pass `fs` to use a particular one). */
export async function openCrashableLog(
  dataDir: string,
  options: { config?: Partial<LogConfig>; fs?: FaultyFileSystem; clock?: ManualClock; topic?: string } = {},
): Promise<CrashableLog> {
  const fs = options.fs ?? new FaultyFileSystem();
  const opened = await openTestLog(dataDir, { ...options, fs });
  return { ...opened, crash: () => fs.abandon() };
}

/** Decoded values of every record from `fromOffset` up to the log end (ignoring the high watermark). */
export async function readAllValues(
  log: PartitionLog,
  fromOffset = log.logStartOffset,
): Promise<{ offset: number; key: string | null; value: string | null }[]> {
  const out: { offset: number; key: string | null; value: string | null }[] = [];
  let offset = fromOffset;
  while (offset < log.logEndOffset) {
    const batches = await log.read(offset, { maxOffset: log.logEndOffset, maxBytes: 1_048_576 });
    if (batches.length === 0) break;
    for (const batch of batches) {
      for (const r of decodeRecordBatch(batch.bytes).records) {
        if (r.offset >= fromOffset) out.push({ offset: r.offset, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null });
      }
      offset = batch.lastOffset + 1;
    }
  }
  return out;
}
