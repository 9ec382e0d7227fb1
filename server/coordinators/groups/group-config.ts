/**
 * The coordinator's limits and defaults, with Kafka's names and defaults where Kafka has them.
 * Every field is validated once by `resolveGroupConfig`; server/config.ts may expose them.
 */
import type { AssignorName } from './assignors';

export interface GroupCoordinatorConfig {
  /** Lowest session timeout a member may ask for. Kafka group.min.session.timeout.ms, default 6,000 (6 s). */
  minSessionTimeoutMs: number;
  /** Highest session timeout a member may ask for. Kafka group.max.session.timeout.ms, default 1,800,000 (30 min). */
  maxSessionTimeoutMs: number;
  /** Session timeout when the member does not say. Kafka session.timeout.ms default 45,000 (45 s). */
  defaultSessionTimeoutMs: number;
  /**
   * How long a member may take to acknowledge an assignment (stop fetching revoked partitions and
   * commit them) before it is removed from the group. Default 60,000 (1 min): server-side members
   * acknowledge in milliseconds; a client holding a pull consumer's batch gets a minute.
   */
  rebalanceTimeoutMs: number;
  /** Longest group id, in UTF-16 code units. Default 255 (like topic names). */
  groupIdMaxLength: number;
  /** Largest commit metadata, UTF-8 bytes. Kafka offset.metadata.max.bytes, default 4,096. */
  offsetMetadataMaxBytes: number;
  /** Most partitions in one commitOffsets call. Default 10,000. */
  commitPartitionsMax: number;
  /** Most members per group. Kafka group.max.size, default 1,000 here (Kafka: unbounded). */
  groupMembersMax: number;
  /** Most topics one member may subscribe to. Default 100. */
  memberTopicsMax: number;
  /** How often auto-commit members get their delivered offsets committed. Kafka auto.commit.interval.ms default 5,000. */
  autoCommitIntervalMs: number;
  /**
   * How long a group with no members and no committed offsets is kept (with the topics it
   * consumed, so its lag stays visible) before it is forgotten. Default 604,800,000 (7 days), as
   * Kafka's offsets.retention.minutes, after which Kafka removes such a group.
   */
  emptyGroupRetentionMs: number;
  /** Assignor a group uses when its first member names none. */
  defaultAssignor: AssignorName;
}

export const DEFAULT_GROUP_CONFIG: Readonly<GroupCoordinatorConfig> = Object.freeze({
  minSessionTimeoutMs: 6_000, // 6 s
  maxSessionTimeoutMs: 1_800_000, // 30 min
  defaultSessionTimeoutMs: 45_000, // 45 s
  rebalanceTimeoutMs: 60_000, // 1 min
  groupIdMaxLength: 255,
  offsetMetadataMaxBytes: 4_096, // 4 KiB
  commitPartitionsMax: 10_000,
  groupMembersMax: 1_000,
  memberTopicsMax: 100,
  autoCommitIntervalMs: 5_000, // 5 s
  emptyGroupRetentionMs: 604_800_000, // 7 days
  defaultAssignor: 'cooperative-sticky',
});

export function resolveGroupConfig(overrides: Partial<GroupCoordinatorConfig> = {}): Readonly<GroupCoordinatorConfig> {
  const config = { ...DEFAULT_GROUP_CONFIG, ...overrides };
  for (const [key, value] of Object.entries(config)) {
    if (key === 'defaultAssignor') continue;
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw new RangeError(`group config ${key} must be a positive integer`);
  }
  if (config.minSessionTimeoutMs > config.maxSessionTimeoutMs) throw new RangeError('minSessionTimeoutMs > maxSessionTimeoutMs');
  if (config.defaultSessionTimeoutMs < config.minSessionTimeoutMs || config.defaultSessionTimeoutMs > config.maxSessionTimeoutMs) {
    throw new RangeError('defaultSessionTimeoutMs is outside [minSessionTimeoutMs, maxSessionTimeoutMs]');
  }
  return Object.freeze(config);
}
