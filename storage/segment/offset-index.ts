/**
 * OffsetIndex: the sparse `<base>.index` of one segment. Format (storage/FORMAT.md "Offset index"):
 * a plain array of 8-byte entries, no header, big-endian like Kafka:
 *   Entry => relativeOffset:int32 position:int32
 * relativeOffset = offset − segment baseOffset of the first record of a batch; position = byte
 * position of that batch in the `.log`. Both strictly increase from entry to entry. One entry
 * per `index.interval.bytes` (4 KiB) of log: a 1 GiB segment needs 262,144 entries × 8 B = 2 MiB,
 * so the whole index lives in memory (Node has no mmap) and a lookup is a binary search plus a
 * scan of at most ~4 KiB of log. The file is not preallocated: its length is entryCount × 8, so a
 * torn index is visible as a length that is not a multiple of 8.
 *
 * Durability: entries are appended in memory; `persist()` writes the entries added since the last
 * persist and fsyncs. The active segment's index is only persisted on roll/flush-on-close; after an
 * unclean shutdown the loader rebuilds it from the log, so it never needs to be durable per append.
 *
 * Concurrency: owned by one LogSegment; mutated only under the partition's append lock; lookups
 * may run concurrently with appends (they see a prefix of the entries).
 */
import type { FileSystem } from '../io/file-system';
import { syncFileHandle } from './segment-io';

export const OFFSET_INDEX_ENTRY_BYTES = 8;

export interface OffsetPosition {
  offset: number;
  position: number;
}

export class OffsetIndex {
  private entries: Buffer;
  private count = 0;
  /** Entries [0, persistedCount) are in the file. */
  private persistedCount = 0;
  /** The file must be rewritten from scratch (it was truncated below persistedCount or rebuilt). */
  private rewrite = false;
  /** The file exists with `persistedCount` entries (a new segment's index is written at its first persist). */
  private fileWritten = false;

  constructor(
    readonly filePath: string,
    readonly baseOffset: number,
    readonly maxEntryCount: number,
  ) {
    this.entries = Buffer.allocUnsafe(OFFSET_INDEX_ENTRY_BYTES * 64);
  }

  get entryCount(): number {
    return this.count;
  }
  get isFull(): boolean {
    return this.count >= this.maxEntryCount;
  }

  /**
   * Loads entries from `bytes` (the file). Returns false — and loads nothing — when the bytes are
   * not a valid index for a log of `logSizeBytes`: torn length, non-increasing offsets or positions,
   * or a position at/after the end of the log. The caller then rebuilds from the log.
   */
  loadFrom(bytes: Buffer, logSizeBytes: number): boolean {
    if (bytes.length % OFFSET_INDEX_ENTRY_BYTES !== 0) return false;
    const n = bytes.length / OFFSET_INDEX_ENTRY_BYTES;
    let lastRelative = -1;
    let lastPosition = -1;
    for (let i = 0; i < n; i++) {
      const relative = bytes.readInt32BE(i * 8);
      const position = bytes.readInt32BE(i * 8 + 4);
      if (relative <= lastRelative || position <= lastPosition || position >= logSizeBytes) return false;
      if (i === 0 && relative < 0) return false;
      lastRelative = relative;
      lastPosition = position;
    }
    this.entries = Buffer.from(bytes);
    this.count = n;
    this.persistedCount = n;
    this.rewrite = false;
    this.fileWritten = true;
    return true;
  }

  /** Drops everything; the next persist rewrites the file. */
  reset(): void {
    this.count = 0;
    this.rewrite = true;
  }

  append(offset: number, position: number): void {
    const relative = offset - this.baseOffset;
    if (this.count > 0) {
      const last = this.entryAt(this.count - 1);
      if (offset <= last.offset || position <= last.position) {
        throw new RangeError(`index entry (${offset}, ${position}) after (${last.offset}, ${last.position})`);
      }
    }
    if (relative < 0 || relative > 0x7fff_ffff) throw new RangeError(`relative offset ${relative} out of range`);
    if (this.count * OFFSET_INDEX_ENTRY_BYTES >= this.entries.length) {
      const grown = Buffer.allocUnsafe(Math.max(OFFSET_INDEX_ENTRY_BYTES * 64, this.entries.length * 2));
      this.entries.copy(grown, 0, 0, this.count * OFFSET_INDEX_ENTRY_BYTES);
      this.entries = grown;
    }
    this.entries.writeInt32BE(relative, this.count * 8);
    this.entries.writeInt32BE(position, this.count * 8 + 4);
    this.count++;
  }

  entryAt(entryIndex: number): OffsetPosition {
    return {
      offset: this.baseOffset + this.entries.readInt32BE(entryIndex * 8),
      position: this.entries.readInt32BE(entryIndex * 8 + 4),
    };
  }

  lastEntry(): OffsetPosition | null {
    return this.count === 0 ? null : this.entryAt(this.count - 1);
  }

  /** The largest entry whose offset ≤ `offset`, or the segment start (baseOffset, position 0). */
  lookup(offset: number): OffsetPosition {
    const relative = offset - this.baseOffset;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries.readInt32BE(mid * 8) <= relative) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? { offset: this.baseOffset, position: 0 } : this.entryAt(found);
  }

  /** Removes entries whose offset ≥ `offset` (log truncation). */
  truncateToOffset(offset: number): void {
    const relative = offset - this.baseOffset;
    let keep = this.count;
    while (keep > 0 && this.entries.readInt32BE((keep - 1) * 8) >= relative) keep--;
    this.truncateToCount(keep);
  }

  /** Removes entries whose position ≥ `position`. */
  truncateToPosition(position: number): void {
    let keep = this.count;
    while (keep > 0 && this.entries.readInt32BE((keep - 1) * 8 + 4) >= position) keep--;
    this.truncateToCount(keep);
  }

  private truncateToCount(keep: number): void {
    if (keep < this.persistedCount) this.rewrite = true;
    this.count = keep;
  }

  get isDirty(): boolean {
    return this.rewrite || !this.fileWritten || this.persistedCount !== this.count;
  }

  /** Writes what changed since the last persist and fsyncs (FsyncFailedError on failure). */
  async persist(fs: FileSystem): Promise<void> {
    if (!this.isDirty) return;
    const from = this.rewrite || !this.fileWritten ? 0 : this.persistedCount;
    const handle = await fs.open(this.filePath, 'create');
    try {
      if (this.rewrite || !this.fileWritten) await handle.truncate(this.count * OFFSET_INDEX_ENTRY_BYTES);
      if (this.count > from) {
        await handle.write(this.entries.subarray(from * 8, this.count * 8), from * 8);
      }
      await syncFileHandle(handle);
    } finally {
      await handle.close();
    }
    this.persistedCount = this.count;
    this.rewrite = false;
    this.fileWritten = true;
  }
}
