import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTOGRAM_HIGHEST_TRACKABLE_NS } from './histogram.js';
import { StatsSnapshot, UNSET_START_MS } from './snapshot.js';
import { toSummary } from './summary.js';
import { randomLatenciesNs, seededRandom } from './test-support.js';

describe('StatsSnapshot', () => {
  it('merging random splits gives exactly the figures of one snapshot fed every sample', () => {
    for (let round = 0; round < 20; round++) {
      const random = seededRandom(100 + round);
      const values = randomLatenciesNs(2000 + round * 100, 200 + round);
      const whole = new StatsSnapshot('int32');
      const parts = Array.from({ length: 1 + Math.floor(random() * 16) }, () => new StatsSnapshot('int32'));
      values.forEach((v, i) => {
        const status = [200, 204, 302, 404, 503, 99][i % 6]!;
        whole.recordResponse(v);
        whole.recordStatus(status);
        whole.requestCount++;
        const part = parts[Math.floor(random() * parts.length)]!;
        part.recordResponse(v);
        part.recordStatus(status);
        part.requestCount++;
      });
      // Merge in a random order, into float64 counts as the controller does.
      const merged = new StatsSnapshot('float64');
      for (const part of [...parts].sort(() => random() - 0.5)) merged.add(part);
      assert.deepEqual(toSummary(merged), toSummary(whole), `round ${round} with ${parts.length} parts`);
      for (const p of [0, 33.3, 50, 90, 99, 99.9, 99.99, 100]) {
        assert.equal(merged.valueAtPercentileNs(p), whole.valueAtPercentileNs(p), `round ${round} p${p}`);
      }
    }
  });

  it('a percentile of the merged snapshot is not the average of the parts percentiles', () => {
    // Two agents: one fast (1 ms), one slow (100 ms). p50 of the union must be a real sample value.
    const fast = new StatsSnapshot();
    const slow = new StatsSnapshot();
    for (let i = 0; i < 900; i++) fast.recordResponse(1_000_000);
    for (let i = 0; i < 100; i++) slow.recordResponse(100_000_000);
    const merged = new StatsSnapshot('float64').add(fast).add(slow);
    assert.equal(merged.valueAtPercentileNs(50), fast.valueAtPercentileNs(50));
    assert.equal(merged.valueAtPercentileNs(95), slow.valueAtPercentileNs(95));
  });

  it('counts status classes like Hyperfoil (status / 100, anything else is other)', () => {
    const s = new StatsSnapshot();
    for (const status of [200, 299, 301, 404, 499, 500, 599, 100, 600, 0, -200]) s.recordStatus(status);
    assert.deepEqual(
      [s.status2xx, s.status3xx, s.status4xx, s.status5xx, s.statusOther],
      [2, 1, 2, 2, 4],
    );
    assert.equal(s.httpSeen, true);
  });

  it('clamps latencies outside [0, 60 s] and counts them, never throwing', () => {
    const s = new StatsSnapshot();
    s.recordResponse(HISTOGRAM_HIGHEST_TRACKABLE_NS * 3);
    s.recordResponse(-5);
    s.recordResponse(Number.NaN);
    s.recordResponse(1234.7); // fractional ns are truncated
    assert.equal(s.clampedCount, 3);
    assert.equal(s.responseCount, 4);
    assert.equal(s.maxNs(), s.histogram.highestEquivalentValue(HISTOGRAM_HIGHEST_TRACKABLE_NS));
    assert.equal(s.minNs(), 0);
  });

  it('merges extensions by key and counter name, and the interval as a union', () => {
    const a = new StatsSnapshot().setInterval(1000, 2000);
    const b = new StatsSnapshot().setInterval(2000, 3000);
    a.addToExtension('transfer', 'transfersize', 'sent', 10);
    b.addToExtension('transfer', 'transfersize', 'received', 7);
    b.addToExtension('exact', 'counters', '201', 2);
    const merged = new StatsSnapshot('float64').add(a).add(b);
    assert.deepEqual(merged.extension('transfer', 'transfersize').entries(), [
      ['sent', 10],
      ['received', 7],
    ]);
    assert.equal(merged.extensions.get('exact')?.get('201'), 2);
    assert.equal(merged.startMs, 1000);
    assert.equal(merged.endMs, 3000);
  });

  it('reset() empties everything for reuse and keeps extension names', () => {
    const s = new StatsSnapshot().setInterval(5, 6);
    s.recordResponse(1000);
    s.requestCount = 3;
    s.blockedTimeNs = 9;
    s.recordCacheHit();
    s.addToExtension('c', 'counters', 'x', 1);
    assert.equal(s.isEmpty, false);
    s.reset();
    assert.equal(s.isEmpty, true);
    assert.equal(s.histogram.totalCount, 0);
    assert.equal(s.httpSeen, false);
    assert.equal(s.startMs, UNSET_START_MS);
    assert.equal(s.extensions.get('c')?.get('x'), 0);
    s.recordResponse(2000);
    assert.equal(s.minNs(), 2000);
  });

  it('isEmpty sees every counter, blocked time and extensions', () => {
    const s = new StatsSnapshot();
    assert.equal(s.isEmpty, true);
    s.blockedTimeNs = 1;
    assert.equal(s.isEmpty, false);
    s.reset().addToExtension('t', 'transfersize', 'sent', 1);
    assert.equal(s.isEmpty, false);
  });

  it('clone() is deep and subtract() undoes add()', () => {
    const a = new StatsSnapshot();
    const b = new StatsSnapshot();
    for (const v of randomLatenciesNs(500, 7)) a.recordResponse(v);
    for (const v of randomLatenciesNs(300, 8)) b.recordResponse(v);
    a.connectionErrors = 2;
    b.connectionErrors = 5;
    const copy = a.clone('float64');
    copy.add(b);
    assert.equal(a.responseCount, 500, 'the original is untouched');
    copy.subtract(b);
    assert.deepEqual(toSummary(copy), toSummary(a));
  });
});
