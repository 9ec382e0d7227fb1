/**
 * Compactor: key compaction of one log (Kafka's LogCleaner, one pass, inline). Keeps the latest
 * record per key, drops tombstones (null value) whose timestamp is older than
 * delete.retention.ms, preserves offsets (kept records keep their offset; batches keep their
 * baseOffset and lastOffsetDelta, so gaps are fine), and never touches the active segment or
 * segments newer than min.compaction.lag.ms. Control batches (transaction markers) are kept as is;
 * a batch whose records all survive is copied byte for byte; a batch with none left is dropped.
 *
 * Steps per group of consecutive sealed segments (total ≤ segment.bytes), each a named state the
 * loader knows (file-names.ts):
 *  1. write `<B>.log.cleaned` + `.index.cleaned` + `.timeindex.cleaned` (+ `.txnindex.cleaned`), fsync (crash: deleted)
 *  2. rename them `.cleaned` → `.swap` (the `.log` last), fsync dir                 (crash: swap completed)
 *  3. under the log lock: old segments' files → `.deleted`, `.swap` → live (`.log` last), fsync dir,
 *     swap the in-memory segments                                                  (crash: swap completed)
 *  4. unlink the `.deleted` files                                                  (crash: loader unlinks)
 *
 * Concurrency: the owner runs one pass at a time and never alongside retention. Steps 1–2 run
 * without the log lock (appends and reads continue; only sealed segments are read); step 3 takes
 * it and re-checks the group is still in the log (a truncation may have removed it meanwhile —
 * then the output is discarded, as it is when the truncation hits while the group is read).
 */
import { CorruptLogError } from '../errors';
import { decodeRecordBatch, encodeRecordBatch } from '../format/record-batch';
import type { BatchRecord, Compression } from '../format/record-batch';
import type { FileSystem } from '../io/file-system';
import { syncDir } from '../io/durable-file';
import type { LogConfig } from '../log/log-config';
import type { SegmentMap } from '../log/segment-map';
import { BatchScanner, readInt64, ScannedBatch } from '../segment/batch-scanner';
import { CLEANED_SUFFIX, DELETED_SUFFIX, segmentFilePath, SWAP_SUFFIX, TXN_INDEX_SUFFIX } from '../segment/file-names';
import { type AbortedTxn, readTxnIndexFile, rewriteTxnIndexFile } from '../segment/transaction-index';
import { BatchToAppend, LogSegment } from '../segment/log-segment';
import { renameSegmentFiles, unlinkSegmentFiles } from '../segment/segment-files';
import { ATTRIBUTES_POSITION, CONTROL_ATTRIBUTE, PRODUCER_ID_POSITION, TRANSACTIONAL_ATTRIBUTE } from '../format/record-batch-header';
import { KeyOffsetMap } from './key-offset-map';

export interface CompactionContext {
  fs: FileSystem;
  dir: string;
  config: LogConfig;
  nowMs: number;
  monotonicMs: () => number;
  segments: SegmentMap;
  withLock: <T>(critical: () => Promise<T>) => Promise<T>;
  keyMapMaxEntries?: number;
  /** Cleaning stops at the first segment reaching it (an open transaction may still abort; Kafka's rule). */
  firstUnstableOffset?: number | null;
  /** The aborted transactions over [from, to): their batches are removed, never put in the key map (FORMAT.md §13). */
  abortedTransactions?: (from: number, to: number) => AbortedTxn[];
}

const WRITE_BUFFER_BYTES = 4_194_304; // 4 MiB of output per writev
const INT32_MAX = 0x7fff_ffff;

