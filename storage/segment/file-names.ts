/**
 * File names inside a partition directory `<topic>-<partition>/` (Kafka's LogFileUtils).
 * A segment is named by its base offset, zero-padded to 20 digits so `ls` order is offset order:
 * `00000000000000000000.log`, `.index`, `.timeindex`. Multi-step file changes go through named
 * states (docs/HOUSE-STYLE.md §3.8 habit 5); log-loader.ts knows what to do with each suffix.
 *
 * Pure functions; no I/O.
 */
import * as path from 'node:path';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
/** Aborted transactions whose ABORT marker is in the segment (FORMAT.md §13); only when there are some. */
export const TXN_INDEX_SUFFIX = '.txnindex';
/** Compaction output still being written: deleted on recovery (the swap never started). */
export const CLEANED_SUFFIX = '.cleaned';
/** Compaction output complete and fsynced, ready to replace the old segments: recovery finishes the swap. */
export const SWAP_SUFFIX = '.swap';
/** A file scheduled for removal (retention, compaction, truncation): recovery removes it. */
export const DELETED_SUFFIX = '.deleted';
/** Per-partition leader-epoch checkpoint (Kafka's name). */
export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
/** Per-data-dir checkpoints (Kafka's names): "topic partition offset" lines. */
export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const HIGH_WATERMARK_CHECKPOINT_FILE = 'replication-offset-checkpoint';
/** Written by LogManager.close() after every flush succeeded; removed at open before loading anything. */
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
/** A partition directory renamed for deletion ends with this (the delete marker); LogManager.open queues it for background removal. */
export const DIR_DELETE_SUFFIX = '-delete';

export const SEGMENT_FILE_SUFFIXES = [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX] as const;
export type SegmentFileSuffix = (typeof SEGMENT_FILE_SUFFIXES)[number];

const OFFSET_DIGITS = 20;

export function offsetToFileStem(baseOffset: number): string {
  if (!Number.isSafeInteger(baseOffset) || baseOffset < 0) throw new RangeError(`bad base offset ${baseOffset}`);
  return String(baseOffset).padStart(OFFSET_DIGITS, '0');
}

export function segmentFilePath(dir: string, baseOffset: number, suffix: SegmentFileSuffix, stateSuffix = ''): string {
  return path.join(dir, offsetToFileStem(baseOffset) + suffix + stateSuffix);
}

export interface ParsedSegmentFileName {
  baseOffset: number;
  kind: SegmentFileSuffix;
  /** '' for a live file, else CLEANED_SUFFIX / SWAP_SUFFIX / DELETED_SUFFIX. */
  state: '' | typeof CLEANED_SUFFIX | typeof SWAP_SUFFIX | typeof DELETED_SUFFIX;
}

const SEGMENT_NAME = /^(\d{20})(\.log|\.index|\.timeindex|\.txnindex)(\.cleaned|\.swap|\.deleted)?$/;

/** null for anything that is not a segment file (checkpoints, tmp files, strangers). */
export function parseSegmentFileName(fileName: string): ParsedSegmentFileName | null {
  const match = SEGMENT_NAME.exec(fileName);
  if (!match) return null;
  const baseOffset = Number(match[1]);
  if (!Number.isSafeInteger(baseOffset)) return null;
  return {
    baseOffset,
    kind: match[2] as SegmentFileSuffix,
    state: (match[3] ?? '') as ParsedSegmentFileName['state'],
  };
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** `orders-3` → { topic: 'orders', partition: 3 }; null for anything else (including `-delete` dirs). */
export function parsePartitionDirName(dirName: string): { topic: string; partition: number } | null {
  const dash = dirName.lastIndexOf('-');
  if (dash <= 0) return null;
  const digits = dirName.slice(dash + 1);
  if (!/^\d{1,9}$/.test(digits)) return null;
  return { topic: dirName.slice(0, dash), partition: Number(digits) };
}
