// Derived figures of a histogram (min, max, mean, standard deviation, percentiles), computed from the bucket
// counts with the same arithmetic as Java's HdrHistogram 2.2 (what Hyperfoil reports), so a figure printed by
// us for a given set of counts is the figure Hyperfoil would print.
import {
  BUCKET_HIGHEST_NS,
  BUCKET_LOWEST_NS,
  BUCKET_MEDIAN_NS,
  COUNTS_LENGTH,
  countsOf,
  firstNonEmptyIndex,
  lastNonEmptyIndex,
  type StatsHistogram,
} from './histogram.js';

/** Smallest recorded value (lowest value of its bucket); 0 when empty or when 0 was recorded. */
export function minValueNs(histogram: StatsHistogram): number {
  if (histogram.totalCount === 0) return 0;
  const counts = countsOf(histogram);
  for (let i = 0; i < COUNTS_LENGTH; i++) {
    if (counts[i] !== 0) return BUCKET_LOWEST_NS[i]!;
  }
  return 0;
}

/** Largest recorded value (highest value of its bucket); 0 when empty. */
export function maxValueNs(histogram: StatsHistogram): number {
  const last = lastNonEmptyIndex(histogram);
  return last <= 0 ? 0 : BUCKET_HIGHEST_NS[last]!;
}

/** Mean of the bucket midpoints weighted by counts (a double, as HdrHistogram's getMean). 0 when empty. */
export function meanNs(histogram: StatsHistogram): number {
  const total = histogram.totalCount;
  if (total === 0) return 0;
  const counts = countsOf(histogram);
  const last = lastNonEmptyIndex(histogram);
  let sum = 0;
  for (let i = 0; i <= last; i++) {
    const count = counts[i]!;
    if (count !== 0) sum += BUCKET_MEDIAN_NS[i]! * count;
  }
  return sum / total;
}

/** Population standard deviation of the bucket midpoints (HdrHistogram's getStdDeviation). 0 when empty. */
export function stdDevNs(histogram: StatsHistogram, mean: number = meanNs(histogram)): number {
  const total = histogram.totalCount;
  if (total === 0) return 0;
  const counts = countsOf(histogram);
  const last = lastNonEmptyIndex(histogram);
  let sum = 0;
  for (let i = 0; i <= last; i++) {
    const count = counts[i]!;
    if (count !== 0) {
      const deviation = BUCKET_MEDIAN_NS[i]! - mean;
      sum += deviation * deviation * count;
    }
  }
  return Math.sqrt(sum / total);
}

const scratch = new Float64Array(1);
const scratchBits = new BigUint64Array(scratch.buffer);

/** The largest double below `x` (Java's Math.nextAfter(x, -Infinity)) for finite x > 0; -MIN_VALUE for 0. */
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  scratch[0] = x;
  scratchBits[0] = x > 0 ? scratchBits[0]! - 1n : scratchBits[0]! + 1n;
  return scratch[0]!;
}

/**
 * Number of samples that must be at or below the value reported for `percentile` (0..100), as HdrHistogram 2.2
 * computes it: one ulp is removed from the percentile before scaling so that rounding cannot skip a bucket.
 */
function countAtPercentile(percentile: number, total: number): number {
  const requested = Math.min(Math.max(nextDown(percentile), 0), 100);
  const count = Math.ceil((requested * total) / 100);
  return count > 1 ? count : 1;
}

/**
 * Value at `percentile` (0..100, e.g. 99.9): the highest value of the first bucket where the running count
 * reaches the percentile's share of the total (the lowest value for percentile 0). 0 when empty.
 */
export function valueAtPercentileNs(histogram: StatsHistogram, percentile: number): number {
  const total = histogram.totalCount;
  if (total === 0) return 0;
  const wanted = countAtPercentile(percentile, total);
  const counts = countsOf(histogram);
  let running = 0;
  for (let i = 0; i < COUNTS_LENGTH; i++) {
    running += counts[i]!;
    if (running >= wanted) return percentile === 0 ? BUCKET_LOWEST_NS[i]! : BUCKET_HIGHEST_NS[i]!;
  }
  return 0;
}

/**
 * Values at several percentiles (0..100, ascending) in one pass; writes them into `out` (same order).
 */
export function valuesAtPercentilesNs(
  histogram: StatsHistogram,
  percentiles: readonly number[],
  out: number[] = new Array<number>(percentiles.length),
): number[] {
  const total = histogram.totalCount;
  const n = percentiles.length;
  if (total === 0) {
    for (let k = 0; k < n; k++) out[k] = 0;
    return out;
  }
  const counts = countsOf(histogram);
  let k = 0;
  let wanted = countAtPercentile(percentiles[0]!, total);
  let running = 0;
  for (let i = 0; i < COUNTS_LENGTH && k < n; i++) {
    running += counts[i]!;
    while (k < n && running >= wanted) {
      out[k] = percentiles[k] === 0 ? BUCKET_LOWEST_NS[i]! : BUCKET_HIGHEST_NS[i]!;
      k++;
      if (k < n) {
        if (percentiles[k]! < percentiles[k - 1]!) throw new RangeError('percentiles must be ascending');
        wanted = countAtPercentile(percentiles[k]!, total);
      }
    }
  }
  for (; k < n; k++) out[k] = 0;
  return out;
}

export interface HistogramDescription {
  minNs: number;
  maxNs: number;
  meanNs: number;
  stdDevNs: number;
  /** Values at the requested percentiles, same order. */
  percentilesNs: number[];
}

/**
 * Everything a summary needs in two passes over the non-empty range (instead of one pass per figure); the
 * results equal minValueNs, maxValueNs, meanNs, stdDevNs and valuesAtPercentilesNs.
 */
export function describeHistogram(histogram: StatsHistogram, percentiles: readonly number[]): HistogramDescription {
  const total = histogram.totalCount;
  const first = firstNonEmptyIndex(histogram);
  const last = lastNonEmptyIndex(histogram);
  const n = percentiles.length;
  const percentilesNs = new Array<number>(n).fill(0);
  if (total === 0 || first < 0) return { minNs: 0, maxNs: 0, meanNs: 0, stdDevNs: 0, percentilesNs };
  const counts = countsOf(histogram);
  let sum = 0;
  let k = 0;
  let wanted = countAtPercentile(percentiles[0] ?? 0, total);
  let running = 0;
  for (let i = first; i <= last; i++) {
    const count = counts[i]!;
    if (count === 0) continue;
    sum += BUCKET_MEDIAN_NS[i]! * count;
    running += count;
    while (k < n && running >= wanted) {
      percentilesNs[k] = percentiles[k] === 0 ? BUCKET_LOWEST_NS[i]! : BUCKET_HIGHEST_NS[i]!;
      k++;
      if (k < n) {
        if (percentiles[k]! < percentiles[k - 1]!) throw new RangeError('percentiles must be ascending');
        wanted = countAtPercentile(percentiles[k]!, total);
      }
    }
  }
  const mean = sum / total;
  let deviations = 0;
  for (let i = first; i <= last; i++) {
    const count = counts[i]!;
    if (count !== 0) {
      const deviation = BUCKET_MEDIAN_NS[i]! - mean;
      deviations += deviation * deviation * count;
    }
  }
  return {
    minNs: BUCKET_LOWEST_NS[first]!,
    maxNs: last <= 0 ? 0 : BUCKET_HIGHEST_NS[last]!,
    meanNs: mean,
    stdDevNs: Math.sqrt(deviations / total),
    percentilesNs,
  };
}
