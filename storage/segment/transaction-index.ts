/**
 * The aborted-transaction index `<baseOffset>.txnindex` (storage/FORMAT.md §13, Kafka's
 * TransactionIndex): fixed 34-byte entries (version, producerId, firstOffset, lastOffset,
 * lastStableOffset), one per ABORT marker in the segment, in marker order. Encode, decode (the
 * valid prefix), append one entry, rewrite durably, sync.
 *
 * Stateless; callers serialize the writes to one file (the log lock).
 */
import { readSafeInt64, writeSafeInt64 } from '../format/int64';
import { writeFileDurably } from '../io/durable-file';
import type { FileSystem } from '../io/file-system';
import { syncFileHandle, readFileIfExists } from './segment-io';
import { unlinkIfExists } from './segment-files';

export const TXN_INDEX_ENTRY_BYTES = 34;
const VERSION = 0;

/** One aborted transaction of one producer in this partition. */
export interface AbortedTxn {
  producerId: number;
  /** Its first transactional batch here. */
  firstOffset: number;
  /** The offset of its ABORT marker. */
  lastOffset: number;
  /** The last stable offset right after the marker. */
  lastStableOffset: number;
}

export function encodeTxnIndexEntry(entry: AbortedTxn): Buffer {
  const buf = Buffer.alloc(TXN_INDEX_ENTRY_BYTES);
  buf.writeInt16BE(VERSION, 0);
  writeSafeInt64(buf, entry.producerId, 2, 'producerId');
  writeSafeInt64(buf, entry.firstOffset, 10, 'firstOffset');
  writeSafeInt64(buf, entry.lastOffset, 18, 'lastOffset');
  writeSafeInt64(buf, entry.lastStableOffset, 26, 'lastStableOffset');
  return buf;
}

export function encodeTxnIndex(entries: readonly AbortedTxn[]): Buffer {
  return Buffer.concat(entries.map(encodeTxnIndexEntry));
}

/**
 * The valid prefix of a .txnindex of the segment [baseOffset, endOffset): it ends at a partial
 * entry, a version other than 0, firstOffset > lastOffset, a lastOffset outside the segment or
 * not after the previous entry's (FORMAT.md §13).
 */
export function decodeTxnIndex(buf: Buffer, baseOffset: number, endOffset: number): AbortedTxn[] {
  const entries: AbortedTxn[] = [];
  for (let at = 0; at + TXN_INDEX_ENTRY_BYTES <= buf.length; at += TXN_INDEX_ENTRY_BYTES) {
    let entry: AbortedTxn;
    try {
      if (buf.readInt16BE(at) !== VERSION) break;
      entry = {
        producerId: readSafeInt64(buf, at + 2, 'producerId'),
        firstOffset: readSafeInt64(buf, at + 10, 'firstOffset'),
        lastOffset: readSafeInt64(buf, at + 18, 'lastOffset'),
        lastStableOffset: readSafeInt64(buf, at + 26, 'lastStableOffset'),
      };
    } catch {
      break; // an int64 beyond 2^53: not an entry we wrote
    }
    const previous = entries[entries.length - 1];
    if (entry.producerId < 0 || entry.firstOffset < 0 || entry.firstOffset > entry.lastOffset) break;
    if (entry.lastOffset < baseOffset || entry.lastOffset >= endOffset || (previous && entry.lastOffset <= previous.lastOffset)) break;
    entries.push(entry);
  }
  return entries;
}

export async function readTxnIndexFile(fs: FileSystem, filePath: string, baseOffset: number, endOffset: number): Promise<AbortedTxn[]> {
  const bytes = await readFileIfExists(fs, filePath);
  return bytes ? decodeTxnIndex(bytes, baseOffset, endOffset) : [];
}

/** Writes the entry at its place (entry number `index`), not synced: the log's next flush or seal syncs it. */
export async function writeTxnIndexEntry(fs: FileSystem, filePath: string, index: number, entry: AbortedTxn): Promise<void> {
  const handle = await fs.open(filePath, 'create');
  try {
    await handle.write(encodeTxnIndexEntry(entry), index * TXN_INDEX_ENTRY_BYTES);
  } finally {
    await handle.close();
  }
}

export async function syncTxnIndexFile(fs: FileSystem, filePath: string): Promise<void> {
  const handle = await fs.open(filePath, 'readWrite');
  try {
    await syncFileHandle(handle);
  } finally {
    await handle.close();
  }
}

/** Replaces the file with exactly `entries` (durably); no entries: no file. */
export async function rewriteTxnIndexFile(fs: FileSystem, filePath: string, entries: readonly AbortedTxn[]): Promise<void> {
  if (entries.length === 0) await unlinkIfExists(fs, filePath);
  else await writeFileDurably(fs, filePath, encodeTxnIndex(entries));
}
