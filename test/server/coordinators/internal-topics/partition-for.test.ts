/**
 * Unit tests for the id → internal-topic-partition hash: Java's String.hashCode values (worked out
 * by Java's rule, including the int32 wrap-around, the sign mask and UTF-16 surrogate pairs) and
 * the partition each maps to.
 */
import { javaStringHash, partitionFor } from '../../../../server/coordinators/internal-topics/partition-for';

describe('javaStringHash', () => {
  it.each([
    ['', 0],
    ['a', 97],
    ['abc', 96354],
    ['hello', 99162322],
    ['Aa', 2112],
    ['BB', 2112],
    ['polygenelubricants', -2147483648],
    ['\u{1F600}', 0xd83d * 31 + 0xde00],
  ])('hashes %j to %d as Java does', (id, expected) => {
    expect(javaStringHash(id)).toBe(expected);
  });

  it('wraps around int32 on long ids', () => {
    const hash = javaStringHash('a-consumer-group-with-a-rather-long-name');
    expect(Number.isInteger(hash)).toBe(true);
    expect(hash).toBeGreaterThanOrEqual(-(2 ** 31));
    expect(hash).toBeLessThan(2 ** 31);
  });
});

describe('partitionFor', () => {
  it('masks the sign bit, so the hash Integer.MIN_VALUE maps to partition 0, as Kafka', () => {
    expect(partitionFor('polygenelubricants', 8)).toBe(0);
  });

  it('maps a negative hash to a partition in range', () => {
    const id = 'group-negative';
    const hash = javaStringHash(id);
    expect(hash).toBeLessThan(0);
    expect(partitionFor(id, 8)).toBe((hash & 0x7fffffff) % 8);
  });

  it('maps positive hashes by their remainder', () => {
    expect(partitionFor('hello', 8)).toBe(99162322 % 8);
    expect(partitionFor('abc', 4)).toBe(96354 % 4);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the partition count %p', (count) => {
    expect(() => partitionFor('g', count)).toThrow(RangeError);
  });
});
