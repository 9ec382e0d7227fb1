/**
 * The key and value bytes of `__consumer_offsets` records (server/coordinators/INTERNAL-TOPICS.md
 * "Record formats"): offset commits (key version 1) and group metadata (key version 2), each value
 * versioned on its own. A null value is a tombstone and is not this codec's business. Decoding
 * checks every length against the bytes and refuses an unknown version or leftover bytes with
 * CoordinatorRecordError: a reader never guesses.
 */

export class CoordinatorRecordError extends Error {
  override readonly name = 'CoordinatorRecordError';
}

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
const MAX_STRING_BYTES = 32_767;

export function encodeOffsetsKey(key: OffsetsKey): Buffer {
  const w = new Writer();
  if (key.kind === 'offset') w.int16(OFFSET_KEY_VERSION).string(key.group).string(key.topic).int32(key.partition);
  else w.int16(GROUP_KEY_VERSION).string(key.group);
  return w.done();
}

export function decodeOffsetsKey(bytes: Buffer): OffsetsKey {
  const r = new Reader(bytes);
  const version = r.int16();
  let key: OffsetsKey;
  if (version === OFFSET_KEY_VERSION) key = { kind: 'offset', group: r.string(), topic: r.string(), partition: r.int32() };
  else if (version === GROUP_KEY_VERSION) key = { kind: 'group', group: r.string() };
  else throw new CoordinatorRecordError(`unknown __consumer_offsets key version ${version}`);
  r.end();
  return key;
}

export function encodeOffsetCommitValue(value: OffsetCommitValue): Buffer {
  return new Writer().int16(VALUE_VERSION).int64(value.offset).nullableString(value.metadata).int64(value.commitTimeMs).done();
}

export function decodeOffsetCommitValue(bytes: Buffer): OffsetCommitValue {
  const r = new Reader(bytes);
  r.version('offset commit value');
  const value = { offset: r.int64(), metadata: r.nullableString(), commitTimeMs: r.int64() };
  r.end();
  return value;
}

export function encodeGroupMetadataValue(value: GroupMetadataValue): Buffer {
  const w = new Writer().int16(VALUE_VERSION).int32(value.generation).nullableString(value.protocolType).nullableString(value.protocol);
  w.int64(value.updatedAtMs).int32(value.topics.length);
  for (const topic of value.topics) w.string(topic);
  return w.done();
}

export function decodeGroupMetadataValue(bytes: Buffer): GroupMetadataValue {
  const r = new Reader(bytes);
  r.version('group metadata value');
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

class Writer {
  private readonly chunks: Buffer[] = [];

  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.push(b);
  }

  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.push(b);
  }

  int64(v: number): this {
    if (!Number.isSafeInteger(v)) throw new CoordinatorRecordError(`int64 ${v} is not a safe integer`);
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return this.push(b);
  }

  string(v: string): this {
    const bytes = Buffer.from(v, 'utf8');
    if (bytes.length > MAX_STRING_BYTES) throw new CoordinatorRecordError(`a string of ${bytes.length} bytes is over ${MAX_STRING_BYTES}`);
    return this.int16(bytes.length).push(bytes);
  }

  nullableString(v: string | null): this {
    return v === null ? this.int16(-1) : this.string(v);
  }

  done(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private push(b: Buffer): this {
    this.chunks.push(b);
    return this;
  }
}

class Reader {
  private position = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.position;
  }

  version(what: string): void {
    const version = this.int16();
    if (version !== VALUE_VERSION) throw new CoordinatorRecordError(`unknown ${what} version ${version}`);
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.position);
    this.position += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.position);
    this.position += 4;
    return v;
  }

  int64(): number {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.position);
    this.position += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
      throw new CoordinatorRecordError(`int64 ${v} is not a safe integer`);
    return Number(v);
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new CoordinatorRecordError('a null string where one is required');
    return s;
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length === -1) return null;
    if (length < 0) throw new CoordinatorRecordError(`string length ${length} is negative`);
    this.need(length);
    const s = this.buf.toString('utf8', this.position, this.position + length);
    this.position += length;
    return s;
  }

  end(): void {
    if (this.remaining !== 0) throw new CoordinatorRecordError(`${this.remaining} bytes left over`);
  }

  private need(n: number): void {
    if (this.remaining < n) throw new CoordinatorRecordError(`truncated: ${n} bytes needed, ${this.remaining} left`);
  }
}
