/**
 * BatchBufferPool: reusable memory for encoded batches, to pass as encodeRecordBatch's allocator.
 *
 * Why: a fresh 1 MiB Buffer is an mmap that page-faults on first touch; appending 1 KiB records
 * in batches of 1,000 measured 463 MB/s with fresh buffers and 1,380 MB/s with reused memory
 * (bench/README.md). Format: slabs of `slabBytes` (default 8 MiB) carved front to back; a
 * request larger than a slab gets its own unpooled buffer. A slab is reused once it is full (no
 * longer carved from) and every buffer carved from it has been released. When everything carved
 * from the current slab is back (one appender at a time), the next batch starts at its front again:
 * memory still in the CPU cache, which made encode + write of a 1 MiB batch ~15% faster than
 * walking an 8 MiB slab (rotating 24 × 1 MiB vs rewinding, same run).
 *
 * Contract: call `release(buf)` exactly once per allocated buffer, after its bytes were written
 * and when nothing will read them again — the memory is then overwritten by later batches. A
 * buffer never released only keeps its slab from being reused (it is garbage-collected as usual);
 * releasing a buffer this pool did not allocate (a follower's batch, a fallback) does nothing.
 *
 * Concurrency: single-threaded JS; allocate/release are synchronous and may interleave freely
 * with any number of in-flight appends.
 */
import type { BatchAllocator } from './record-batch';

interface Slab {
  memory: Buffer;
  used: number;
  live: number;
  full: boolean;
}

export interface BatchBufferPoolOptions {
  /** Bytes per slab; default 8 MiB (8 batches at max.message.bytes ≈ 1 MiB). */
  slabBytes?: number;
  /** Empty slabs kept for reuse; default 2. More are dropped to the garbage collector. */
  maxIdleSlabs?: number;
}

export class BatchBufferPool {
  private readonly slabBytes: number;
  private readonly maxIdleSlabs: number;
  private readonly slabs = new Map<ArrayBufferLike, Slab>();
  private readonly idle: Slab[] = [];
  private current: Slab | null = null;

  constructor(options: BatchBufferPoolOptions = {}) {
    this.slabBytes = options.slabBytes ?? 8 * 1024 * 1024;
    this.maxIdleSlabs = options.maxIdleSlabs ?? 2;
    if (!Number.isInteger(this.slabBytes) || this.slabBytes < 1024)
      throw new RangeError(`slabBytes must be an integer ≥ 1024, got ${this.slabBytes}`);
  }

  /** An allocator bound to this pool, for encodeRecordBatch's third argument. */
  readonly allocate: BatchAllocator = (sizeBytes: number): Buffer => {
    if (sizeBytes > this.slabBytes) return Buffer.allocUnsafe(sizeBytes);
    let slab = this.current;
    if (slab !== null && slab.live === 0) slab.used = 0; // all given back: rewind (cache-warm memory)
    if (slab === null || this.slabBytes - slab.used < sizeBytes) {
      if (slab !== null) this.retire(slab);
      slab = this.idle.pop() ?? this.newSlab();
      this.current = slab;
    }
    const buf = slab.memory.subarray(slab.used, slab.used + sizeBytes);
    slab.used += sizeBytes;
    slab.live++;
    return buf;
  };

  /** Gives back a buffer from `allocate` once its bytes are written and will not be read again. */
  release(buf: Buffer): void {
    const slab = this.slabs.get(buf.buffer);
    if (slab === undefined || slab.live === 0) return;
    slab.live--;
    if (slab.live === 0 && slab.full) this.recycle(slab);
  }

  /** Slabs currently owned (carved from, waiting for releases, or idle): for tests and metrics. */
  get slabCount(): number {
    return this.slabs.size;
  }

  private newSlab(): Slab {
    const slab: Slab = { memory: Buffer.allocUnsafeSlow(this.slabBytes), used: 0, live: 0, full: false };
    this.slabs.set(slab.memory.buffer, slab);
    return slab;
  }

  private retire(slab: Slab): void {
    slab.full = true;
    if (slab.live === 0) this.recycle(slab);
  }

  private recycle(slab: Slab): void {
    if (this.idle.length >= this.maxIdleSlabs) {
      this.slabs.delete(slab.memory.buffer);
      return;
    }
    slab.used = 0;
    slab.full = false;
    this.idle.push(slab);
  }
}
