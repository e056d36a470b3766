import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLOCKED_MESSAGE, evaluateSla, SlaWindow, windowBucketCount, type SlaSpec } from './sla.js';
import { StatsSnapshot } from './snapshot.js';

/** Hyperfoil's defaults: error and invalid ratios off (1.01), no blocking allowed. */
const LENIENT: SlaSpec = { errorRatio: 1.01, invalidRatio: 1.01, blockedRatio: 1000, limits: [] };

function snapshotWith(latenciesNs: readonly number[], fields: Partial<StatsSnapshot> = {}): StatsSnapshot {
  const s = new StatsSnapshot();
  for (const v of latenciesNs) s.recordResponse(v);
  s.requestCount = latenciesNs.length;
  Object.assign(s, fields);
  return s;
}

const ms = (n: number): number => n * 1_000_000;

describe('evaluateSla', () => {
  it('error ratio: errors / requests >= errorRatio, with Hyperfoil wording', () => {
    const s = snapshotWith(Array(100).fill(ms(1)), { connectionErrors: 2, requestTimeouts: 2, internalErrors: 1 });
    assert.equal(
      evaluateSla({ ...LENIENT, errorRatio: 0.05 }, s),
      'Error ratio exceeded: required 0.050, actual 0.050',
    );
    assert.equal(evaluateSla({ ...LENIENT, errorRatio: 0.051 }, s), null);
    // Errors without any request (the client counts every attempt as a request, so only lost data does this): the
    // ratio is bounded at 1, not Hyperfoil's Infinity.
    const onlyErrors = new StatsSnapshot();
    onlyErrors.connectionErrors = 1;
    assert.equal(evaluateSla({ ...LENIENT, errorRatio: 0.5 }, onlyErrors), 'Error ratio exceeded: required 0.500, actual 1.000');
    const moreErrorsThanRequests = snapshotWith([], { requestCount: 2, connectionErrors: 14 });
    assert.equal(evaluateSla({ ...LENIENT, errorRatio: 0.5 }, moreErrorsThanRequests), 'Error ratio exceeded: required 0.500, actual 1.000');
  });

  it('invalid ratio: invalid / requests, 0 while no response was recorded', () => {
    const s = snapshotWith(Array(90).fill(ms(1)), { requestCount: 100, invalid: 10 });
    assert.equal(
      evaluateSla({ ...LENIENT, invalidRatio: 0.1 }, s),
      'Invalid response ratio exceeded: required 0.100, actual 0.100',
    );
    assert.equal(evaluateSla({ ...LENIENT, invalidRatio: 0.1001 }, s), null);
    const noResponses = snapshotWith([], { requestCount: 10, invalid: 3 });
    assert.equal(evaluateSla({ ...LENIENT, invalidRatio: 0.2 }, noResponses), null);
  });

  it('mean response time: mean >= limit', () => {
    const s = snapshotWith(Array(10).fill(ms(1)));
    const mean = s.meanNs(); // 1001472: the middle of the bucket holding 1 ms
    assert.equal(mean, 1_001_472);
    assert.equal(
      evaluateSla({ ...LENIENT, meanResponseTimeNs: ms(1) }, s),
      'Mean response time exceeded: required 1000000, actual 1001472.000',
    );
    assert.equal(evaluateSla({ ...LENIENT, meanResponseTimeNs: 1_001_473 }, s), null);
  });

  it('blocked ratio: blocked / (blocked + mean * responses) > blockedRatio', () => {
    const s = snapshotWith(Array(10).fill(ms(1)), { blockedTimeNs: 1 });
    assert.equal(evaluateSla({ ...LENIENT, blockedRatio: 0 }, s), BLOCKED_MESSAGE);
    assert.equal(
      BLOCKED_MESSAGE,
      'Progress was blocked waiting for a free connection. Hint: increase http.sharedConnections.',
    );
    // ratio = 1 / (1 + 10 * 1001472) ~ 1e-8: passes at 1e-7, fails at 1e-9
    assert.equal(evaluateSla({ ...LENIENT, blockedRatio: 1e-7 }, s), null);
    assert.equal(evaluateSla({ ...LENIENT, blockedRatio: 1e-9 }, s), BLOCKED_MESSAGE);
  });

  it('percentile limits: 0.99 means p99 (deliberately fixing Hyperfoil, which checks about p0.99)', () => {
    // 95 fast responses (1 ms) and 5 slow ones (1 s): p99 is slow, p0.99 (what Hyperfoil evaluates) is fast.
    const s = snapshotWith([...Array(95).fill(ms(1)), ...Array(5).fill(ms(1000))]);
    const p99 = s.valueAtPercentileNs(99);
    assert.ok(p99 >= ms(1000));
    assert.ok(s.valueAtPercentileNs(0.99) < ms(2), 'Hyperfoil would see ~1 ms and pass');
    assert.equal(
      evaluateSla({ ...LENIENT, limits: [{ percentile: 99, latencyNs: ms(100) }] }, s),
      `Response time at percentile 0.990000 exceeded: required 100000000, actual ${p99}`,
    );
    // p90 is fast: that limit passes, so the second (failing) limit is the one reported.
    assert.equal(
      evaluateSla(
        {
          ...LENIENT,
          limits: [
            { percentile: 90, latencyNs: ms(100) },
            { percentile: 99.99, latencyNs: ms(500) },
          ],
        },
        s,
      ),
      `Response time at percentile 0.999900 exceeded: required 500000000, actual ${s.valueAtPercentileNs(99.99)}`,
    );
    assert.equal(evaluateSla({ ...LENIENT, limits: [{ percentile: 90, latencyNs: ms(100) }] }, s), null);
  });

  it('checks the rules in Hyperfoil order: errors, invalid, mean, blocked, limits', () => {
    const all: SlaSpec = {
      errorRatio: 0,
      invalidRatio: 0,
      blockedRatio: 0,
      meanResponseTimeNs: 1,
      limits: [{ percentile: 50, latencyNs: 1 }],
    };
    const s = snapshotWith(Array(10).fill(ms(5)), { connectionErrors: 1, invalid: 1, blockedTimeNs: 5 });
    assert.match(evaluateSla(all, s)!, /^Error ratio/);
    s.connectionErrors = 0;
    assert.match(evaluateSla(all, s)!, /^Invalid response ratio/);
    s.invalid = 0;
    assert.match(evaluateSla(all, s)!, /^Mean response time/);
    const { meanResponseTimeNs: _unused, ...withoutMean } = all;
    assert.equal(evaluateSla(withoutMean, s), BLOCKED_MESSAGE);
    s.blockedTimeNs = 0;
    assert.match(evaluateSla(withoutMean, s)!, /^Response time at percentile 0.500000/);
  });
});

