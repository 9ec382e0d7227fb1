/** mulberry32: a tiny seeded PRNG so random scenarios can be replayed from the printed seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function randomInt(random: () => number, minInclusive: number, maxInclusive: number): number {
  return minInclusive + Math.floor(random() * (maxInclusive - minInclusive + 1));
}

/** Seeds for a run: fixed ones plus one from the clock, each printed on failure by the caller. */
export function seedsForRun(count: number): number[] {
  const fromClock = Date.now() % 1_000_000_007;
  return [...Array.from({ length: count - 1 }, (_, i) => 1000 + i), fromClock];
}
