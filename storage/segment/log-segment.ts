/**
 * LogSegment: one `<base>.log` with its `.index` and `.timeindex` (Kafka's LogSegment). The `.log`
 * is record batches back to back, exactly as encoded (storage/FORMAT.md); offsets only grow.
 *
 * Cheap to hold by the thousand: the file handle is opened on first use and closed when idle
 * (`closeIfIdle`), and a sealed segment reads its indexes only when first asked. The active segment
 * knows its tail (nextOffset, max timestamp) after `loadTail()` (clean open: scans ≤ one index
 * interval) or `recover()` (unclean open: scans and CRC-checks everything, rebuilding the indexes).
 * Reads live in segment-reader.ts.
 *
 * Concurrency: `append`, `flush`, `seal`, `truncateToOffset` and `recover` run under the partition's
 * log lock, one at a time. `read`/`offsetForTimestamp` may run concurrently with one appender: they
 * snapshot `sizeBytes`, which grows only after a write completed. A segment removed from the log
 * (`markDeleted`) keeps its handle until the last pinned reader is done.
 */
import { CorruptLogError, type CorruptRecordError } from '../errors';
import type { FileHandle, FileSystem } from '../io/file-system';
import { FsyncFailedError } from '../io/fsync-failed-error';
import { BatchScanner, checkBatchHeader, readInt64, ScannedBatch, scanTail, ScanStop } from './batch-scanner';
import { lastIndexEntryPointsAtItsBatch, lastTimeEntryMatchesTail } from './index-checks';
import { indexFromHeaders } from './offset-index-repair';
import { INDEX_SUFFIX, LOG_SUFFIX, segmentFilePath, TIME_INDEX_SUFFIX } from './file-names';
import { OFFSET_INDEX_ENTRY_BYTES, OffsetIndex } from './offset-index';
import { readFileIfExists, syncFileHandle } from './segment-io';
import { TimeIndex } from './time-index';
import { BATCH_HEADER_SIZE_BYTES, LOG_OVERHEAD_BYTES, MAX_TIMESTAMP_POSITION } from '../format/record-batch-header';

export interface SegmentSettings {
  indexIntervalBytes: number;
  segmentIndexBytes: number;
}

export interface BatchToAppend {
  bytes: Buffer;
  baseOffset: number;
  lastOffset: number;
  maxTimestampMs: number;
}

export interface FetchedBatch {
  baseOffset: number;
  lastOffset: number;
  bytes: Buffer;
}

export interface SegmentReadResult {
  batches: FetchedBatch[];
  sizeBytes: number;
  /** True when the read stopped because of maxOffset, maxBytes or damage (no point reading the next segment). */
  stopped: boolean;
  /** Set when the read met damage: the batches are the good ones before it (segment-reader.ts). */
  damage: CorruptRecordError | null;
}

export interface RecoveryResult {
  validBytes: number;
  /** Set when the scan stopped at invalid bytes before the end of the file. */
  invalid: { position: number; reason: string } | null;
}

export class LogSegment {
  readonly logPath: string;
  private handle: FileHandle | null = null;
  private opening: Promise<FileHandle> | null = null;
  private pins = 0;
  private lastUsedMs = 0;
  private deleted = false;
  /**
   * Bytes [0, verifiedEndPosition) are known CRC-valid in this process: written by it (the leader
   * encoded them, a follower's were CRC-checked on append), CRC-checked by recovery, or by an
   * earlier read. Reads CRC-check only batches beyond it, so fan-out consumers and tail readers do
   * not pay ~1 ms per MiB again for bytes already proven; a new process starts from 0.
   */
  private verifiedEndPosition = 0;
  private truncations = 0;
  /** Bytes written or cut since the last fsync (a clean close of an idle log costs no fsync). */
  private unflushed = false;
  private indexesLoaded = false;
  private loadingIndexes: Promise<void> | null = null;
  private currentOffsetIndex: OffsetIndex; // replaced whole by repairOffsetIndex
  private repairingOffsetIndex: Promise<void> | null = null;
  readonly timeIndex: TimeIndex;
  private bytesSinceLastIndexEntry = 0;
  /** Valid for the active segment (after loadTail/recover/create) and after seal. */
  nextOffset: number;
  maxTimestampMs = -1;
  /** Wall-clock ms the segment's age is measured from (segment.ms); null until known. */
  rollBaseMs: number | null = null;

