/**
 * PartitionLog: one partition's log — ordered segments, offsets, high watermark, leader-epoch cache
 * (Kafka's UnifiedLog + LocalLog). Created by LogManager.openLog after log-loader.ts made the
 * directory consistent. On-disk layout: storage/FORMAT.md.
 *
 * Appends (storage/FORMAT.md §11): `appendAsLeader(bytes)` and `appendAsFollower(bytes)` take whole
 * RecordBatches; `append(records)` encodes one and goes the leader's way. Each is validated
 * (batch-validator.ts) outside the lock, then queues. One drain loop takes
 * EVERY queued append at once, assigns offsets (setBaseOffset: not CRC-covered, so no re-encode),
 * writes them with one writev (rolling segments as needed), and — when the flush policy asks
 * (flush.messages, default 1) — issues ONE fsync for the whole group before resolving all of them.
 * While that fsync runs the next group queues up, so N concurrent producers share ~1 fsync each
 * round instead of N.
 *
 * Failure: any I/O error on the write path (write, fsync, roll) makes the log unusable — every later
 * call rethrows it; an fsync error is an FsyncFailedError (fatal, docs/RELIABILITY.md §2.3 rule 6).
 *
 * Concurrency: every public method is safe to call concurrently. Appends, roll, truncateTo,
 * retention deletes, the compaction swap, flush and close serialize on the log lock; reads and
 * offsetForTimestamp take no lock and read segment snapshots (a segment removed meanwhile stays
 * readable until the read finishes).
 */
import { LogClosedError, OffsetOutOfRangeError } from '../errors';
import { BatchBufferPool } from '../format/batch-buffer-pool';
import type { LogRecordInput } from '../format/record-batch';
import type { Clock } from '../io/clock';
import { syncDir } from '../io/durable-file';
import type { FileSystem } from '../io/file-system';
import { DELETED_SUFFIX } from '../segment/file-names';
import { BatchToAppend, FetchedBatch, LogSegment } from '../segment/log-segment';
import type { AbortedTxn } from '../segment/transaction-index';
import { renameSegmentFiles, unlinkSegmentFiles } from '../segment/segment-files';
import { selectSegmentsToDelete } from '../retention/retention';
import { LogCleaner } from '../retention/log-cleaner';
import {
  AppendOptions,
  AppendResult,
  duplicateAppendResult,
  encodeLeaderBatch,
  PendingAppend,
  placeAppend,
  prepareLeaderBatch,
  ReadOptions,
  validateFollowerBatches,
} from './append-batches';
import { AsyncLock } from './async-lock';
import { GroupCommitQueue, type QueuedEntry } from './group-commit-queue';
import { findOffsetForTimestamp, readSegments, retryIfSegmentsMoved } from './log-reader';
import { LeaderEpochCache } from './leader-epoch-cache';
import { hasDelete, LogConfig } from './log-config';
import type { LoadedLog } from './log-loader';
import { AbortedTxnStore } from './aborted-txn-store';
import { loadTransactionState } from './producer-state-load';
import { ProducerStateManager } from './producer-state-manager';
import { deleteSnapshotsAbove, writeSnapshot } from './producer-state-snapshot';
import { SegmentMap } from './segment-map';
import { shouldRoll } from './segment-roll';

export type { FetchedBatch } from '../segment/log-segment';
export type { AppendOptions, AppendResult, ReadOptions } from './append-batches';

type QueuedAppend = QueuedEntry<PendingAppend, AppendResult>;

export interface PartitionLogInit {
  fs: FileSystem;
  clock: Clock;
  dir: string;
  topic: string;
  partition: number;
  config: LogConfig;
  loaded: LoadedLog;
  highWatermark: number;
  /**
   * Reused memory leader appends encode into, released once written. One per LogManager, shared
   * by its logs (a pool per log would hold an 8 MiB slab for each of 10,000 partitions).
   */
  batchPool?: BatchBufferPool;
  /** Called under the log lock after a roll sealed (fsynced) the old segment: the manager checkpoints the recovery point. */
  onSegmentRolled?: () => Promise<void>;
  /** Loaded by the manager (producer-state-load.ts); default empty. */
  producerState?: ProducerStateManager;
  /** Loaded with it (FORMAT.md §13); default empty. */
  abortedTxns?: AbortedTxnStore;
}