export async function compactLog(context: CompactionContext): Promise<{ cleanedBytes: number }> {
  const all = context.segments.toArray();
  const sealed = all.slice(0, -1);
  const cleanable: LogSegment[] = [];
  const unstable = context.firstUnstableOffset ?? Number.MAX_SAFE_INTEGER;
  for (const segment of sealed) {
    if (all[all.indexOf(segment) + 1]!.baseOffset > unstable) break;
    if ((await segment.largestTimestampMs()) > context.nowMs - context.config.minCompactionLagMs) break;
    cleanable.push(segment);
  }
  if (cleanable.length === 0) return { cleanedBytes: 0 };
  const isAborted = abortedBatchTest(context, cleanable[0]!.baseOffset, all[cleanable.length]!.baseOffset);

  const keyMap = new KeyOffsetMap(context.keyMapMaxEntries);
  let covered = 0;
  try {
    for (const segment of cleanable) {
      if (keyMap.isFull) break;
      await forEachBatch(segment, (batch) => {
        if (isControl(batch.bytes) || isAborted(batch)) return;
        for (const record of decodeRecordBatch(batch.bytes, 0).records) if (record.key !== null) keyMap.put(record.key, record.offset);
      });
      covered++;
    }
  } catch (error) {
    if (cleanable.some((s) => s.isDeleted)) return { cleanedBytes: 0 }; // truncated away meanwhile: next pass
    throw error;
  }

  let cleanedBytes = 0;
  for (const group of groupSegments(cleanable.slice(0, covered), all, context.config.segmentBytes)) {
    try {
      cleanedBytes += await cleanGroup(context, group, keyMap, isAborted);
    } catch (error) {
      if (!group.some((s) => s.isDeleted)) throw error;
      // A truncation removed part of the group while it was being cleaned: drop the output.
      await unlinkSegmentFiles(context.fs, context.dir, group[0]!.baseOffset, CLEANED_SUFFIX);
      await unlinkSegmentFiles(context.fs, context.dir, group[0]!.baseOffset, SWAP_SUFFIX);
      break;
    }
  }
  return { cleanedBytes };
}

/** True for a transactional data batch of an aborted transaction: its producer's entry spans its offset. */
function abortedBatchTest(context: CompactionContext, from: number, to: number): (batch: ScannedBatch) => boolean {
  const aborted = context.abortedTransactions?.(from, to) ?? [];
  if (aborted.length === 0) return () => false;
  return (batch) => {
    const attributes = batch.bytes.readInt16BE(ATTRIBUTES_POSITION);
    if ((attributes & TRANSACTIONAL_ATTRIBUTE) === 0 || (attributes & CONTROL_ATTRIBUTE) !== 0) return false;
    const producerId = readInt64(batch.bytes, PRODUCER_ID_POSITION);
    return aborted.some((t) => t.producerId === producerId && t.firstOffset <= batch.baseOffset && batch.baseOffset < t.lastOffset);
  };
}

function isControl(batch: Buffer): boolean {
  return (batch.readInt16BE(21) & 0x20) !== 0;
}

async function forEachBatch(segment: LogSegment, visit: (batch: ScannedBatch) => void): Promise<void> {
  await segment.withHandle(async (handle) => {
    const scanner = new BatchScanner(handle, 0, segment.sizeBytes, { verifyCrc: true });
    for await (const batch of scanner.batches()) visit(batch);
    const stop = scanner.stop!;
    if (stop.kind === 'invalid') {
      throw new CorruptLogError(`corrupt batch in ${segment.logPath} at byte ${stop.position}: ${stop.reason}`, {
        path: segment.logPath,
        position: stop.position,
      });
    }
  });
}

/** Consecutive segments whose total size fits one segment and whose offsets fit relative int32s. */
function groupSegments(segments: LogSegment[], all: readonly LogSegment[], segmentBytes: number): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let current: LogSegment[] = [];
  let currentBytes = 0;
  for (const segment of segments) {
    const endOffset = all[all.indexOf(segment) + 1]!.baseOffset;
    const fits = current.length > 0 && currentBytes + segment.sizeBytes <= segmentBytes && endOffset - current[0]!.baseOffset <= INT32_MAX;
    if (current.length > 0 && !fits) {
      groups.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(segment);
    currentBytes += segment.sizeBytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * `<B>.txnindex.cleaned`: every aborted-transaction entry of the merged segments (FORMAT.md §13),
 * so their aborted ranges stay aborted in the output (their markers are kept: control batches are).
 */
async function writeMergedTxnIndex(context: CompactionContext, group: LogSegment[]): Promise<void> {
  const entries = [];
  for (const segment of group) {
    entries.push(
      ...(await readTxnIndexFile(
        context.fs,
        segmentFilePath(context.dir, segment.baseOffset, TXN_INDEX_SUFFIX),
        segment.baseOffset,
        Number.MAX_SAFE_INTEGER,
      )),
    );
  }
  if (entries.length > 0)
    await rewriteTxnIndexFile(context.fs, segmentFilePath(context.dir, group[0]!.baseOffset, TXN_INDEX_SUFFIX, CLEANED_SUFFIX), entries);
}

/** The batch with only the records compaction keeps: the same bytes, re-encoded bytes, or null. */
function retain(batch: ScannedBatch, keyMap: KeyOffsetMap, tombstoneCutoffMs: number): Buffer | null {
  if (isControl(batch.bytes)) return batch.bytes;
  const { header, records } = decodeRecordBatch(batch.bytes, 0);
  const kept: BatchRecord[] = records.filter(
    (r) => r.key !== null && keyMap.get(r.key) <= r.offset && (r.value !== null || r.timestampMs >= tombstoneCutoffMs),
  );
  if (kept.length === records.length) return batch.bytes;
  if (kept.length === 0) return null;
  return encodeRecordBatch(
    kept.map((r) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestampMs: r.timestampMs,
      offsetDelta: r.offset - header.baseOffset,
    })),
    {
      baseOffset: header.baseOffset,
      partitionLeaderEpoch: header.partitionLeaderEpoch,
      compression: header.compression as Compression,
      timestampType: header.timestampType,
      logAppendTimeMs: header.timestampType === 'LOG_APPEND_TIME' ? header.maxTimestampMs : undefined,
      producerId: header.producerId,
      producerEpoch: header.producerEpoch,
      baseSequence: header.baseSequence,
      isTransactional: header.isTransactional,
      lastOffsetDelta: header.lastOffsetDelta,
    },
  );
}

