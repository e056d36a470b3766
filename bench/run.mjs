#!/usr/bin/env node
// `npm run bench`: our load driver side by side with wrk and autocannon against the same target, in the same run.
//
//   npm run bench [-- --only compare,open,curve,sessions,stats,h2,micro] [--reps 3] [--duration 5]
//                    [--server nginx|node] [--rate 50000] [--soak-minutes 0]
//
// Build first (`npx tsc -p .`). The target is nginx (Debian `nginx-light`: `apt-get install -y nginx-light`) run in
// the foreground with its own config in a temp dir (`return 200 "ok"`, one worker), or, without nginx, the tiny Node
// server in bench/http-tiny-server.mjs. The target is pinned to CPU 1 and every client to CPU 0 (taskset), and the
// clients run one after the other, interleaved over the repetitions, so that they see the same machine.
//
// Figures: requests/s as each tool prints it; with nginx also the server's own count (stub_status) and the client's
// CPU time per request over the steady part of each run (sampled from /proc every 200 ms: robust when the target,
// not the client, is the limit, as on a shared machine); peak RSS from /proc/PID/status (VmHWM).
//
// Steps (all by default, about 5 minutes in total; each is bounded by its durations):
//   compare   wrk -t1 -c50, autocannon -c50, hyperfoil wrk -t 1 -c 50, hyperfoil wrk2 -t 1 -c 50 -R <rate>;
//             --reps runs of --duration s each; medians and ratios to wrk
//   open      hyperfoil wrk2 -R <rate> for 10 s: achieved rate vs target, lateness of scheduled starts
//   curve     hyperfoil wrk (and wrk) with 10, 100, 1000, 10000 connections: req/s and peak RSS
//   sessions  10,000 sessions (always, think time 1 s) over 1,000 connections: peak RSS, RSS over time
//   stats     hyperfoil closed loop with statistics recorded vs not recorded: CPU per request, req/s
//   h2        HTTP/2 over TLS against a second nginx (http2 on, 1 worker, CPU 1): h2load -c10 -m100 -t1, ours
//             (hyperfoil run: 10 connections × 100 streams, 1 thread), node:http2's client (10 × 100); and
//             HTTPS/1.1 on the same port: wrk -t1 -c50 vs hyperfoil wrk -t 1 -c 50; medians and ratios
//   micro     the micro-benchmarks of the hot functions (request encoding, response parsing, statistics recording
//             and merging, step dispatch with empty sessions)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allJsonOf, fmt, hasTaskset, measure, median, pinned, startNginxH2, startTarget, work, wrkRate } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const HYPERFOIL = join(repo, 'bin', 'hyperfoil.js');
const ALL_STEPS = ['compare', 'open', 'curve', 'sessions', 'stats', 'h2', 'micro'];

