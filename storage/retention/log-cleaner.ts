/**
 * LogCleaner: when and how often one log is compacted (Kafka's LogCleanerManager, per log).
 * One pass at a time (a second caller shares the running pass), never alongside retention (both
 * take the log's cleaner lock), and from maintenance only when a segment was sealed since the last
 * pass or delete.retention.ms went by (tombstones may have expired) — a compacted log is not
 * rewritten every maintenance tick. A corrupt sealed segment makes the log uncleanable
 * (CorruptLogError, remembered; reads of that range fail on their own) without making it unusable;
 * any other error is reported to the owner as fatal, like an error on the write path.
 *
 * Concurrency: owned by one PartitionLog; methods may be called concurrently.
 */
import { CorruptLogError, LogClosedError } from '../errors';
import type { Clock } from '../io/clock';
import type { FileSystem } from '../io/file-system';
import type { AsyncLock } from '../log/async-lock';
import { hasCompact, LogConfig } from '../log/log-config';
import type { SegmentMap } from '../log/segment-map';
import type { AbortedTxnStore } from '../log/aborted-txn-store';
import type { ProducerStateManager } from '../log/producer-state-manager';
import { compactLog } from './compactor';

export interface LogCleanerHost {
  fs: FileSystem;
  dir: string;
  clock: Clock;
  segments: SegmentMap;
  cleanerLock: AsyncLock;
  config(): LogConfig;
  /** Runs `critical` under the log lock after checking the log is still usable. */
  withLogLock<T>(critical: () => Promise<T>): Promise<T>;
  onFatal(error: unknown): void;
  /** Transactions (FORMAT.md §13): compaction stops at the first unstable offset and removes aborted batches. */
  transactions?: { producerState: ProducerStateManager; abortedTxns: AbortedTxnStore };
}

export class LogCleaner {
  private running: Promise<{ cleanedBytes: number }> | null = null;
  private last = { activeBaseOffset: -1, atMs: 0 };
  private uncleanable: CorruptLogError | null = null;

  constructor(private readonly host: LogCleanerHost) {}

  compact(): Promise<{ cleanedBytes: number } | null> {
    if (!hasCompact(this.host.config())) return Promise.resolve(null);
    if (this.uncleanable) return Promise.reject(this.uncleanable);
    this.running ??= this.host.cleanerLock
      .run(() => this.compactOnce())
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  compactIfDirty(): Promise<{ cleanedBytes: number } | null> {
    const config = this.host.config();
    if (!hasCompact(config)) return Promise.resolve(null);
    const sinceMs = this.host.clock.nowMs() - this.last.atMs;
    if (this.host.segments.active.baseOffset === this.last.activeBaseOffset && sinceMs < config.deleteRetentionMs) {
      return Promise.resolve({ cleanedBytes: 0 });
    }
    return this.compact();
  }

  /** Resolves when no pass is running (close waits for it). */
  async whenIdle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async compactOnce(): Promise<{ cleanedBytes: number }> {
    const { host } = this;
    const activeBaseOffset = host.segments.active.baseOffset;
    const atMs = host.clock.nowMs();
    try {
      const result = await compactLog({
        fs: host.fs,
        dir: host.dir,
        config: host.config(),
        nowMs: atMs,
        monotonicMs: () => host.clock.monotonicMs(),
        segments: host.segments,
        withLock: (critical) => host.withLogLock(critical),
        firstUnstableOffset: host.transactions?.producerState.firstUnstableOffset ?? null,
        abortedTransactions: (from, to) => host.transactions?.abortedTxns.collect(from, to) ?? [],
      });
      this.last = { activeBaseOffset, atMs };
      return result;
    } catch (error) {
      if (error instanceof CorruptLogError) this.uncleanable = error;
      else if (!(error instanceof LogClosedError)) host.onFatal(error);
      throw error;
    }
  }
}
