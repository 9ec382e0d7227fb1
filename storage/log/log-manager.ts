/**
 * LogManager: every partition log of this node under one data directory (Kafka's LogManager).
 * Layout: `<dataDir>/<topic>-<partition>/` per log, plus three data-dir files (storage/FORMAT.md):
 * `recovery-point-offset-checkpoint` and `replication-offset-checkpoint` ("topic partition offset"
 * lines, one file for all partitions — 10,000 partitions cost one small write, not 10,000), and the
 * clean-shutdown marker `.kafka_cleanshutdown`.
 *
 * Open: the marker is read and REMOVED (and the removal fsynced) before any log is loaded, so a
 * crash during this run can never be mistaken for a clean shutdown (KAFKA-10471). Logs are found
 * by listing directories but loaded only when `openLog` asks. Close: every log is flushed and
 * sealed, checkpoints are written, and only if all of that succeeded — and no log found at open
 * was left unrecovered — is the marker written.
 *
 * Maintenance: ONE timer for the whole node (`startMaintenance`), never one per partition; each
 * pass runs flush.ms flushes, retention, compaction and idle-handle closing over every open log,
 * yielding to the event loop every MAINTENANCE_SLICE_LOGS logs, then rewrites the two checkpoints.
 * The checkpoints are also rewritten whenever a log rolls a segment (after the sealed segment's
 * fsync), so after kill -9 the loader scans only segments from the recovery point on — not the
 * sealed ones (a 1 GiB sealed segment is ~1 s of CRC scanning). Writes are serialized, and requests
 * made while one waits share it: 10,000 partitions rolling together cost a handful of writes.
 *
 * Identity and deletion (storage/FORMAT.md §9): each partition directory carries a
 * `partition.metadata` (topic id, name, partition, config snapshot), read for every directory at
 * open; `openLog` with an identity writes it into a new directory, adopts it into an old one that
 * has none, and refuses (LogIdentityError) a directory that holds another topic id. `retireLogs`
 * renames directories to `-delete` (or `-stray`) with ONE data-dir fsync for the whole batch; the
 * `-delete` trees are removed in the background (deleted-dir-remover.ts), also those found at open.
 * Which directories to retire is the caller's decision: nothing is removed here on its own.
 *
 * Free space: one FreeSpaceGuard for the data directory's volume (free-space-guard.ts); unless
 * turned off, every log it opens is a GuardedPartitionLog, whose leader appends are refused with a
 * retriable error before the volume gets below the threshold. The first statfs runs in `open`.
 *
 * Concurrency: methods may be called concurrently; `openLog` for the same partition returns the
 * same instance; maintenance passes never overlap.
 */
import * as path from 'node:path';
import type { Clock, ScheduledTask, Scheduler } from '../io/clock';
import { SystemClock, SystemScheduler, yieldToEventLoop } from '../io/clock';
import { syncDir, writeFileDurably } from '../io/durable-file';
import { isFsyncFailedError } from '../io/fsync-failed-error';
import { BatchBufferPool } from '../format/batch-buffer-pool';
import type { FileSystem } from '../io/file-system';
import { NodeFileSystem } from '../io/file-system';
import {
  CLEAN_SHUTDOWN_FILE,
  DIR_DELETE_SUFFIX,
  HIGH_WATERMARK_CHECKPOINT_FILE,
  parsePartitionDirName,
  partitionDirName,
  RECOVERY_POINT_CHECKPOINT_FILE,
} from '../segment/file-names';
import { unlinkIfExists } from '../segment/segment-files';
import { parseNonNegativeInt, readCheckpoint, writeCheckpoint } from './checkpoint-file';
import type { LogConfig } from './log-config';
import { FreeSpaceGuard, type FreeSpaceGuardOptions, type FreeSpaceState } from './free-space-guard';
import { GuardedPartitionLog } from './guarded-partition-log';
import { LogClosedError, LogIdentityError } from '../errors';
import { DeletedDirRemover } from './deleted-dir-remover';
import { forEachConcurrent } from './for-each-concurrent';
import { loadLog } from './log-loader';
import { loadTransactionState } from './producer-state-load';
import { AbortedTxnStore } from './aborted-txn-store';
import { ProducerStateManager } from './producer-state-manager';
import { deleteDirName, strayDirName } from './partition-dirs';
import { readPartitionMetadata, writePartitionMetadata, type PartitionMetadata } from './partition-metadata';
import { PartitionLog, type PartitionLogInit } from './partition-log';

