/**
 * FreeSpaceGuard: refuses leader appends BEFORE the volume holding the data directory fills up
 * (docs/RELIABILITY.md §2.3 rule 9, scenario R15), so in normal operation an ENOSPC never lands in
 * the middle of a batch. A refused append writes nothing and fails with the retriable
 * InsufficientFreeSpaceError (code BROKER_NOT_AVAILABLE, as Redpanda answers such a produce).
 *
 * Threshold (Redpanda's `storage_min_free_bytes` and its 5% space alert [S21]): keep at least
 * min(minFreeBytes, minFreePercent % of the volume) free — 1 GiB and 5% by default, so a 1 TB disk
 * keeps 1 GiB, a 10 GiB disk 512 MiB and a 64 MiB tmpfs 3.2 MiB. An append is admitted when
 *   free at the last statfs − bytes written since it − bytes reserved in flight − B ≥ threshold,
 * B being a bound of the batch's size that is reserved until the append settles, when the bytes
 * really written replace it. Far from the threshold B is the log's max.message.bytes (the encoder
 * refuses bigger batches), so the common case costs a few comparisons; only within one such bound
 * (plus what is in flight) of the threshold is B tightened by a pass over the records
 * (estimateBatchBytes, ~4 µs per 1,000 records) — so a nearly full disk still takes small batches.
 *
 * Cadence: the append path never waits for a syscall; `admit()` is arithmetic on a cached reading,
 * and every byte is counted from admission on, so our own writes between two statfs calls can
 * never overshoot the threshold. A new statfs starts in the background (never two at a time) once
 * the reading is `refreshIntervalMs` old (1 s) or `refreshBytes` (64 MiB) were written since it
 * began — an idle node makes no statfs at all, a busy one about one per second or per 64 MiB (at
 * 1.5 GB/s, ~23/s of a ~10 µs thread-pool call). While refusing it looks again at most every
 * 100 ms, so space freed by retention or an operator is noticed on the next retry. Bytes written
 * after a reading began stay counted after it (pessimistic: some may already be in it).
 *
 * Not covered, on purpose: follower appends (a follower must keep up with what its leader
 * accepted), compaction's temporary files, the catalog, and other processes filling the volume
 * faster than one refresh. A real ENOSPC then fails the log like any write error does: the append
 * is not acknowledged, the log refuses reads and appends until restart, no clean-shutdown marker is
 * written, and recovery cuts the torn tail (partition-log.ts, log-manager.ts).
 *
 * Concurrency: single-threaded; `admit`/`settle` are synchronous; `refresh()` calls share one statfs.
 */
import { InsufficientFreeSpaceError } from '../errors';
import type { LogRecordInput } from '../format/record';
import { BATCH_HEADER_SIZE_BYTES } from '../format/record-batch-header';
import type { Clock } from '../io/clock';
import type { FileSystem, VolumeSpace } from '../io/file-system';

export interface FreeSpaceGuardOptions {
  /** Keep at least this many bytes free (Redpanda's storage_min_free_bytes). Default 1 GiB. 0 turns the guard off. */
  minFreeBytes?: number;
  /** …or this percentage of the volume, whichever is smaller. Default 5. 0 turns the guard off. */
  minFreePercent?: number;
  /** statfs again, when appends arrive, once the reading is this old. Default 1,000 ms. */
  refreshIntervalMs?: number;
  /** …or once appends wrote this many bytes since it began. Default 64 MiB. */
  refreshBytes?: number;
  /** A statfs failed: the last reading stays in use (with none yet, appends are admitted). Must not throw. */
  onError?: (error: unknown) => void;
  /** The guard started (true) or stopped (false) refusing appends. Must not throw. */
  onRefusingChanged?: (refusing: boolean, state: FreeSpaceState) => void;
}

export interface FreeSpaceState {
  totalBytes: number;
  /** Free bytes now as the guard counts them: the last reading minus bytes written since and reserved in flight. */
  freeBytes: number;
  /** The threshold: min(minFreeBytes, minFreePercent % of totalBytes). */
  minFreeBytes: number;
  refusing: boolean;
}

export const DEFAULT_MIN_FREE_BYTES = 1024 ** 3; // 1 GiB
export const DEFAULT_MIN_FREE_PERCENT = 5;
const DEFAULT_REFRESH_INTERVAL_MS = 1_000;
const DEFAULT_REFRESH_BYTES = 64 * 1024 ** 2; // 64 MiB
/** While refusing, statfs at most this often: freed space shows up on the next retry, without a syscall per refused call. */
const REFUSING_REFRESH_MS = 100;
/** Record => length:varint(≤5) attributes:int8 timestampDelta:varlong(≤10) offsetDelta:varint(≤5)
 *  keyLength:varint(≤5) key valueLength:varint(≤5) value headerCount:varint(≤5) headers */
const RECORD_FIELDS_BYTES_MAX = 36;
/** Header => keyLength:varint(≤5) key valueLength:varint(≤5) value; keys are UTF-8, ≤ 3 bytes per UTF-16 unit. */
const HEADER_FIELDS_BYTES_MAX = 10;

/**
 * An upper bound of the bytes a leader batch of these records takes on disk (uncompressed; a
 * compressed batch is smaller), without encoding: one pass over lengths, no allocation (~4 µs for
 * 1,000 records). Used only near the threshold.
 */