  constructor(
    private readonly fs: FileSystem,
    readonly dir: string,
    readonly baseOffset: number,
    public sizeBytes: number,
    private readonly settings: () => SegmentSettings,
    private readonly monotonicMs: () => number,
    /** '' for a live segment; CLEANED_SUFFIX while compaction writes it. */
    stateSuffix = '',
  ) {
    this.logPath = segmentFilePath(dir, baseOffset, LOG_SUFFIX, stateSuffix);
    const maxEntries = Math.max(1, Math.floor(settings().segmentIndexBytes / OFFSET_INDEX_ENTRY_BYTES));
    this.currentOffsetIndex = new OffsetIndex(segmentFilePath(dir, baseOffset, INDEX_SUFFIX, stateSuffix), baseOffset, maxEntries);
    this.timeIndex = new TimeIndex(segmentFilePath(dir, baseOffset, TIME_INDEX_SUFFIX, stateSuffix), baseOffset);
    this.nextOffset = baseOffset;
  }

  /** A new empty active segment (the caller fsyncs the directory). */
  static async create(
    fs: FileSystem,
    dir: string,
    baseOffset: number,
    settings: () => SegmentSettings,
    monotonicMs: () => number,
    stateSuffix = '',
  ): Promise<LogSegment> {
    const segment = new LogSegment(fs, dir, baseOffset, 0, settings, monotonicMs, stateSuffix);
    segment.handle = await fs.open(segment.logPath, 'create');
    await segment.handle.truncate(0);
    segment.indexesLoaded = true; // new and empty: no index files until there are entries
    return segment;
  }

  get isDeleted(): boolean {
    return this.deleted;
  }

  /** Bumped whenever the file is cut (truncation): a lock-free read that raced it can retry. */
  get truncationCount(): number {
    return this.truncations;
  }

  // ---- file handle -------------------------------------------------------------------------

  async withHandle<T>(use: (handle: FileHandle) => Promise<T>): Promise<T> {
    this.pins++;
    try {
      const handle = await this.getHandle();
      return await use(handle);
    } finally {
      this.pins--;
      this.lastUsedMs = this.monotonicMs();
      if (this.deleted && this.pins === 0) await this.closeHandle();
    }
  }

  private async getHandle(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    if (!this.opening) {
      this.opening = this.fs.open(this.logPath, this.deleted ? 'read' : 'readWrite').then(
        (handle) => {
          this.handle = handle;
          this.opening = null;
          return handle;
        },
        (error) => {
          this.opening = null;
          throw error;
        },
      );
    }
    return this.opening;
  }