const DEFAULT_READ_MAX_BYTES = 1_048_576; // 1 MiB (Kafka's max.partition.fetch.bytes)

export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  readonly leaderEpochCache: LeaderEpochCache;
  /** Idempotent producers' last batches here (FORMAT.md §12); checked and updated under the log lock. */
  readonly producerState: ProducerStateManager;
  /** The aborted transactions' .txnindex entries (FORMAT.md §13); written under the log lock. */
  readonly abortedTxns: AbortedTxnStore;
  private readonly fs: FileSystem;
  private readonly clock: Clock;
  private currentConfig: LogConfig;
  private readonly segments: SegmentMap;
  private nextOffset: number;
  private hw: number;
  private flushedOffset: number;
  private readonly lock = new AsyncLock();
  /** Serializes retention and compaction of this log (they both remove segments). */
  private readonly cleanerLock = new AsyncLock();
  private readonly appendQueue = new GroupCommitQueue<PendingAppend, AppendResult>((group) =>
    this.lock.run(() => this.appendGroupLocked(group)),
  );
  private failure: unknown = null;
  private closed = false;
  private unflushedMessages = 0;
  private firstUnflushedMs: number | null = null;
  private readonly cleaner: LogCleaner;
  private readonly batchPool: BatchBufferPool;
  private readonly onSegmentRolled: () => Promise<void>;
  /** Resolves once whoever holds the log lock now has released it. */
  private readonly lockReleased = () => this.lock.run(async () => undefined);

  constructor(init: PartitionLogInit) {
    this.fs = init.fs;
    this.clock = init.clock;
    this.dir = init.dir;
    this.topic = init.topic;
    this.partition = init.partition;
    this.currentConfig = init.config;
    this.batchPool = init.batchPool ?? new BatchBufferPool();
    this.onSegmentRolled = init.onSegmentRolled ?? (async () => undefined);
    this.segments = init.loaded.segments;
    this.producerState = init.producerState ?? new ProducerStateManager();
    this.abortedTxns = init.abortedTxns ?? new AbortedTxnStore(init.fs, init.dir);
    this.leaderEpochCache = init.loaded.epochCache;
    this.leaderEpochCache.bindLogEndOffset(() => this.nextOffset);
    this.nextOffset = init.loaded.logEndOffset;
    this.openRecovery = { truncatedBytes: init.loaded.truncatedBytes, recoveredSegmentCount: init.loaded.recoveredSegmentCount };
    this.flushedOffset = this.nextOffset;
    this.hw = Math.max(this.logStartOffset, Math.min(init.highWatermark, this.nextOffset));
    this.cleaner = new LogCleaner({
      fs: this.fs,
      dir: this.dir,
      clock: this.clock,
      segments: this.segments,
      cleanerLock: this.cleanerLock,
      config: () => this.currentConfig,
      withLogLock: (critical) =>
        this.lock.run(async () => {
          this.checkUsable();
          return critical();
        }),
      onFatal: (error) => {
        this.failure ??= error;
      },
      transactions: { producerState: this.producerState, abortedTxns: this.abortedTxns },
    });
  }

  get config(): LogConfig {
    return this.currentConfig;
  }
  updateConfig(config: LogConfig): void {
    this.currentConfig = config;
  }
  get logStartOffset(): number {
    return this.segments.first.baseOffset;
  }
  get logEndOffset(): number {
    return this.nextOffset;
  }
  get highWatermark(): number {
    return this.hw;
  }
  /** min(HW, first offset of the oldest open transaction): where READ_COMMITTED readers stop (FORMAT.md §13). */
  get lastStableOffset(): number {
    return Math.min(this.hw, this.producerState.firstUnstableOffset ?? this.hw);
  }
  /** Every offset below this is fsynced. */
  get recoveryPoint(): number {
    return this.flushedOffset;
  }
  get sizeBytes(): number {
    return this.segments.toArray().reduce((sum, s) => sum + s.sizeBytes, 0);
  }
  /** What opening this log took: bytes cut from a torn tail and segments CRC-checked (0/0 after a clean shutdown). */
  readonly openRecovery: { truncatedBytes: number; recoveredSegmentCount: number };

  get segmentCount(): number {
    return this.segments.size;
  }
  /** The segments' base offsets, oldest first (tests, admin). */
  segmentBaseOffsets(): number[] {
    return this.segments.toArray().map((s) => s.baseOffset);
  }

  // ---- append ----------------------------------------------------------------------------------

  /** The decoded path (produce): encodes the records into one batch, then as appendAsLeader. */
  append(records: LogRecordInput[], options: AppendOptions): Promise<AppendResult> {
    return this.enqueue(() => encodeLeaderBatch(records, options, this.currentConfig, this.clock.nowMs(), this.topic, this.batchPool));
  }

  /**
   * One whole RecordBatch from outside (a Kafka door), validated as storage/FORMAT.md §11 says; the
   * log assigns its offsets and stamps `leaderEpoch` (and LogAppendTime) into `batchBytes` in place.
   */
  appendAsLeader(batchBytes: Buffer, options: Pick<AppendOptions, 'leaderEpoch'>): Promise<AppendResult> {
    return this.enqueue(() => prepareLeaderBatch(batchBytes, options.leaderEpoch, this.currentConfig, this.clock.nowMs(), this.topic));
  }

  /** Replication: the leader's batches, written byte for byte after the checks of storage/FORMAT.md §11. */
  async appendAsFollower(batchBytes: Buffer): Promise<void> {
    if (batchBytes.length === 0) return this.checkUsable();
    await this.enqueue(() => validateFollowerBatches(batchBytes, this.topic));
  }

  /** Validates (outside the lock) and queues; a refused append rejects before anything is queued. */
  private enqueue(validate: () => PendingAppend): Promise<AppendResult> {
    try {
      this.checkUsable();
      return this.appendQueue.enqueue(validate());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private async appendGroupLocked(group: QueuedAppend[]): Promise<void> {
    if (this.failure || this.closed) {
      for (const entry of group) entry.reject(this.failure ?? new LogClosedError(this.describe()));
      this.releaseBatches(group);
      return;
    }
    this.producerState.holdWindows(); // a roll inside this group snapshots the 5 batches below it (FORMAT.md §12)
    try {
      const accepted: { entry: QueuedAppend; result: AppendResult }[] = [];
      const batches: BatchToAppend[] = [];
      let messageCount = 0;
      const nowMs = this.clock.nowMs();
      const aborted: AbortedTxn[] = [];
      for (const entry of group) {
        // Idempotence first (FORMAT.md §12): a retried batch is answered with its original offsets, not written.
        const admitted = entry.item.assignOffsets ? this.producerState.admit(entry.item.batches[0]!.bytes, nowMs) : null;
        const result = admitted
          ? admitted instanceof Error
            ? admitted
            : duplicateAppendResult(admitted, entry.item.logAppendTimeMs)
          : placeAppend(entry.item, this.nextOffset, this.leaderEpochCache);
        if (result instanceof Error) {
          entry.reject(result);
          continue;
        }
        accepted.push({ entry, result });
        if (result.duplicate) continue;
        for (const batch of entry.item.batches) {
          const abort = this.producerState.record(batch.bytes, batch.baseOffset, batch.lastOffset, nowMs);
          if (abort) aborted.push(abort);
        }
        this.nextOffset = result.lastOffset + 1;
        batches.push(...entry.item.batches);
        messageCount += entry.item.messageCount;
      }
      if (batches.length === 0)
        this.releaseBatches(group); // all refused or duplicates: nothing to write
      else
        try {
          await this.leaderEpochCache.persist(); // before data of a new epoch reaches the log
          try {
            await this.writeLocked(batches);
            for (const abort of aborted) await this.abortedTxns.append(this.segments.floor(abort.lastOffset)!.baseOffset, abort);
          } finally {
            this.releaseBatches(group); // written (or failed): nothing reads these bytes again; the fsync does not need them
          }
          this.unflushedMessages += messageCount;
          this.firstUnflushedMs ??= this.clock.monotonicMs();
          const { flushMessages, flushMs } = this.currentConfig;
          if (this.unflushedMessages >= flushMessages || (flushMs > 0 && this.clock.monotonicMs() - this.firstUnflushedMs >= flushMs)) {
            await this.flushLocked();
          }
        } catch (error) {
          this.failure ??= error;
          for (const { entry } of accepted) entry.reject(this.failure);
          return;
        }
      for (const { entry, result } of accepted) entry.resolve(result); // duplicates too: only once their original was written
    } finally {
      this.producerState.releaseWindows();
    }
  }

  /** Gives pooled leader batches' memory back (a follower's or a Kafka door's bytes are the caller's: release ignores them). */
  private releaseBatches(group: QueuedAppend[]): void {
    for (const entry of group) if (entry.item.assignOffsets) for (const batch of entry.item.batches) this.batchPool.release(batch.bytes);
  }

  /** Writes batches into the active segment, rolling first whenever the next batch would not fit. */
  private async writeLocked(batches: BatchToAppend[]): Promise<void> {
    const nowMs = this.clock.nowMs();
    let run: BatchToAppend[] = [];
    let runBytes = 0;
    for (const batch of batches) {
      if (shouldRoll(this.currentConfig, this.segments.active, runBytes, batch, nowMs)) {
        if (run.length > 0) await this.segments.active.append(run, nowMs);
        run = [];
        runBytes = 0;
        await this.rollLocked(batch.baseOffset);
      }
      run.push(batch);
      runBytes += batch.bytes.length;
    }
    if (run.length > 0) await this.segments.active.append(run, nowMs);
  }

  /**
   * Roll: seal the active segment (final time-index entry, indexes and log fsynced — so every
   * sealed segment is durable), then create the next `.log` and fsync the directory, then have
   * the manager checkpoint the recovery point (now the new segment's base), so an unclean open
   * scans only the new segment. One fsync and one checkpoint per segment (1 GiB) are negligible.
   */
  private async rollLocked(baseOffset: number): Promise<void> {
    const old = this.segments.active;
    await old.seal();
    await this.abortedTxns.sync();
    this.flushedOffset = Math.max(this.flushedOffset, old.nextOffset);
    const segment = await LogSegment.create(
      this.fs,
      this.dir,
      baseOffset,
      () => this.currentConfig,
      () => this.clock.monotonicMs(),
    );
    await syncDir(this.fs, this.dir);
    this.segments.add(segment);
    await writeSnapshot(this.fs, this.dir, baseOffset, this.producerState.stateBelow(baseOffset, this.clock.nowMs()));
    await this.onSegmentRolled();
  }

  private async flushLocked(): Promise<void> {
    await this.segments.active.flush();
    await this.abortedTxns.sync();
    this.flushedOffset = this.nextOffset;
    this.unflushedMessages = 0;
    this.firstUnflushedMs = null;
    await this.leaderEpochCache.persist();
  }

  // ---- read ------------------------------------------------------------------------------------

  async read(fetchOffset: number, options: ReadOptions = {}): Promise<FetchedBatch[]> {
    return retryIfSegmentsMoved(
      this.segments,
      () => {
        this.checkUsable();
        const logStartOffset = this.logStartOffset;
        const logEndOffset = this.nextOffset;
        if (fetchOffset < logStartOffset || fetchOffset > logEndOffset)
          throw new OffsetOutOfRangeError(fetchOffset, logStartOffset, logEndOffset);
        const maxOffset = Math.min(options.maxOffset ?? this.hw, logEndOffset);
        return readSegments(
          this.segments.from(fetchOffset),
          fetchOffset,
          maxOffset,
          options.maxBytes ?? DEFAULT_READ_MAX_BYTES,
          options.minOneBatch ?? true,
        );
      },
      this.lockReleased,
    );
  }

  /** The aborted transactions a read of [from, to) must skip (Kafka's collectAbortedTransactions, FORMAT.md §13). */
  abortedTransactions(from: number, to: number): AbortedTxn[] {
    return this.abortedTxns.collect(from, to);
  }

  /** First offset whose record timestamp ≥ timestampMs (Kafka ListOffsets), or null if none. */
  async offsetForTimestamp(timestampMs: number): Promise<number | null> {
    return retryIfSegmentsMoved(
      this.segments,
      () => {
        this.checkUsable();
        return findOffsetForTimestamp(this.segments.toArray(), timestampMs, this.logStartOffset);
      },
      this.lockReleased,
    );
  }

  // ---- high watermark, truncation ---------------------------------------------------------------

  /** Monotonic; clamped to the log end offset; true if it moved. */
  updateHighWatermark(offset: number): boolean {
    const next = Math.min(offset, this.nextOffset);
    if (next <= this.hw) return false;
    this.hw = next;
    return true;
  }

  /**
   * Replication: drop everything at and after `offset` (a divergent tail). Whole batches: when
   * `offset` falls inside a batch that batch goes too (logEndOffset becomes its baseOffset).
   * Crash-safe: later segments are renamed `.deleted` newest first, then the floor segment is cut
   * and fsynced; an unclean open re-scans the last segment anyway.
   */
  truncateTo(offset: number): Promise<void> {
    return this.lock.run(async () => {
      this.checkUsable();
      if (offset >= this.nextOffset) return;
      await this.failOnError(async () => {
        const doomed = this.segments
          .toArray()
          .filter((s) => s.baseOffset > offset && s !== this.segments.first)
          .reverse();
        for (const segment of doomed) await this.removeSegmentLocked(segment);
        this.nextOffset = await this.segments.active.truncateToOffset(Math.max(offset, this.segments.active.baseOffset));
        this.flushedOffset = Math.min(this.flushedOffset, this.nextOffset);
        this.hw = Math.min(this.hw, this.nextOffset);
        this.leaderEpochCache.truncateFromEnd(this.nextOffset);
        await this.leaderEpochCache.persist();
        await deleteSnapshotsAbove(this.fs, this.dir, this.nextOffset);
        await loadTransactionState(
          this.producerState,
          this.abortedTxns,
          this.fs,
          this.dir,
          this.segments,
          this.nextOffset,
          this.clock.nowMs(),
          false,
        );
        for (const segment of doomed) await unlinkSegmentFiles(this.fs, this.dir, segment.baseOffset, DELETED_SUFFIX);
      });
    });
  }

  /**
   * Replication (Kafka's truncateFullyAndStartAt): drop the whole log and restart it empty at
   * `offset` — a follower whose log end is below the leader's log start. Old segments are renamed
   * `.deleted` first, then the new empty segment is created and swapped in at once (readers never
   * see a log without segments). A crash in between reopens as an empty log at 0: the follower
   * simply does this again.
   */
  truncateFullyAndStartAt(offset: number): Promise<void> {
    if (!Number.isSafeInteger(offset) || offset < 0) return Promise.reject(new RangeError(`bad start offset ${offset}`));
    return this.cleanerLock.run(() =>
      this.lock.run(async () => {
        this.checkUsable();
        await this.failOnError(async () => {
          const doomed = [...this.segments.toArray()].reverse();
          for (const segment of doomed) {
            await segment.markDeleted();
            await renameSegmentFiles(this.fs, this.dir, segment.baseOffset, '', DELETED_SUFFIX);
          }
          const fresh = await LogSegment.create(
            this.fs,
            this.dir,
            offset,
            () => this.currentConfig,
            () => this.clock.monotonicMs(),
          );
          await syncDir(this.fs, this.dir);
          this.segments.replaceAll(fresh);
          this.nextOffset = this.flushedOffset = this.hw = offset;
          this.unflushedMessages = 0;
          this.firstUnflushedMs = null;
          this.leaderEpochCache.clear();
          await this.leaderEpochCache.persist();
          await deleteSnapshotsAbove(this.fs, this.dir, -1);
          this.producerState.clear();
          this.abortedTxns.clear();
          for (const segment of doomed) await unlinkSegmentFiles(this.fs, this.dir, segment.baseOffset, DELETED_SUFFIX);
        });
      }),
    );
  }

  /** Step 1 of deleting a segment: out of the map, files renamed `.deleted` (the loader finishes step 2). */
  private async removeSegmentLocked(segment: LogSegment): Promise<void> {
    this.segments.remove(segment);
    await segment.markDeleted(); // first: a reader that fails on the renamed file then knows to retry
    await renameSegmentFiles(this.fs, this.dir, segment.baseOffset, '', DELETED_SUFFIX);
  }

  // ---- retention, compaction ------------------------------------------------------------------

  /** Deletes old sealed segments by retention.ms / retention.bytes (cleanup.policy has delete). */
  runRetention(): Promise<{ deletedSegments: number }> {
    return this.cleanerLock.run(() =>
      this.lock.run(async () => {
        this.checkUsable();
        if (!hasDelete(this.currentConfig)) return { deletedSegments: 0 };
        const doomed = await selectSegmentsToDelete(this.segments.toArray(), this.currentConfig, this.clock.nowMs(), this.hw);
        if (doomed.length === 0) return { deletedSegments: 0 };
        await this.failOnError(async () => {
          for (const segment of doomed) await this.removeSegmentLocked(segment);
          await syncDir(this.fs, this.dir);
          this.leaderEpochCache.truncateFromStart(this.logStartOffset);
          this.abortedTxns.pruneBelow(this.logStartOffset);
          await this.leaderEpochCache.persist();
          for (const segment of doomed) await unlinkSegmentFiles(this.fs, this.dir, segment.baseOffset, DELETED_SUFFIX);
        });
        return { deletedSegments: doomed.length };
      }),
    );
  }

  /** Maintenance's compaction: skipped when nothing was sealed and no tombstone can have expired (log-cleaner.ts). */
  async compactIfDirty(): Promise<{ cleanedBytes: number } | null> {
    this.checkUsable();
    return this.cleaner.compactIfDirty();
  }

  /** Key compaction of the sealed segments (cleanup.policy has compact); null when not applicable. */
  async compact(): Promise<{ cleanedBytes: number } | null> {
    this.checkUsable();
    return this.cleaner.compact();
  }

  // ---- flush, close, maintenance -----------------------------------------------------------------

  flush(): Promise<void> {
    return this.lock.run(async () => {
      this.checkUsable();
      await this.failOnError(() => this.flushLocked());
    });
  }

  /** flush.ms: called by the manager's maintenance pass. */
  async flushIfDue(): Promise<void> {
    const { flushMs } = this.currentConfig;
    if (flushMs > 0 && this.firstUnflushedMs !== null && this.clock.monotonicMs() - this.firstUnflushedMs >= flushMs) await this.flush();
  }

  /** Closes file handles of segments nobody used for `idleMs`. */
  async closeIdleHandles(idleMs: number): Promise<number> {
    let closed = 0;
    for (const segment of this.segments.toArray()) if (await segment.closeIfIdle(idleMs)) closed++;
    return closed;
  }

  /** Waits for queued appends, seals the active segment's indexes, fsyncs, closes every handle. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.appendQueue.whenIdle();
    await this.cleaner.whenIdle();
    await this.lock.run(async () => {
      if (this.closed) return;
      this.closed = true;
      try {
        if (!this.failure) {
          await this.segments.active.seal();
          await this.abortedTxns.sync();
          this.flushedOffset = this.nextOffset;
          await this.leaderEpochCache.persist();
          await writeSnapshot(this.fs, this.dir, this.nextOffset, this.producerState.stateBelow(this.nextOffset, this.clock.nowMs()));
        }
      } finally {
        for (const segment of this.segments.toArray()) await segment.closeHandle();
      }
    });
    if (this.failure) throw this.failure;
  }

  /** Closed cleanly: everything durable (the manager may write the clean-shutdown marker). */
  get isCleanlyClosed(): boolean {
    return this.closed && !this.failure;
  }

  /** Runs a multi-step file change; any error leaves the files in an unknown state: the log fails. */
  private async failOnError<T>(change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }

  private checkUsable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new LogClosedError(this.describe());
  }

  private describe = (): string => `log ${this.topic}-${this.partition}`;
}
