/**
 * A topic's configuration: the log engine's keys (storage's LogConfig: retention, segments,
 * cleanup policy, flush, max message bytes …) plus the keys the broker itself acts on
 * (min.insync.replicas, timestamp skew). Stored in the catalog as the overrides a user set;
 * merged over the defaults here, validated as a whole before anything is written.
 */
import {
  DEFAULT_LOG_CONFIG,
  InvalidConfigError,
  LOG_CONFIG_KEYS,
  parseConfigInteger,
  parseLogConfig,
  type LogConfig,
} from '../../storage/index';

export interface BrokerTopicConfig {
  /** min.insync.replicas (default 1): acks ALL needs at least this many in-sync replicas. */
  minInsyncReplicas: number;
  /** unclean.leader.election.enable (default false): the controller may elect an out-of-sync replica when no ISR member is alive (acknowledged records can be lost). */
  uncleanLeaderElection: boolean;
  /** message.timestamp.before.max.ms / after.max.ms: how far a CreateTime timestamp may be from
   *  the server clock (defaults: no limit before, 1 h after). -1 = no limit. */
  timestampBeforeMaxMs: number;
  timestampAfterMaxMs: number;
}

export interface TopicConfig {
  log: LogConfig;
  broker: BrokerTopicConfig;
}

interface KeySpec {
  key: string;
  doc: string;
  defaultValue: string;
}

const BROKER_KEYS: readonly KeySpec[] = [
  { key: 'min.insync.replicas', doc: 'Replicas that must have a record before acks ALL succeeds', defaultValue: '1' },
  {
    key: 'unclean.leader.election.enable',
    doc: 'In a cluster: elect an out-of-sync replica when no in-sync one is alive (can lose acknowledged records)',
    defaultValue: 'false',
  },
  { key: 'message.timestamp.before.max.ms', doc: 'Oldest CreateTime accepted, relative to now (-1: any)', defaultValue: '-1' },
  { key: 'message.timestamp.after.max.ms', doc: 'Newest CreateTime accepted, relative to now (-1: any)', defaultValue: '3600000' },
];

const BROKER_KEY_NAMES = new Set(BROKER_KEYS.map((spec) => spec.key));

/** Every key a topic accepts, with its documentation and default, in a stable order. */
export const TOPIC_CONFIG_KEYS: readonly KeySpec[] = [...LOG_CONFIG_KEYS, ...BROKER_KEYS].sort((a, b) => a.key.localeCompare(b.key));

/** Validates the overrides (Kafka key → string value) and merges them over the defaults. */
export function parseTopicConfig(overrides: Readonly<Record<string, string>>, replicationFactor: number): TopicConfig {
  const logOverrides: Record<string, string> = {};
  const brokerOverrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (BROKER_KEY_NAMES.has(key)) brokerOverrides[key] = value;
    else logOverrides[key] = value;
  }
  const known = new Set(TOPIC_CONFIG_KEYS.map((spec) => spec.key));
  for (const key of Object.keys(logOverrides)) {
    if (!known.has(key)) throw new InvalidConfigError(`unknown topic config "${key}"`, { key });
  }
  const log = parseLogConfig(logOverrides, DEFAULT_LOG_CONFIG);
  const broker: BrokerTopicConfig = {
    minInsyncReplicas: integerIn(brokerOverrides, 'min.insync.replicas', 1, 1, Math.max(1, replicationFactor)),
    uncleanLeaderElection: booleanOf(brokerOverrides, 'unclean.leader.election.enable'),
    timestampBeforeMaxMs: integerIn(brokerOverrides, 'message.timestamp.before.max.ms', -1, -1, Number.MAX_SAFE_INTEGER),
    timestampAfterMaxMs: integerIn(brokerOverrides, 'message.timestamp.after.max.ms', 3_600_000, -1, Number.MAX_SAFE_INTEGER),
  };
  return { log, broker };
}

/** Applies an alteration (null value = back to default) to a set of overrides. */
export function alterOverrides(
  current: Readonly<Record<string, string>>,
  changes: readonly { key: string; value: string | null }[],
): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const { key, value } of changes) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

export interface ConfigEntryView {
  key: string;
  value: string;
  isDefault: boolean;
  doc: string;
}

/** Every known key with its effective value: the override when set, else the default. */
export function describeTopicConfig(overrides: Readonly<Record<string, string>>): ConfigEntryView[] {
  return TOPIC_CONFIG_KEYS.map((spec) => {
    const override = overrides[spec.key];
    return {
      key: spec.key,
      value: override ?? spec.defaultValue,
      isDefault: override === undefined,
      doc: spec.doc,
    };
  });
}

function integerIn(overrides: Record<string, string>, key: string, fallback: number, min: number, max: number): number {
  const raw = overrides[key];
  if (raw === undefined) return fallback;
  const value = parseConfigInteger(raw, min, max);
  if (value === null) throw new InvalidConfigError(`${key} must be an integer from ${min} to ${max}, got "${raw}"`, { key, value: raw });
  return value;
}

function booleanOf(overrides: Record<string, string>, key: string): boolean {
  const raw = overrides[key];
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new InvalidConfigError(`${key} must be true or false, got "${raw}"`, { key, value: raw });
}
