import { crc32c, CRC32C_IMPLEMENTATION, crc32cSoftware } from '../../../storage';
import { bitwiseCrc32c, PUBLISHED_CRC32C_VECTORS } from './spec-batch-builder';
import { randomBytes, seededRandom } from './seeded-random';

describe('storage/format > crc32c', () => {
  test.each(PUBLISHED_CRC32C_VECTORS)('both implementations give the published CRC-32C of %s', (_name, input, expected) => {
    expect(crc32c(input)).toBe(expected);
    expect(crc32cSoftware(input)).toBe(expected);
  });

  test('uses the native prebuilt binary on linux x64, where the npm package ships one', () => {
    if (process.platform === 'linux' && process.arch === 'x64') expect(CRC32C_IMPLEMENTATION).toBe('native');
    else expect(['native', 'software']).toContain(CRC32C_IMPLEMENTATION);
  });

  test('slicing-by-8 agrees with the bit-by-bit oracle on every length 0..100 at unaligned starts', () => {
    const random = seededRandom(1);
    const pool = randomBytes(random, 200);
    for (let length = 0; length <= 100; length++) {
      const start = length % 7;
      const slice = pool.subarray(start, start + length);
      const expected = bitwiseCrc32c(slice);
      expect([length, crc32cSoftware(slice)]).toEqual([length, expected]);
      expect([length, crc32c(slice)]).toEqual([length, expected]);
    }
  });

  test('continuing from a previous result equals one pass over the concatenation', () => {
    const random = seededRandom(2);
    for (let round = 0; round < 50; round++) {
      const whole = randomBytes(random, 1 + Math.floor(random() * 300));
      const cut = Math.floor(random() * whole.length);
      const [head, tail] = [whole.subarray(0, cut), whole.subarray(cut)];
      expect(crc32c(tail, crc32c(head))).toBe(crc32c(whole));
      expect(crc32cSoftware(tail, crc32cSoftware(head))).toBe(crc32cSoftware(whole));
    }
  });

  test('a 1 MiB buffer gets the same CRC from both implementations', () => {
    const big = randomBytes(seededRandom(3), 1024 * 1024);
    expect(crc32cSoftware(big)).toBe(crc32c(big));
  });
});
