import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderStatsTable } from './stats-table.js';
import type { RequestStatsJson } from './stats-table.js';
import { formatNanos, formatThroughput } from './units.js';

const row = (phase: string, metric: string, failedSLAs: string[] = [], isWarmup = false): RequestStatsJson => ({
  phase, stepId: 0, metric, failedSLAs, isWarmup,
  summary: {
    startTime: 0, endTime: 5000, minResponseTime: 1e6, meanResponseTime: 3.25e6, stdDevResponseTime: 5e5, maxResponseTime: 12.58e6,
    percentileResponseTime: { '50.0': 3.39e6, '90.0': 4.39e6, '99.0': 12.58e6, '99.9': 12.58e6, '99.99': 12.58e6 },
    requestCount: 34, responseCount: 34, invalid: 12, connectionErrors: 1, requestTimeouts: 2, internalErrors: 3, blockedTime: 1.11e6,
    extensions: { http: { '@type': 'http', status_2xx: 12, status_3xx: 13, status_4xx: 12, status_5xx: 0, cacheHits: 0 } },
  },
});

describe('stats table', () => {
  it('formats latencies and throughput with units', () => {
    assert.equal(formatNanos(0), '0 ns');
    assert.equal(formatNanos(291_840), '291.84 μs');
    assert.equal(formatNanos(172_490_000), '172.49 ms');
    assert.equal(formatNanos(2.5e9), '2.50 s');
    assert.equal(formatThroughput(6.8), '6.80 req/s');
    assert.equal(formatThroughput(12_345), '12.35k req/s');
  });

  it('prints one aligned row per metric, errors as connection+internal, and the SLA failures below', () => {
    const text = renderStatsTable([row('main', 'images', ['Progress was blocked waiting for a free connection.']), row('main', 'pages')]);
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /^PHASE\s+METRIC\s+THROUGHPUT\s+REQUESTS\s+MEAN\s+STD_DEV\s+MAX\s+p50\s+p90\s+p99\s+p99\.9\s+p99\.99\s+INVALID\s+TIMEOUTS\s+ERRORS\s+BLOCKED\s+2xx\s+3xx\s+4xx\s+5xx\s+CACHE$/);
    assert.match(lines[1] ?? '', /^main\s+images\s+6\.80 req\/s\s+34\s+3\.25 ms\s+500\.00 μs\s+12\.58 ms\s+3\.39 ms\s+4\.39 ms\s+12\.58 ms\s+12\.58 ms\s+12\.58 ms\s+12\s+2\s+4\s+1\.11 ms\s+12\s+13\s+12\s+0\s+0$/);
    assert.equal(lines[0]?.indexOf('REQUESTS') !== -1 && (lines[0]?.indexOf('REQUESTS') ?? 0) + 'REQUESTS'.length, lines[1]?.indexOf('34') === -1 ? -1 : (lines[1]?.indexOf(' 34') ?? 0) + 3, 'numbers are right-aligned under their title');
    assert.equal(lines.at(-1), 'main/images: Progress was blocked waiting for a free connection.');
  });

  it('hides warm-up phases unless asked', () => {
    const rows = [row('warm', 'a', [], true), row('main', 'a')];
    assert.equal(renderStatsTable(rows).split('\n').length, 2);
    assert.equal(renderStatsTable(rows, { warmup: true }).split('\n').length, 3);
  });

  it('compact form: hides all-zero columns, adds the total row, fits the width by dropping detail, colours failing rows', () => {
    const quiet = (phase: string, metric: string, failedSLAs: string[] = []): RequestStatsJson => {
      const r = row(phase, metric, failedSLAs);
      return { ...r, summary: { ...r.summary, invalid: 0, connectionErrors: 0, requestTimeouts: 0, internalErrors: 0, blockedTime: 0,
        extensions: { http: { '@type': 'http', status_2xx: 34, status_3xx: 0, status_4xx: 0, status_5xx: 0, cacheHits: 0 } } } };
    };
    const rows = [quiet('main', 'images', ['too slow']), quiet('main', 'pages')];
    const total = { ...quiet('TOTAL', ''), summary: { ...quiet('TOTAL', '').summary, requestCount: 68 } };
    const lines = renderStatsTable(rows, { fitCols: 120, total, failures: false }).split('\n');
    assert.match(lines[0] ?? '', /^PHASE\s+METRIC\s+THROUGHPUT\s+REQUESTS\s+MEAN\s+STD_DEV\s+MAX\s+p50\s+p90\s+p99\s+p99\.9\s+p99\.99\s+2xx$/);
    assert.match(lines[3] ?? '', /^TOTAL\s+6\.80 req\/s\s+68\s/);
    assert.equal(lines.length, 4, 'no failure messages when asked not to');
    const narrow = renderStatsTable(rows, { fitCols: 80 }).split('\n');
    assert.ok(narrow.every((l) => l.length <= 80 || l.startsWith('main/')), narrow.join('\n'));
    assert.match(narrow[0] ?? '', /^PHASE\s+METRIC\s+THROUGHPUT\s+REQUESTS\s+MAX\s+p50\s+p99\s+p99\.9\s+2xx$/, 'std dev, p99.99, p90 and the mean go first');
    const coloured = renderStatsTable(rows, { fitCols: 120, colour: true }).split('\n');
    assert.match(coloured[1] ?? '', /^\x1b\[31mmain\s+images.*\x1b\[0m$/);
    assert.doesNotMatch(coloured[2] ?? '', /\x1b/);
    const wide = renderStatsTable([row('main', 'images')], {}).split('\n');
    assert.match(wide[0] ?? '', /CACHE$/, 'without fitCols every column stays');
  });

  it('p99_INTENDED beside p99: always in the full form, in the compact form only when it differs materially or asked', () => {
    const intended = (p99Ns: number): RequestStatsJson => ({
      ...row('main', 'open'),
      fromIntendedStart: {
        responseCount: 34, minResponseTime: 1e6, meanResponseTime: 4e6, maxResponseTime: p99Ns,
        percentileResponseTime: { '50.0': 3.5e6, '90.0': 4.5e6, '99.0': p99Ns, '99.9': p99Ns, '99.99': p99Ns },
      },
    });
    const closed = row('main', 'closed');
    // Service-time p99 is 12.58 ms: 12.9 ms is within 1 ms (agrees), 212.58 ms is 200 ms and 17x more (differs).
    const agrees = [intended(12.9e6), closed];
    const late = [intended(212.58e6), closed];
    const header = (text: string): string => text.split('\n')[0] ?? '';
    assert.match(header(renderStatsTable(agrees)), /\sp99\s+p99_INTENDED\s+p99\.9\s/, 'full form: always');
    assert.doesNotMatch(header(renderStatsTable(agrees, { fitCols: 120 })), /INTENDED/, 'compact: hidden when they agree');
    assert.match(header(renderStatsTable(agrees, { fitCols: 120, fromIntendedStart: true })), /p99_INTENDED/, '--wide or a late generator');
    const lines = renderStatsTable(late, { fitCols: 120 }).split('\n');
    assert.match(lines[0] ?? '', /\sp99\s+p99_INTENDED\s/, 'compact: shown when they differ materially');
    assert.ok(lines.every((l) => l.length <= 120), lines.join('\n'));
    assert.match(lines[1] ?? '', /12\.58 ms\s+212\.58 ms/);
    assert.match(lines[2] ?? '', /12\.58 ms\s+-\s/, 'a closed-model metric has no figure');
    assert.doesNotMatch(header(renderStatsTable([closed], { fromIntendedStart: true })), /INTENDED/, 'no open-model metric: no column');
  });
});
