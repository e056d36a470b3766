import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ArrivalSchedule, rampCumulativeStarts, rampStartOffsetNs, rampTimeOfCumulativeSec, uniformStartOffsetNs,
} from './arrivals.js';
import { Xoshiro128 } from './rng.js';

/** Starts of a schedule with offsets in [0, windowNs). */
function countIn(schedule: ArrivalSchedule, windowNs: number): { count: number; offsets: number[] } {
  const offsets: number[] = [];
  while (schedule.peekOffsetNs() < windowNs) {
    offsets.push(schedule.peekOffsetNs());
    schedule.advance();
  }
  return { count: offsets.length, offsets };
}

test('constant rate, uniform: gaps are exactly 1/rate and the i-th start is at i/rate (absolute, no drift)', () => {
  assert.equal(uniformStartOffsetNs(0, 2000), 0);
  assert.equal(uniformStartOffsetNs(1, 2000), 500_000);
  assert.equal(uniformStartOffsetNs(1_000_000, 2000), 500_000_000_000);
  // 3/s does not divide 1e9: absolute times are rounded individually, so the error never accumulates.
  assert.equal(uniformStartOffsetNs(3_000_001, 3), 1_000_000_333_333_333);
  const schedule = new ArrivalSchedule({ kind: 'constant', ratePerSec: 3 }, undefined);
  const { count, offsets } = countIn(schedule, 10e9);
  // Starts at 0, 1/3 s, … < 10 s: ceil(10 × 3) = 30.
  assert.equal(count, 30);
  for (let i = 0; i < offsets.length; i++) assert.equal(offsets[i], Math.round((i * 1e9) / 3));
});

test('constant rate with variance: counts over an interval are Poisson (within 5 standard deviations)', () => {
  const ratePerSec = 2000;
  const windowSec = 10;
  // N ~ Poisson(λT): mean 20000, sd √20000 ≈ 141. |N − λT| < 5 sd fails by chance with p ≈ 6e-7 per seed.
  const mean = ratePerSec * windowSec;
  const sd = Math.sqrt(mean);
  for (const seed of [1, 2, 3, 42, 1234567]) {
    const schedule = new ArrivalSchedule({ kind: 'constant', ratePerSec }, new Xoshiro128(seed));
    const { count, offsets } = countIn(schedule, windowSec * 1e9);
    assert.ok(Math.abs(count - mean) < 5 * sd, `seed ${seed}: ${count} starts, expected ${mean} ± ${5 * sd}`);
    // Gaps are exponential: mean 1/λ = 500 µs, coefficient of variation 1. With n ≈ 20000 gaps the sample mean
    // has sd 500 µs/√n ≈ 3.5 µs; the sample CV has sd ≈ 1/√n ≈ 0.007 (exponential: Var(s)/σ² ≈ 2/n… use 5 sd = 0.05).
    const gaps = offsets.slice(1).map((o, i) => o - offsets[i]!);
    const gapMean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const gapSd = Math.sqrt(gaps.reduce((a, g) => a + (g - gapMean) ** 2, 0) / (gaps.length - 1));
    assert.ok(Math.abs(gapMean - 500_000) < 5 * (500_000 / Math.sqrt(gaps.length)), `seed ${seed}: mean gap ${gapMean}`);
    assert.ok(Math.abs(gapSd / gapMean - 1) < 0.05, `seed ${seed}: CV ${gapSd / gapMean}`);
    // Uniform gaps would have CV 0: this is what tells the two models apart.
  }
});

