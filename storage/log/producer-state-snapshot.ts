/**
 * The producer-state snapshot file `<offset>.snapshot` (storage/FORMAT.md §12, Kafka's
 * ProducerStateManager snapshots): encode (version 2: with each producer's open transaction,
 * FORMAT.md §13), decode (null for anything not a whole, CRC-valid version-1 or -2 file), list,
 * write durably, and prune.
 *
 * Concurrency: callers serialize writers per partition (the log lock).
 */
import * as path from 'node:path';
import { crc32c } from '../format/crc32c';
import { readSafeInt64, writeSafeInt64 } from '../format/int64';
import { writeFileDurably } from '../io/durable-file';
import type { FileSystem } from '../io/file-system';
import { offsetToFileStem } from '../segment/file-names';
import { unlinkIfExists } from '../segment/segment-files';
import { PRODUCER_BATCHES_RETAINED, type ProducerStateEntry } from './producer-state-manager';

export const SNAPSHOT_SUFFIX = '.snapshot';
const MAGIC = 0x4c575053; // "LWPS"
const VERSION = 2;
/** Still read: written before transactions, so no producer has one open. */
const VERSION_WITHOUT_TXN = 1;
const HEADER_BYTES = 4 + 2 + 4 + 8 + 4;
const CRC_END = 10; // magic, version, crc
const PRODUCER_BYTES_V1 = 8 + 2 + 8 + 1;
const PRODUCER_BYTES = PRODUCER_BYTES_V1 + 8;
const BATCH_BYTES = 4 + 8 + 8 + 8;
/** Snapshots kept per partition: the newest, and one older in case the newest is damaged. */
export const SNAPSHOTS_KEPT = 2;

export function snapshotPath(dir: string, offset: number): string {
  return path.join(dir, offsetToFileStem(offset) + SNAPSHOT_SUFFIX);
}

export function encodeSnapshot(offset: number, entries: ProducerStateEntry[]): Buffer {
  const size =
    HEADER_BYTES +
    entries.reduce((sum, e) => sum + PRODUCER_BYTES + Math.min(e.batches.length, PRODUCER_BATCHES_RETAINED) * BATCH_BYTES, 0);
  const buf = Buffer.alloc(size);
  buf.writeInt32BE(MAGIC, 0);
  buf.writeInt16BE(VERSION, 4);
  writeSafeInt64(buf, offset, CRC_END, 'offset');
  buf.writeInt32BE(entries.length, CRC_END + 8);
  let at = HEADER_BYTES;
  for (const entry of entries) {
    const batches = entry.batches.slice(-PRODUCER_BATCHES_RETAINED);
    writeSafeInt64(buf, entry.producerId, at, 'producerId');
    buf.writeInt16BE(entry.epoch, at + 8);
    writeSafeInt64(buf, Math.max(0, entry.lastTimestampMs), at + 10, 'lastTimestamp');
    buf.writeInt8(batches.length, at + 18);
    writeSafeInt64(buf, entry.currentTxnFirstOffset ?? -1, at + 19, 'txnFirstOffset');
    at += PRODUCER_BYTES;
    for (const batch of batches) {
      buf.writeInt32BE(batch.sequence, at);
      writeSafeInt64(buf, batch.firstOffset, at + 4, 'firstOffset');
      writeSafeInt64(buf, batch.lastOffset, at + 12, 'lastOffset');
      writeSafeInt64(buf, Math.max(0, batch.maxTimestampMs), at + 20, 'maxTimestamp');
      at += BATCH_BYTES;
    }
  }
  buf.writeUInt32BE(crc32c(buf.subarray(CRC_END)), 6);
  return buf;
}

/** The snapshot's offset and entries, or null when the bytes are not a whole, valid snapshot. */
export function decodeSnapshot(buf: Buffer): { offset: number; entries: ProducerStateEntry[] } | null {
  try {
    const version = buf.length >= HEADER_BYTES ? buf.readInt16BE(4) : -1;
    if (buf.readInt32BE(0) !== MAGIC || (version !== VERSION && version !== VERSION_WITHOUT_TXN)) return null;
    if (crc32c(buf.subarray(CRC_END)) !== buf.readUInt32BE(6)) return null;
    const offset = readSafeInt64(buf, CRC_END, 'offset');
    const count = buf.readInt32BE(CRC_END + 8);
    const entries: ProducerStateEntry[] = [];
    let at = HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      const batchCount = buf.readInt8(at + 18);
      const txnFirstOffset = version === VERSION ? readSafeInt64(buf, at + 19, 'txnFirstOffset') : -1;
      if (txnFirstOffset < -1 || batchCount < (txnFirstOffset >= 0 ? 0 : 1) || batchCount > PRODUCER_BATCHES_RETAINED) return null;
      const entry: ProducerStateEntry = {
        producerId: readSafeInt64(buf, at, 'producerId'),
        epoch: buf.readInt16BE(at + 8),
        lastTimestampMs: readSafeInt64(buf, at + 10, 'lastTimestamp'),
        batches: [],
        currentTxnFirstOffset: txnFirstOffset >= 0 ? txnFirstOffset : null,
      };
      at += version === VERSION ? PRODUCER_BYTES : PRODUCER_BYTES_V1;
      for (let b = 0; b < batchCount; b++) {
        entry.batches.push({
          sequence: buf.readInt32BE(at),
          firstOffset: readSafeInt64(buf, at + 4, 'firstOffset'),
          lastOffset: readSafeInt64(buf, at + 12, 'lastOffset'),
          maxTimestampMs: readSafeInt64(buf, at + 20, 'maxTimestamp'),
        });
        at += BATCH_BYTES;
      }
      entries.push(entry);
    }
    return at === buf.length ? { offset, entries } : null;
  } catch {
    return null; // a length that runs past the end, an int64 beyond 2^53: not a snapshot we wrote
  }
}

/** Offsets of the `<offset>.snapshot` files in `dir`, newest first; `names`: a listing of `dir` the caller just made (saves a readdir). */
export async function listSnapshotOffsets(fs: FileSystem, dir: string, names?: readonly string[]): Promise<number[]> {
  const offsets: number[] = [];
  for (const name of names ?? (await fs.readdir(dir))) {
    const match = /^(\d{20})\.snapshot$/.exec(name);
    if (match) offsets.push(Number(match[1]));
  }
  return offsets.sort((a, b) => b - a);
}

/** Writes `<offset>.snapshot` durably, then removes all but the SNAPSHOTS_KEPT newest. */
export async function writeSnapshot(fs: FileSystem, dir: string, offset: number, entries: ProducerStateEntry[]): Promise<void> {
  await writeFileDurably(fs, snapshotPath(dir, offset), encodeSnapshot(offset, entries));
  const offsets = await listSnapshotOffsets(fs, dir);
  for (const old of offsets.slice(SNAPSHOTS_KEPT)) await unlinkIfExists(fs, snapshotPath(dir, old));
}

/** Removes the snapshots above `offset` (truncation: they describe batches no longer in the log). */
export async function deleteSnapshotsAbove(fs: FileSystem, dir: string, offset: number): Promise<void> {
  for (const old of await listSnapshotOffsets(fs, dir)) if (old > offset) await unlinkIfExists(fs, snapshotPath(dir, old));
}
