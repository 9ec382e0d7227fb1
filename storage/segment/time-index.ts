/**
 * TimeIndex: the sparse `<base>.timeindex` of one segment. Format (storage/FORMAT.md "Time index"):
 * a plain array of 12-byte entries, no header, big-endian like Kafka:
 *   Entry => timestampMs:int64 relativeOffset:int32
 * Meaning of an entry (T, O): every record of this segment whose offset is < O has a timestamp
 * ≤ T. T never decreases and O strictly increases from entry to entry. With CreateTime the
 * timestamps in a log need not be ordered, so "the first offset with timestamp ≥ t" starts its scan
 * at O of the last entry with T < t: nothing before O can match. An entry is added together with
 * each offset-index entry (every index.interval.bytes, 4 KiB) carrying the max timestamp of the
 * batches before that batch, and one final entry (segment max timestamp, nextOffset) is appended
 * when the segment is sealed or closed — so a sealed segment's max timestamp is the last entry.
 *
 * Durability and concurrency: as OffsetIndex (persisted on roll/close, rebuilt after an unclean
 * shutdown, mutated only under the append lock).
 */
import type { FileSystem } from '../io/file-system';
import { syncFileHandle } from './segment-io';

export const TIME_INDEX_ENTRY_BYTES = 12;

export interface TimestampOffset {
  timestampMs: number;
  offset: number;
}

export class TimeIndex {
  private timestamps: number[] = [];
  private relativeOffsets: number[] = [];
  private persistedCount = 0;
  private rewrite = false;
  /** The file exists with `persistedCount` entries (a new segment's index is written at its first persist). */
  private fileWritten = false;

  constructor(
    readonly filePath: string,
    readonly baseOffset: number,
  ) {}

  get entryCount(): number {
    return this.timestamps.length;
  }

  /** false (and nothing loaded) when the bytes are torn or not monotonic: the caller rebuilds. */
  loadFrom(bytes: Buffer): boolean {
    if (bytes.length % TIME_INDEX_ENTRY_BYTES !== 0) return false;
    const timestamps: number[] = [];
    const relativeOffsets: number[] = [];
    for (let at = 0; at < bytes.length; at += TIME_INDEX_ENTRY_BYTES) {
      const timestampMs = Number(bytes.readBigInt64BE(at));
      const relative = bytes.readInt32BE(at + 8);
      const n = timestamps.length;
      if (!Number.isSafeInteger(timestampMs) || relative < 0) return false;
      if (n > 0 && (timestampMs < timestamps[n - 1]! || relative <= relativeOffsets[n - 1]!)) return false;
      timestamps.push(timestampMs);
      relativeOffsets.push(relative);
    }
    this.timestamps = timestamps;
    this.relativeOffsets = relativeOffsets;
    this.persistedCount = timestamps.length;
    this.rewrite = false;
    this.fileWritten = true;
    return true;
  }

  reset(): void {
    this.timestamps = [];
    this.relativeOffsets = [];
    this.rewrite = true;
  }

  /** Adds (T, O) if it says something new: O beyond the last entry and T not below it. */
  maybeAppend(timestampMs: number, offset: number): void {
    const relative = offset - this.baseOffset;
    if (relative < 0 || relative > 0x7fff_ffff) throw new RangeError(`relative offset ${relative} out of range`);
    const n = this.timestamps.length;
    if (n > 0) {
      if (relative <= this.relativeOffsets[n - 1]!) return;
      if (timestampMs < this.timestamps[n - 1]!) timestampMs = this.timestamps[n - 1]!;
    }
    this.timestamps.push(timestampMs);
    this.relativeOffsets.push(relative);
  }

  lastEntry(): TimestampOffset | null {
    const n = this.timestamps.length;
    return n === 0 ? null : { timestampMs: this.timestamps[n - 1]!, offset: this.baseOffset + this.relativeOffsets[n - 1]! };
  }

  /** The offset to start scanning at for the first record with timestamp ≥ `timestampMs`. */
  lookupStartOffset(timestampMs: number): number {
    let lo = 0;
    let hi = this.timestamps.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timestamps[mid]! < timestampMs) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? this.baseOffset : this.baseOffset + this.relativeOffsets[found]!;
  }

  /** Removes entries whose offset > `offset` (an entry at exactly `offset` still holds). */
  truncateToOffset(offset: number): void {
    const relative = offset - this.baseOffset;
    let keep = this.timestamps.length;
    while (keep > 0 && this.relativeOffsets[keep - 1]! > relative) keep--;
    if (keep < this.persistedCount) this.rewrite = true;
    this.timestamps.length = keep;
    this.relativeOffsets.length = keep;
  }

  get isDirty(): boolean {
    return this.rewrite || !this.fileWritten || this.persistedCount !== this.timestamps.length;
  }

  toBytes(fromEntry = 0): Buffer {
    const n = this.timestamps.length;
    const bytes = Buffer.allocUnsafe((n - fromEntry) * TIME_INDEX_ENTRY_BYTES);
    for (let i = fromEntry; i < n; i++) {
      const at = (i - fromEntry) * TIME_INDEX_ENTRY_BYTES;
      bytes.writeBigInt64BE(BigInt(this.timestamps[i]!), at);
      bytes.writeInt32BE(this.relativeOffsets[i]!, at + 8);
    }
    return bytes;
  }

  async persist(fs: FileSystem): Promise<void> {
    if (!this.isDirty) return;
    const from = this.rewrite || !this.fileWritten ? 0 : this.persistedCount;
    const n = this.timestamps.length;
    const handle = await fs.open(this.filePath, 'create');
    try {
      if (this.rewrite || !this.fileWritten) await handle.truncate(n * TIME_INDEX_ENTRY_BYTES);
      if (n > from) await handle.write(this.toBytes(from), from * TIME_INDEX_ENTRY_BYTES);
      await syncFileHandle(handle);
    } finally {
      await handle.close();
    }
    this.persistedCount = n;
    this.rewrite = false;
    this.fileWritten = true;
  }
}
