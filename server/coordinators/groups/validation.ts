/**
 * Input checks with clear codes (RELIABILITY rows 51–53). Each throws a CodedError and changes
 * nothing; callers validate a whole request before applying any of it.
 */
import { OffsetOutOfRangeError } from '../../../storage/index';
import {
  BadUserInputError,
  InvalidCommitOffsetSizeError,
  InvalidGroupIdError,
  InvalidSessionTimeoutError,
  LimitExceededError,
  UnknownTopicOrPartitionError,
} from '../../errors';
import type { GroupCoordinatorConfig } from './group-config';
import type { GroupLogView } from './group-log-view';
import { tpKey } from './topic-partition';

export interface OffsetCommit {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read (Kafka's convention). */
  readonly offset: number;
  readonly metadata?: string | null;
}

function isWellFormed(text: string): boolean {
  // A lone surrogate cannot be stored as UTF-8 and would not round-trip through the catalog.
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

export function validateGroupId(groupId: unknown, config: GroupCoordinatorConfig): asserts groupId is string {
  if (typeof groupId !== 'string' || groupId.length === 0) throw new InvalidGroupIdError('group id must not be empty');
  if (groupId.length > config.groupIdMaxLength) {
    throw new InvalidGroupIdError(`group id is ${groupId.length} characters; the limit is ${config.groupIdMaxLength}`);
  }
  if (!isWellFormed(groupId)) throw new InvalidGroupIdError('group id contains a lone surrogate');
}

export function validateInstanceId(instanceId: string, config: GroupCoordinatorConfig): void {
  if (instanceId.length === 0 || instanceId.length > config.groupIdMaxLength || !isWellFormed(instanceId)) {
    throw new BadUserInputError(`groupInstanceId must be 1 to ${config.groupIdMaxLength} well-formed characters`);
  }
}

export function validateSessionTimeout(sessionTimeoutMs: number, config: GroupCoordinatorConfig): void {
  const ok =
    Number.isSafeInteger(sessionTimeoutMs) &&
    sessionTimeoutMs >= config.minSessionTimeoutMs &&
    sessionTimeoutMs <= config.maxSessionTimeoutMs;
  if (!ok) throw new InvalidSessionTimeoutError(sessionTimeoutMs, config.minSessionTimeoutMs, config.maxSessionTimeoutMs);
}

export function validateRebalanceTimeout(rebalanceTimeoutMs: number, config: GroupCoordinatorConfig): void {
  if (!Number.isSafeInteger(rebalanceTimeoutMs) || rebalanceTimeoutMs < 1 || rebalanceTimeoutMs > config.maxSessionTimeoutMs) {
    throw new BadUserInputError(`rebalanceTimeoutMs must be 1 to ${config.maxSessionTimeoutMs}`, { rebalanceTimeoutMs });
  }
}

export function validatePartitionNumber(topic: string, partition: number, log: GroupLogView): void {
  if (!Number.isSafeInteger(partition) || partition < 0) {
    throw new BadUserInputError(`partition must be a non-negative integer, got ${partition}`, { topic, partition });
  }
  const count = log.partitionCount(topic);
  if (count === null || partition >= count) throw new UnknownTopicOrPartitionError(topic, partition);
}

/**
 * Checks every entry before any is applied: sane partition, offset in [0, highWatermark] (a commit
 * past the high watermark would make the group skip records that do not exist yet, so unlike
 * Kafka we refuse it), metadata within offsetMetadataMaxBytes, no partition twice.
 */
export function validateOffsetCommits(offsets: readonly OffsetCommit[], log: GroupLogView, config: GroupCoordinatorConfig): void {
  if (offsets.length > config.commitPartitionsMax) {
    throw new LimitExceededError(`a commit may name at most ${config.commitPartitionsMax} partitions`, {
      partitionCount: offsets.length,
      commitPartitionsMax: config.commitPartitionsMax,
    });
  }
  const seen = new Set<string>();
  for (const entry of offsets) {
    validatePartitionNumber(entry.topic, entry.partition, log);
    const key = tpKey(entry);
    if (seen.has(key))
      throw new BadUserInputError(`${entry.topic}-${entry.partition} appears twice in one commit`, {
        topic: entry.topic,
        partition: entry.partition,
      });
    seen.add(key);
    if (!Number.isSafeInteger(entry.offset) || entry.offset < 0) {
      throw new BadUserInputError(`offset must be a non-negative integer, got ${entry.offset}`, {
        topic: entry.topic,
        partition: entry.partition,
        offset: entry.offset,
      });
    }
    const watermarks = log.watermarks(entry.topic, entry.partition);
    if (watermarks === null) throw new UnknownTopicOrPartitionError(entry.topic, entry.partition);
    if (entry.offset > watermarks.highWatermark) {
      throw new OffsetOutOfRangeError(entry.offset, watermarks.logStartOffset, watermarks.highWatermark);
    }
    if (entry.metadata !== undefined && entry.metadata !== null) {
      const sizeBytes = Buffer.byteLength(entry.metadata, 'utf8');
      if (sizeBytes > config.offsetMetadataMaxBytes) throw new InvalidCommitOffsetSizeError(sizeBytes, config.offsetMetadataMaxBytes);
      if (!isWellFormed(entry.metadata))
        throw new BadUserInputError('metadata contains a lone surrogate', { topic: entry.topic, partition: entry.partition });
    }
  }
}
