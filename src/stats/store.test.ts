import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeSnapshot } from './codec.js';
import type { SlaSpec } from './sla.js';
import { StatsSnapshot } from './snapshot.js';
import { StatisticsStore, type SlaFailure } from './store.js';
import { toSummary } from './summary.js';

const T0 = 1_700_000_000_000;
const ms = (n: number): number => n * 1_000_000;

/** An agent's bucket `seq` of phase "main" with `requests` requests of `latencyNs` each. */
function bucket(seq: number, requests: number, latencyNs: number, errors = 0): StatsSnapshot {
  const s = new StatsSnapshot().setInterval(T0 + seq * 1000, T0 + (seq + 1) * 1000);
  for (let i = 0; i < requests; i++) {
    s.recordResponse(latencyNs);
    s.recordStatus(200);
  }
  s.requestCount = requests;
  s.connectionErrors = errors;
  return s;
}

describe('StatisticsStore', () => {
  it('keeps exact cluster and per-agent totals', () => {
    const store = new StatisticsStore();
    const expectedTotal = new StatsSnapshot('float64');
    const expectedA = new StatsSnapshot('float64');
    for (let seq = 0; seq < 5; seq++) {
      const a = bucket(seq, 10 + seq, ms(1 + seq));
      const b = bucket(seq, 3, ms(50));
      store.add('agent-a', 'main', 1, 'get', seq, a);
      store.add('agent-b', 'main', 1, 'get', seq, b);
      expectedTotal.add(a).add(b);
      expectedA.add(a);
    }
    const data = store.get('main', 1, 'get')!;
    assert.deepEqual(toSummary(data.total), toSummary(expectedTotal));
    assert.deepEqual(toSummary(data.perAgent.get('agent-a')!), toSummary(expectedA));
    assert.deepEqual(store.agents(), ['agent-a', 'agent-b']);
    const [total] = store.total();
    assert.equal(total!.summary.requestCount, 5 * 3 + 10 + 11 + 12 + 13 + 14);
    assert.deepEqual(total!.failedSLAs, []);
  });

  it('merges a bucket into the series once mergeDelayBuckets newer buckets arrived, all at completion', () => {
    const store = new StatisticsStore({ mergeDelayBuckets: 2 });
    for (let seq = 0; seq < 5; seq++) {
      store.add('a', 'main', 1, 'get', seq, bucket(seq, 1, ms(1)));
      store.add('b', 'main', 1, 'get', seq, bucket(seq, 2, ms(1)));
    }
    const data = store.get('main', 1, 'get')!;
    // highest seq 4, delay 2: buckets 0..2 are complete
    assert.deepEqual(data.series.map((s) => [s.startTime - T0, s.requestCount]), [[0, 3], [1000, 3], [2000, 3]]);
    assert.deepEqual(data.agentSeries.get('b')!.map((s) => s.requestCount), [2, 2, 2]);
    store.completePhase('main');
    assert.equal(data.series.length, 5);
    assert.equal(data.completed, true);
    assert.deepEqual(store.consistencyProblems(), []);
  });

  it('counts a snapshot for an already merged bucket in the totals only, and reports the gap', () => {
    const store = new StatisticsStore({ mergeDelayBuckets: 2 });
    for (let seq = 0; seq < 4; seq++) store.add('a', 'main', 1, 'get', seq, bucket(seq, 1, ms(1)));
    store.add('a', 'main', 1, 'get', 0, bucket(0, 5, ms(1))); // late re-send of bucket 0 (merged already)
    store.add('a', 'main', 1, 'get', 3, bucket(3, 7, ms(1))); // re-send of pending bucket 3: merged normally
    store.completePhase('main');
    const data = store.get('main', 1, 'get')!;
    assert.equal(data.total.requestCount, 4 + 5 + 7);
    assert.equal(data.lateSnapshots, 1);
    assert.deepEqual(data.series.map((s) => s.requestCount), [1, 1, 1, 8]);
    assert.match(store.consistencyProblems().join('\n'), /series hold 11 requests but the total is 16/);
  });

  it('keeps only the newest buckets dense and still merges late re-sends of older pending buckets exactly', () => {
    const store = new StatisticsStore({ mergeDelayBuckets: 10 });
    for (let seq = 0; seq < 8; seq++) {
      store.add('a', 'main', 1, 'get', seq, bucket(seq, 2, ms(1)));
      store.add('b', 'main', 1, 'get', seq, bucket(seq, 1, ms(1)));
    }
    const data = store.get('main', 1, 'get')!;
    assert.deepEqual(data.pendingBuckets(), { total: 8, hot: 3 });
    store.add('a', 'main', 1, 'get', 1, bucket(1, 5, ms(300))); // late re-send of cold bucket 1
    store.completePhase('main');
    assert.deepEqual(data.pendingBuckets(), { total: 0, hot: 0 });
    assert.deepEqual(data.series.map((s) => s.requestCount), [3, 8, 3, 3, 3, 3, 3, 3]);
    const aBucket1 = data.agentSeries.get('a')![1]!;
    assert.equal(aBucket1.requestCount, 7);
    assert.ok(aBucket1.maxResponseTime >= ms(300), 'the agent summary was recomputed from both parts');
    assert.ok(data.series[1]!.percentileResponseTime['99.0']! >= ms(300));
    assert.deepEqual(store.consistencyProblems(), []);
  });

  it('recent() is the newest bucket but one, summed over agents, if it started within 5 s', () => {
    const store = new StatisticsStore({ mergeDelayBuckets: 60 });
    for (let seq = 0; seq < 4; seq++) {
      store.add('a', 'main', 1, 'get', seq, bucket(seq, 10 * (seq + 1), ms(1)));
      store.add('b', 'main', 1, 'get', seq, bucket(seq, 1, ms(1)));
    }
    store.add('a', 'main', 1, 'get', 4, bucket(4, 99, ms(1))); // newest: likely incomplete, not shown
    const recent = store.recent(T0 + 5200);
    assert.equal(recent.length, 1);
    assert.equal(recent[0]!.summary.requestCount, 41, 'bucket 3: 40 from a + 1 from b');
    assert.equal(recent[0]!.summary.startTime, T0 + 3000);
    assert.deepEqual(store.recent(T0 + 8001), [], 'bucket 3 started more than 5 s before');
  });

  it('sorts recent() and total() by start time, phase, metric', () => {
    const store = new StatisticsStore({ isWarmup: (phase) => phase === 'warmup' });
    store.add('a', 'main', 2, 'b-metric', 0, bucket(5, 1, ms(1)));
    store.add('a', 'main', 1, 'a-metric', 0, bucket(5, 1, ms(1)));
    store.add('a', 'warmup', 1, 'a-metric', 0, bucket(0, 1, ms(1)));
    assert.deepEqual(
      store.total().map((r) => [r.phase, r.metric, r.isWarmup]),
      [
        ['warmup', 'a-metric', true],
        ['main', 'a-metric', false],
        ['main', 'b-metric', false],
      ],
    );
    assert.deepEqual(
      store.entries().map((d) => `${d.phase}/${d.metric}`),
      ['main/a-metric', 'main/b-metric', 'warmup/a-metric'],
    );
  });

  it('checks windowed SLAs as buckets complete, only once the window is full', () => {
    const failures: SlaFailure[] = [];
    const windowed: SlaSpec = { windowMs: 2000, errorRatio: 0.5, invalidRatio: 1.01, blockedRatio: 1000, limits: [] };
    const store = new StatisticsStore({
      mergeDelayBuckets: 2,
      slas: (_phase, stepId) => (stepId === 1 ? [windowed] : []),
      onFailure: (f) => failures.push(f),
    });
    // errors/requests per bucket: 0: 10/10, 1: 0/10, 2: 0/10, 3: 10/10, 4: 10/10
    const errorsPerBucket = [10, 0, 0, 10, 10];
    errorsPerBucket.forEach((errors, seq) => store.add('a', 'main', 1, 'get', seq, bucket(seq, 10, ms(1), errors)));
    store.add('a', 'main', 1, 'get', 5, bucket(5, 10, ms(1)));
    store.add('a', 'main', 1, 'get', 6, bucket(6, 10, ms(1)));
    // Merged through bucket 4. Windows (buckets 0+1: ratio 0.5 fails), (1+2: 0), (2+3: 0.5 fails), (3+4: 1 fails).
    // Bucket 0 alone (ratio 1) is not checked: the window was not full yet.
    assert.deepEqual(
      failures.map((f) => [f.startMs - T0, f.endMs - T0, f.message]),
      [
        [0, 2000, 'Error ratio exceeded: required 0.500, actual 0.500'],
        [2000, 4000, 'Error ratio exceeded: required 0.500, actual 0.500'],
        [3000, 5000, 'Error ratio exceeded: required 0.500, actual 1.000'],
      ],
    );
    assert.equal(failures[0]!.summary.requestCount, 20);
    assert.equal(failures[0]!.metric, 'get');
    // The windowed SLA is not re-checked on the whole phase at completion.
    store.completePhase('main');
    assert.equal(store.failures.length, 3 + 1, 'bucket 5+4 window (ratio 0.5) fails at completion too');
    assert.equal(store.passed, false);
  });

  it('validates whole-phase SLAs at completePhase() against the total', () => {
    const sla: SlaSpec = {
      errorRatio: 1.01,
      invalidRatio: 1.01,
      blockedRatio: 1000,
      limits: [{ percentile: 99, latencyNs: ms(100) }],
    };
    const store = new StatisticsStore({ slas: () => [sla] });
    for (let seq = 0; seq < 3; seq++) store.add('a', 'main', 1, 'get', seq, bucket(seq, 100, ms(1)));
    store.add('a', 'main', 1, 'get', 3, bucket(3, 10, ms(500)));
    store.add('a', 'other', 1, 'get', 0, bucket(0, 100, ms(1)));
    assert.equal(store.failures.length, 0, 'nothing is checked before completion');
    store.completePhase('main');
    store.completePhase('other');
    assert.equal(store.failures.length, 1);
    const failure = store.failures[0]!;
    assert.equal(failure.phase, 'main');
    assert.match(failure.message, /^Response time at percentile 0.990000 exceeded: required 100000000, actual 5\d{8}$/);
    assert.equal(failure.summary.requestCount, 310);
    assert.deepEqual([failure.startMs, failure.endMs], [T0, T0 + 4000]);
    assert.deepEqual(store.total().find((r) => r.phase === 'main')!.failedSLAs, [failure.message]);
    assert.deepEqual(store.total().find((r) => r.phase === 'other')!.failedSLAs, []);
  });

  it('keeps at most maxFailures failures but reports every one', () => {
    let reported = 0;
    const store = new StatisticsStore({ onFailure: () => reported++ });
    for (let i = 0; i < 150; i++) store.addFailure('main', null, 'Exceeded session limit', T0, T0 + 1000);
    assert.equal(store.failures.length, 100);
    assert.equal(reported, 150);
    store.add('a', 'main', 1, 'get', 0, bucket(0, 1, ms(1)));
    assert.equal(store.total()[0]!.failedSLAs.length, 100, 'a phase-wide failure (metric null) applies to every metric');
  });

  it('addEncoded() gives the same result as add() and rejects garbage without adding anything', () => {
    const plain = new StatisticsStore({ mergeDelayBuckets: 2 });
    const wire = new StatisticsStore({ mergeDelayBuckets: 2 });
    for (let seq = 0; seq < 6; seq++) {
      const s = bucket(seq, 5 + seq, ms(seq + 1), seq % 2);
      s.addToExtension('transfer', 'transfersize', 'sent', 100 * seq);
      plain.add('a', 'main', 1, 'get', seq, s);
      wire.addEncoded('a', 'main', 1, 'get', seq, encodeSnapshot(s));
    }
    assert.throws(() => wire.addEncoded('a', 'main', 1, 'get', 6, Buffer.from('garbage')), /Cannot decode/);
    plain.completePhase('main');
    wire.completePhase('main');
    assert.deepEqual(wire.total(), plain.total());
    assert.deepEqual(wire.get('main', 1, 'get')!.series, plain.get('main', 1, 'get')!.series);
  });

  it('widens the phase interval with adjustPhaseTimestamps()', () => {
    const store = new StatisticsStore();
    store.add('a', 'main', 1, 'get', 0, bucket(1, 1, ms(1)));
    store.adjustPhaseTimestamps('main', T0, T0 + 10_000);
    const total = store.total()[0]!.summary;
    assert.deepEqual([total.startTime, total.endTime], [T0, T0 + 10_000]);
  });

  it('rejects a merge delay below 2 (recent() needs the newest bucket but one)', () => {
    assert.throws(() => new StatisticsStore({ mergeDelayBuckets: 1 }), /mergeDelayBuckets/);
  });
});

describe('session statistics', () => {
  it('sums the agents record by record for the cluster, and takes extremes per agent', () => {
    const store = new StatisticsStore();
    store.recordSessions('a', 'main', T0, 2, 10);
    store.recordSessions('b', 'main', T0, 1, 4);
    store.recordSessions('a', 'main', T0 + 1000, 5, 7);
    store.recordSessions('b', 'main', T0 + 1000, 0, 1);
    // sums per period: (3, 14), (5, 8) -> min 3, max 14
    assert.deepEqual(store.sessions.total('main'), { min: 3, max: 14 });
    assert.deepEqual(store.sessions.forAgent('main', 'b'), { min: 0, max: 4 });
    assert.equal(store.sessions.total('other'), undefined);
    assert.deepEqual(store.sessions.recentByAgent(T0 + 500), { main: { a: { min: 5, max: 7 }, b: { min: 0, max: 1 } } });
    assert.deepEqual(store.sessions.totalByAgent(), { main: { a: { min: 2, max: 10 }, b: { min: 0, max: 4 } } });
  });
});
