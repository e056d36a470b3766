import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countsOf, createHistogram, recordInRange, type StatsHistogram } from './histogram.js';
import {
  describeHistogram,
  maxValueNs,
  meanNs,
  minValueNs,
  stdDevNs,
  valueAtPercentileNs,
  valuesAtPercentilesNs,
} from './histogram-stats.js';
import { randomLatenciesNs } from './test-support.js';

function histogramOf(values: readonly number[]): StatsHistogram {
  const histogram = createHistogram('int32');
  for (const v of values) recordInRange(histogram, countsOf(histogram), v);
  return histogram;
}

describe('derived figures (Java HdrHistogram 2.2 semantics)', () => {
  // Expected figures printed by Java HdrHistogram 2.2.2, `new Histogram(60_000_000_000L, 2)` fed 1000..10_000_000
  // step 1000 (getValueAtPercentile(99.99), (50), getMean(), getStdDeviation(), getMinValue(), getMaxValue()).
  const steps = Array.from({ length: 10_000 }, (_, i) => (i + 1) * 1000);

  it('matches Java for a known data set', () => {
    const histogram = histogramOf(steps);
    assert.equal(valueAtPercentileNs(histogram, 99.99), 10_027_007);
    assert.equal(valueAtPercentileNs(histogram, 50), 5_013_503);
    assert.equal(meanNs(histogram), 5_000_557.8622);
    assert.equal(stdDevNs(histogram), 2_886_827.6573049426);
    assert.equal(minValueNs(histogram), 1000);
    assert.equal(maxValueNs(histogram), 10_027_007);
  });

  it('is zero on an empty histogram', () => {
    const histogram = createHistogram('int32');
    assert.equal(valueAtPercentileNs(histogram, 99), 0);
    assert.equal(meanNs(histogram), 0);
    assert.equal(stdDevNs(histogram), 0);
    assert.equal(minValueNs(histogram), 0);
    assert.equal(maxValueNs(histogram), 0);
  });

  it('percentile 0 is the lowest value of the first bucket, 100 the highest of the last', () => {
    const histogram = histogramOf([300, 70_000]);
    assert.equal(valueAtPercentileNs(histogram, 0), 300);
    assert.equal(valueAtPercentileNs(histogram, 100), 70_143); // bucket [69632+512, ...]: highest equivalent
    assert.equal(maxValueNs(histogram), 70_143);
  });

  it('one-pass percentiles equal one-at-a-time percentiles and the library', () => {
    const histogram = histogramOf(randomLatenciesNs(30_000, 11));
    const percentiles = [0, 1, 25, 50, 75, 90, 99, 99.9, 99.99, 99.999, 100];
    const batch = valuesAtPercentilesNs(histogram, percentiles);
    percentiles.forEach((p, i) => {
      assert.equal(batch[i], valueAtPercentileNs(histogram, p), `p${p}`);
      // Away from exact count boundaries the library's (older) formula agrees too.
      assert.equal(batch[i], histogram.getValueAtPercentile(p), `library p${p}`);
    });
  });

  it('rejects descending percentile lists', () => {
    assert.throws(() => valuesAtPercentilesNs(histogramOf([1, 2, 3]), [50, 10]), RangeError);
  });
});

describe('describeHistogram', () => {
  it('equals the one-figure functions', () => {
    for (const values of [randomLatenciesNs(5000, 12), [0, 0, 5], [7], [0]]) {
      const histogram = histogramOf(values);
      const percentiles = [0, 50, 90, 99, 99.9, 99.99, 100];
      assert.deepEqual(describeHistogram(histogram, percentiles), {
        minNs: minValueNs(histogram),
        maxNs: maxValueNs(histogram),
        meanNs: meanNs(histogram),
        stdDevNs: stdDevNs(histogram),
        percentilesNs: valuesAtPercentilesNs(histogram, percentiles),
      });
    }
  });
});