  async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.close();
  }

  /**
   * Closes the handle if nobody used it for `idleMs` (sealed segments of 10,000 partitions). Never
   * with unflushed writes: Linux reports a writeback error only to descriptors open when it
   * happened, so the fsync must come through the descriptor that wrote.
   */
  async closeIfIdle(idleMs: number): Promise<boolean> {
    if (!this.handle || this.pins > 0 || this.unflushed || this.monotonicMs() - this.lastUsedMs < idleMs) return false;
    await this.closeHandle();
    return true;
  }

  /** Removed from the log: the handle closes once the last reader is done. */
  async markDeleted(): Promise<void> {
    this.deleted = true;
    if (this.pins === 0) await this.closeHandle();
  }

  // ---- indexes -----------------------------------------------------------------------------

  get offsetIndex(): OffsetIndex {
    return this.currentOffsetIndex;
  }

  /**
   * A read found an index entry that does not start its batch: a new index from the batch headers
   * (offset-index-repair.ts), swapped in whole (lookups see the old or the new, never a mix), then
   * the file rewritten. Entries an appender adds meanwhile to the old one are just missing (the
   * index is sparse); a racing truncation drops the result. Single-flight.
   */
  repairOffsetIndex(endOffset: number): Promise<void> {
    this.repairingOffsetIndex ??= this.rebuildOffsetIndexFromHeaders(endOffset).finally(() => {
      this.repairingOffsetIndex = null;
    });
    return this.repairingOffsetIndex;
  }

  private async rebuildOffsetIndexFromHeaders(endOffset: number): Promise<void> {
    const truncations = this.truncations;
    const old = this.currentOffsetIndex;
    const fresh = new OffsetIndex(old.filePath, this.baseOffset, old.maxEntryCount);
    const endPosition = this.sizeBytes;
    await this.withHandle((handle) => indexFromHeaders(handle, fresh, endPosition, endOffset, this.settings().indexIntervalBytes));
    if (this.truncations !== truncations || this.deleted) return;
    this.currentOffsetIndex = fresh;
    await fresh.persist(this.fs);
  }

  /** Loads (and validates) both indexes once; rebuilds them from the log when missing or invalid. */
  ensureIndexes(): Promise<void> {
    if (this.indexesLoaded) return Promise.resolve();
    if (!this.loadingIndexes) {
      this.loadingIndexes = this.loadIndexes().finally(() => {
        this.loadingIndexes = null;
      });
    }
    return this.loadingIndexes;
  }

  private async loadIndexes(): Promise<void> {
    // An empty segment has empty indexes whatever its files hold: nothing to read (many of a big node's partitions are empty).
    if (this.sizeBytes === 0) return this.resetIndexes();
    const indexBytes = await readFileIfExists(this.fs, this.offsetIndex.filePath);
    const timeBytes = await readFileIfExists(this.fs, this.timeIndex.filePath);
    const offsetOk =
      indexBytes !== null &&
      this.offsetIndex.loadFrom(indexBytes, this.sizeBytes) &&
      (await this.withHandle((h) => lastIndexEntryPointsAtItsBatch(h, this.offsetIndex, this.sizeBytes)));
    // The time index is checked against the log like the offset index: its last entry is what
    // retention and timestamp lookups trust, so the segment's own last batches must confirm it.
    const timeOk =
      offsetOk &&
      timeBytes !== null &&
      this.timeIndex.loadFrom(timeBytes) &&
      (await this.withHandle((h) => lastTimeEntryMatchesTail(h, this.offsetIndex, this.timeIndex, this.sizeBytes)));
    if (offsetOk && timeOk) {
      this.maxTimestampMs = this.timeIndex.lastEntry()?.timestampMs ?? -1;
      this.indexesLoaded = true;
      return;
    }
    const result = await this.rebuildIndexes();
    if (result.invalid) {
      throw new CorruptLogError(`corrupt batch in ${this.logPath} at byte ${result.invalid.position}: ${result.invalid.reason}`, {
        path: this.logPath,
        position: result.invalid.position,
      });
    }
    // A sealed segment: record its end so its max timestamp survives the next open.
    this.timeIndex.maybeAppend(this.maxTimestampMs, this.nextOffset);
    await this.persistIndexes();
  }

  private resetIndexes(): void {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.maxTimestampMs = -1;
    this.indexesLoaded = true;
  }

  /** Scans the whole log (CRC-checked), rebuilding both indexes; stops at the first invalid batch. */
  private async rebuildIndexes(onBatch?: (batch: ScannedBatch) => void): Promise<RecoveryResult> {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.bytesSinceLastIndexEntry = 0;
    this.maxTimestampMs = -1;
    this.nextOffset = this.baseOffset;
    const stop = await this.withHandle(async (handle) => {
      const scanner = new BatchScanner(handle, 0, this.sizeBytes, { verifyCrc: true });
      for await (const batch of scanner.batches()) {
        if (batch.baseOffset < this.nextOffset || batch.lastOffset - this.baseOffset > 0x7fff_ffff) {
          return {
            kind: 'invalid',
            position: batch.position,
            reason: `offset ${batch.baseOffset} does not follow ${this.nextOffset - 1}`,
          } as ScanStop;
        }
        this.indexBatch(batch.baseOffset, batch.lastOffset, batch.maxTimestampMs, batch.position, batch.sizeBytes);
        onBatch?.(batch);
      }
      return scanner.stop!;
    });
    this.indexesLoaded = true;
    const validBytes = stop.kind === 'end' ? this.sizeBytes : stop.position;
    this.verifiedEndPosition = validBytes;
    if (stop.kind === 'end') return { validBytes, invalid: null };
    return { validBytes, invalid: { position: stop.position, reason: stop.reason } };
  }

  private indexBatch(baseOffset: number, lastOffset: number, maxTimestampMs: number, position: number, sizeBytes: number): void {
    if (this.bytesSinceLastIndexEntry > this.settings().indexIntervalBytes && !this.offsetIndex.isFull) {
      this.offsetIndex.append(baseOffset, position);
      if (this.maxTimestampMs >= 0) this.timeIndex.maybeAppend(this.maxTimestampMs, baseOffset);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += sizeBytes;
    if (maxTimestampMs > this.maxTimestampMs) this.maxTimestampMs = maxTimestampMs;
    this.nextOffset = lastOffset + 1;
  }

  async persistIndexes(): Promise<void> {
    await this.offsetIndex.persist(this.fs);
    await this.timeIndex.persist(this.fs);
  }

  // ---- open and recovery ------------------------------------------------------------------

  /**
   * Clean open of the active segment: indexes from disk, then the few batches after the last
   * index entry (≤ index.interval.bytes + one batch) give nextOffset. Returns false when those
   * bytes are not valid — the caller then runs a full `recover()`.
   */
  async loadTail(nowMs: number): Promise<boolean> {
    await this.ensureIndexes();
    if (this.sizeBytes === 0) return true; // nothing to scan: the next offset is the base offset
    const from = this.offsetIndex.lastEntry()?.position ?? 0;
    let ok = true;
    let maxTimestampMs = this.timeIndex.lastEntry()?.timestampMs ?? -1;
    await this.withHandle(async (handle) => {
      const scanner = new BatchScanner(handle, from, this.sizeBytes, { verifyCrc: true, chunkBytes: 65_536 });
      for await (const batch of scanner.batches()) {
        this.nextOffset = batch.lastOffset + 1;
        if (batch.maxTimestampMs > maxTimestampMs) maxTimestampMs = batch.maxTimestampMs;
      }
      ok = scanner.stop!.kind === 'end';
      this.bytesSinceLastIndexEntry = this.sizeBytes - from;
      if (ok && this.sizeBytes > 0) this.rollBaseMs = Math.min(nowMs, await this.firstBatchMaxTimestamp(handle));
    });
    this.maxTimestampMs = maxTimestampMs;
    return ok;
  }

  private async firstBatchMaxTimestamp(handle: FileHandle): Promise<number> {
    const header = Buffer.alloc(MAX_TIMESTAMP_POSITION + 8);
    await handle.read(header, 0, header.length, 0);
    const value = readInt64(header, MAX_TIMESTAMP_POSITION);
    return Number.isNaN(value) ? Number.MAX_SAFE_INTEGER : value;
  }

  /**
   * Unclean open: CRC-check every batch, rebuild both indexes. Does not truncate: the loader decides
   * whether invalid bytes are a torn tail (truncate) or corruption (refuse).
   */
  async recover(nowMs: number, onBatch?: (batch: ScannedBatch) => void): Promise<RecoveryResult> {
    this.sizeBytes = await this.withHandle((handle) => handle.sizeBytes());
    this.unflushed = this.sizeBytes > 0; // recovered bytes may live only in the page cache
    const result = await this.rebuildIndexes(onBatch);
    if (result.validBytes > 0) this.rollBaseMs = Math.min(nowMs, await this.withHandle((h) => this.firstBatchMaxTimestamp(h)));
    return result;
  }

  /**
   * True when the invalid bytes at `position` look like corruption rather than a torn tail: the
   * header there has a plausible length and a CRC-valid batch starts right after it. A torn write
   * (half a batch, zeros, garbage) has nothing valid after it.
   */
  async hasValidBatchAfter(position: number, fileSizeBytes: number): Promise<boolean> {
    return this.withHandle(async (handle) => {
      const head = Buffer.alloc(LOG_OVERHEAD_BYTES);
      if ((await handle.read(head, 0, LOG_OVERHEAD_BYTES, position)) < LOG_OVERHEAD_BYTES) return false;
      const next = position + LOG_OVERHEAD_BYTES + head.readInt32BE(8);
      if (head.readInt32BE(8) < 49 || next >= fileSizeBytes) return false;
      const scanner = new BatchScanner(handle, next, fileSizeBytes, { verifyCrc: true });
      for await (const batch of scanner.batches()) return batch !== undefined;
      return false;
    });
  }

  /** Cuts the file at `position` (a batch boundary), fsyncs it, and rebuilds the tail state. */
  async truncateToPosition(position: number): Promise<void> {
    this.truncations++;
    await this.withHandle(async (handle) => {
      await handle.truncate(position);
      await syncFileHandle(handle);
    });
    this.sizeBytes = position;
    this.verifiedEndPosition = Math.min(this.verifiedEndPosition, position);
    this.offsetIndex.truncateToPosition(position);
  }

  // ---- append ------------------------------------------------------------------------------

  /** Writes `batches` (consecutive, offsets increasing) at the end with one writev. Under the log lock. */
  async append(batches: BatchToAppend[], nowMs: number): Promise<void> {
    if (!this.indexesLoaded) await this.ensureIndexes();
    const position = this.sizeBytes;
    this.unflushed = true;
    await this.withHandle((handle) =>
      handle.writev(
        batches.map((b) => b.bytes),
        position,
      ),
    );
    let at = position;
    for (const batch of batches) {
      this.indexBatch(batch.baseOffset, batch.lastOffset, batch.maxTimestampMs, at, batch.bytes.length);
      at += batch.bytes.length;
    }
    if (this.verifiedEndPosition === position) this.verifiedEndPosition = at;
    this.sizeBytes = at;
    if (this.rollBaseMs === null) this.rollBaseMs = nowMs;
  }

  async flush(): Promise<void> {
    if (!this.unflushed) return;
    await this.withHandle(async (handle) => {
      try {
        await handle.sync();
      } catch (error) {
        throw new FsyncFailedError(this.logPath, error);
      }
    });
    this.unflushed = false;
  }

  /** Before the segment stops being active (roll, clean close): final time index entry, indexes and log durable. */
  async seal(): Promise<void> {
    await this.ensureIndexes();
    if (this.nextOffset > this.baseOffset) this.timeIndex.maybeAppend(this.maxTimestampMs, this.nextOffset);
    await this.persistIndexes();
    await this.flush();
  }

  /** The largest timestamp in this segment (-1 when empty). Loads the indexes of a sealed segment. */
  async largestTimestampMs(): Promise<number> {
    await this.ensureIndexes();
    return this.maxTimestampMs;
  }

  // ---- read: readBatches and findOffsetForTimestamp in segment-reader.ts use these -------------------

  /** Bytes [0, this) are known CRC-valid in this process (see the field). */
  get verifiedEndPositionBytes(): number {
    return this.verifiedEndPosition;
  }

  /** A read CRC-checked [position, end): extends the verified prefix when contiguous with it. */
  markVerified(position: number, end: number): void {
    if (position <= this.verifiedEndPosition && end > this.verifiedEndPosition) this.verifiedEndPosition = end;
  }

  get indexIntervalBytes(): number {
    return this.settings().indexIntervalBytes;
  }

  // ---- truncation ------------------------------------------------------------------------------

  /**
   * Removes every batch whose lastOffset ≥ `offset` (a batch is never split: when `offset` falls
   * inside a batch the whole batch goes). Returns the new nextOffset. Under the log lock.
   */
  async truncateToOffset(offset: number): Promise<number> {
    await this.ensureIndexes();
    const start = this.offsetIndex.lookup(offset).position;
    let cut = this.sizeBytes;
    let cutOffset = offset;
    await this.withHandle(async (handle) => {
      const scanner = new BatchScanner(handle, start, this.sizeBytes, { verifyCrc: false, chunkBytes: 65_536 });
      for await (const batch of scanner.batches()) {
        if (batch.lastOffset >= offset) {
          cut = batch.position;
          cutOffset = batch.baseOffset;
          return;
        }
      }
    });
    if (cut < this.sizeBytes) {
      await this.truncateToPosition(cut);
      this.timeIndex.truncateToOffset(cutOffset);
      await this.persistIndexes();
      this.nextOffset = this.baseOffset;
      this.maxTimestampMs = -1;
      await this.loadTail(this.rollBaseMs ?? 0);
    }
    return this.nextOffset;
  }

  /** The last offset in a sealed segment by scanning from its last index entry (compaction, tests). */
  async readNextOffset(): Promise<number> {
    await this.ensureIndexes();
    const from = this.offsetIndex.lastEntry()?.position ?? 0;
    let next = this.baseOffset;
    await this.withHandle(async (handle) => {
      const scanner = new BatchScanner(handle, from, this.sizeBytes, { verifyCrc: false, chunkBytes: 65_536 });
      for await (const batch of scanner.batches()) next = batch.lastOffset + 1;
    });
    return next;
  }
}