test('variance: the same seed gives the same arrivals; different seeds differ', () => {
  const a = countIn(new ArrivalSchedule({ kind: 'constant', ratePerSec: 100 }, new Xoshiro128(7)), 1e9).offsets;
  const b = countIn(new ArrivalSchedule({ kind: 'constant', ratePerSec: 100 }, new Xoshiro128(7)), 1e9).offsets;
  const c = countIn(new ArrivalSchedule({ kind: 'constant', ratePerSec: 100 }, new Xoshiro128(8)), 1e9).offsets;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('ramp: start times are the inverse of the integral of the rate', () => {
  // 0 → 100/s over 10 s: N(t) = 5 t², so t_i = √(i / 5).
  for (const i of [0, 1, 2, 10, 123, 499]) {
    const expected = Math.sqrt(i / 5);
    assert.ok(Math.abs(rampTimeOfCumulativeSec(i, 0, 100, 10) - expected) < 1e-9, `i = ${i}`);
  }
  // Increasing 10 → 50/s over 20 s and decreasing 50 → 10/s: N(t_i) = i to floating precision.
  for (const [r0, r1] of [[10, 50], [50, 10], [7, 7]] as const) {
    for (let i = 0; i < 600; i += 7) {
      const t = rampTimeOfCumulativeSec(i, r0, r1, 20);
      assert.ok(Math.abs(rampCumulativeStarts(t, r0, r1, 20) - i) < 1e-7, `${r0}→${r1}, i = ${i}: N(${t}) ≠ ${i}`);
    }
  }
  // Starts in [0, T) of a uniform ramp = ⌈N(T)⌉ (indices 0..⌈N(T)⌉−1): 0→100 over 10 s gives 500.
  const schedule = new ArrivalSchedule({ kind: 'ramp', initialPerSec: 0, targetPerSec: 100, durationSec: 10 }, undefined);
  assert.equal(countIn(schedule, 10e9).count, 500);
  assert.equal(rampStartOffsetNs(500, 0, 100, 10), 10e9);
  // Gaps shrink as the rate grows.
  assert.ok(rampStartOffsetNs(2, 0, 100, 10) - rampStartOffsetNs(1, 0, 100, 10)
    > rampStartOffsetNs(401, 0, 100, 10) - rampStartOffsetNs(400, 0, 100, 10));
});

test('ramp: after the ramp the rate holds at the target; a ramp down to 0 ends', () => {
  // 10 → 20/s over 10 s: N(10) = 150; then 20/s, so unit 170 is at 11 s.
  assert.ok(Math.abs(rampTimeOfCumulativeSec(170, 10, 20, 10) - 11) < 1e-12);
  // 100 → 0 over 10 s: N(T) = 500 starts, then none.
  assert.ok(Math.abs(rampTimeOfCumulativeSec(500, 100, 0, 10) - 10) < 1e-6);
  assert.equal(rampTimeOfCumulativeSec(500.5, 100, 0, 10), Infinity);
  const schedule = new ArrivalSchedule({ kind: 'ramp', initialPerSec: 100, targetPerSec: 0, durationSec: 10 }, undefined);
  assert.equal(countIn(schedule, 1e12).count, 501); // indices 0..500, the last one at exactly 10 s
  assert.equal(schedule.peekOffsetNs(), Infinity);
  // A worker whose share of the rate is zero starts nobody, not even at t = 0.
  assert.equal(new ArrivalSchedule({ kind: 'ramp', initialPerSec: 0, targetPerSec: 0, durationSec: 10 }, undefined).peekOffsetNs(), Infinity);
  assert.equal(new ArrivalSchedule({ kind: 'constant', ratePerSec: 0 }, undefined).peekOffsetNs(), Infinity);
});

test('ramp with variance: counts are Poisson with mean N(T)', () => {
  // 100 → 3000/s over 10 s: N(T) = 15500, sd ≈ 124.5; tolerance 5 sd.
  const mean = rampCumulativeStarts(10, 100, 3000, 10);
  assert.equal(mean, 15500);
  for (const seed of [11, 12, 13]) {
    const schedule = new ArrivalSchedule({ kind: 'ramp', initialPerSec: 100, targetPerSec: 3000, durationSec: 10 }, new Xoshiro128(seed));
    const { count, offsets } = countIn(schedule, 10e9);
    assert.ok(Math.abs(count - mean) < 5 * Math.sqrt(mean), `seed ${seed}: ${count}`);
    // First second: N(1) = 100 + 2900/20 = 245 expected, sd 15.7.
    const first = offsets.filter((o) => o < 1e9).length;
    assert.ok(Math.abs(first - 245) < 5 * Math.sqrt(245), `seed ${seed}: ${first} in the first second`);
  }
});

test('Xoshiro128 gives uniform doubles in [0, 1)', () => {
  const random = new Xoshiro128(99);
  const n = 100_000;
  let sum = 0;
  const buckets = new Array<number>(10).fill(0);
  for (let i = 0; i < n; i++) {
    const u = random.nextDouble();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    buckets[Math.floor(u * 10)]!++;
  }
  // Mean of n uniforms: sd = √(1/12n) ≈ 0.00091; 5 sd.
  assert.ok(Math.abs(sum / n - 0.5) < 5 * Math.sqrt(1 / (12 * n)));
  // Each decile: Binomial(n, 0.1), sd = √(n·0.09) ≈ 95; 5 sd.
  for (const b of buckets) assert.ok(Math.abs(b - n / 10) < 5 * Math.sqrt(n * 0.09), `bucket ${b}`);
});
