/**
 * The primitives of internal-topic record keys and values (server/coordinators/INTERNAL-TOPICS.md
 * "Record formats"): big-endian integers, int16-length UTF-8 strings (−1 for null), all bounds
 * checked. A bad input is a CoordinatorRecordError, never a RangeError.
 */

export class CoordinatorRecordError extends Error {
  override readonly name = 'CoordinatorRecordError';
}

const MAX_STRING_BYTES = 32_767;

export class RecordWriter {
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

  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    return this.push(b);
  }

  done(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private push(b: Buffer): this {
    this.chunks.push(b);
    return this;
  }
}

export class RecordReader {
  private position = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.position;
  }

  version(expected: number, what: string): void {
    const version = this.int16();
    if (version !== expected) throw new CoordinatorRecordError(`unknown ${what} version ${version}`);
  }

  int8(): number {
    this.need(1);
    const v = this.buf.readInt8(this.position);
    this.position += 1;
    return v;
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
