/** The one seeded PRNG of the tests (mulberry32), under the name these suites use. */
export { prng as seededRandom } from '../../../../support/prng';

export function randomInt(random: () => number, minInclusive: number, maxInclusive: number): number {
  return minInclusive + Math.floor(random() * (maxInclusive - minInclusive + 1));
}

/** Seeds for a run: fixed ones plus one from the clock, each printed on failure by the caller. */
export function seedsForRun(count: number): number[] {
  const fromClock = Date.now() % 1_000_000_007;
  return [...Array.from({ length: count - 1 }, (_, i) => 1000 + i), fromClock];
}
