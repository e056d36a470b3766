/**
 * The live view's script (browser JavaScript, after uPlot): the runs (with their report, export and kill), the stored
 * benchmarks with a start form (template parameters, description), and the charts of a running run, fed once a
 * second by the Server-Sent Events of `/run/{id}/events`. It only calls the controller's own REST API, with the
 * browser's credentials for it; strings go into the page with textContent. `window.__live` is for the tests.
 * A template literal: no backtick or dollar-brace below but the one that pastes DOM_HELPERS in.
 */
import { DOM_HELPERS } from '../../report/index.js';

export const LIVE_SCRIPT = String.raw`(function () {
'use strict';
var DATA = JSON.parse(document.getElementById('page-data').textContent);
var LIVE = { updates: 0, charts: {}, watching: null, errors: [] };
window.__live = LIVE;
var root = document.getElementById('live');
var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

${DOM_HELPERS}
function section(title, id) {
  var s = add(root, el('section'));
  s.id = id;
  add(s, el('h2', null, title));
  return s;
}
function api(path) {
  return fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then(function (res) {
    if (!res.ok) return res.text().then(function (text) { throw new Error(res.status + ' ' + text.trim()); });
    var type = res.headers.get('content-type') || '';
    return type.indexOf('json') >= 0 ? res.json() : res.text();
  });
}
function showError(error) {
  status.textContent = String(error.message || error);
  status.className = 'fail';
}
function link(text, href, download) {
  var a = el('a', null, text);
  a.href = href;
  if (download) a.setAttribute('download', download);
  return a;
}
function fmtTime(ms) { return typeof ms === 'number' ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '-'; }

var head = add(root, el('header'));
add(head, el('h1', null, 'hyperfoil-ts controller ' + DATA.version));
var status = add(head, el('span', 'status', ''));

// ---- the running run -------------------------------------------------------------------------------------------
var liveSection = section('Live', 'live-run');
var liveTitle = add(liveSection, el('p', null, 'No run is going.'));
var liveGrid = add(liveSection, el('div', 'charts'));
var series = { t: [], metrics: [], rps: {}, p99: {} };

function chart(key, title, valueOf, yLabel) {
  var box = LIVE.charts[key] && LIVE.charts[key].box;
  if (LIVE.charts[key]) { LIVE.charts[key].plot.destroy(); }
  if (!box) box = add(liveGrid, el('div', 'chart'));
  var opts = {
    title: title, width: Math.max(300, box.clientWidth || 560), height: 220, scales: { x: { time: false } },
    series: [{ label: 's' }].concat(series.metrics.map(function (m, i) { return { label: m, stroke: COLORS[i % COLORS.length], width: 1.5 }; })),
    axes: [{ label: 'seconds since start' }, { label: yLabel, size: 60 }],
  };
  var data = [series.t].concat(series.metrics.map(valueOf));
  LIVE.charts[key] = { box: box, plot: new uPlot(opts, data, box) };
}
function drawLive(rebuild) {
  var rps = function (m) { return series.rps[m]; };
  var p99 = function (m) { return series.p99[m]; };
  if (rebuild || !LIVE.charts.rps) {
    chart('rps', 'Throughput (responses/s)', rps, 'req/s');
    chart('p99', 'p99 response time (ms)', p99, 'ms');
  } else {
    LIVE.charts.rps.plot.setData([series.t].concat(series.metrics.map(rps)));
    LIVE.charts.p99.plot.setData([series.t].concat(series.metrics.map(p99)));
  }
}
function onStats(message) {
  var run = message.run;
  liveTitle.textContent = 'Run ' + run.id + ' of ' + run.benchmark + (run.description ? ' (' + run.description + ')' : '') + ': '
    + run.phases.filter(function (p) { return p.status === 'RUNNING'; }).map(function (p) { return p.name; }).join(', ');
  var rows = (message.recent && message.recent.statistics) || [];
  if (rows.length === 0 || typeof run.started !== 'number') return;
  var end = Math.max.apply(null, rows.map(function (r) { return r.summary.endTime; }));
  var t = Math.round((end - run.started) / 100) / 10;
  if (series.t.length > 0 && series.t[series.t.length - 1] >= t) return; // that second is drawn already
  var rebuild = false;
  rows.forEach(function (r) {
    var key = r.phase + '/' + r.metric;
    if (series.metrics.indexOf(key) < 0) {
      series.metrics.push(key);
      series.rps[key] = series.t.map(function () { return null; });
      series.p99[key] = series.t.map(function () { return null; });
      rebuild = true;
    }
  });
  series.t.push(t);
  series.metrics.forEach(function (key) {
    var r = rows.filter(function (x) { return x.phase + '/' + x.metric === key; })[0];
    var seconds = r ? (r.summary.endTime - r.summary.startTime) / 1000 : 0;
    series.rps[key].push(r && seconds > 0 ? Math.round(r.summary.responseCount / seconds * 10) / 10 : null);
    series.p99[key].push(r && r.summary.responseCount > 0 ? Math.round((r.summary.percentileResponseTime['99.0'] || 0) / 1e3) / 1e3 : null);
  });
  drawLive(rebuild);
  LIVE.updates++;
}
// One stream at a time: watching another run closes the previous stream, whose stats would mix into the charts.
var liveEvents = null;
function watch(id) {
  if (LIVE.watching === id) return;
  if (liveEvents) liveEvents.close();
  LIVE.watching = id;
  series = { t: [], metrics: [], rps: {}, p99: {} };
  var events = liveEvents = new EventSource('run/' + encodeURIComponent(id) + '/events');
  events.addEventListener('stats', function (e) { onStats(JSON.parse(e.data)); });
  events.addEventListener('end', function (e) {
    events.close();
    liveEvents = null;
    var run = JSON.parse(e.data).run;
    liveTitle.textContent = 'Run ' + run.id + ' has ended' + (run.cancelled ? ' (cancelled)' : '') + '.';
    LIVE.watching = null;
    refreshRuns();
  });
  events.onerror = function () {
    if (events.readyState === EventSource.CLOSED) { LIVE.watching = null; liveEvents = null; }
  };
}

// ---- runs ----------------------------------------------------------------------------------------------------------
var runsSection = section('Runs', 'runs');
var runsBody = add(add(runsSection, el('table')), el('tbody'));
function refreshRuns() {
  return api('run?details=true').then(function (runs) {
    runsBody.textContent = '';
    var header = add(runsBody, el('tr'));
    ['run', 'benchmark', 'description', 'started', 'state', ''].forEach(function (h) { add(header, el('th', null, h)); });
    var going = [];
    runs.slice().reverse().forEach(function (run) {
      var tr = add(runsBody, el('tr'));
      add(tr, el('td', null, run.id));
      add(tr, el('td', null, run.benchmark));
      add(tr, el('td', null, run.description || ''));
      add(tr, el('td', null, fmtTime(run.started)));
      add(tr, el('td', run.errors.length > 0 ? 'fail' : null, run.completed ? (run.cancelled ? 'cancelled' : 'completed') : 'running'));
      var actions = add(tr, el('td', 'actions'));
      if (run.completed) {
        add(actions, link('report', 'run/' + encodeURIComponent(run.id) + '/report'));
        add(actions, link('export', 'run/' + encodeURIComponent(run.id) + '/stats/all/json', run.id + '.json'));
      } else {
        var kill = add(actions, el('button', null, 'kill'));
        kill.setAttribute('data-kill', run.id);
        kill.onclick = function () { api('run/' + encodeURIComponent(run.id) + '/kill').then(refreshRuns).catch(showError); };
        going.push(run.id);
      }
    });
    // Keep watching the run shown while it goes; otherwise the newest run that is going.
    if (going.length > 0 && going.indexOf(LIVE.watching) < 0) watch(going[0]);
  }).catch(showError);
}

// ---- benchmarks ----------------------------------------------------------------------------------------------------
var benchSection = section('Benchmarks', 'benchmarks');
var benchBody = add(add(benchSection, el('table')), el('tbody'));
function refreshBenchmarks() {
  return api('benchmark').then(function (names) {
    benchBody.textContent = '';
    names.forEach(function (name) {
      var tr = add(benchBody, el('tr'));
      add(tr, el('td', null, name));
      var params = add(add(tr, el('td')), el('input'));
      params.placeholder = 'template params: NAME=VALUE NAME=VALUE';
      params.size = 36;
      var desc = add(add(tr, el('td')), el('input'));
      desc.placeholder = 'description';
      var start = add(add(tr, el('td')), el('button', null, 'start'));
      start.setAttribute('data-start', name);
      start.onclick = function () {
        var query = ['desc=' + encodeURIComponent(desc.value)].concat(params.value.split(/\s+/).filter(Boolean).map(function (p) {
          return 'templateParam=' + encodeURIComponent(p);
        }));
        api('benchmark/' + encodeURIComponent(name) + '/start?' + query.join('&')).then(function (run) {
          status.textContent = 'Started run ' + run.id + '.';
          status.className = '';
          watch(run.id);
          refreshRuns();
        }).catch(showError);
      };
    });
    if (names.length === 0) add(add(benchBody, el('tr')), el('td', null, 'No benchmark uploaded yet: hyperfoil cli, then upload FILE.'));
  }).catch(showError);
}

var apiSection = section('API', 'api');
add(apiSection, link('openapi', 'openapi'));
add(apiSection, document.createTextNode(' \u00b7 '));
add(apiSection, link('metrics (OpenMetrics)', 'metrics'));
add(apiSection, document.createTextNode(' \u00b7 '));
add(apiSection, link('version', 'version'));

window.addEventListener('error', function (e) { LIVE.errors.push(String(e.message)); });
refreshBenchmarks();
refreshRuns();
setInterval(refreshRuns, 5000); // runs started elsewhere (the CLI) show up and are watched
})();
`;