async function cleanGroup(
  context: CompactionContext,
  group: LogSegment[],
  keyMap: KeyOffsetMap,
  isAborted: (batch: ScannedBatch) => boolean,
): Promise<number> {
  const { fs, dir } = context;
  const baseOffset = group[0]!.baseOffset;
  const oldBytes = group.reduce((sum, s) => sum + s.sizeBytes, 0);
  const tombstoneCutoffMs = context.nowMs - context.config.deleteRetentionMs;
  // Step 1: write .cleaned files.
  const cleaned = await LogSegment.create(fs, dir, baseOffset, () => context.config, context.monotonicMs, CLEANED_SUFFIX);
  try {
    let pending: BatchToAppend[] = [];
    let pendingBytes = 0;
    for (const segment of group) {
      const kept: Buffer[] = [];
      await forEachBatch(segment, (batch) => {
        const bytes = isAborted(batch) ? null : retain(batch, keyMap, tombstoneCutoffMs);
        if (bytes) kept.push(bytes);
      });
      for (const bytes of kept) {
        const base = Number(bytes.readBigInt64BE(0));
        pending.push({
          bytes,
          baseOffset: base,
          lastOffset: base + bytes.readInt32BE(23),
          maxTimestampMs: Number(bytes.readBigInt64BE(35)),
        });
        pendingBytes += bytes.length;
        if (pendingBytes >= WRITE_BUFFER_BYTES) {
          await cleaned.append(pending, context.nowMs);
          pending = [];
          pendingBytes = 0;
        }
      }
    }
    if (pending.length > 0) await cleaned.append(pending, context.nowMs);
    await cleaned.seal();
    await writeMergedTxnIndex(context, group);
  } finally {
    await cleaned.closeHandle();
  }
  const newBytes = cleaned.sizeBytes;
  // Step 2: .cleaned → .swap (the .log last commits the output).
  await renameSegmentFiles(fs, dir, baseOffset, CLEANED_SUFFIX, SWAP_SUFFIX);
  await syncDir(fs, dir);
  // Step 3: swap in under the log lock.
  const swapped = await context.withLock(async () => {
    const current = context.segments.toArray();
    if (group.some((s) => !current.includes(s)) || group[group.length - 1] === context.segments.active) return false;
    for (const segment of group) {
      await segment.markDeleted(); // first: a reader that fails on the renamed file then knows to retry
      await renameSegmentFiles(fs, dir, segment.baseOffset, '', DELETED_SUFFIX);
    }
    await renameSegmentFiles(fs, dir, baseOffset, SWAP_SUFFIX, '');
    await syncDir(fs, dir);
    const replacement = new LogSegment(fs, dir, baseOffset, newBytes, () => context.config, context.monotonicMs);
    context.segments.replace(group, replacement);
    return true;
  });
  if (!swapped) {
    await unlinkSegmentFiles(fs, dir, baseOffset, SWAP_SUFFIX);
    return 0;
  }
  // Step 4: remove the old files.
  for (const segment of group) await unlinkSegmentFiles(fs, dir, segment.baseOffset, DELETED_SUFFIX);
  return oldBytes - newBytes;
}
