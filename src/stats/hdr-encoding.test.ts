import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64, Int32Histogram } from 'hdr-histogram-js';
import { decodeHistogramInto, encodeHistogram, HistogramDecodeError } from './hdr-encoding.js';
import { countsOf, createHistogram, recordInRange, type StatsHistogram } from './histogram.js';
import { randomLatenciesNs, seededRandom } from './test-support.js';

function histogramOf(values: readonly number[]): StatsHistogram {
  const histogram = createHistogram('int32');
  for (const v of values) recordInRange(histogram, countsOf(histogram), v);
  return histogram;
}

function sameCounts(a: StatsHistogram, b: StatsHistogram): void {
  assert.deepEqual(Array.from(countsOf(a)), Array.from(countsOf(b)));
  assert.equal(a.totalCount, b.totalCount);
}

describe('HdrHistogram V2 encoding', () => {
  const original = histogramOf([0, 1, 60_000_000_000, ...randomLatenciesNs(10_000, 21)]);

  it('round-trips plain and compressed', () => {
    for (const compress of [false, true]) {
      const decoded = createHistogram('float64');
      decodeHistogramInto(encodeHistogram(original, { compress }), decoded);
      sameCounts(decoded, original);
      assert.equal(decoded.getValueAtPercentile(99.9), original.getValueAtPercentile(99.9));
    }
  });

  it('writes the V2 header fields (cookie, digits, lowest, highest, ratio 1.0 as a double)', () => {
    const plain = encodeHistogram(original, { compress: false });
    assert.equal(plain.readInt32BE(0), 0x1c849313);
    assert.equal(plain.readInt32BE(4), plain.length - 40);
    assert.equal(plain.readInt32BE(12), 2);
    assert.equal(plain.readBigInt64BE(16), 1n);
    assert.equal(plain.readBigInt64BE(24), 60_000_000_000n);
    assert.equal(plain.readDoubleBE(32), 1.0);
    assert.equal(encodeHistogram(original).readInt32BE(0), 0x1c849314);
  });

  it('interoperates with the hdr-histogram-js decoder and encoder', () => {
    const theirs = decodeFromCompressedBase64(encodeHistogram(original).toString('base64'));
    assert.equal(theirs.totalCount, original.totalCount);
    for (const p of [50, 90, 99, 99.9]) assert.equal(theirs.getValueAtPercentile(p), original.getValueAtPercentile(p));

    const lib = new Int32Histogram(1, 60_000_000_000, 2);
    for (const v of randomLatenciesNs(3000, 22)) lib.recordValue(v);
    const decoded = createHistogram('int32');
    decodeHistogramInto(Buffer.from(encodeIntoCompressedBase64(lib), 'base64'), decoded);
    sameCounts(decoded, lib as StatsHistogram);
  });

  it("'add' mode sums into the target", () => {
    const target = histogramOf([5, 6, 7]);
    decodeHistogramInto(encodeHistogram(histogramOf([7, 8])), target, 'add');
    sameCounts(target, histogramOf([5, 6, 7, 7, 8]));
  });

  it('refuses to overflow int32 counts and decodes such totals into float64 counts', () => {
    const big = createHistogram('float64');
    countsOf(big)[1000] = 5_000_000_000;
    big._totalCount = 5_000_000_000;
    big.maxValue = 1000 * 2 ** 7;
    const bytes = encodeHistogram(big);
    assert.throws(() => decodeHistogramInto(bytes, createHistogram('int32')), /too many for 32-bit counts/);
    const decoded = createHistogram('float64');
    decodeHistogramInto(bytes, decoded);
    assert.equal(decoded.totalCount, 5_000_000_000);
  });

  it('rejects every truncation with HistogramDecodeError', () => {
    for (const compress of [false, true]) {
      const bytes = encodeHistogram(original, { compress });
      for (let length = 0; length < bytes.length; length++) {
        assert.throws(
          () => decodeHistogramInto(bytes.subarray(0, length), createHistogram('int32')),
          HistogramDecodeError,
          `compress=${compress} length=${length}`,
        );
      }
    }
  });

  it('rejects random bytes, wrong parameters, oversized values and corrupt deflate data', () => {
    const random = seededRandom(23);
    for (let i = 0; i < 500; i++) {
      const bytes = Buffer.alloc(1 + Math.floor(random() * 200), 0).map(() => Math.floor(random() * 256));
      assert.throws(() => decodeHistogramInto(bytes, createHistogram('int32')), HistogramDecodeError);
    }
    const plain = encodeHistogram(original, { compress: false });
    const threeDigits = Buffer.from(plain);
    threeDigits.writeInt32BE(3, 12);
    assert.throws(() => decodeHistogramInto(threeDigits, createHistogram('int32')), /3 significant digits/);
    // A run of empty buckets that jumps past the last bucket (a value far above 60 s).
    const tooFar = Buffer.from(plain.subarray(0, 44));
    tooFar.writeInt32BE(4, 4);
    tooFar.set([0xff, 0x7f, 0x02, 0x02], 40); // zigzag(-8192) = 16383, then a count of 1
    assert.throws(() => decodeHistogramInto(tooFar, createHistogram('int32')), /past the last bucket|beyond/);
    const badDeflate = Buffer.alloc(20);
    badDeflate.writeInt32BE(0x1c849314, 0);
    badDeflate.writeInt32BE(12, 4);
    assert.throws(() => decodeHistogramInto(badDeflate, createHistogram('int32')), /corrupt/);
    // A decompression bomb: a valid zlib stream far larger than any real histogram.
    const bomb = deflateSync(Buffer.alloc(1_000_000));
    const header = Buffer.alloc(8);
    header.writeInt32BE(0x1c849314, 0);
    header.writeInt32BE(bomb.length, 4);
    assert.throws(() => decodeHistogramInto(Buffer.concat([header, bomb]), createHistogram('int32')), /corrupt/);
  });
});