/** A partition directory found at open, with what its partition.metadata says (null: none, an older directory). */
export interface FoundLog {
  topic: string;
  partition: number;
  metadata: PartitionMetadata | null | 'corrupt';
}

/** Who a log belongs to: written to partition.metadata, checked against it on open. */
export interface LogIdentity {
  topicId: string;
  configs: Record<string, string>;
}

export interface LogManagerOptions {
  dataDir: string;
  fs?: FileSystem;
  clock?: Clock;
  /** Timer source for startMaintenance (default: setInterval, unref'd). */
  scheduler?: Scheduler;
  /** Handles of segments unused this long are closed by maintenance. Default 60 s. */
  idleHandleMs?: number;
  /** Non-fatal errors of one log during maintenance (fatal ones — fsync — are thrown). */
  onMaintenanceError?: (error: unknown, topic: string, partition: number) => void;
  /** The free-space guard of the data directory's volume (defaults: keep min(1 GiB, 5%) free); `false` turns it off. */
  freeSpace?: FreeSpaceGuardOptions | false;
  /** A `-delete` directory the background removal could not remove (it stays for the next start). */
  onDeleteError?: (error: unknown, dir: string) => void;
  /** producer.id.expiration.ms: an idempotent producer silent this long is forgotten (default 1 day, storage/FORMAT.md §12). */
  producerIdExpirationMs?: number;
}

const DEFAULT_IDLE_HANDLE_MS = 60_000;
/** Logs a maintenance pass visits between two yields to the event loop. */
export const MAINTENANCE_SLICE_LOGS = 64;
const CLOSE_CONCURRENCY = 16;
/** partition.metadata reads at open, and renames of one retireLogs call, in flight at once. */
const DIR_OPS_IN_FLIGHT = 16;

function key(topic: string, partition: number): string {
  return partitionDirName(topic, partition);
}

export class LogManager {
  private readonly logs = new Map<string, PartitionLog>();
  private readonly opening = new Map<string, Promise<PartitionLog>>();
  private maintenanceTask: ScheduledTask | null = null;
  private maintenanceRunning: Promise<void> | null = null;
  private closed = false;
  private fatal: unknown = null;
  /** Reused encode memory shared by every log of this node: 8 MiB slabs, 2 kept idle; more only while appends hold them in flight. */
  private readonly batchPool = new BatchBufferPool();
  /** The latest checkpoint write (serialized: one file for all partitions) and the one waiting to start. */
  private checkpointWrite: Promise<void> = Promise.resolve();
  private checkpointQueued: Promise<void> | null = null;
  private readonly remover: DeletedDirRemover;

  private constructor(
    readonly dataDir: string,
    private readonly fs: FileSystem,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly options: LogManagerOptions,
    private readonly cleanShutdown: boolean,
    /** Logs found on disk at open; removed from here once opened (recovered) or deleted. */
    private readonly unopened: Map<string, FoundLog>,
    private readonly discovered: FoundLog[],
    private readonly recoveryPoints: Map<string, number> | null,
    private readonly highWatermarks: Map<string, number>,
    private readonly freeSpaceGuard: FreeSpaceGuard | null,
    foundDeleted: string[],
  ) {
    this.remover = new DeletedDirRemover(fs, (error, dir) => options.onDeleteError?.(error, dir));
    this.remover.add(foundDeleted);
  }

