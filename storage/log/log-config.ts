/**
 * LogConfig: the per-topic settings of a partition log, with Kafka's key names, units in the
 * field names, a documented default each, and validation (docs/HOUSE-STYLE.md §3.7). Overrides
 * are stored by the catalog as Kafka key → string and parsed here with `parseLogConfig`.
 *
 * Pure values and functions; no I/O.
 */
import { parseConfigInteger } from '../config-integer';
import { InvalidConfigError } from '../errors';

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
export type MessageTimestampType = 'CreateTime' | 'LogAppendTime';

export interface LogConfig {
  /** segment.bytes: roll the active segment when the next batch would take it past this size. Default 1 GiB. */
  segmentBytes: number;
  /** segment.ms: roll the active segment this long after its first batch, even if small. Default 7 days. */
  segmentMs: number;
  /** retention.ms: delete sealed segments whose newest record is older than this; -1 keeps forever. Default 7 days. */
  retentionMs: number;
  /** retention.bytes: delete the oldest sealed segments while the log is bigger than this; -1 = no limit. Default -1. */
  retentionBytes: number;
  /** cleanup.policy: 'delete' (retention), 'compact' (latest record per key), or both. Default 'delete'. */
  cleanupPolicy: CleanupPolicy;
  /** delete.retention.ms: how long a tombstone (null value) survives compaction. Default 1 day. */
  deleteRetentionMs: number;
  /** min.compaction.lag.ms: segments newer than this are not compacted. Default 0. */
  minCompactionLagMs: number;
  /**
   * flush.messages: fsync once this many messages are unflushed. Default 1 = fsync before the append
   * resolves (group-committed: concurrent appends share one fsync). A large value (e.g.
   * 9007199254740991) turns per-append fsync off — then only flush.ms, roll and close fsync.
   */
  flushMessages: number;
  /**
   * flush.ms: fsync when the oldest unflushed write is this old (checked on append and by the
   * manager's maintenance pass). 0 = no time-based flush (Kafka's default is Long.MAX: the same
   * thing). Default 0.
   */
  flushMs: number;
  /** index.interval.bytes: one offset/time index entry per this many log bytes. Default 4096. */
  indexIntervalBytes: number;
  /** segment.index.bytes: max offset-index size; a full index rolls the segment. Default 10 MiB. */
  segmentIndexBytes: number;
  /** max.message.bytes: the largest batch (encoded, with its 12-byte log overhead) accepted. Default 1,048,588. */
  maxMessageBytes: number;
  /** message.timestamp.type: keep the producer's time, or stamp the broker's append time. Default CreateTime. */
  messageTimestampType: MessageTimestampType;
}

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1_073_741_824, // 1 GiB
  segmentMs: 604_800_000, // 7 days
  retentionMs: 604_800_000, // 7 days
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  deleteRetentionMs: 86_400_000, // 1 day
  minCompactionLagMs: 0,
  flushMessages: 1,
  flushMs: 0,
  indexIntervalBytes: 4_096, // 4 KiB
  segmentIndexBytes: 10_485_760, // 10 MiB
  maxMessageBytes: 1_048_588, // 1 MiB + 12 B log overhead, Kafka's default
  messageTimestampType: 'CreateTime',
});

type Field = keyof LogConfig;
interface KeySpec {
  key: string;
  field: Field;
  doc: string;
  parse: (raw: string, key: string) => LogConfig[Field];
}

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string, key: string): number => {
    const value = parseConfigInteger(raw, min, max);
    if (value === null) throw new InvalidConfigError(`${key} must be an integer in [${min}, ${max}], got '${raw}'`, { key, value: raw });
    return value;
  };
}

function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string, key: string): T => {
    const normalized = raw
      .split(',')
      .map((s) => s.trim())
      .sort()
      .join(',');
    const found = values.find((v) => v === raw.trim() || v === normalized);
    if (!found) throw new InvalidConfigError(`${key} must be one of ${values.join(' | ')}, got '${raw}'`, { key, value: raw });
    return found;
  };
}

