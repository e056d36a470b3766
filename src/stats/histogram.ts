// The latency histogram used everywhere in the driver: hdr-histogram-js (pure JS) histograms with one fixed
// layout (integer nanoseconds, 2 significant digits, highest trackable value 60 s), matching Hyperfoil's
// `new Histogram(60 s in ns, 2)` so that encoded histograms are interchangeable with it.
//
// Recording and merging go through fast paths that write the library histogram's own public fields
// (`_counts`, `_totalCount`, `maxValue`, `minNonZeroValue`) exactly as its `recordValue` would (the tests check
// this bucket for bucket against the library): the library's `recordValue` computes the bucket index with
// Math.log2/Math.pow and costs ~120 ns, the fast path ~6 ns; its `add` costs 10-40 us, the fast path ~1-2 us.
import { Float64Histogram, Int32Histogram } from 'hdr-histogram-js';

export const HISTOGRAM_LOWEST_DISCERNIBLE_NS = 1;
/** Values above this (60 s) are clamped to it and counted as clamped. */
export const HISTOGRAM_HIGHEST_TRACKABLE_NS = 60_000_000_000;
export const HISTOGRAM_SIGNIFICANT_DIGITS = 2;

/**
 * Width of the bucket counters: `int32` (the library's Int32Histogram, whose counts are in fact a Uint32Array)
 * for short-lived per-second snapshots (15 KB; a bucket holds at most 2^32 - 1 samples), `float64` for
 * long-lived totals (exact up to 2^53 samples per bucket, 30 KB).
 */
export type CountsWidth = 'int32' | 'float64';

/** A library histogram of our layout; `counts` is its own counts array (the same object, not a copy). */
export type StatsHistogram = Int32Histogram | Float64Histogram;
export type CountsArray = Uint32Array | Float64Array;

const template = new Int32Histogram(
  HISTOGRAM_LOWEST_DISCERNIBLE_NS,
  HISTOGRAM_HIGHEST_TRACKABLE_NS,
  HISTOGRAM_SIGNIFICANT_DIGITS,
);

/** Number of buckets in the counts array (3840 for this layout). */
export const COUNTS_LENGTH: number = template.countsArrayLength;
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
if (
  template.unitMagnitude !== 0 ||
  template.subBucketHalfCountMagnitude !== SUB_BUCKET_HALF_COUNT_MAGNITUDE ||
  template.subBucketHalfCount !== SUB_BUCKET_HALF_COUNT
) {
  throw new Error(
    'hdr-histogram-js computed an unexpected histogram layout; the stats fast paths assume unitMagnitude 0 and ' +
      '128 half sub-buckets. Pin hdr-histogram-js to 3.0.x.',
  );
}

const POW2 = new Float64Array(64);
for (let i = 0; i < 64; i++) POW2[i] = 2 ** i;
const TWO_POW_31 = 2 ** 31;
const TWO_POW_32 = 2 ** 32;

/** Lowest value of each bucket (what HdrHistogram calls valueFromIndex / lowestEquivalentValue). */
export const BUCKET_LOWEST_NS = new Float64Array(COUNTS_LENGTH);
/** Highest value of each bucket (highestEquivalentValue). */
export const BUCKET_HIGHEST_NS = new Float64Array(COUNTS_LENGTH);
/** Middle of each bucket (medianEquivalentValue), used for mean and standard deviation as HdrHistogram does. */
export const BUCKET_MEDIAN_NS = new Float64Array(COUNTS_LENGTH);
for (let index = 0; index < COUNTS_LENGTH; index++) {
  let bucket = Math.floor(index / SUB_BUCKET_HALF_COUNT) - 1;
  let sub = (index % SUB_BUCKET_HALF_COUNT) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    sub -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  const size = POW2[bucket]!;
  const lowest = sub * size;
  BUCKET_LOWEST_NS[index] = lowest;
  BUCKET_HIGHEST_NS[index] = lowest + size - 1;
  BUCKET_MEDIAN_NS[index] = lowest + Math.floor(size / 2);
}

/**
 * Index of the bucket holding `valueNs`, an integer in [0, HISTOGRAM_HIGHEST_TRACKABLE_NS].
 * Same result as the library's countsArrayIndex, computed with clz32 instead of log2.
 */