  static async open(options: LogManagerOptions): Promise<LogManager> {
    const fs = options.fs ?? new NodeFileSystem();
    const clock = options.clock ?? new SystemClock();
    const dataDir = options.dataDir;
    await fs.mkdir(dataDir);
    const names = await fs.readdir(dataDir);
    const cleanShutdown = names.includes(CLEAN_SHUTDOWN_FILE);
    if (cleanShutdown) {
      await fs.unlink(path.join(dataDir, CLEAN_SHUTDOWN_FILE));
      await syncDir(fs, dataDir);
    }
    const unopened = new Map<string, FoundLog>();
    const foundDeleted: string[] = [];
    const candidates: [string, FoundLog][] = [];
    for (const name of names) {
      const full = path.join(dataDir, name);
      const parsed = parsePartitionDirName(name);
      if (name.endsWith(DIR_DELETE_SUFFIX))
        foundDeleted.push(full); // the delete marker: removed in the background, after open
      else if (name.endsWith('.tmp')) await unlinkIfExists(fs, full);
      else if (parsed) candidates.push([name, { ...parsed, metadata: null }]);
    }
    // Directory check and partition.metadata read, DIR_OPS_IN_FLIGHT at a time (10,000 serial stats slowed restarts).
    await forEachConcurrent(candidates, DIR_OPS_IN_FLIGHT, async (found) => {
      const full = path.join(dataDir, found[0]);
      if ((await fs.stat(full))?.isDirectory) found[1].metadata = await readPartitionMetadata(fs, full);
      else found[0] = ''; // not a directory: not a log
    });
    for (const [name, found] of candidates) if (name) unopened.set(name, found);
    const recoveryPoints = await readOffsetCheckpoint(fs, path.join(dataDir, RECOVERY_POINT_CHECKPOINT_FILE));
    const highWatermarks = (await readOffsetCheckpoint(fs, path.join(dataDir, HIGH_WATERMARK_CHECKPOINT_FILE))) ?? new Map();
    const guardOptions = options.freeSpace === false ? null : (options.freeSpace ?? {});
    const freeSpaceGuard =
      guardOptions && FreeSpaceGuard.isEnabled(guardOptions) ? new FreeSpaceGuard(fs, clock, dataDir, guardOptions) : null;
    await freeSpaceGuard?.refresh();
    return new LogManager(
      dataDir,
      fs,
      clock,
      options.scheduler ?? new SystemScheduler(),
      options,
      cleanShutdown,
      unopened,
      [...unopened.values()],
      recoveryPoints,
      highWatermarks,
      freeSpaceGuard,
      foundDeleted,
    );
  }

  /** The free-space guard's count (null when it is off or no statfs succeeded yet). */
  get freeSpace(): FreeSpaceState | null {
    return this.freeSpaceGuard?.state ?? null;
  }

  /** Has the free-space guard read the volume now (maintenance does after retention; also for tests and admin). */
  refreshFreeSpace(): Promise<void> {
    return this.freeSpaceGuard?.refresh() ?? Promise.resolve();
  }

  /** True when the previous run closed cleanly (its logs open without scanning). */
  get openedAfterCleanShutdown(): boolean {
    return this.cleanShutdown;
  }

  /** The partition directories found at open, with their partition.metadata. */
  listLogs(): FoundLog[] {
    return this.discovered.map((d) => ({ ...d }));
  }

  /** `-delete` directories not removed yet, and a promise for when there are none (for tests and shutdown). */
  get pendingDeletes(): number {
    return this.remover.pending;
  }

  whenDeletesDone(): Promise<void> {
    return this.remover.whenIdle();
  }

  getLog(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(key(topic, partition));
  }

