// Deterministic test data for the stats tests (not exported through index.ts).
import { StatsSnapshot } from './snapshot.js';

/** A small seeded PRNG so that failures are reproducible. */
export { mulberry32 as seededRandom } from '../lib/prng.js';
import { mulberry32 as seededRandom } from '../lib/prng.js';

/** Log-normal-ish latencies from ~10 us to ~30 s, integers in ns (covers most of the histogram's buckets). */
export function randomLatenciesNs(count: number, seed: number): number[] {
  const random = seededRandom(seed);
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(Math.floor(Math.exp(9 + random() * 15)));
  return values;
}

/** Epoch ms the test buckets start at. */
export const T0 = 1_700_000_000_000;
export const ms = (n: number): number => n * 1_000_000;

/** Bucket `seq` (1 s from T0) holding one 200 response per latency, as an agent would send it. */
export function httpBucket(seq: number, latenciesNs: readonly number[]): StatsSnapshot {
  const s = new StatsSnapshot().setInterval(T0 + seq * 1000, T0 + (seq + 1) * 1000);
  for (const v of latenciesNs) {
    s.recordResponse(v);
    s.recordStatus(200);
  }
  s.requestCount = latenciesNs.length;
  return s;
}
