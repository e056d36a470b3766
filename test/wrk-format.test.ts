/**
 * The pieces of the wrk facades that need no process: the benchmark they build (parsed by the real config layer)
 * and wrk's number formats and column alignment (checked against lines wrk itself prints).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBenchmark } from '../src/config/index.js';
import { buildWrkBenchmark, parseWrkHeader, parseWrkUrl } from '../src/cli/commands/wrk-benchmark.js';
import type { WrkOptions } from '../src/cli/commands/wrk-benchmark.js';
import {
  formatWrkBinary, formatWrkDuration, formatWrkMetric, formatWrkTimeUs, renderWrkReport, sampleStats, unitsColumn, withinStdDevPct, wrkFigures,
} from '../src/cli/commands/wrk-report.js';
import { StatsSnapshot } from '../src/stats/index.js';

const BASE: WrkOptions = {
  url: 'http://localhost:8080/a/b?c=d', connections: 10, threads: 2, durationMs: 10_000, warmupMs: 6_000,
  headers: ['Accept: application/json'], timeoutMs: 60_000, enableHttp2: false, useHttpCache: false,
};

describe('wrk benchmark', () => {
  it('builds calibration then test, always users = connections, as Hyperfoil does', () => {
    const benchmark = parseBenchmark(buildWrkBenchmark(BASE, 'wrk'), { fileName: 'wrk.hf.yaml' });
    assert.equal(benchmark.threads, 2);
    assert.equal(benchmark.failurePolicy, 'CONTINUE');
    assert.equal(benchmark.ergonomics.repeatCookies, false);
    assert.equal(benchmark.ergonomics.userAgentFromSession, false);
    assert.equal(benchmark.http[0]!.sharedConnections.max, 10);
    assert.equal(benchmark.http[0]!.useHttpCache, false);
    assert.equal(benchmark.http[0]!.allowHttp2, false);
    const [calibration, test] = benchmark.phases;
    assert.equal(calibration!.name, 'calibration');
    assert.equal(test!.name, 'test');
    assert.deepEqual(test!.startAfterStrict, ['calibration']);
    assert.equal(calibration!.durationMs, 6_000);
    assert.equal(calibration!.maxDurationMs, 66_000, 'warm-up plus the request timeout');
    assert.equal(test!.durationMs, 10_000);
    assert.equal(test!.maxDurationMs, 10_000);
    assert.deepEqual({ type: test!.model.type, users: (test!.model as { users: number }).users }, { type: 'always', users: 10 });
    assert.equal(test!.scenario?.maxRequests, 1);
  });

  it('builds constant-rate phases with even gaps for wrk2, and no calibration for a zero warm-up', () => {
    const benchmark = parseBenchmark(buildWrkBenchmark({ ...BASE, ratePerSec: 5000, warmupMs: 0 }, 'wrk2'), { fileName: 'wrk2.hf.yaml' });
    assert.deepEqual(benchmark.phases.map((p) => p.name), ['test']);
    const model = benchmark.phases[0]!.model as { type: string; usersPerSec: number; variance: boolean; maxSessions: number };
    assert.deepEqual({ type: model.type, rate: model.usersPerSec, variance: model.variance, sessions: model.maxSessions },
      { type: 'constantRate', rate: 5000, variance: false, sessions: 5000 });
    assert.equal(benchmark.ergonomics.compensateInternalLatency, true, 'latency from the scheduled start');
  });

  it('splits URLs and headers as wrk does', () => {
    assert.deepEqual(parseWrkUrl('https://h:8443'), { origin: 'https://h:8443', path: '/' });
    assert.deepEqual(parseWrkUrl('http://h/p?q=${x}'), { origin: 'http://h', path: '/p?q=${x}' });
    assert.deepEqual(parseWrkHeader('Host: a:80'), ['Host', 'a:80']);
    assert.throws(() => parseWrkHeader('no colon'), /must be `Name: value`/);
  });
});

describe('wrk output format', () => {
  it('formats numbers with wrk\'s units', () => {
    assert.equal(formatWrkTimeUs(635.91), '635.91us');
    assert.equal(formatWrkTimeUs(890), '890.00us');
    assert.equal(formatWrkTimeUs(12_920), '12.92ms');
    assert.equal(formatWrkTimeUs(2_500_000), '2.50s');
    assert.equal(formatWrkTimeUs(90e6), '1.50m');
    assert.equal(formatWrkMetric(56_200), '56.20k');
    assert.equal(formatWrkMetric(101.7), '101.70');
    assert.equal(formatWrkBinary(1.75 * 1024 ** 3), '1.75G');
    assert.equal(formatWrkBinary(512), '512.00');
    assert.equal(formatWrkDuration(10_000), '10s');
    assert.equal(formatWrkDuration(120_000), '2m');
    assert.equal(formatWrkDuration(1_500), '1.5s');
  });

  it('aligns columns as wrk does (lines from wrk 4.1)', () => {
    // "    Latency   635.91us    0.89ms  12.92ms   93.69%" and "    Req/Sec    56.20k     8.07k   62.89k    86.54%"
    assert.equal(`    ${'Latency'.padEnd(10)}${unitsColumn('635.91us', 8)}${unitsColumn('0.89ms', 10)}${unitsColumn('12.92ms', 9)}`,
      '    Latency   635.91us    0.89ms  12.92ms');
    assert.equal(`    ${'Req/Sec'.padEnd(10)}${unitsColumn('56.20k', 8)}${unitsColumn('8.07k', 10)}${unitsColumn('62.89k', 9)}`,
      '    Req/Sec    56.20k     8.07k   62.89k ');
    assert.equal(unitsColumn('101.70', 8), '101.70  ');
  });

  it('computes the +/- Stdev shares from the histogram and from the per-second samples', () => {
    const total = new StatsSnapshot('float64').setInterval(0, 4000);
    // 8 responses at 1 ms and 2 at 10 ms: mean 2.8 ms, stdev 3.6 ms → only the 1 ms ones are within one stdev.
    for (let i = 0; i < 8; i++) total.recordResponse(1e6);
    for (let i = 0; i < 2; i++) total.recordResponse(10e6);
    assert.ok(Math.abs(withinStdDevPct(total) - 80) < 1e-9);
    const stats = sampleStats([10, 10, 10, 30]);
    assert.equal(stats.mean, 15);
    assert.equal(stats.stdDev, 10);
    assert.equal(stats.max, 30);
    assert.equal(stats.withinStdDevPct, 75);
  });

  it('derives requests, bytes, errors and per-thread Req/Sec from the test phase', () => {
    const total = new StatsSnapshot('float64').setInterval(1000, 3500);
    for (let i = 0; i < 100; i++) total.recordResponse(2e6);
    total.status2xx = 90;
    total.status5xx = 10;
    total.requestTimeouts = 3;
    total.connectionErrors = 1;
    total.addToExtension('transfer', 'transfersize', 'received', 2048);
    const second = (start: number, end: number, responses: number): Parameters<typeof wrkFigures>[1][number] => ({
      startTime: start, endTime: end, responseCount: responses,
    }) as Parameters<typeof wrkFigures>[1][number];
    const figures = wrkFigures(total, [second(1000, 2000, 40), second(2000, 3000, 40), second(3000, 3500, 20)], 2);
    assert.equal(figures.requests, 100);
    assert.equal(figures.durationMs, 2500);
    assert.equal(figures.bytesRead, 2048);
    assert.equal(figures.non2xx3xx, 10);
    assert.deepEqual(figures.reqPerSecPerThread, { mean: 20, stdDev: 0, max: 20, withinStdDevPct: 100 }, 'the half second at the end is left out');
    const text = renderWrkReport(total, figures, { latency: false, wrk2: false });
    assert.match(text, /\n {2}100 requests in 2\.50s, 2\.00KB read\n/);
    assert.match(text, /\n {2}Socket errors: connect 1, read 0, write 0, timeout 3\n {2}Non-2xx or 3xx responses: 10\n/);
    assert.match(text, /\nRequests\/sec: {5}40\.00\nTransfer\/sec: {5}819\.20B$/);
  });
});