// ---- options --------------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
function option(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 30).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
const steps = option('only', ALL_STEPS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
for (const step of steps) if (!ALL_STEPS.includes(step)) throw new Error(`unknown step ${step}; steps: ${ALL_STEPS.join(', ')}`);
const reps = Number(option('reps', '3'));
const durationS = Number(option('duration', '5'));
const rate = Number(option('rate', '50000'));
const soakMinutes = Number(option('soak-minutes', '0'));
const serverKind = option('server', existsSync('/usr/sbin/nginx') ? 'nginx' : 'node');
if (!existsSync(join(repo, 'dist', 'src', 'cli', 'main.js'))) throw new Error('build first: npx tsc -p .');

// ---- the clients ------------------------------------------------------------------------------------------------

const root = join(work, 'runs');
const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

function autocannonPath() {
  const local = join(repo, 'node_modules', 'autocannon', 'autocannon.js');
  if (existsSync(local)) return local;
  try {
    // npx keeps it in its cache; `npm exec` fetches it once from the registry (no devDependency needed).
    const bin = execFileSync('npm', ['exec', '--yes', '--package=autocannon@9', '--', 'which', 'autocannon'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return bin || undefined;
  } catch {
    return undefined;
  }
}

const clients = {
  wrk: (url, connections, seconds) => measure('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, url]).then((r) => ({ ...r, toolRate: wrkRate(r.stdout) })),
  autocannon: (bin) => (url, connections, seconds) => measure(process.execPath, [bin, '-c', String(connections), '-d', String(seconds), '--json', url])
    .then((r) => {
      let toolRate = NaN;
      try {
        const json = JSON.parse(r.stdout);
        toolRate = json.requests.total / json.duration;
      } catch { /* reported as '-' */ }
      return { ...r, toolRate };
    }),
  hyperfoilWrk: (url, connections, seconds, extra = []) => measure(process.execPath, [HYPERFOIL, 'wrk', '-t', '1', '-c', String(connections), '-d', `${seconds}s`,
    '--warmup-duration', '1s', '--root-dir', root, ...extra, url]).then((r) => ({ ...r, toolRate: wrkRate(r.stdout) })),
  hyperfoilWrk2: (url, connections, seconds, ratePerSec) => measure(process.execPath, [HYPERFOIL, 'wrk2', '-t', '1', '-c', String(connections), '-R', String(ratePerSec),
    '-d', `${seconds}s`, '--warmup-duration', '1s', '--root-dir', root, url]).then((r) => ({ ...r, toolRate: wrkRate(r.stdout), all: allJsonOf(r.stderr) })),
};

function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

function generatorLine(all) {
  const test = all?.generator?.phases?.find((p) => p.phase === 'test');
  if (!test) return 'no generator figures';
  return `lateness p50 ${fmt(test.latenessP50 / 1e6, 2)} ms, p99 ${fmt(test.latenessP99 / 1e6, 2)} ms, max ${fmt(test.latenessMax / 1e6, 1)} ms; `
    + `throttled ${test.throttledStarts}, dropped ${test.droppedStarts}; loop lag p99 ${fmt(test.loopLagP99 / 1e6, 2)} ms; ${test.saturated ? 'SATURATED' : 'kept up'}`;
}

// ---- steps ------------------------------------------------------------------------------------------------------

async function compare(url) {
  console.log(`\n## compare: closed loop, 1 client core, 50 connections; ${reps} × ${durationS} s each, interleaved`);
  const acBin = autocannonPath();
  if (!acBin) console.log('(autocannon unavailable: npm exec could not fetch it)');
  if (!hasWrk) console.log('(wrk unavailable: apt-get install -y wrk)');
  const tools = [
    ...(hasWrk ? [['wrk -t1 -c50', () => clients.wrk(url, 50, durationS)]] : []),
    ...(acBin ? [['autocannon -c 50', () => clients.autocannon(acBin)(url, 50, durationS)]] : []),
    ['hyperfoil wrk -t 1 -c 50', () => clients.hyperfoilWrk(url, 50, durationS)],
    [`hyperfoil wrk2 -t 1 -c 50 -R ${rate}`, () => clients.hyperfoilWrk2(url, 50, durationS, rate)],
  ];
  const results = new Map(tools.map(([name]) => [name, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, run] of tools) {
      const result = await run();
      if (result.code !== 0 && !name.includes('wrk2')) console.log(`  ${name}: exit ${result.code} ${result.stderr.trim().split('\n').slice(-2).join(' ')}`);
      results.get(name).push(result);
      console.log(`  rep ${rep + 1} ${name.padEnd(34)} ${fmt(result.toolRate).padStart(9)} req/s (tool), ${fmt(result.ratePerSec).padStart(9)} req/s (server), `
        + `${fmt(result.cpuUsPerRequest, 2)} µs CPU/req, peak RSS ${fmt(result.peakRssKb / 1024)} MB`);
    }
  }
  const wrkMedian = median((results.get('wrk -t1 -c50') ?? []).map((r) => r.toolRate));
  const wrkCpu = median((results.get('wrk -t1 -c50') ?? []).map((r) => r.cpuUsPerRequest));
  console.log('');
  printTable(['client', 'req/s (median)', 'runs', 'ours/wrk', 'CPU µs/req', 'CPU vs wrk', 'peak RSS MB'],
    [...results].map(([name, list]) => {
      const rps = median(list.map((r) => r.toolRate));
      const cpu = median(list.map((r) => r.cpuUsPerRequest));
      // The open model sends what it is asked for: its rate is no throughput figure to compare.
      const ratio = name.includes('wrk2') ? 'rate-capped' : fmt(rps / wrkMedian, 2);
      return [name, fmt(rps), list.map((r) => fmt(r.toolRate / 1000, 1) + 'k').join(' '), ratio, fmt(cpu, 2), fmt(cpu / wrkCpu, 2),
        fmt(median(list.map((r) => r.peakRssKb / 1024)))];
    }));
  console.log('(req/s as each tool reports it; CPU µs/req: client CPU time over the steady part of the run / requests nginx served in it)');
  const open = results.get(`hyperfoil wrk2 -t 1 -c 50 -R ${rate}`) ?? [];
  for (const r of open) console.log(`  wrk2 -R ${rate}: achieved ${fmt(r.toolRate)} req/s (${fmt((r.toolRate / rate) * 100, 2)} % of target); ${generatorLine(r.all)}`);
}

async function openModel(url) {
  const seconds = 10;
  console.log(`\n## open: hyperfoil wrk2 -t 1 -c 50 -R ${rate}, ${seconds} s, one client core`);
  const result = await clients.hyperfoilWrk2(url, 50, seconds, rate);
  console.log(`  achieved ${fmt(result.toolRate, 1)} req/s = ${fmt((result.toolRate / rate) * 100, 2)} % of ${rate} (server-side steady rate ${fmt(result.ratePerSec)}); exit ${result.code}`);
  console.log(`  ${generatorLine(result.all)}`);
  const latency = /Latency\s+(\S+)\s+(\S+)\s+(\S+)/.exec(result.stdout);
  if (latency) console.log(`  latency from the scheduled start: mean ${latency[1]}, stdev ${latency[2]}, max ${latency[3]}`);
  console.log(`  client CPU ${fmt(result.cpuUsPerRequest, 2)} µs/req, peak RSS ${fmt(result.peakRssKb / 1024)} MB`);
}

async function curve(url) {
  console.log('\n## curve: connections 10 → 10,000 (closed loop, one client core, 3 s each, no warm-up)');
  const rows = [];
  for (const connections of [10, 100, 1000, 10000]) {
    const ours = await measure(process.execPath, [HYPERFOIL, 'wrk', '-t', '1', '-c', String(connections), '-d', '3s', '--warmup-duration', '0', '--root-dir', root, url]);
    const theirs = hasWrk ? await clients.wrk(url, connections, 3) : undefined;
    rows.push([String(connections), fmt(wrkRate(ours.stdout)), fmt(ours.peakRssKb / 1024), fmt(ours.cpuUsPerRequest, 2),
      theirs ? fmt(theirs.toolRate) : '-', theirs ? fmt(theirs.peakRssKb / 1024, 1) : '-', ours.code === 0 ? 'ok' : `exit ${ours.code}`]);
  }
  printTable(['connections', 'ours req/s', 'ours peak RSS MB', 'ours CPU µs/req', 'wrk req/s', 'wrk peak RSS MB', 'ours'], rows);
}

async function sessions(url) {
  const seconds = soakMinutes > 0 ? soakMinutes * 60 : 15;
  console.log(`\n## sessions: 10,000 users (always, think time 1 s), 1,000 connections, ${seconds} s, one thread`);
  const file = join(work, 'sessions.hf.yaml');
  writeFileSync(file, [
    'name: sessions10k',
    'threads: 1',
    `http: {host: '${url.replace(/\/$/, '')}', sharedConnections: 1000}`,
    'ergonomics: {repeatCookies: false, userAgentFromSession: false}',
    'phases:',
    '- main:',
    '    always:',
    '      users: 10000',
    `      duration: ${seconds}s`,
    '      scenario:',
    '      - request:',
    '        - httpRequest: {GET: /}',
    '        - thinkTime: 1s',
  ].join('\n'));
  const result = await measure(process.execPath, [HYPERFOIL, 'run', '-q', '--root-dir', root, file], { timeoutMs: (seconds + 60) * 1000 });
  const rss = result.samples.map((s) => s.rssKb).filter(Number.isFinite);
  const third = (k) => rss[Math.min(rss.length - 1, Math.floor((rss.length * k) / 3))] / 1024;
  const rate = /main\s+request\s+(\S+ \S+)/.exec(result.stdout)?.[1] ?? '-';
  console.log(`  peak RSS ${fmt(result.peakRssKb / 1024)} MB (target ≤ 200); RSS at 1/3, 2/3, end of the run: ${fmt(third(1))}, ${fmt(third(2))}, ${fmt(third(3))} MB; throughput ${rate}; exit ${result.code}`);
}

async function statsCost(url) {
  console.log(`\n## stats: closed loop -t 1 -c 50 with statistics recorded vs not recorded; ${reps} × ${durationS} s each`);
  const make = (record) => {
    const file = join(work, `stats-${record ? 'on' : 'off'}.hf.yaml`);
    writeFileSync(file, [
      `name: stats-${record ? 'on' : 'off'}`,
      'threads: 1',
      `http: {host: '${url.replace(/\/$/, '')}', sharedConnections: 50}`,
      'ergonomics: {repeatCookies: false, userAgentFromSession: false}',
      'phases:',
      '- test:',
      '    always:',
      '      users: 50',
      `      duration: ${durationS + 1}s`,
      '      scenario:',
      '      - request:',
      '        - httpRequest:',
      '            GET: /',
      // A metric selector that matches no path: the request is sent and handled, but nothing is recorded.
      ...(record ? ['            handler: {rawBytes: [{transferSizeRecorder: {key: transfer}}]}'] : ['            metric: ["no-such-path -> never"]']),
    ].join('\n'));
    return file;
  };
  const on = make(true);
  const off = make(false);
  const results = { on: [], off: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const [key, file] of [['on', on], ['off', off]]) {
      const result = await measure(process.execPath, [HYPERFOIL, 'run', '-q', '--root-dir', root, file]);
      results[key].push(result);
      console.log(`  rep ${rep + 1} recording ${key.padEnd(3)}: ${fmt(result.ratePerSec)} req/s (server), ${fmt(result.cpuUsPerRequest, 2)} µs CPU/req`);
    }
  }
  const cpuOn = median(results.on.map((r) => r.cpuUsPerRequest));
  const cpuOff = median(results.off.map((r) => r.cpuUsPerRequest));
  const rpsOn = median(results.on.map((r) => r.ratePerSec));
  const rpsOff = median(results.off.map((r) => r.ratePerSec));
  console.log(`  median CPU/request: on ${fmt(cpuOn, 2)} µs, off ${fmt(cpuOff, 2)} µs → recording costs ${fmt(((cpuOn - cpuOff) / cpuOff) * 100, 1)} % of the client's CPU per request`);
  console.log(`  median req/s: on ${fmt(rpsOn)}, off ${fmt(rpsOff)} (${fmt(((rpsOff - rpsOn) / rpsOff) * 100, 1)} % fewer with recording)`);
}

async function http2Step() {
  console.log(`\n## h2: HTTP/2 over TLS, one client core, 10 connections × 100 streams; ${reps} × ${durationS} s each, interleaved`);
  if (!existsSync('/usr/sbin/nginx')) {
    console.log('(skipped: needs nginx: apt-get install -y nginx-light)');
    return;
  }
  const hasH2load = spawnSync('h2load', ['--version']).error === undefined;
  if (!hasH2load) console.log('(h2load unavailable: apt-get install -y nghttp2-client)');
  const testdata = join(repo, 'src', 'http', 'testdata');
  const target = await startNginxH2(join(testdata, 'server-cert.pem'), join(testdata, 'server-key.pem'));
  const count = { countRequests: target.countRequests };
  const file = join(work, 'h2.hf.yaml');
  writeFileSync(file, [
    'name: h2',
    'threads: 1',
    `http: {host: '${target.url.replace(/\/$/, '')}', sharedConnections: 10, maxHttp2Streams: 100}`,
    'ergonomics: {repeatCookies: false, userAgentFromSession: false}',
    'phases:',
    '- test:',
    '    always:',
    '      users: 1000',
    `      duration: ${durationS}s`,
    '      scenario: [{request: [{httpRequest: {GET: /}}]}]',
  ].join('\n'));
  const oursRate = (stdout) => {
    const m = /^test\s+request\s+([\d.]+)(k?) req\/s/m.exec(stdout);
    return m ? Number(m[1]) * (m[2] === 'k' ? 1000 : 1) : NaN;
  };
  const tools = [
    ...(hasH2load ? [['h2load -c10 -m100 -t1', () => measure('h2load', ['-c10', '-m100', '-t1', '-D', String(durationS), target.url], count)
      .then((r) => ({ ...r, toolRate: Number(/finished in [\d.]+s, ([\d.]+) req\/s/.exec(r.stdout)?.[1] ?? NaN) }))]] : []),
    ['ours (hyperfoil run, 10 conn × 100 streams)', () => measure(process.execPath, [HYPERFOIL, 'run', '-q', '--root-dir', root, file], count)
      .then((r) => ({ ...r, toolRate: oursRate(r.stdout) }))],
    ['node:http2 client (10 × 100)', () => measure(process.execPath, [join(here, 'h2-node-client.mjs'), target.url, '10', '100', String(durationS)], count)
      .then((r) => ({ ...r, toolRate: wrkRate(r.stdout) }))],
    ...(hasWrk ? [['wrk -t1 -c50 (HTTPS/1.1)', () => measure('wrk', ['-t1', '-c50', `-d${durationS}s`, target.url], count).then((r) => ({ ...r, toolRate: wrkRate(r.stdout) }))]] : []),
    ['hyperfoil wrk -t 1 -c 50 (HTTPS/1.1)', () => measure(process.execPath, [HYPERFOIL, 'wrk', '-t', '1', '-c', '50', '-d', `${durationS}s`,
      '--warmup-duration', '1s', '--root-dir', root, target.url], count).then((r) => ({ ...r, toolRate: wrkRate(r.stdout) }))],
  ];
  const results = new Map(tools.map(([name]) => [name, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, run] of tools) {
      const result = await run();
      // Exit 5 = the load thread reported saturation: expected of a closed loop at full speed on one core.
      if (result.code !== 0 && result.code !== 5) console.log(`  ${name}: exit ${result.code} ${result.stderr.trim().split('\n').slice(-2).join(' ')}`);
      results.get(name).push(result);
      console.log(`  rep ${rep + 1} ${name.padEnd(44)} ${fmt(result.toolRate).padStart(9)} req/s (tool), ${fmt(result.ratePerSec).padStart(9)} req/s (server), `
        + `${fmt(result.cpuUsPerRequest, 2)} µs CPU/req, peak RSS ${fmt(result.peakRssKb / 1024)} MB`);
    }
  }
  const medianOf = (name, key) => median((results.get(name) ?? []).map((r) => r[key]));
  const h2loadRate = medianOf('h2load -c10 -m100 -t1', 'ratePerSec');
  const h2loadCpu = medianOf('h2load -c10 -m100 -t1', 'cpuUsPerRequest');
  const wrkTlsRate = medianOf('wrk -t1 -c50 (HTTPS/1.1)', 'ratePerSec');
  console.log('');
  printTable(['client', 'req/s server (median)', 'req/s tool (median)', 'vs h2load', 'vs wrk', 'CPU µs/req', 'CPU vs h2load', 'peak RSS MB'],
    [...results].map(([name, list]) => {
      const rps = median(list.map((r) => r.ratePerSec));
      const http1 = name.includes('HTTPS/1.1');
      return [name, fmt(rps), fmt(median(list.map((r) => r.toolRate))), http1 ? '-' : fmt(rps / h2loadRate, 2), http1 ? fmt(rps / wrkTlsRate, 2) : '-',
        fmt(median(list.map((r) => r.cpuUsPerRequest)), 2), fmt(median(list.map((r) => r.cpuUsPerRequest)) / h2loadCpu, 2),
        fmt(median(list.map((r) => r.peakRssKb / 1024)))];
    }));
  console.log('(req/s server: nginx\'s stub_status count over the steady part of each run; CPU µs/req: client CPU time in that part / requests)');
}

function micro() {
  console.log('\n## micro: hot functions (one core)');
  for (const [label, script] of [['request encoding', join(here, 'http-encode.mjs')], ['response parser', join(here, 'http-parser.mjs')],
    ['statistics', join(here, 'stats-micro.mjs')],
    ['extension action vs the same built-in', join(here, 'extension-action.mjs')],
    ['engine: empty sessions', join(repo, 'dist', 'src', 'engine', 'bench', 'empty-sessions.js')]]) {
    console.log(`### ${label}`);
    const [cmd, args] = pinned(0, process.execPath, [script, ...(label.startsWith('engine') ? ['2'] : [])]);
    const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
    process.stdout.write(result.stdout);
    if (result.status !== 0) console.log(`(exit ${result.status}) ${result.stderr}`);
  }
}

// ---- main -------------------------------------------------------------------------------------------------------

const target = await startTarget(serverKind);
console.log(`# hyperfoil bench — ${new Date().toISOString()}`);
console.log(`node ${process.version}, ${spawnSync('nproc').stdout?.toString().trim() ?? '?'} CPUs${hasTaskset ? '' : ' (no taskset: processes are not pinned)'}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log(`target: ${target.description} at ${target.url}; clients pinned to CPU 0`);
console.log(`steps: ${steps.join(', ')}`);
if (steps.includes('compare')) await compare(target.url);
if (steps.includes('open')) await openModel(target.url);
if (steps.includes('curve')) await curve(target.url);
if (steps.includes('sessions')) await sessions(target.url);
if (steps.includes('stats')) await statsCost(target.url);
if (steps.includes('h2')) await http2Step();
if (steps.includes('micro')) micro();
console.log(`\nload average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
// The target (a child process) would keep the event loop alive: exit, which stops it (see lib.mjs).
process.exit(0);
