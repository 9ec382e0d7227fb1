/** The one seeded PRNG of the tests (mulberry32), under the name these suites use. */
export { prng as seededRandom } from '../../support/prng';

export function randomBytes(random: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) bytes[index] = Math.floor(random() * 256);
  return bytes;
}
