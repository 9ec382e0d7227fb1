import { BatchBufferPool, decodeRecordBatch, encodeRecordBatch } from '../../../storage';

const KIB = 1024;
const batchOf = (value: string, baseOffset: number, pool: BatchBufferPool): Buffer =>
  encodeRecordBatch([{ key: null, value: Buffer.from(value), headers: [], timestampMs: 1_700_000_000_000 }], { baseOffset }, pool.allocate);

describe('storage/format > batch buffer pool', () => {
  test('batches encoded through the pool decode like any other and share one slab until it fills', () => {
    const pool = new BatchBufferPool({ slabBytes: 4 * KIB });
    const first = batchOf('a'.repeat(100), 0, pool);
    const second = batchOf('b'.repeat(100), 1, pool);
    expect(first.buffer).toBe(second.buffer);
    expect(pool.slabCount).toBe(1);
    expect(decodeRecordBatch(first).records[0].value?.toString()).toBe('a'.repeat(100));
    expect(decodeRecordBatch(second).records[0].value?.toString()).toBe('b'.repeat(100));
  });

  test('a full slab is reused only after every buffer carved from it was released', () => {
    const pool = new BatchBufferPool({ slabBytes: 4 * KIB, maxIdleSlabs: 1 });
    const held = [pool.allocate(1500), pool.allocate(1500)];
    const firstSlab = held[0].buffer;
    const overflow = pool.allocate(1500); // does not fit: the first slab is full now
    expect(overflow.buffer).not.toBe(firstSlab);
    pool.release(held[0]);
    const stillSecond = pool.allocate(2000); // fits the second slab
    expect(stillSecond.buffer).toBe(overflow.buffer);
    pool.release(held[1]); // the first slab is empty and full: recycled
    const third = pool.allocate(2000); // second slab full → takes the recycled first slab
    expect(third.buffer).toBe(firstSlab);
    expect(third.byteOffset).toBe(held[0].byteOffset);
    expect(pool.slabCount).toBe(2);
  });

  test('once everything carved from the current slab is back, the next batch starts at its front again', () => {
    // One appender at a time: each batch reuses the bytes the previous one used (still in the CPU
    // cache) instead of walking the slab and touching cold memory.
    const pool = new BatchBufferPool({ slabBytes: 4 * KIB });
    const first = pool.allocate(1000);
    pool.release(first);
    const second = pool.allocate(1000);
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset);
    const third = pool.allocate(1000); // `second` is still held: carved after it
    expect(third.byteOffset).toBe(second.byteOffset + 1000);
  });

  test('bytes still held are never handed out again', () => {
    const pool = new BatchBufferPool({ slabBytes: 4 * KIB });
    const kept = batchOf('keep me', 0, pool);
    const snapshot = Buffer.from(kept);
    for (let round = 0; round < 50; round++) pool.release(batchOf(`churn ${round} `.repeat(20), round + 1, pool));
    expect(kept.equals(snapshot)).toBe(true);
  });

  test('requests larger than a slab get their own memory, and foreign buffers are ignored on release', () => {
    const pool = new BatchBufferPool({ slabBytes: 4 * KIB });
    const big = pool.allocate(10 * KIB);
    expect(big.length).toBe(10 * KIB);
    pool.release(big);
    pool.release(Buffer.alloc(10));
    expect(pool.slabCount).toBe(0);
    expect(() => new BatchBufferPool({ slabBytes: 10 })).toThrow(RangeError);
  });

  test('idle slabs beyond maxIdleSlabs are dropped to the garbage collector', () => {
    const pool = new BatchBufferPool({ slabBytes: 4 * KIB, maxIdleSlabs: 1 });
    const buffers = Array.from({ length: 6 }, () => pool.allocate(3 * KIB)); // one per slab
    expect(pool.slabCount).toBe(6);
    for (const buf of buffers) pool.release(buf);
    expect(pool.slabCount).toBeLessThanOrEqual(2); // the current slab + one idle
  });
});
