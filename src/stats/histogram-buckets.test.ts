import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHistogram } from './hdr-encoding.js';
import { cumulativeCountsAtOrBelow, decodeHistogram } from './histogram-buckets.js';
import { BUCKET_HIGHEST_NS, bucketIndexOf } from './histogram.js';
import { StatsSnapshot } from './snapshot.js';
import { randomLatenciesNs } from './test-support.js';

describe('cumulative counts for OpenMetrics buckets', () => {
  it('counts every recorded value whose HdrHistogram bucket lies at or below each bound, after an encode/decode round trip', () => {
    const values = randomLatenciesNs(20_000, 11);
    const snapshot = new StatsSnapshot('int32');
    for (const v of values) snapshot.recordResponse(v);
    const bounds = [1e5, 1e6, 2.5e6, 1e7, 1e8, 1e9, 1e10, 6e10];
    const decoded = decodeHistogram(encodeHistogram(snapshot.histogram));
    const counts = cumulativeCountsAtOrBelow(decoded, bounds);
    // Brute force over the raw values, with the same rule: a value's bucket's highest equivalent value <= bound.
    const expected = bounds.map((b) => values.filter((v) => BUCKET_HIGHEST_NS[bucketIndexOf(Math.min(v, 6e10))]! <= b).length);
    assert.deepEqual(counts, expected);
    assert.ok(counts[1]! > 0 && counts[1]! < values.length, 'the data spans the bounds');
    assert.deepEqual(cumulativeCountsAtOrBelow(new StatsSnapshot('int32').histogram, bounds), bounds.map(() => 0));
  });
});
