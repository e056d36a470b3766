import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { HistogramWalk } from './histogram-iteration.js';
import {
  agentsJson,
  allJson,
  failuresJson,
  histogramBuckets,
  histogramJson,
  histogramResponseJson,
  requestStatisticsResponse,
  sessionsJson,
  statsJson,
} from './json.js';
import { splitPhaseName } from './names.js';
import { StatsSnapshot } from './snapshot.js';
import { StatisticsStore } from './store.js';
import { toSummary } from './summary.js';
import { httpBucket, ms, randomLatenciesNs, T0 } from './test-support.js';


describe('phase names', () => {
  it('splits phase/iteration/fork as Hyperfoil does', () => {
    assert.deepEqual(splitPhaseName('main'), { phase: 'main', iteration: '', fork: '' });
    assert.deepEqual(splitPhaseName('main/000'), { phase: 'main', iteration: '000', fork: '' });
    assert.deepEqual(splitPhaseName('main/browse'), { phase: 'main', iteration: '', fork: 'browse' });
    assert.deepEqual(splitPhaseName('main/001/browse'), { phase: 'main', iteration: '001', fork: 'browse' });
    assert.deepEqual(splitPhaseName('main/'), { phase: 'main', iteration: '', fork: '' });
  });
});

describe('StatisticsSummary JSON', () => {
  it('has Hyperfoil field order, ns values, string percentile keys and a typed http extension', () => {
    const s = httpBucket(0, [ms(1), ms(2), ms(3)]);
    s.addToExtension('transfer', 'transfersize', 'received', 5);
    const summary = toSummary(s);
    assert.deepEqual(Object.keys(summary), [
      'startTime',
      'endTime',
      'minResponseTime',
      'meanResponseTime',
      'stdDevResponseTime',
      'maxResponseTime',
      'percentileResponseTime',
      'requestCount',
      'responseCount',
      'invalid',
      'connectionErrors',
      'requestTimeouts',
      'internalErrors',
      'blockedTime',
      'extensions',
    ]);
    assert.deepEqual(Object.keys(summary.percentileResponseTime), ['50.0', '90.0', '99.0', '99.9', '99.99']);
    assert.ok(Number.isInteger(summary.meanResponseTime) && Number.isInteger(summary.stdDevResponseTime));
    assert.deepEqual(summary.extensions, {
      http: { '@type': 'http', status_2xx: 3, status_3xx: 0, status_4xx: 0, status_5xx: 0, status_other: 0, cacheHits: 0 },
      transfer: { '@type': 'transfersize', sent: 0, received: 5 },
    });
    assert.deepEqual(toSummary(new StatsSnapshot()).extensions, {}, 'no http extension without any status');
  });
});

