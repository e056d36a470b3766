import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  agentCsv,
  failuresCsv,
  histogramCsv,
  seriesCsv,
  sessionsCsv,
  statsCsvFiles,
  SUMMARY_CSV_HEADER,
  totalCsv,
} from './csv.js';
import { metricFileName, sanitizeFileName } from './names.js';
import { StatsSnapshot } from './snapshot.js';
import { StatisticsStore } from './store.js';
import { httpBucket, ms, T0 } from './test-support.js';


function sampleStore(): StatisticsStore {
  const store = new StatisticsStore({ mergeDelayBuckets: 2 });
  store.add('agent-1', 'main/000/fork', 1, 'get', 0, httpBucket(0, [ms(1), ms(2)]));
  store.add('agent-2', 'main/000/fork', 1, 'get', 0, httpBucket(0, [ms(3)]));
  const custom = new StatsSnapshot().setInterval(T0, T0 + 1000);
  custom.recordResponse(ms(7));
  custom.requestCount = 1;
  custom.addToExtension('transfer', 'transfersize', 'sent', 42);
  store.add('agent-1', 'main/000/fork', 0, 'custom', 0, custom);
  store.recordSessions('agent-1', 'main/000/fork', T0, 1, 3);
  store.recordSessions('agent-2', 'main/000/fork', T0, 0, 2);
  store.completePhase('main/000/fork');
  return store;
}

