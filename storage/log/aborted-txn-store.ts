/**
 * One log's aborted transactions (storage/FORMAT.md §13): every `.txnindex` entry of its segments,
 * kept in memory in marker order (aborts are rare next to records, so the list is short) and
 * written to the `.txnindex` of the segment holding each marker. Answers which aborted
 * transactions a read of [from, to) must skip (Kafka's collectAbortedTransactions).
 *
 * Concurrency: mutations (append, sync, rebuild, prune) run under the log lock; `collect` is a
 * synchronous read of the current list, safe at any time.
 */
import * as path from 'node:path';
import type { FileSystem } from '../io/file-system';
import { segmentFilePath, TXN_INDEX_SUFFIX } from '../segment/file-names';
import {
  type AbortedTxn,
  readTxnIndexFile,
  rewriteTxnIndexFile,
  syncTxnIndexFile,
  TXN_INDEX_ENTRY_BYTES,
  writeTxnIndexEntry,
} from '../segment/transaction-index';

/** A segment's offsets: [baseOffset, endOffset). */
export interface SegmentBounds {
  baseOffset: number;
  endOffset: number;
}

export class AbortedTxnStore {
  private entries: AbortedTxn[] = [];
  /** Segments whose .txnindex got entries since the last sync. */
  private readonly unsynced = new Set<number>();

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
  ) {}

  /** Reads every segment's .txnindex (a missing file: no aborts there); a damaged tail is rewritten away. */
  async load(segments: readonly SegmentBounds[], names: readonly string[] | null = null): Promise<void> {
    const entries: AbortedTxn[] = [];
    const listed = names ? new Set(names) : null;
    for (const { baseOffset, endOffset } of segments) {
      const file = this.pathOf(baseOffset);
      if (listed && !listed.has(path.basename(file))) continue; // the listing shows no .txnindex: no aborts there
      const stat = await this.fs.stat(file);
      if (!stat) continue;
      const valid = await readTxnIndexFile(this.fs, file, baseOffset, endOffset);
      if (valid.length * TXN_INDEX_ENTRY_BYTES !== stat.sizeBytes) await rewriteTxnIndexFile(this.fs, file, valid);
      entries.push(...valid);
    }
    this.entries = entries;
  }

  /**
   * After producer state was rebuilt from `from` (open, truncation): entries below `from` stay,
   * the ones the replay met replace everything at or above it, in the files as in memory.
   */
  async rebuildFrom(from: number, replayed: readonly AbortedTxn[], segments: readonly SegmentBounds[]): Promise<void> {
    const end = segments.length > 0 ? segments[segments.length - 1]!.endOffset : from;
    this.entries = [...this.entries.filter((e) => e.lastOffset < from && e.lastOffset < end), ...replayed].sort(
      (a, b) => a.lastOffset - b.lastOffset,
    );
    for (const { baseOffset, endOffset } of segments) {
      if (endOffset <= from && baseOffset < from) continue; // wholly below the replay: its file is as fsynced
      await rewriteTxnIndexFile(this.fs, this.pathOf(baseOffset), this.inRange(baseOffset, endOffset));
    }
    this.unsynced.clear();
  }

  /** An ABORT marker written into the segment at `segmentBase`: its entry goes to that segment's file (synced by `sync`). */
  async append(segmentBase: number, entry: AbortedTxn): Promise<void> {
    const index = this.inRange(segmentBase, Number.MAX_SAFE_INTEGER).length;
    await writeTxnIndexEntry(this.fs, this.pathOf(segmentBase), index, entry);
    this.entries.push(entry);
    this.unsynced.add(segmentBase);
  }

  /** fsyncs the files appended to since the last sync (with the segment's flush or seal). */
  async sync(): Promise<void> {
    for (const base of [...this.unsynced]) {
      await syncTxnIndexFile(this.fs, this.pathOf(base));
      this.unsynced.delete(base);
    }
  }

  /** Retention moved the log start: entries of deleted segments are forgotten (their files went with them). */
  pruneBelow(logStartOffset: number): void {
    this.entries = this.entries.filter((e) => e.lastOffset >= logStartOffset);
  }

  /**
   * The aborted transactions a read of [from, to) must skip: markers at or after `from`, begun
   * before `to`. A binary search finds the first marker at or after `from`; the scan stops at the
   * first entry whose lastStableOffset reaches `to` (Kafka's rule: every transaction open at that
   * marker began at or after `to`, and later ones begin after it).
   */
  collect(from: number, to: number): AbortedTxn[] {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.lastOffset < from) lo = mid + 1;
      else hi = mid;
    }
    const result: AbortedTxn[] = [];
    for (let i = lo; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.firstOffset < to) result.push(entry);
      if (entry.lastStableOffset >= to) break;
    }
    return result;
  }

  clear(): void {
    this.entries = [];
    this.unsynced.clear();
  }

  private inRange(baseOffset: number, endOffset: number): AbortedTxn[] {
    return this.entries.filter((e) => e.lastOffset >= baseOffset && e.lastOffset < endOffset);
  }

  private pathOf(baseOffset: number): string {
    return segmentFilePath(this.dir, baseOffset, TXN_INDEX_SUFFIX);
  }
}