  /**
   * An already open log is returned as is (its config is changed only by `updateConfig`). With an
   * identity, a new directory gets its partition.metadata before its first segment, an old one
   * without the file adopts it, and one holding another topic id is refused (LogIdentityError).
   */
  openLog(topic: string, partition: number, config: LogConfig, identity?: LogIdentity): Promise<PartitionLog> {
    try {
      this.checkOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    if (!/^[a-zA-Z0-9._-]+$/.test(topic) || !Number.isInteger(partition) || partition < 0) {
      return Promise.reject(new RangeError(`bad topic-partition ${topic}-${partition}`));
    }
    const k = key(topic, partition);
    const existing = this.logs.get(k);
    if (existing) return Promise.resolve(existing);
    let opening = this.opening.get(k);
    if (!opening) {
      opening = this.load(topic, partition, config, identity).finally(() => this.opening.delete(k));
      this.opening.set(k, opening);
    }
    return opening;
  }

  private async load(topic: string, partition: number, config: LogConfig, identity: LogIdentity | undefined): Promise<PartitionLog> {
    const k = key(topic, partition);
    const dir = path.join(this.dataDir, k);
    const found = this.unopened.get(k);
    const foundAtOpen = found !== undefined;
    const isNew = !foundAtOpen && !(await this.fs.stat(dir));
    if (isNew) {
      await this.fs.mkdir(dir);
      await syncDir(this.fs, this.dataDir);
    }
    if (identity) {
      const metadata = isNew ? null : foundAtOpen ? found.metadata : await readPartitionMetadata(this.fs, dir);
      if (metadata === 'corrupt' || (metadata !== null && metadata.topicId !== identity.topicId)) {
        throw new LogIdentityError(dir, identity.topicId, metadata === 'corrupt' ? null : metadata.topicId);
      }
      if (metadata === null)
        await writePartitionMetadata(this.fs, dir, { topicId: identity.topicId, topic, partition, configs: identity.configs });
    }
    let log: PartitionLog | null = null;
    const loaded = await loadLog({
      fs: this.fs,
      dir,
      clock: this.clock,
      settings: () => log?.config ?? config,
      cleanShutdown: !foundAtOpen || this.cleanShutdown,
      recoveryPointHint: this.recoveryPoints ? (this.recoveryPoints.get(k) ?? 0) : null,
    });
    const producerState = new ProducerStateManager(this.options.producerIdExpirationMs);
    const abortedTxns = new AbortedTxnStore(this.fs, dir);
    const { segments, logEndOffset, names } = loaded;
    await loadTransactionState(producerState, abortedTxns, this.fs, dir, segments, logEndOffset, this.clock.nowMs(), true, names);
    const init: PartitionLogInit = {
      fs: this.fs,
      clock: this.clock,
      dir,
      topic,
      partition,
      config,
      loaded,
      highWatermark: this.highWatermarks.get(k) ?? 0,
      batchPool: this.batchPool,
      producerState,
      abortedTxns,
      onSegmentRolled: () => this.checkpointAfterRoll(topic, partition),
    };
    log = this.freeSpaceGuard ? new GuardedPartitionLog(init, this.freeSpaceGuard) : new PartitionLog(init);
    this.unopened.delete(k);
    this.logs.set(k, log);
    return log;
  }

  /** Close and remove one log now (retireLogs 'delete', then waits for the background removal). */
  async deleteLog(topic: string, partition: number): Promise<void> {
    await this.retireLogs([{ topic, partition }], 'delete');
    await this.remover.whenIdle();
  }

  /** Rewrites the config snapshot in an open log's partition.metadata (after the catalog changed it). */
  async updateIdentity(topic: string, partition: number, identity: LogIdentity): Promise<void> {
    this.checkOpen();
    const dir = path.join(this.dataDir, key(topic, partition));
    await writePartitionMetadata(this.fs, dir, { topicId: identity.topicId, topic, partition, configs: identity.configs });
  }

  /**
   * Takes logs out of service: closes them and renames their directories to `-delete` (removed in
   * the background afterwards) or `-stray` (kept, never loaded), 16 renames in flight, then ONE
   * fsync of the data directory for all of them. Returns the new directory names (absent logs
   * are skipped). After it resolves the renames are durable.
   */
  async retireLogs(targets: readonly { topic: string; partition: number }[], as: 'delete' | 'stray'): Promise<string[]> {
    this.checkOpen();
    const renamed: string[] = [];
    await forEachConcurrent(targets, DIR_OPS_IN_FLIGHT, async ({ topic, partition }) => {
      const k = key(topic, partition);
      await this.opening.get(k)?.catch(() => undefined);
      const log = this.logs.get(k);
      this.logs.delete(k);
      this.unopened.delete(k);
      this.recoveryPoints?.delete(k);
      this.highWatermarks.delete(k);
      if (log) await log.close().catch(() => undefined);
      const dir = path.join(this.dataDir, k);
      if (!(await this.fs.stat(dir))) return;
      const name = as === 'delete' ? deleteDirName(topic, partition) : strayDirName(topic, partition);
      await this.fs.rename(dir, path.join(this.dataDir, name));
      renamed.push(name);
    });
    if (renamed.length === 0) return renamed;
    await syncDir(this.fs, this.dataDir);
    if (as === 'delete') this.remover.add(renamed.map((name) => path.join(this.dataDir, name)));
    return renamed;
  }

  /** One pass over every open log: flush.ms flushes, retention, compaction, idle handles, checkpoints. */
  runMaintenance(): Promise<void> {
    if (!this.maintenanceRunning) {
      this.maintenanceRunning = this.maintain().finally(() => {
        this.maintenanceRunning = null;
      });
    }
    return this.maintenanceRunning;
  }

  private async maintain(): Promise<void> {
    const idleMs = this.options.idleHandleMs ?? DEFAULT_IDLE_HANDLE_MS;
    const logs = [...this.logs.values()];
    for (let index = 0; index < logs.length; index++) {
      // A log with nothing due settles in microtasks only: without a yield, a pass over 10,000
      // logs would be one long task holding up every request (issue #15).
      if (index > 0 && index % MAINTENANCE_SLICE_LOGS === 0) await yieldToEventLoop();
      const log = logs[index]!;
      if (this.closed) return;
      try {
        await log.flushIfDue();
        await log.runRetention();
        await log.compactIfDirty();
        await log.closeIdleHandles(idleMs);
      } catch (error) {
        if (isFsyncFailedError(error)) {
          this.fatal ??= error;
          throw error;
        }
        this.options.onMaintenanceError?.(error, log.topic, log.partition);
      }
    }
    await this.refreshFreeSpace(); // retention may have freed space: a refusing guard admits again at once
    try {
      await this.checkpoint();
    } catch (error) {
      if (isFsyncFailedError(error)) this.fatal ??= error;
      throw error;
    }
  }

  /** Runs maintenance every `intervalMs` on one shared timer. A fatal error stops it and is rethrown. */
  startMaintenance(intervalMs: number): void {
    this.checkOpen();
    this.maintenanceTask?.cancel();
    this.maintenanceTask = this.scheduler.every(intervalMs, () => this.runMaintenance());
  }

  /** Flushes and closes every log, writes checkpoints, then (only if all succeeded) the clean-shutdown marker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.maintenanceTask?.cancel();
    await this.maintenanceRunning?.catch(() => undefined);
    await Promise.all([...this.opening.values()].map((p) => p.catch(() => undefined)));
    this.closed = true;
    await this.remover.stop(); // the `-delete` directories left are removed at the next start
    let failure: unknown = this.fatal;
    // Closing seals active segments (a few fsyncs each when they took writes): run 16 at a time so
    // the fsyncs of 10,000 partitions overlap on the thread pool instead of queueing one by one.
    const logs = [...this.logs.values()];
    let next = 0;
    const closeSome = async (): Promise<void> => {
      while (next < logs.length) {
        const log = logs[next++]!;
        try {
          await log.close();
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CLOSE_CONCURRENCY, logs.length) }, closeSome));
    if (failure) throw failure;
    await this.checkpoint();
    // Logs found at open but never opened were never recovered: after an unclean start the marker
    // would vouch for them falsely, so it is written only when there is nothing unvouched.
    if (this.cleanShutdown || this.unopened.size === 0) {
      await writeFileDurably(this.fs, path.join(this.dataDir, CLEAN_SHUTDOWN_FILE), Buffer.alloc(0));
    }
  }

  /**
   * A log sealed a segment: checkpoint its new recovery point. Only a failed fsync is fatal (it
   * fails the roll, like any fsync failure on the write path); any other error leaves the old,
   * lower recovery point in place (a slower but correct recovery) and goes to onMaintenanceError.
   */
  private async checkpointAfterRoll(topic: string, partition: number): Promise<void> {
    try {
      await this.checkpoint();
    } catch (error) {
      if (isFsyncFailedError(error)) {
        this.fatal ??= error;
        throw error;
      }
      this.options.onMaintenanceError?.(error, topic, partition);
    }
  }

  /** Writes both checkpoints after the write in progress, if any; callers arriving while one waits share it. */
  private checkpoint(): Promise<void> {
    if (this.checkpointQueued) return this.checkpointQueued;
    const queued = this.checkpointWrite
      .catch(() => undefined)
      .then(() => {
        this.checkpointQueued = null; // from here on, a new request must wait for this write and run after it
        return this.writeCheckpoints();
      });
    this.checkpointQueued = queued;
    this.checkpointWrite = queued;
    return queued;
  }

  private async writeCheckpoints(): Promise<void> {
    const recovery = new Map(this.recoveryPoints ?? []);
    const hw = new Map(this.highWatermarks);
    for (const [k, log] of this.logs) {
      recovery.set(k, log.recoveryPoint);
      hw.set(k, log.highWatermark);
    }
    if (!this.recoveryPoints) for (const k of this.unopened.keys()) recovery.delete(k); // unknown stays unknown
    await writeOffsetCheckpoint(this.fs, path.join(this.dataDir, RECOVERY_POINT_CHECKPOINT_FILE), recovery);
    await writeOffsetCheckpoint(this.fs, path.join(this.dataDir, HIGH_WATERMARK_CHECKPOINT_FILE), hw);
  }

  private checkOpen(): void {
    if (this.fatal) throw this.fatal;
    // Operational, not a bug: a call racing shutdown gets the retriable LOG_CLOSED, not a bare RangeError.
    if (this.closed) throw new LogClosedError('the log manager');
  }
}

/** "topic partition offset" lines keyed by `<topic>-<partition>`; null when missing or corrupt. */
async function readOffsetCheckpoint(fs: FileSystem, filePath: string): Promise<Map<string, number> | null> {
  const entries = await readCheckpoint(fs, filePath, 3);
  if (entries === null || entries === 'corrupt') return null;
  const offsets = new Map<string, number>();
  for (const [topic, partitionText, offsetText] of entries) {
    const partition = parseNonNegativeInt(partitionText!);
    const offset = parseNonNegativeInt(offsetText!);
    if (partition === null || offset === null || partition < 0 || offset < 0) return null;
    offsets.set(key(topic!, partition), offset);
  }
  return offsets;
}

async function writeOffsetCheckpoint(fs: FileSystem, filePath: string, offsets: Map<string, number>): Promise<void> {
  const lines: string[] = [];
  for (const [k, offset] of offsets) {
    const parsed = parsePartitionDirName(k);
    if (parsed) lines.push(`${parsed.topic} ${parsed.partition} ${offset}`);
  }
  await writeCheckpoint(fs, filePath, lines);
}