export function bucketIndexOf(valueNs: number): number {
  const log2 = valueNs < TWO_POW_32 ? 31 - Math.clz32(valueNs) : 63 - Math.clz32(valueNs / TWO_POW_32);
  const bucket = log2 > SUB_BUCKET_HALF_COUNT_MAGNITUDE ? log2 - SUB_BUCKET_HALF_COUNT_MAGNITUDE : 0;
  const sub = valueNs < TWO_POW_31 ? valueNs >>> bucket : Math.floor(valueNs / POW2[bucket]!);
  return (bucket << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + sub;
}

export function createHistogram(width: CountsWidth): StatsHistogram {
  const Ctor = width === 'int32' ? Int32Histogram : Float64Histogram;
  return new Ctor(HISTOGRAM_LOWEST_DISCERNIBLE_NS, HISTOGRAM_HIGHEST_TRACKABLE_NS, HISTOGRAM_SIGNIFICANT_DIGITS);
}

export function countsOf(histogram: StatsHistogram): CountsArray {
  return histogram._counts as CountsArray;
}

/** The largest count one bucket can hold without wrapping around. */
export function maxBucketCount(histogram: StatsHistogram): number {
  return histogram._counts instanceof Float64Array ? Number.MAX_SAFE_INTEGER : 2 ** 32 - 1;
}

/** True if `histogram` has our layout and typed counts, so the fast paths apply. */
export function hasStatsLayout(histogram: unknown): histogram is StatsHistogram {
  return (
    (histogram instanceof Int32Histogram || histogram instanceof Float64Histogram) &&
    histogram.countsArrayLength === COUNTS_LENGTH &&
    histogram.unitMagnitude === 0 &&
    histogram.subBucketHalfCountMagnitude === SUB_BUCKET_HALF_COUNT_MAGNITUDE
  );
}

/**
 * Record one value that the caller has already made an integer in range (see StatsSnapshot.recordResponse).
 * Keeps the library's bookkeeping (total, max, min non-zero) exactly as its recordValue does.
 */
export function recordInRange(histogram: StatsHistogram, counts: CountsArray, valueNs: number): void {
  counts[bucketIndexOf(valueNs)]! += 1;
  if (valueNs > histogram.maxValue) histogram.maxValue = valueNs;
  if (valueNs !== 0 && valueNs < histogram.minNonZeroValue) histogram.minNonZeroValue = valueNs;
  histogram._totalCount += 1;
}

/** Index of the lowest non-empty bucket (0 if 0 was recorded), or -1 when the histogram is empty. */
export function firstNonEmptyIndex(histogram: StatsHistogram): number {
  if (histogram.totalCount === 0) return -1;
  const counts = countsOf(histogram);
  if (counts[0] !== 0) return 0;
  let i = bucketIndexOf(Math.min(histogram.minNonZeroValue, HISTOGRAM_HIGHEST_TRACKABLE_NS));
  while (i < COUNTS_LENGTH && counts[i] === 0) i++;
  return i < COUNTS_LENGTH ? i : -1;
}

/** target += source, bucket by bucket (exact). Both must have our layout. */
export function addHistogram(target: StatsHistogram, source: StatsHistogram): void {
  const total = source.totalCount;
  if (total === 0) return;
  const from = countsOf(source);
  const to = countsOf(target);
  const first = firstNonEmptyIndex(source);
  const last = bucketIndexOf(source.maxValue);
  for (let i = first; i <= last; i++) to[i]! += from[i]!;
  target._totalCount += total;
  if (source.maxValue > target.maxValue) target.maxValue = source.maxValue;
  if (source.minNonZeroValue < target.minNonZeroValue) target.minNonZeroValue = source.minNonZeroValue;
}

/**
 * target -= source (exact for counts); then min, max and total are re-derived from the counts. Only subtract
 * what was added: 32-bit counts cannot go below zero (they would wrap).
 */
export function subtractHistogram(target: StatsHistogram, source: StatsHistogram): void {
  if (source.totalCount === 0) return;
  const from = countsOf(source);
  const to = countsOf(target);
  const last = bucketIndexOf(source.maxValue);
  for (let i = 0; i <= last; i++) {
    const count = from[i]!;
    if (count !== 0) to[i]! -= count;
  }
  recomputeTracking(target);
}

/** Re-derive total, max and min non-zero from the counts (after a decode or a subtraction). */
export function recomputeTracking(histogram: StatsHistogram): void {
  const counts = countsOf(histogram);
  let total = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < COUNTS_LENGTH; i++) {
    const count = counts[i]!;
    if (count !== 0) {
      total += count;
      last = i;
      if (first < 0 && i !== 0) first = i;
    }
  }
  histogram._totalCount = total;
  histogram.maxValue = last >= 0 ? BUCKET_LOWEST_NS[last]! : 0;
  histogram.minNonZeroValue = first >= 0 ? BUCKET_LOWEST_NS[first]! : Number.MAX_SAFE_INTEGER;
}

export function resetHistogram(histogram: StatsHistogram): void {
  // Every non-empty bucket is at or below the bucket of maxValue (recording, adding, decoding and subtracting
  // all keep maxValue so), so only that prefix needs clearing: per-second snapshots rarely reach past 1 s.
  if (histogram.totalCount !== 0 || histogram.maxValue !== 0) {
    countsOf(histogram).fill(0, 0, Math.min(bucketIndexOf(histogram.maxValue), COUNTS_LENGTH - 1) + 1);
  }
  histogram._totalCount = 0;
  histogram.maxValue = 0;
  histogram.minNonZeroValue = Number.MAX_SAFE_INTEGER;
}

/** Index of the highest non-empty bucket, or -1 when the histogram is empty. */
export function lastNonEmptyIndex(histogram: StatsHistogram): number {
  if (histogram.totalCount === 0) return -1;
  const counts = countsOf(histogram);
  let i = Math.min(bucketIndexOf(histogram.maxValue), COUNTS_LENGTH - 1);
  while (i >= 0 && counts[i] === 0) i--;
  return i;
}