const INT32_MAX = 2_147_483_647;

const SPECS: KeySpec[] = [
  { key: 'segment.bytes', field: 'segmentBytes', doc: 'Roll the active segment at this size (bytes).', parse: integer(14, INT32_MAX) },
  { key: 'segment.ms', field: 'segmentMs', doc: 'Roll the active segment this long after its first batch (ms).', parse: integer(1) },
  { key: 'retention.ms', field: 'retentionMs', doc: 'Delete segments older than this (ms); -1 = forever.', parse: integer(-1) },
  {
    key: 'retention.bytes',
    field: 'retentionBytes',
    doc: 'Delete oldest segments while the log is bigger (bytes); -1 = no limit.',
    parse: integer(-1),
  },
  {
    key: 'cleanup.policy',
    field: 'cleanupPolicy',
    doc: 'delete, compact, or compact,delete.',
    parse: oneOf(['delete', 'compact', 'compact,delete'] as const),
  },
  { key: 'delete.retention.ms', field: 'deleteRetentionMs', doc: 'How long compaction keeps tombstones (ms).', parse: integer(0) },
  { key: 'min.compaction.lag.ms', field: 'minCompactionLagMs', doc: 'Do not compact segments newer than this (ms).', parse: integer(0) },
  {
    key: 'flush.messages',
    field: 'flushMessages',
    doc: 'fsync after this many messages; 1 = before every ack (group commit).',
    parse: integer(1),
  },
  { key: 'flush.ms', field: 'flushMs', doc: 'fsync when unflushed data is this old (ms); 0 = no time-based flush.', parse: integer(0) },
  {
    key: 'index.interval.bytes',
    field: 'indexIntervalBytes',
    doc: 'One index entry per this many log bytes.',
    parse: integer(0, INT32_MAX),
  },
  {
    key: 'segment.index.bytes',
    field: 'segmentIndexBytes',
    doc: 'Max offset index size (bytes); full rolls the segment.',
    parse: integer(8, INT32_MAX),
  },
  {
    key: 'max.message.bytes',
    field: 'maxMessageBytes',
    doc: 'Largest batch accepted (bytes, with 12 B log overhead).',
    parse: integer(0, INT32_MAX),
  },
  {
    key: 'message.timestamp.type',
    field: 'messageTimestampType',
    doc: 'CreateTime or LogAppendTime.',
    parse: oneOf(['CreateTime', 'LogAppendTime'] as const),
  },
];

function formatDefault(value: LogConfig[Field]): string {
  return String(value);
}

export const LOG_CONFIG_KEYS: readonly { key: string; doc: string; defaultValue: string }[] = Object.freeze(
  SPECS.map((s) => Object.freeze({ key: s.key, doc: s.doc, defaultValue: formatDefault(DEFAULT_LOG_CONFIG[s.field]) })),
);

const SPEC_BY_KEY = new Map(SPECS.map((s) => [s.key, s]));

/** Kafka key names → a validated LogConfig over `base`. Unknown key or bad value → InvalidConfigError. */
export function parseLogConfig(overrides: Readonly<Record<string, string>>, base: LogConfig = DEFAULT_LOG_CONFIG): LogConfig {
  const config: LogConfig = { ...base };
  for (const [key, raw] of Object.entries(overrides)) {
    const spec = SPEC_BY_KEY.get(key);
    if (!spec) throw new InvalidConfigError(`unknown log config key '${key}'`, { key });
    if (typeof raw !== 'string') throw new InvalidConfigError(`${key} must be a string value`, { key });
    (config as unknown as Record<string, unknown>)[spec.field] = spec.parse(raw, key);
  }
  return config;
}

export function hasCompact(config: LogConfig): boolean {
  return config.cleanupPolicy !== 'delete';
}
export function hasDelete(config: LogConfig): boolean {
  return config.cleanupPolicy !== 'compact';
}
