import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Int32Histogram } from 'hdr-histogram-js';
import {
  addHistogram,
  BUCKET_HIGHEST_NS,
  BUCKET_LOWEST_NS,
  BUCKET_MEDIAN_NS,
  bucketIndexOf,
  COUNTS_LENGTH,
  countsOf,
  createHistogram,
  HISTOGRAM_HIGHEST_TRACKABLE_NS,
  recordInRange,
  subtractHistogram,
} from './histogram.js';
import { randomLatenciesNs, seededRandom } from './test-support.js';

function libraryHistogram(): Int32Histogram {
  return new Int32Histogram(1, HISTOGRAM_HIGHEST_TRACKABLE_NS, 2);
}

const EDGE_VALUES = [
  0, 1, 2, 127, 128, 255, 256, 257, 511, 512, 1023, 1024, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1,
  2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 35 - 1, 2 ** 35, 59_999_999_999, HISTOGRAM_HIGHEST_TRACKABLE_NS,
];

describe('histogram layout and fast paths', () => {
  it('has the layout of Java HdrHistogram(60 s, 2 digits): 3840 buckets', () => {
    assert.equal(COUNTS_LENGTH, 3840);
  });

  it('computes the same bucket index as the library for edge and random values', () => {
    const lib = libraryHistogram();
    for (const value of [...EDGE_VALUES, ...randomLatenciesNs(20_000, 1)]) {
      assert.equal(bucketIndexOf(value), lib.countsArrayIndex(value), `value ${value}`);
    }
  });

  it('bucket tables agree with the library lowest/highest/median equivalent values', () => {
    const lib = libraryHistogram();
    for (let i = 0; i < COUNTS_LENGTH; i++) {
      const lowest = lib.valueFromIndex(i);
      assert.equal(BUCKET_LOWEST_NS[i], lowest, `lowest of ${i}`);
      assert.equal(BUCKET_HIGHEST_NS[i], lib.highestEquivalentValue(lowest), `highest of ${i}`);
      assert.equal(BUCKET_MEDIAN_NS[i], lib.medianEquivalentValue(lowest), `median of ${i}`);
    }
  });

  it('recordInRange leaves exactly the state the library recordValue leaves', () => {
    const ours = createHistogram('int32');
    const lib = libraryHistogram();
    for (const value of [...EDGE_VALUES, ...randomLatenciesNs(50_000, 2)]) {
      recordInRange(ours, countsOf(ours), value);
      lib.recordValue(value);
    }
    assert.deepEqual(Array.from(countsOf(ours)), Array.from(lib._counts));
    assert.equal(ours.totalCount, lib.totalCount);
    assert.equal(ours.maxValue, lib.maxValue);
    assert.equal(ours.minNonZeroValue, lib.minNonZeroValue);
    // The library's own queries work on our histogram.
    assert.equal(ours.getValueAtPercentile(99), lib.getValueAtPercentile(99));
  });

  it('addHistogram equals the library add, also into float64 counts', () => {
    const a = createHistogram('int32');
    const b = createHistogram('int32');
    const libA = libraryHistogram();
    const libB = libraryHistogram();
    for (const v of randomLatenciesNs(5000, 3)) {
      recordInRange(a, countsOf(a), v);
      libA.recordValue(v);
    }
    for (const v of randomLatenciesNs(7000, 4)) {
      recordInRange(b, countsOf(b), v);
      libB.recordValue(v);
    }
    const sum = createHistogram('float64');
    addHistogram(sum, a);
    addHistogram(sum, b);
    libA.add(libB);
    assert.deepEqual(Array.from(countsOf(sum)), Array.from(libA._counts));
    assert.equal(sum.totalCount, 12_000);
    assert.equal(sum.maxValue, libA.maxValue);
    assert.equal(sum.minNonZeroValue, libA.minNonZeroValue);
  });

  it('subtractHistogram undoes addHistogram and re-derives min and max', () => {
    const a = createHistogram('int32');
    const b = createHistogram('int32');
    const random = seededRandom(5);
    for (let i = 0; i < 1000; i++) recordInRange(a, countsOf(a), 1000 + Math.floor(random() * 1000));
    for (let i = 0; i < 1000; i++) recordInRange(b, countsOf(b), 5_000_000 + Math.floor(random() * 1000));
    const sum = createHistogram('float64');
    addHistogram(sum, a);
    addHistogram(sum, b);
    subtractHistogram(sum, b);
    assert.deepEqual(Array.from(countsOf(sum)), Array.from(countsOf(a)));
    assert.equal(sum.totalCount, 1000);
    // max was b's (~5 ms); after the subtraction it must fall back into a's range (< 2 us)
    assert.ok(sum.maxValue < 2048, `max ${sum.maxValue}`);
  });
});
