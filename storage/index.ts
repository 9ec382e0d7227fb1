/**
 * The log engine's only import surface. Everything outside storage/ imports from here.
 */
export * from './errors';
export * from './format';
export { parseConfigInteger } from './config-integer';
// Log engine (storage/io, segment, log, retention)
export { ManualClock, ManualScheduler, SystemClock, SystemScheduler } from './io/clock';
export type { Clock, ScheduledTask, Scheduler } from './io/clock';
export { NodeFileSystem } from './io/file-system';
export { AsyncLock } from './log/async-lock';
export type { FileHandle, FileStat, FileSystem, OpenMode, VolumeSpace } from './io/file-system';
export { FsyncFailedError, isFsyncFailedError } from './io/fsync-failed-error';
export { DEFAULT_LOG_CONFIG, LOG_CONFIG_KEYS, parseLogConfig } from './log/log-config';
export type { CleanupPolicy, LogConfig, MessageTimestampType } from './log/log-config';
export { PartitionLog } from './log/partition-log';
export type { AppendOptions, AppendResult, FetchedBatch, ReadOptions } from './log/partition-log';
export { LogManager } from './log/log-manager';
export type { FoundLog, LogIdentity, LogManagerOptions } from './log/log-manager';
export type { PartitionMetadata } from './log/partition-metadata';
export { DEFAULT_MIN_FREE_BYTES, DEFAULT_MIN_FREE_PERCENT } from './log/free-space-guard';
export type { FreeSpaceGuardOptions, FreeSpaceState } from './log/free-space-guard';
export type { EpochEntry, LeaderEpochCache } from './log/leader-epoch-cache';
export { decodeTxnIndex, encodeTxnIndex, TXN_INDEX_ENTRY_BYTES } from './segment/transaction-index';
export type { AbortedTxn } from './segment/transaction-index';
export { onStorageWarning } from './storage-warnings';
export type { StorageWarning } from './storage-warnings';
