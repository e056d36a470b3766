/**
 * The report page's own script (browser JavaScript, run after uPlot). It reads the data from the page's
 * `<script type="application/json">`, builds every table and chart, and sets `window.__report` (charts, the time it
 * was ready) for the tests. Every string of the data is put in the page with textContent, never as HTML.
 * Kept as a string so the build needs no browser toolchain; it is exercised in a real Chromium by
 * test/report-browser.test.ts. No backtick or dollar-brace may appear below (it is a template literal) but the one
 * that pastes DOM_HELPERS in.
 */
import { DOM_HELPERS } from './page-helpers.js';

export const PAGE_SCRIPT = String.raw`(function () {
'use strict';
var DATA = JSON.parse(document.getElementById('page-data').textContent);
var REPORT = { charts: [], firstChartsMs: -1, readyMs: -1, errors: [] };
window.__report = REPORT;
var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
var root = document.getElementById('report');

${DOM_HELPERS}
function fmtMs(v) {
  if (v === null || v === undefined || !isFinite(v)) return '-';
  if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
  if (v >= 1) return v.toFixed(2) + ' ms';
  return (v * 1000).toFixed(0) + ' \u03bcs';
}
function fmtNum(v) {
  if (!isFinite(v)) return '-';
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(2) + 'M';
  if (Math.abs(v) >= 1e4) return (v / 1e3).toFixed(1) + 'k';
  return String(Math.round(v * 100) / 100);
}
function fmtPct(fraction) { return (Math.round(fraction * 1e5) / 1e3) + ' %'; }
function fmtTime(ms) { return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC'); }
function fmtDuration(ms) {
  if (ms === null || !isFinite(ms)) return '-';
  var s = ms / 1000;
  if (s < 60) return s.toFixed(1) + ' s';
  var m = Math.floor(s / 60);
  return m + ' min ' + Math.round(s - m * 60) + ' s';
}
function pctLabel(p) { return (Math.round(p * 1e4) / 100) + '%'; }

function table(headers, rows, rowClass) {
  var t = el('table');
  var head = add(add(t, el('thead')), el('tr'));
  headers.forEach(function (h) { add(head, el('th', null, h)); });
  var body = add(t, el('tbody'));
  rows.forEach(function (r, i) {
    var tr = add(body, el('tr', rowClass ? rowClass(i) : null));
    r.forEach(function (cell) { add(tr, el('td', typeof cell === 'number' ? 'num' : null, cell)); });
  });
  return t;
}
function section(parent, title, id) {
  var s = add(parent, el('section'));
  if (id) s.id = id;
  add(s, el('h2', null, title));
  return s;
}
function keyValues(parent, pairs) {
  var dl = add(parent, el('dl'));
  pairs.forEach(function (p) { add(dl, el('dt', null, p[0])); add(dl, el('dd', null, p[1])); });
  return dl;
}

// ---- charts -------------------------------------------------------------------------------------------------------
var chartQueue = [];
function chart(parent, title, xs, lines, opts) {
  opts = opts || {};
  var box = add(parent, el('div', 'chart'));
  var hasData = xs.length > 0 && lines.some(function (l) { return l.values.some(function (v) { return v !== null; }); });
  if (!hasData) {
    add(box, el('div', 'chart-title', title));
    add(box, el('p', 'empty', 'no data'));
    return;
  }
  chartQueue.push({ box: box, title: title, xs: xs, lines: lines, opts: opts });
}
function drawChart(c) {
  var width = Math.max(280, c.box.clientWidth || 560);
  var series = [{ label: c.opts.xLabel || 's' }];
  c.lines.forEach(function (l, i) {
    series.push({ label: l.label, stroke: l.color || COLORS[i % COLORS.length], width: 1.5, points: { show: c.xs.length < 3 }, spanGaps: false,
      value: c.opts.yValue ? function (u, v) { return v === null ? '-' : c.opts.yValue(v); } : undefined });
  });
  var xScale = { time: false };
  if (c.opts.logX) { xScale.distr = 3; xScale.log = 10; }
  var axes = [
    { label: c.opts.xLabel || 'seconds since start', values: c.opts.xValues },
    { label: c.opts.yLabel || '', size: 60, values: c.opts.yValues },
  ];
  var options = { title: c.title, width: width, height: 220, scales: { x: xScale }, series: series, axes: axes, legend: { live: true } };
  if (c.opts.logY) options.scales.y = { distr: 3, log: 10 };
  else if (c.opts.yMin0) options.scales.y = { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } };
  // a log axis has no 0: the fastest a chart shows is 1 microsecond
  var positive = function (v) { return v === null ? null : Math.max(v, 0.001); };
  var data = [c.xs].concat(c.lines.map(function (l) { return c.opts.logY ? l.values.map(positive) : l.values; }));
  var u = new uPlot(options, data, c.box);
  REPORT.charts.push({ title: c.title, points: c.xs.length, series: c.lines.length, plot: u });
}

function msAxis() { return function (u, vals) { return vals.map(function (v) { return v === null ? '' : fmtMs(v); }); }; }

function metricCharts(parent, m) {
  var s = m.series;
  var grid = add(parent, el('div', 'charts'));
  // A long run's points group several seconds: rates are their mean, latencies their worst second.
  var step = s.stepSeconds > 1 ? ', points of ' + s.stepSeconds + ' s' : '';
  chart(grid, 'Throughput (responses/s' + step + ')', s.t, [{ label: 'req/s', values: s.rps }], { yMin0: true, yLabel: 'req/s' });
  chart(grid, 'Response time percentiles' + (step ? ' (worst second' + step + ')' : ''), s.t, [
    { label: 'p50', values: s.p50 }, { label: 'p90', values: s.p90 }, { label: 'p99', values: s.p99 },
    { label: 'p99.9', values: s.p999 }, { label: 'max', values: s.max }], { logY: true, yValues: msAxis(), yValue: fmtMs });
  chart(grid, 'Percentile spectrum (whole phase, all agents)', m.spectrum.x, [{ label: 'latency', values: m.spectrum.ms }], {
    logX: true, logY: true, xLabel: 'percentile', yValues: msAxis(), yValue: fmtMs,
    xValues: function (u, vals) { return vals.map(function (v) { return v === null ? '' : pctLabel(1 - 1 / v); }); } });
  chart(grid, 'Status codes (per second' + step + ')', s.t, [
    { label: '2xx', values: s.s2xx, color: '#2ca02c' }, { label: '3xx', values: s.s3xx, color: '#1f77b4' },
    { label: '4xx', values: s.s4xx, color: '#ff7f0e' }, { label: '5xx', values: s.s5xx, color: '#d62728' },
    { label: 'other', values: s.sOther, color: '#7f7f7f' }], { yMin0: true });
  chart(grid, 'Errors, timeouts, invalid responses (per second' + step + ')', s.t, [
    { label: 'errors', values: s.errors, color: '#d62728' }, { label: 'timeouts', values: s.timeouts, color: '#9467bd' },
    { label: 'invalid', values: s.invalid, color: '#ff7f0e' }], { yMin0: true });
}

function minMaxCharts(parent, title, list) {
  // one line per agent, on the union of their timestamps
  var times = [];
  var seen = {};
  list.forEach(function (a) { a.t.forEach(function (t) { if (!seen[t]) { seen[t] = true; times.push(t); } }); });
  times.sort(function (a, b) { return a - b; });
  var index = {};
  times.forEach(function (t, i) { index[t] = i; });
  var lines = list.map(function (a) {
    var values = times.map(function () { return null; });
    a.t.forEach(function (t, i) { values[index[t]] = a.max[i]; });
    return { label: a.name || 'agent', values: values };
  });
  chart(parent, title, times, lines, { yMin0: true });
}

// ---- tables -------------------------------------------------------------------------------------------------------
var TOTAL_HEADERS = ['phase', 'metric', 'requests', 'req/s', 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max', 'errors', 'timeouts', 'invalid', '2xx', '3xx', '4xx', '5xx'];
function totalsRow(first, t) {
  return first.concat([t.requests, fmtNum(t.rps), fmtMs(t.meanMs), fmtMs(t.p50), fmtMs(t.p90), fmtMs(t.p99), fmtMs(t.p999), fmtMs(t.maxMs),
    t.errors, t.timeouts, t.invalid, t.s2xx, t.s3xx, t.s4xx, t.s5xx]);
}
/** A metric fails when one of its SLAs (or one of its phase's) failed. */
function failing(run, m) {
  return run.failures.some(function (f) { return f.phase === m.phase && (f.metric === '' || f.metric === m.metric); });
}

function slaValue(unit, v) {
  if (unit === 'ns') return fmtMs(v / 1e6);
  if (unit === 'ratio') return fmtPct(v);
  return String(v);
}
function slaCondition(c) {
  var window = c.windowMs !== null ? ' (window ' + (c.windowMs / 1000) + ' s; whole phase shown)' : '';
  switch (c.rule) {
    case 'errorRatio': return 'error ratio <' + window;
    case 'invalidRatio': return 'invalid ratio <' + window;
    case 'meanResponseTime': return 'mean response time <' + window;
    case 'blockedRatio': return 'blocked ratio \u2264' + window;
    case 'percentile': return 'p' + (c.at || 0) + ' <' + window;
    case 'windows': return 'windows of ' + ((c.at || 0) / 1000) + ' s that failed';
    default: return c.rule;
  }
}

function verdictOf(run) {
  var reasons = [];
  run.failures.forEach(function (f) { reasons.push(f.phase + (f.metric ? '/' + f.metric : '') + ': ' + f.message); });
  run.errors.forEach(function (e) { reasons.push('error: ' + e); });
  if (run.generator.saturated) reasons.push('the load generator saturated: its latencies include its own delays');
  if (run.cancelled) reasons.push('the run was cancelled');
  return { passed: reasons.length === 0, reasons: reasons };
}

// ---- one run --------------------------------------------------------------------------------------------------------
function renderRun(parent, run) {
  var verdict = verdictOf(run);
  var head = add(parent, el('header'));
  add(head, el('h1', null, 'Run ' + run.id + ' \u00b7 ' + run.benchmark));
  add(head, el('span', verdict.passed ? 'badge pass' : 'badge fail', verdict.passed ? 'PASSED' : 'FAILED'));
  var cards = add(parent, el('div', 'cards'));
  var info = section(cards, 'Run', 'info');
  keyValues(info, [
    ['description', run.description || '-'], ['started', fmtTime(run.startMs)], ['ended', fmtTime(run.endMs)],
    ['duration', run.startMs !== null && run.endMs !== null ? fmtDuration(run.endMs - run.startMs) : '-'],
    ['cancelled', run.cancelled ? 'yes' : 'no'], ['hyperfoil-ts', run.version || '-'],
  ].concat(run.params.map(function (p) { return ['param ' + p[0], p[1]]; })));
  if (verdict.reasons.length > 0) {
    var ul = add(info, el('ul', 'reasons'));
    verdict.reasons.forEach(function (r) { add(ul, el('li', null, r)); });
  }

  var agents = section(cards, 'Agents', 'agents');
  add(agents, table(['agent', 'clock offset'], run.agents.map(function (a) {
    return [a.name, a.clockOffsetMs === null ? '-' : a.clockOffsetMs + ' ms'];
  })));
  if (run.phaseStartSkewMs.length > 0) {
    add(agents, el('h3', null, 'Phase start skew (latest agent start minus earliest)'));
    add(agents, table(['phase', 'skew'], run.phaseStartSkewMs.map(function (p) { return [p[0], p[1] + ' ms']; })));
  }

  var sla = section(parent, 'SLAs', 'sla');
  var slaRows = [];
  var slaFailed = 0;
  run.sla.forEach(function (v) {
    v.checks.forEach(function (c) {
      if (!c.passed) slaFailed++;
      slaRows.push({ row: [c.passed ? '\u2713' : '\u2717', v.phase, v.metric, slaCondition(c), slaValue(c.unit, c.limit), slaValue(c.unit, c.actual)], passed: c.passed });
    });
  });
  if (slaRows.length > 0) {
    var details = add(sla, el('details'));
    if (slaFailed > 0) details.open = true;
    add(details, el('summary', slaFailed > 0 ? 'fail' : null, slaFailed > 0 ? slaFailed + ' of ' + slaRows.length + ' conditions failed'
      : 'all ' + slaRows.length + ' conditions met'));
    add(details, table(['', 'phase', 'metric', 'condition', 'limit', 'actual'], slaRows.map(function (r) { return r.row; }),
      function (i) { return slaRows[i].passed ? 'pass' : 'fail'; }));
  } else {
    add(sla, el('p', null, run.failures.length > 0 ? 'This run stored no SLA details; the failures are listed above.' : 'No SLA was declared.'));
  }

  var gen = section(cards, 'Load generator', 'generator');
  var lateMaxNs = run.generator.phases.reduce(function (max, p) { return Math.max(max, Number(p.latenessMax) || 0); }, 0);
  add(gen, el('p', run.generator.saturated ? 'fail' : null, run.generator.saturated
    ? 'SATURATED: the generator could not keep up' + (lateMaxNs > 0 ? ' and started sessions up to ' + fmtMs(lateMaxNs / 1e6)
      + ' late. Service times exclude that lateness; each metric\'s latency from the intended start includes it.'
      : '; latencies include its own delays.')
    : 'The generator kept up with the load.'));
  if (run.generator.phases.length > 0) {
    add(gen, table(['phase', 'scheduled', 'late p50', 'late p99', 'late max', 'throttled', 'dropped', 'loop lag p99', 'verdict'],
      run.generator.phases.map(function (p) {
        var ns = function (v) { return typeof v === 'number' ? fmtMs(v / 1e6) : '-'; };
        return [String(p.phase), Number(p.scheduledStarts) || 0, ns(p.latenessP50), ns(p.latenessP99), ns(p.latenessMax),
          Number(p.throttledStarts) || 0, Number(p.droppedStarts) || 0, ns(p.loopLagP99),
          p.saturated ? 'SATURATED: ' + (Array.isArray(p.reasons) ? p.reasons.join('; ') : '') : 'ok'];
      })));
  }

  if (run.errors.length > 0) {
    var errs = section(parent, 'Errors', 'errors');
    var eul = add(errs, el('ul'));
    run.errors.forEach(function (e) { add(eul, el('li', 'fail', e)); });
  }

  var summary = section(parent, 'Summary', 'summary');
  add(summary, table(TOTAL_HEADERS, run.metrics.map(function (m) { return totalsRow([m.phase + (m.warmup ? ' (warm-up)' : ''), m.metric], m.totals); }),
    function (i) { return failing(run, run.metrics[i]) ? 'fail' : null; }));

  run.metrics.forEach(function (m) {
    var s = section(parent, m.phase + ' / ' + m.metric, null);
    s.className = 'metric';
    metricCharts(s, m);
    if (m.fromIntendedStart) {
      var fi = m.fromIntendedStart, t = m.totals;
      add(s, el('h3', null, 'Service time and latency from the intended start'));
      add(s, el('p', null, 'Service time is timed from the actual send; latency from the intended start from when the '
        + 'request was meant to go (the session\'s scheduled arrival for its first request), so it includes the '
        + 'generator\'s lateness and any wait for a connection.'));
      add(s, table(['timed from', 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max'], [
        ['the send (service time)', fmtMs(t.meanMs), fmtMs(t.p50), fmtMs(t.p90), fmtMs(t.p99), fmtMs(t.p999), fmtMs(t.maxMs)],
        ['the intended start', fmtMs(fi.meanMs), fmtMs(fi.p50), fmtMs(fi.p90), fmtMs(fi.p99), fmtMs(fi.p999), fmtMs(fi.maxMs)]]));
    }
    if (m.agents.length > 0) {
      add(s, el('h3', null, 'Per agent'));
      add(s, table(['agent'].concat(TOTAL_HEADERS.slice(2)), m.agents.map(function (a) { return totalsRow([a.name], a.totals); })));
    }
  });

  if (run.sessions.length > 0 || run.connections.length > 0) {
    var sc = section(parent, 'Sessions and connections', 'sessions');
    var grid = add(sc, el('div', 'charts'));
    run.sessions.forEach(function (p) { minMaxCharts(grid, p.phase + ': sessions (highest per point)', p.agents); });
    run.connections.forEach(function (c) { minMaxCharts(grid, c.authority + ': ' + c.kind + ' (highest per point)', c.agents); });
  }

  var src = section(parent, 'Benchmark source', 'source');
  if (run.source) {
    add(src, el('div', 'filename', run.source.name));
    add(src, el('pre', 'source', run.source.text));
  } else {
    add(src, el('p', null, 'The benchmark source was not kept with this run.'));
  }
}

// ---- two runs -------------------------------------------------------------------------------------------------------
function change(a, b) {
  if (!isFinite(a) || !isFinite(b)) return '-';
  if (a === 0) return b === 0 ? '0 %' : 'new';
  var d = (b - a) / a * 100;
  return (d > 0 ? '+' : '') + d.toFixed(1) + ' %';
}
function renderCompare(parent, a, b) {
  var head = add(parent, el('header'));
  add(head, el('h1', null, 'Run ' + a.id + ' (' + a.benchmark + ') vs run ' + b.id + ' (' + b.benchmark + ')'));
  var info = section(parent, 'Runs', 'info');
  add(info, table(['run', 'benchmark', 'description', 'started', 'duration', 'verdict'], [a, b].map(function (r) {
    var v = verdictOf(r);
    return [r.id, r.benchmark, r.description || '-', fmtTime(r.startMs),
      r.startMs !== null && r.endMs !== null ? fmtDuration(r.endMs - r.startMs) : '-', v.passed ? 'PASSED' : 'FAILED: ' + v.reasons.join('; ')];
  })));
  var cmp = section(parent, 'Changes relative to run ' + a.id, 'compare');
  var rows = [];
  var pairs = [];
  a.metrics.forEach(function (ma) {
    var mb = b.metrics.filter(function (m) { return m.phase === ma.phase && m.metric === ma.metric; })[0];
    if (!mb) return;
    pairs.push([ma, mb]);
    var ta = ma.totals, tb = mb.totals;
    rows.push([ma.phase, ma.metric,
      fmtNum(ta.rps), fmtNum(tb.rps), change(ta.rps, tb.rps),
      fmtMs(ta.p50), fmtMs(tb.p50), change(ta.p50, tb.p50),
      fmtMs(ta.p99), fmtMs(tb.p99), change(ta.p99, tb.p99),
      ta.errors + ta.timeouts, tb.errors + tb.timeouts, change(ta.errors + ta.timeouts, tb.errors + tb.timeouts)]);
  });
  add(cmp, table(['phase', 'metric', 'req/s ' + a.id, 'req/s ' + b.id, '\u0394', 'p50 ' + a.id, 'p50 ' + b.id, '\u0394',
    'p99 ' + a.id, 'p99 ' + b.id, '\u0394', 'errors ' + a.id, 'errors ' + b.id, '\u0394'], rows));
  if (rows.length === 0) add(cmp, el('p', null, 'The two runs have no phase and metric in common.'));
  pairs.forEach(function (p) {
    var s = section(parent, p[0].phase + ' / ' + p[0].metric, null);
    s.className = 'metric';
    var grid = add(s, el('div', 'charts'));
    var label = p[0].phase + '/' + p[0].metric;
    minMaxCharts(grid, label + ' throughput (responses/s)', [
      { name: 'run ' + a.id, t: p[0].series.t, max: p[0].series.rps }, { name: 'run ' + b.id, t: p[1].series.t, max: p[1].series.rps }]);
    minMaxCharts(grid, label + ' p99 (ms)', [
      { name: 'run ' + a.id, t: p[0].series.t, max: p[0].series.p99 }, { name: 'run ' + b.id, t: p[1].series.t, max: p[1].series.p99 }]);
    minMaxCharts(grid, label + ' errors and timeouts (per second)', [
      { name: 'run ' + a.id, t: p[0].series.t, max: p[0].series.errors.map(function (e, i) { return e + p[0].series.timeouts[i]; }) },
      { name: 'run ' + b.id, t: p[1].series.t, max: p[1].series.errors.map(function (e, i) { return e + p[1].series.timeouts[i]; }) }]);
  });
}

window.addEventListener('error', function (e) { REPORT.errors.push(String(e.message)); });
if (DATA.runs.length === 2) renderCompare(root, DATA.runs[0], DATA.runs[1]);
else DATA.runs.forEach(function (run) { renderRun(root, run); });
// Charts are drawn a batch per frame, top of the page first: the first screen shows at once even when a long run
// has hundreds of charts; data-ready is set in the frame after the last one.
var CHARTS_PER_FRAME = 32;
function drawBatch() {
  chartQueue.splice(0, CHARTS_PER_FRAME).forEach(drawChart);
  if (REPORT.firstChartsMs < 0) REPORT.firstChartsMs = performance.now();
  requestAnimationFrame(chartQueue.length > 0 ? drawBatch : function () {
    REPORT.readyMs = performance.now();
    document.body.setAttribute('data-ready', 'true');
  });
}
drawBatch();
})();
`;
