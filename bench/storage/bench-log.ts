/**
 * Helpers the log benchmarks share: a fixed batch of records, opening a log through LogManager,
 * filling it, and removing a bench directory.
 */
import { rmSync } from 'node:fs';
import { DEFAULT_LOG_CONFIG, LogConfig, LogManager, LogRecordInput, PartitionLog } from '../../storage';

export const RECORDS_PER_BATCH = 1000;
export const BENCH_TOPIC = 'bench';
/** flush.messages at its maximum: no fsync per append; only roll and close fsync. */
export const FSYNC_OFF: Partial<LogConfig> = { flushMessages: Number.MAX_SAFE_INTEGER, flushMs: 0 };

/** 1,000 keyless records of `valueBytes` each. Reused across appends: the log encodes per append. */
export function fixedBatch(valueBytes: number, keyOf?: (index: number) => Buffer): LogRecordInput[] {
  const value = Buffer.alloc(valueBytes, 0x61);
  const now = Date.now();
  return Array.from({ length: RECORDS_PER_BATCH }, (_, index) => ({
    key: keyOf ? keyOf(index) : null,
    value,
    headers: [],
    timestampMs: now - RECORDS_PER_BATCH + index,
  }));
}

export async function openBenchLog(
  dataDir: string,
  overrides: Partial<LogConfig> = {},
): Promise<{ manager: LogManager; log: PartitionLog }> {
  const manager = await LogManager.open({ dataDir });
  const log = await manager.openLog(BENCH_TOPIC, 0, { ...DEFAULT_LOG_CONFIG, ...overrides });
  return { manager, log };
}

/** Appends batches from `batchOf(i)` until the log holds `bytes`; returns the bytes appended. */
export async function fillLog(log: PartitionLog, bytes: number, batchOf: (index: number) => LogRecordInput[]): Promise<number> {
  let appended = 0;
  for (let index = 0; appended < bytes; index++) appended += (await log.append(batchOf(index), { leaderEpoch: 0 })).sizeBytes;
  return appended;
}

export function removeDir(path: string, keep: boolean): void {
  if (!keep) rmSync(path, { recursive: true, force: true });
}
