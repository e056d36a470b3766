// Deterministic test data for the stats tests (not exported through index.ts).

/** Mulberry32: a small seeded PRNG so that failures are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal-ish latencies from ~10 us to ~30 s, integers in ns (covers most of the histogram's buckets). */
export function randomLatenciesNs(count: number, seed: number): number[] {
  const random = seededRandom(seed);
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(Math.floor(Math.exp(9 + random() * 15)));
  return values;
}
