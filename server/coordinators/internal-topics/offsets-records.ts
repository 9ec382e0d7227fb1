/**
 * The key and value bytes of `__consumer_offsets` records (server/coordinators/INTERNAL-TOPICS.md
 * "Record formats"): offset commits (key version 1) and group metadata (key version 2), each value
 * versioned on its own. A null value is a tombstone and is not this codec's business. Decoding
 * checks every length against the bytes and refuses an unknown version or leftover bytes with
 * CoordinatorRecordError: a reader never guesses.
 */
import { CoordinatorRecordError, RecordReader, RecordWriter } from './record-bytes';

export { CoordinatorRecordError };

export type OffsetsKey =
  | { readonly kind: 'offset'; readonly group: string; readonly topic: string; readonly partition: number }
  | { readonly kind: 'group'; readonly group: string };

export interface OffsetCommitValue {
  readonly offset: number;
  readonly metadata: string | null;
  readonly commitTimeMs: number;
}

export interface GroupMetadataValue {
  readonly generation: number;
  readonly protocolType: string | null;
  readonly protocol: string | null;
  readonly updatedAtMs: number;
  readonly topics: readonly string[];
}

const OFFSET_KEY_VERSION = 1;
const GROUP_KEY_VERSION = 2;
const VALUE_VERSION = 1;

export function encodeOffsetsKey(key: OffsetsKey): Buffer {
  const w = new RecordWriter();
  if (key.kind === 'offset') w.int16(OFFSET_KEY_VERSION).string(key.group).string(key.topic).int32(key.partition);
  else w.int16(GROUP_KEY_VERSION).string(key.group);
  return w.done();
}

export function decodeOffsetsKey(bytes: Buffer): OffsetsKey {
  const r = new RecordReader(bytes);
  const version = r.int16();
  let key: OffsetsKey;
  if (version === OFFSET_KEY_VERSION) key = { kind: 'offset', group: r.string(), topic: r.string(), partition: r.int32() };
  else if (version === GROUP_KEY_VERSION) key = { kind: 'group', group: r.string() };
  else throw new CoordinatorRecordError(`unknown __consumer_offsets key version ${version}`);
  r.end();
  return key;
}

export function encodeOffsetCommitValue(value: OffsetCommitValue): Buffer {
  return new RecordWriter().int16(VALUE_VERSION).int64(value.offset).nullableString(value.metadata).int64(value.commitTimeMs).done();
}

export function decodeOffsetCommitValue(bytes: Buffer): OffsetCommitValue {
  const r = new RecordReader(bytes);
  r.version(VALUE_VERSION, 'offset commit value');
  const value = { offset: r.int64(), metadata: r.nullableString(), commitTimeMs: r.int64() };
  r.end();
  return value;
}

export function encodeGroupMetadataValue(value: GroupMetadataValue): Buffer {
  const w = new RecordWriter()
    .int16(VALUE_VERSION)
    .int32(value.generation)
    .nullableString(value.protocolType)
    .nullableString(value.protocol);
  w.int64(value.updatedAtMs).int32(value.topics.length);
  for (const topic of value.topics) w.string(topic);
  return w.done();
}

export function decodeGroupMetadataValue(bytes: Buffer): GroupMetadataValue {
  const r = new RecordReader(bytes);
  r.version(VALUE_VERSION, 'group metadata value');
  const generation = r.int32();
  const protocolType = r.nullableString();
  const protocol = r.nullableString();
  const updatedAtMs = r.int64();
  const count = r.int32();
  if (count < 0 || count > r.remaining / 2) throw new CoordinatorRecordError(`topic count ${count} is out of range`);
  const topics: string[] = [];
  for (let i = 0; i < count; i++) topics.push(r.string());
  r.end();
  return { generation, protocolType, protocol, updatedAtMs, topics };
}
