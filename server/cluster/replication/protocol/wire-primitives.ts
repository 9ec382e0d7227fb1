/**
 * The cluster protocol's primitive types (docs/CLUSTER-PROTOCOL.md "Frames"): big-endian
 * integers, int16-length strings, int32-length bytes, int32-count arrays. WireReader checks every
 * bound against the frame and throws MalformedFrameError, never a RangeError; WireWriter collects
 * chunks so record bytes are sent as they are, not copied into one buffer.
 */
import { MAX_ARRAY_COUNT, MalformedFrameError } from './messages';

const MAX_STRING_BYTES = 32_767;
/** Fixed-size fields go into scratch chunks of this size; large `bytes` fields are their own chunk. */
const SCRATCH_BYTES = 4096;

export class WireReader {
  private position: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.position = start;
  }

  get remaining(): number {
    return this.end - this.position;
  }

  int8(): number {
    this.need(1, 'int8');
    const value = this.buf.readInt8(this.position);
    this.position += 1;
    return value;
  }

  int16(): number {
    this.need(2, 'int16');
    const value = this.buf.readInt16BE(this.position);
    this.position += 2;
    return value;
  }

  int32(): number {
    this.need(4, 'int32');
    const value = this.buf.readInt32BE(this.position);
    this.position += 4;
    return value;
  }

  int64(): number {
    this.need(8, 'int64');
    const value = this.buf.readBigInt64BE(this.position);
    this.position += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      throw new MalformedFrameError(`int64 ${value} is not a safe integer`);
    return Number(value);
  }

  /** A string whose length -1 means null (forwarded calls' host). */
  nullableString(): string | null {
    if (this.remaining >= 2 && this.buf.readInt16BE(this.position) === -1) {
      this.position += 2;
      return null;
    }
    return this.string();
  }

  string(): string {
    const length = this.int16();
    if (length < 0) throw new MalformedFrameError(`string length ${length} is negative`);
    this.need(length, 'string');
    const value = this.buf.toString('utf8', this.position, this.position + length);
    this.position += length;
    return value;
  }

  /** A view into the frame (no copy): the frame's buffer is never reused. */
  bytes(): Buffer {
    const length = this.int32();
    if (length < 0) throw new MalformedFrameError(`bytes length ${length} is negative`);
    this.need(length, 'bytes');
    const value = this.buf.subarray(this.position, this.position + length);
    this.position += length;
    return value;
  }

  array<T>(readItem: () => T): T[] {
    const count = this.int32();
    if (count < 0 || count > MAX_ARRAY_COUNT) throw new MalformedFrameError(`array count ${count} is out of range 0..${MAX_ARRAY_COUNT}`);
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem());
    return items;
  }

  /** The payload must use exactly the frame's bytes. */
  expectEnd(): void {
    if (this.remaining !== 0) throw new MalformedFrameError(`${this.remaining} bytes left over after the payload`);
  }

  private need(count: number, what: string): void {
    if (this.remaining < count) throw new MalformedFrameError(`truncated ${what}: needs ${count} bytes, ${this.remaining} left`);
  }
}

export class WireWriter {
  private readonly chunks: Buffer[] = [];
  private scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  private used = 0;
  private total = 0;

  get length(): number {
    return this.total + this.used;
  }

  int8(value: number): this {
    this.room(1).writeInt8(value, this.used);
    this.used += 1;
    return this;
  }

  nullableString(value: string | null): this {
    return value === null ? this.int16(-1) : this.string(value);
  }

  int16(value: number): this {
    this.room(2).writeInt16BE(value, this.used);
    this.used += 2;
    return this;
  }

  int32(value: number): this {
    this.room(4).writeInt32BE(value, this.used);
    this.used += 4;
    return this;
  }

  int64(value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`int64 ${value} is not a safe integer`);
    this.room(8).writeBigInt64BE(BigInt(value), this.used);
    this.used += 8;
    return this;
  }

  string(value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    if (length > MAX_STRING_BYTES) throw new RangeError(`string of ${length} bytes is longer than ${MAX_STRING_BYTES}`);
    this.int16(length);
    this.room(length).write(value, this.used, 'utf8');
    this.used += length;
    return this;
  }

  bytes(value: Buffer): this {
    this.int32(value.length);
    if (value.length <= 256) {
      value.copy(this.room(value.length), this.used);
      this.used += value.length;
      return this;
    }
    this.flushScratch();
    this.chunks.push(value);
    this.total += value.length;
    return this;
  }

  array<T>(items: readonly T[], writeItem: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(item);
    return this;
  }

  /** The chunks written so far, in order (the writer is done after this). */
  finish(): Buffer[] {
    this.flushScratch();
    return this.chunks;
  }

  private room(count: number): Buffer {
    if (this.used + count > this.scratch.length) {
      this.flushScratch();
      if (count > this.scratch.length) this.scratch = Buffer.allocUnsafe(count);
    }
    return this.scratch;
  }

  private flushScratch(): void {
    if (this.used === 0) return;
    this.chunks.push(this.scratch.subarray(0, this.used));
    this.total += this.used;
    this.scratch = this.scratch.subarray(this.used);
    if (this.scratch.length < 64) this.scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
    this.used = 0;
  }
}