describe('SlaWindow', () => {
  function bucket(second: number, requests: number, latencyNs: number): StatsSnapshot {
    const s = snapshotWith(Array(requests).fill(latencyNs));
    return s.setInterval(second * 1000, (second + 1) * 1000);
  }

  it('is full only after window/period buckets and then slides', () => {
    assert.equal(windowBucketCount({ ...LENIENT, windowMs: 3000 }, 1000), 3);
    assert.equal(windowBucketCount({ ...LENIENT, windowMs: 500 }, 1000), 1);
    const window = new SlaWindow(3);
    window.add(bucket(0, 1, ms(900)));
    window.add(bucket(1, 2, ms(1)));
    assert.equal(window.isFull, false);
    window.add(bucket(2, 3, ms(1)));
    assert.equal(window.isFull, true);
    assert.equal(window.current.requestCount, 6);
    assert.ok(window.current.maxNs() >= ms(900));
    window.add(bucket(3, 4, ms(1)));
    assert.equal(window.current.requestCount, 9, 'bucket 0 left the window');
    assert.ok(window.current.maxNs() < ms(2), 'and so did its slow sample');
    assert.deepEqual([window.current.startMs, window.current.endMs], [1000, 4000]);
  });

  it('copies the buckets it is given', () => {
    const window = new SlaWindow(2);
    const b = bucket(0, 5, ms(1));
    window.add(b);
    b.reset();
    window.add(bucket(1, 1, ms(1)));
    assert.equal(window.current.requestCount, 6);
  });
});