describe('CSV writers', () => {
  it("total.csv has exactly Hyperfoil's header, extension columns sorted", () => {
    const header = totalCsv(sampleStore()).split('\n')[0];
    assert.equal(
      header,
      'Phase,Metric,Start,End,Requests,Responses,Mean,StdDev,Min,p50.0,p90.0,p99.0,p99.9,p99.99,Max,' +
        'ConnectionErrors,RequestTimeouts,InternalErrors,Invalid,BlockedTime,' +
        'http.2xx,http.3xx,http.4xx,http.5xx,http.CacheHits,http.OtherStatus,transfer.received,transfer.sent,' +
        'MinSessions,MaxSessions',
    );
    const empty = totalCsv(new StatisticsStore());
    assert.equal(
      empty,
      'Phase,Metric,Start,End,Requests,Responses,Mean,StdDev,Min,p50.0,p90.0,p99.0,p99.9,p99.99,Max,' +
        'ConnectionErrors,RequestTimeouts,InternalErrors,Invalid,BlockedTime,MinSessions,MaxSessions\n',
    );
  });

  it('writes total.csv rows sorted by phase, metric, step with empty cells for missing extensions', () => {
    const lines = totalCsv(sampleStore()).trimEnd().split('\n');
    assert.equal(lines.length, 3);
    // custom < get; the custom metric has no http extension and get has no transfer extension.
    assert.match(lines[1]!, /^main\/000\/fork,custom,1700000000000,1700000001000,1,1,/);
    assert.match(lines[1]!, /,,,,,,,0,42,1,5$/);
    // get: 3 requests, p50 is the 2 ms bucket's highest value, http.2xx = 3, sessions summed: (1+0, 3+2)
    const cells = lines[2]!.split(',');
    assert.deepEqual(cells.slice(0, 6), ['main/000/fork', 'get', '1700000000000', '1700000001000', '3', '3']);
    assert.equal(cells[9], String(new StatsSnapshot().histogram.highestEquivalentValue(ms(2))));
    assert.deepEqual(cells.slice(20), ['3', '0', '0', '0', '0', '0', '', '', '1', '5']);
  });

  it('writes agent.<name>.csv with that agent rows only and its own session extremes', () => {
    const lines = agentCsv(sampleStore(), 'agent-2').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const cells = lines[1]!.split(',');
    assert.deepEqual(cells.slice(0, 6), ['main/000/fork', 'get', '1700000000000', '1700000001000', '1', '1']);
    assert.deepEqual(cells.slice(-2), ['0', '2']);
  });

  it('writes failures.csv with a quoted message and "null" for phase-wide failures', () => {
    const store = sampleStore();
    store.addFailure('main/000/fork', null, 'Exceeded session limit', T0, T0 + 5000);
    const csv = failuresCsv(store);
    assert.equal(csv.split('\n')[0], `Phase,Metric,Message,Start,End,${SUMMARY_CSV_HEADER}`);
    assert.equal(
      csv.split('\n')[1],
      'main/000/fork,null,"Exceeded session limit",1700000000000,1700000005000,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0',
    );
  });

  it('writes series.csv one row per bucket', () => {
    const store = sampleStore();
    const csv = seriesCsv(store.get('main/000/fork', 1, 'get')!.series);
    const lines = csv.trimEnd().split('\n');
    assert.equal(lines[0], `Start,End,${SUMMARY_CSV_HEADER},http.2xx,http.3xx,http.4xx,http.5xx,http.CacheHits,http.OtherStatus`);
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /^1700000000000,1700000001000,3,3,/);
  });

  it('writes the percentile distribution exactly as Java HdrHistogram does (ns scaled to ms)', () => {
    const s = new StatsSnapshot();
    for (const v of [ms(1), ms(2), ms(3), ms(100)]) s.recordResponse(v);
    // Expected: Java HdrHistogram 2.2.2 outputPercentileDistribution(out, 5, 1e6, true) on the same values.
    assert.equal(
      histogramCsv(s),
      [
        '"Value","Percentile","TotalCount","1/(1-Percentile)"',
        '1.00,0.000000000000,1,1.00',
        '1.00,0.100000000000,1,1.11',
        '1.00,0.200000000000,1,1.25',
        '2.01,0.300000000000,2,1.43',
        '2.01,0.400000000000,2,1.67',
        '2.01,0.500000000000,2,2.00',
        '3.01,0.550000000000,3,2.22',
        '3.01,0.600000000000,3,2.50',
        '3.01,0.650000000000,3,2.86',
        '3.01,0.700000000000,3,3.33',
        '3.01,0.750000000000,3,4.00',
        '100.14,0.775000000000,4,4.44',
        '100.14,1.000000000000,4,Infinity',
        '',
      ].join('\n'),
    );
    assert.equal(histogramCsv(new StatsSnapshot()), '"Value","Percentile","TotalCount","1/(1-Percentile)"\n');
  });

  it('writes <phase>.sessions.csv with agents interleaved', () => {
    assert.equal(
      sessionsCsv(sampleStore(), 'main/000/fork'),
      `Timestamp,Agent,MinSessions,MaxSessions\n${T0},agent-1,1,3\n${T0},agent-2,0,2\n`,
    );
  });

  it('names files like Hyperfoil, with "/" in phase names turned into "_"', () => {
    assert.equal(sanitizeFileName('main/000/fork'), 'main_000_fork');
    assert.equal(metricFileName('main/000', 'a/b', 3, 'histogram'), 'main_000.a_b.3.histogram.csv');
    assert.equal(metricFileName('main', 'get', 1, 'series', 'agent-1'), 'main.get.1.agent.agent-1.series.csv');
    const names = statsCsvFiles(sampleStore()).map((f) => f.name);
    assert.deepEqual(names, [
      'total.csv',
      'main_000_fork.custom.0.histogram.csv',
      'main_000_fork.custom.0.series.csv',
      'main_000_fork.get.1.histogram.csv',
      'main_000_fork.get.1.series.csv',
      'agent.agent-1.csv',
      'main_000_fork.custom.0.agent.agent-1.histogram.csv',
      'main_000_fork.custom.0.agent.agent-1.series.csv',
      'main_000_fork.get.1.agent.agent-1.histogram.csv',
      'main_000_fork.get.1.agent.agent-1.series.csv',
      'agent.agent-2.csv',
      'main_000_fork.get.1.agent.agent-2.histogram.csv',
      'main_000_fork.get.1.agent.agent-2.series.csv',
      'failures.csv',
      'main_000_fork.sessions.csv',
    ]);
  });

  it('quotes names only when they contain CSV specials', () => {
    const store = new StatisticsStore();
    store.add('a', 'main', 1, 'with,comma', 0, httpBucket(0, [ms(1)]));
    assert.match(totalCsv(store).split('\n')[1]!, /^main,"with,comma",/);
  });
});
