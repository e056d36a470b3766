// Cumulative counts of a histogram at fixed upper bounds, for Prometheus/OpenMetrics histograms: exact counts of the
// HdrHistogram (no interpolation, no averaging of quantiles). A bucket of the HdrHistogram (values equal to two
// significant digits) counts under a bound when its highest equivalent value is at or below it, so a bound never
// claims a response faster than was measured.
import { decodeHistogramInto } from './hdr-encoding.js';
import { BUCKET_HIGHEST_NS, countsOf, createHistogram, firstNonEmptyIndex, type StatsHistogram } from './histogram.js';

/** A histogram from its standard (compressed) HdrHistogram encoding. Throws HistogramDecodeError. */
export function decodeHistogram(bytes: Uint8Array): StatsHistogram {
  const histogram = createHistogram('float64');
  decodeHistogramInto(bytes, histogram);
  return histogram;
}


/** For each bound (ns, ascending), how many recorded values are at or below it. */
export function cumulativeCountsAtOrBelow(histogram: StatsHistogram, boundsNs: readonly number[]): number[] {
  const counts = countsOf(histogram);
  const out = boundsNs.map(() => 0);
  const first = firstNonEmptyIndex(histogram);
  if (first < 0) return out;
  for (let index = first; index < counts.length; index++) {
    const count = counts[index]!;
    if (count === 0) continue;
    const highest = BUCKET_HIGHEST_NS[index]!;
    for (let b = boundsNs.length - 1; b >= 0 && highest <= boundsNs[b]!; b--) out[b] = out[b]! + count;
  }
  return out;
}
