import { murmur2, partitionForKey, StickyPartitioner } from '../../../server/broker/partitioner';

describe('partitioner', () => {
  // Vectors from Kafka's UtilsTest.testMurmur2: a Kafka client and Logway must agree on where a key lives.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %s like Kafka', (key, expected) => {
    expect(murmur2(Buffer.from(key))).toBe(expected);
  });

  it('maps a key to toPositive(murmur2) modulo the partition count', () => {
    const key = Buffer.from('foobar');
    expect(partitionForKey(key, 7)).toBe((-790332482 & 0x7fffffff) % 7);
  });

  it('moves keyless traffic to another partition on each call', () => {
    const sticky = new StickyPartitioner();
    let previous = sticky.next('t', 4);
    for (let i = 0; i < 50; i++) {
      const next = sticky.next('t', 4);
      expect(next).not.toBe(previous);
      expect(next).toBeGreaterThanOrEqual(0);
      expect(next).toBeLessThan(4);
      previous = next;
    }
    expect(sticky.next('single', 1)).toBe(0);
  });
});
