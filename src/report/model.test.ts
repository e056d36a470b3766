import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportHtml, scriptSafeJson } from './html.js';
import { downsample, MAX_POINTS, runReport } from './model.js';
import type { MetricSeries } from './model.js';
import { readRunFiles } from './run-files.js';
import { writeSyntheticRun } from './synthetic-run.test-support.js';

describe('report data', () => {
  it('reads a damaged all.json without throwing: wrong types become zeros and empty lists, strings stay text', () => {
    const report = runReport({
      dir: '/x',
      info: { id: 7, benchmark: ['b'], startTime: 'soon', params: { A: 1 }, errors: [{ agent: 'a1', msg: '<b>boom</b>' }, 'x'] },
      all: { stats: [{ name: 'p', metric: 'm', total: { summary: { requestCount: '10', percentileResponseTime: null } }, series: 'no' }], sessions: 5, connections: [] },
    });
    assert.equal(report.id, '7');
    assert.equal(report.startMs, null);
    assert.deepEqual(report.params, [['A', '1']]);
    assert.deepEqual(report.errors, ['a1: <b>boom</b>', 'x']);
    assert.equal(report.metrics.length, 1);
    assert.equal(report.metrics[0]!.totals.requests, 0);
    assert.deepEqual(report.metrics[0]!.series.t, []);
    assert.equal(report.metrics[0]!.fromIntendedStart, null, 'a closed-model metric has no from-intended-start figures');
    assert.deepEqual(report.sessions, []);
    assert.deepEqual(report.connections, []);
  });

  it('takes series, merged spectrum, per-agent totals and every SLA condition from a stored run', () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-report-model-'));
    try {
      const run = writeSyntheticRun(root, { id: '0001', seconds: 20, metrics: ['a', 'b'], responsesPerSecond: 10 });
      const report = runReport(readRunFiles(run.dir));
      const a = report.metrics.find((m) => m.metric === 'a')!;
      assert.equal(a.series.t.length, 20);
      assert.equal(a.series.stepSeconds, 1);
      assert.equal(a.totals.responses, 2 * 20 * 10, 'two agents, 20 s, 10 responses per second each');
      assert.deepEqual(a.agents.map((x) => x.name), ['agent-a', 'agent-b']);
      assert.equal(a.agents[0]!.totals.responses, 200);
      assert.ok(a.spectrum.x.length > 5 && a.spectrum.x.every((x, i) => i === 0 || x >= a.spectrum.x[i - 1]!), 'spectrum x = 1/(1-p) ascends');
      assert.ok(a.spectrum.ms.every((v, i) => i === 0 || v >= a.spectrum.ms[i - 1]!), 'latencies ascend with the percentile');
      // From the intended start: the same responses, each 0..4 ms later (the synthetic generator's lateness).
      const intended = a.fromIntendedStart!;
      assert.equal(intended.responses, a.totals.responses);
      // Sample-wise later, so never below; at most 4 ms later, plus the bucket top (≤ 1/128 above, 2 significant digits).
      assert.ok(intended.p50 >= a.totals.p50 && intended.p50 <= (a.totals.p50 + 4) * (1 + 1 / 128) + 0.001, `${intended.p50} vs ${a.totals.p50} ms`);
      assert.ok(intended.maxMs >= a.totals.maxMs);
      const checks = report.sla.find((v) => v.metric === 'a')!.checks;
      assert.deepEqual(checks.map((c) => c.rule), ['errorRatio', 'invalidRatio', 'blockedRatio', 'percentile']);
      assert.equal(checks[3]!.limit, 50_000_000);
      assert.equal(report.source?.name, 'synthetic.yaml');
      assert.deepEqual(report.agents, [{ name: 'agent-a', clockOffsetMs: 0 }, { name: 'agent-b', clockOffsetMs: -3 }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('groups a long run into at most MAX_POINTS points: rates averaged, latencies keep their worst second', () => {
    const n = 3600;
    const column = (f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
    const series: MetricSeries = {
      stepSeconds: 1, t: column((i) => i + 1), rps: column((i) => (i % 2 === 0 ? 100 : 200)), p50: column(() => 1), p90: column(() => 2),
      p99: column((i) => (i === 1801 ? 999 : 3)), p999: column(() => 4), max: column(() => 5), s2xx: column(() => 150), s3xx: column(() => 0),
      s4xx: column(() => 0), s5xx: column(() => 0), sOther: column(() => 0), errors: column(() => 0), timeouts: column(() => 0), invalid: column(() => 0),
    };
    const grouped = downsample(series);
    assert.ok(grouped.t.length <= MAX_POINTS);
    assert.equal(grouped.stepSeconds, 4);
    assert.equal(grouped.t.at(-1), 3600);
    assert.ok(grouped.rps.every((v) => v === 150), 'mean rate');
    assert.equal(Math.max(...grouped.p99.map((v) => v ?? 0)), 999, 'the slow second survives');
    assert.equal(downsample({ ...series, t: [1], rps: [1] }).stepSeconds, 1, 'short series are unchanged');
  });

  it('puts hostile text in the page as data only: `<` escaped in the JSON, the title escaped, scripts allowed by hash', () => {
    const hostile = '</script><script>alert(1)</script><!--\u2028';
    assert.doesNotMatch(scriptSafeJson({ s: hostile }), /[<\u2028]/);
    assert.deepEqual(JSON.parse(scriptSafeJson({ s: hostile })), { s: hostile });
    const report = runReport({ dir: '/x', info: { id: '0001', benchmark: hostile }, all: {} });
    const html = reportHtml([report]);
    assert.equal(html.split('</script>').length - 1, 3, 'only the three script elements end');
    assert.match(html, /<title>Run 0001 &#60;\/script&#62;/);
    const csp = /content="([^"]+)"/.exec(html)![1]!;
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 2);
    for (const script of scripts) assert.ok(csp.includes(`'sha256-${createHash('sha256').update(script).digest('base64')}'`));
    assert.match(csp, /^default-src 'none';/, 'nothing may be fetched');
  });

  it('says what to do when the directory holds no finished run', () => {
    assert.throws(() => readRunFiles('/nonexistent/run/0001'), /no run directory at \/nonexistent\/run\/0001/);
    const root = mkdtempSync(join(tmpdir(), 'hf-report-model-'));
    try {
      assert.throws(() => readRunFiles(root), /all\.json is missing: the run has not finished or was not stored/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