export function estimateBatchBytes(records: readonly LogRecordInput[]): number {
  let bytes = BATCH_HEADER_SIZE_BYTES;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    bytes += RECORD_FIELDS_BYTES_MAX + (record.key?.length ?? 0) + (record.value?.length ?? 0);
    const headers = record.headers;
    for (let h = 0; h < headers.length; h++)
      bytes += HEADER_FIELDS_BYTES_MAX + 3 * headers[h]!.key.length + (headers[h]!.value?.length ?? 0);
  }
  return bytes;
}

export class FreeSpaceGuard {
  private readonly minFreeBytes: number;
  private readonly minFreePercent: number;
  private readonly refreshIntervalMs: number;
  private readonly refreshBytes: number;
  private reading: VolumeSpace | null = null;
  /** Bytes appends wrote since the reading began (it may not reflect them). */
  private writtenSinceReadingBytes = 0;
  /** Reservations of appends admitted and not settled yet. */
  private reservedBytes = 0;
  private writtenBytesTotal = 0;
  private writtenAtLastStart = 0;
  private lastStartMs = -Infinity;
  private refreshing: Promise<void> | null = null;
  private refusing = false;

  /** False when either threshold is 0: the manager then creates no guard at all. */
  static isEnabled(options: FreeSpaceGuardOptions): boolean {
    return (options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES) > 0 && (options.minFreePercent ?? DEFAULT_MIN_FREE_PERCENT) > 0;
  }

  constructor(
    private readonly fs: FileSystem,
    private readonly clock: Clock,
    /** A directory on the guarded volume (the log manager's data dir). */
    private readonly dir: string,
    private readonly options: FreeSpaceGuardOptions = {},
  ) {
    this.minFreeBytes = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
    this.minFreePercent = options.minFreePercent ?? DEFAULT_MIN_FREE_PERCENT;
    this.refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
    this.refreshBytes = options.refreshBytes ?? DEFAULT_REFRESH_BYTES;
    if (!(this.minFreeBytes >= 0) || !(this.minFreePercent >= 0 && this.minFreePercent <= 100)) {
      throw new RangeError(`bad free-space threshold: ${this.minFreeBytes} bytes, ${this.minFreePercent}%`);
    }
  }

  /** The current count, or null before the first successful statfs. */
  get state(): FreeSpaceState | null {
    const reading = this.reading;
    if (reading === null) return null;
    return {
      totalBytes: reading.totalBytes,
      freeBytes: this.freeBytes(reading),
      minFreeBytes: this.thresholdBytes(reading),
      refusing: this.refusing,
    };
  }

  /**
   * Admits a leader append of `records` (or of one encoded batch: its exact size), whose batch is
   * at most `batchBytesMax` (its log's max.message.bytes), and returns the bytes reserved for it —
   * or the error to reject it with. Every admitted append must be `settle`d with that reservation
   * once it completed or failed.
   */
  admit(
    records: readonly LogRecordInput[] | Buffer,
    batchBytesMax: number,
    log: { topic: string; partition: number },
  ): number | InsufficientFreeSpaceError {
    this.refreshIfDue();
    const reading = this.reading;
    let reservation = batchBytesMax;
    if (reading !== null) {
      const freeBytes = this.freeBytes(reading);
      const thresholdBytes = this.thresholdBytes(reading);
      if (freeBytes - reservation < thresholdBytes) {
        reservation = Math.min(reservation, Buffer.isBuffer(records) ? records.length : estimateBatchBytes(records)); // near the threshold: the tighter bound
        if (freeBytes - reservation < thresholdBytes) {
          this.setRefusing(true);
          return new InsufficientFreeSpaceError(
            `log ${log.topic}-${log.partition}`,
            Math.max(0, freeBytes),
            thresholdBytes + reservation,
            thresholdBytes,
          );
        }
      }
    }
    this.reservedBytes += reservation;
    return reservation;
  }

  /** An admitted append settled: its reservation ends; `writtenBytes` (0 if it failed) stay counted until a later statfs. */
  settle(reservedBytes: number, writtenBytes: number): void {
    this.reservedBytes -= reservedBytes;
    this.writtenSinceReadingBytes += writtenBytes;
    this.writtenBytesTotal += writtenBytes;
  }

  /** Reads the volume now (calls made while one runs share it). Never rejects: errors go to onError. */
  refresh(): Promise<void> {
    this.refreshing ??= this.readVolume().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private refreshIfDue(): void {
    if (this.refreshing) return;
    const ageMs = this.clock.monotonicMs() - this.lastStartMs;
    if (
      ageMs >= (this.refusing ? REFUSING_REFRESH_MS : this.refreshIntervalMs) ||
      this.writtenBytesTotal - this.writtenAtLastStart >= this.refreshBytes
    ) {
      void this.refresh();
    }
  }

  private async readVolume(): Promise<void> {
    this.lastStartMs = this.clock.monotonicMs();
    const writtenAtStart = this.writtenBytesTotal;
    this.writtenAtLastStart = writtenAtStart;
    let reading: VolumeSpace;
    try {
      reading = await this.fs.statfs(this.dir);
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    this.reading = reading;
    this.writtenSinceReadingBytes = this.writtenBytesTotal - writtenAtStart;
    this.setRefusing(this.freeBytes(reading) < this.thresholdBytes(reading));
  }

  private freeBytes(reading: VolumeSpace): number {
    return reading.availableBytes - this.writtenSinceReadingBytes - this.reservedBytes;
  }

  private thresholdBytes(reading: VolumeSpace): number {
    return Math.min(this.minFreeBytes, Math.floor((reading.totalBytes * this.minFreePercent) / 100));
  }

  private setRefusing(refusing: boolean): void {
    if (refusing === this.refusing) return;
    this.refusing = refusing;
    this.options.onRefusingChanged?.(refusing, this.state!);
  }
}