describe('all.json builders', () => {
  function store(): StatisticsStore {
    const st = new StatisticsStore({ mergeDelayBuckets: 2, isWarmup: (p) => p === 'warm' });
    for (let seq = 0; seq < 3; seq++) {
      st.add('agent-a', 'main/001/fork', 1, 'get', seq, httpBucket(seq, randomLatenciesNs(200, seq).map((v) => v % ms(40))));
      st.add('agent-b', 'main/001/fork', 1, 'get', seq, httpBucket(seq, [ms(5), ms(6)]));
    }
    st.add('agent-a', 'warm', 1, 'get', 0, httpBucket(0, [ms(1)]));
    st.recordSessions('agent-a', 'main/001/fork', T0, 4, 9);
    st.addFailure('main/001/fork', 'get', 'Mean response time exceeded: required 1, actual 2.000', T0, T0 + 3000);
    st.completePhase('main/001/fork');
    st.completePhase('warm');
    return st;
  }

  it('builds stats[] entries with the split name, warmup flag, total, histogram and series', () => {
    const st = store();
    const entries = statsJson(st);
    assert.deepEqual(
      entries.map((e) => [e.name, e.phase, e.iteration, e.fork, e.metric, e.isWarmup]),
      [
        ['main/001/fork', 'main', '001', 'fork', 'get', false],
        ['warm', 'warm', '', '', 'get', true],
      ],
    );
    const main = entries[0]!;
    assert.deepEqual(Object.keys(main), ['name', 'phase', 'iteration', 'fork', 'metric', 'isWarmup', 'total', 'histogram', 'series']);
    assert.deepEqual(Object.keys(main.total), ['phase', 'metric', 'start', 'end', 'summary', 'failures', 'minSessions', 'maxSessions']);
    assert.equal(main.total.summary.requestCount, 3 * 202);
    assert.equal(main.total.failures, 1);
    assert.deepEqual([main.total.minSessions, main.total.maxSessions], [4, 9]);
    assert.equal(main.series.length, 3);
    assert.equal(entries[1]!.total.minSessions, 0, 'no session figures: 0, 0');
  });

  it('histogram.percentiles covers every sample; histogram.linear has 1 ms buckets up to p95 then the rest', () => {
    const s = new StatsSnapshot();
    for (const v of randomLatenciesNs(5000, 9).map((x) => x % ms(30))) s.recordResponse(v);
    for (let i = 0; i < 100; i++) s.recordResponse(ms(500)); // a far tail, beyond p95
    const { percentiles, linear } = histogramJson(s);
    const total = s.histogram.totalCount;
    assert.equal(percentiles.reduce((sum, b) => sum + b.count, 0), total);
    assert.equal(percentiles.at(-1)!.totalCount, total);
    assert.equal(linear.reduce((sum, b) => sum + b.count, 0), total);
    const last = linear.at(-1)!;
    assert.equal(last.totalCount, total);
    assert.ok(last.to >= ms(500), 'the rest bucket reaches the tail');
    const beforeLast = linear.at(-2)!;
    assert.ok(beforeLast.to - beforeLast.from <= ms(1) || beforeLast.count === 0, '1 ms buckets (or merged empty runs)');
    for (const bucket of [...percentiles, ...linear]) {
      assert.ok(bucket.percentile >= 0 && bucket.percentile <= 1, 'percentile is a 0..1 fraction');
      assert.ok(bucket.from <= bucket.to);
    }
    // Runs of empty steps are merged into one bucket with count 0.
    for (let i = 1; i < linear.length; i++) assert.ok(!(linear[i]!.count === 0 && linear[i - 1]!.count === 0));
    assert.deepEqual(histogramBuckets(HistogramWalk.linear(new StatsSnapshot().histogram, ms(1)), 95), []);
  });

  it('builds agents[], failures[] and sessions[]', () => {
    const st = store();
    const agents = agentsJson(st);
    assert.deepEqual(agents.map((a) => [a.name, a.stats.map((e) => e.name)]), [
      ['agent-a', ['main/001/fork', 'warm']],
      ['agent-b', ['main/001/fork']],
    ]);
    const b = agents[1]!.stats[0]!;
    assert.equal(b.total.summary.requestCount, 6);
    assert.equal(b.total.failures, undefined, 'no failure count per agent');
    assert.equal(b.series.length, 3);
    assert.deepEqual(failuresJson(st), [
      {
        phase: 'main/001/fork',
        metric: 'get',
        message: 'Mean response time exceeded: required 1, actual 2.000',
        start: T0,
        end: T0 + 3000,
        percentileResponseTime: { '50.0': 0, '90.0': 0, '99.0': 0, '99.9': 0, '99.99': 0 },
      },
    ]);
    assert.deepEqual(sessionsJson(st), [
      {
        name: 'main/001/fork',
        phase: 'main',
        iteration: '001',
        fork: 'fork',
        sessions: [{ timestamp: T0, agent: 'agent-a', minSessions: 4, maxSessions: 9 }],
      },
    ]);
    const doc = allJson(st, { info: { id: '0001' }, version: '0.1.0', commit: 'abc' });
    assert.deepEqual(Object.keys(doc), [
      'info',
      '$schema',
      'version',
      'commit',
      'failures',
      'stats',
      'sessions',
      'agents',
      'connections',
      'agentCpu',
    ]);
    assert.equal(doc.$schema, 'http://hyperfoil.io/run-schema/v3.0');
    JSON.parse(JSON.stringify(doc)); // serializable
  });

  it('builds the REST statistics and histogram responses', () => {
    const st = store();
    const response = requestStatisticsResponse('TERMINATED', st.total());
    assert.deepEqual(Object.keys(response.statistics[0]!), ['phase', 'stepId', 'metric', 'summary', 'failedSLAs', 'isWarmup']);
    const data = st.get('main/001/fork', 1, 'get')!;
    const histogram = histogramResponseJson('main/001/fork', 'get', data.total);
    assert.deepEqual([histogram.startTime, histogram.endTime], [T0, T0 + 3000]);
    const decoded = decodeFromCompressedBase64(histogram.data);
    assert.equal(decoded.totalCount, data.total.histogram.totalCount);
    assert.equal(decoded.getValueAtPercentile(90), data.total.valueAtPercentileNs(90));
  });
});
