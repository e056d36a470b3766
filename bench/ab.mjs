#!/usr/bin/env node
// A/B of two builds of this project on the same closed-loop benchmark (the one `hyperfoil wrk -t 1 -c 50` builds),
// alternating runs against the same pinned target: client CPU µs per request over the steady part of each run and
// the server-side request rate, medians and the B/A ratio. For measuring an optimisation: build both trees first.
//   node bench/ab.mjs --a /path/to/old/tree --b . [--reps 5] [--duration 5] [--connections 50] [--rate R]
// With --rate R the benchmark is wrk2's open model at R requests/s instead.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fmt, measure, median, startTarget, work } from './lib.mjs';
import { existsSync } from 'node:fs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const a = resolve(option('a', '.'));
const b = resolve(option('b', '.'));
const reps = Number(option('reps', '5'));
const durationS = Number(option('duration', '5'));
const connections = Number(option('connections', '50'));
const rate = option('rate', undefined);

const target = await startTarget(existsSync('/usr/sbin/nginx') ? 'nginx' : 'node');
const file = join(work, 'ab.hf.yaml');
const model = rate === undefined
  ? [`    always: {users: ${connections}, duration: ${durationS + 1}s, maxDuration: ${durationS + 1}s,`]
  : [`    constantRate: {usersPerSec: ${rate}, variance: false, maxSessions: ${Math.max(connections, Number(rate))}, duration: ${durationS + 1}s, maxDuration: ${durationS + 1}s,`];
writeFileSync(file, [
  'name: ab',
  'threads: 1',
  `http: {host: '${target.url.replace(/\/$/, '')}', sharedConnections: ${connections}, useHttpCache: false}`,
  'ergonomics: {repeatCookies: false, userAgentFromSession: false}',
  'phases:',
  '- test:',
  ...model,
  '      scenario: {initialSequences: [{request: [{httpRequest: {GET: /, handler: {rawBytes: [{transferSizeRecorder: {key: transfer}}]}}}]}], maxRequests: 1, maxSequences: 1}}',
].join('\n'));
console.log(`target ${target.description}; ${reps} × ${durationS} s per build, alternating; A = ${a}, B = ${b}`);
const results = { A: [], B: [] };
for (let rep = 0; rep < reps; rep++) {
  for (const [key, tree] of [['A', a], ['B', b]]) {
    const r = await measure(process.execPath, [join(tree, 'bin', 'hyperfoil.js'), 'run', '-q', '--root-dir', join(work, key), file]);
    results[key].push(r);
    console.log(`  rep ${rep + 1} ${key}: ${fmt(r.ratePerSec)} req/s (server), ${fmt(r.cpuUsPerRequest, 2)} µs CPU/req, exit ${r.code}`);
  }
}
const cpu = (key) => median(results[key].map((r) => r.cpuUsPerRequest));
const rps = (key) => median(results[key].map((r) => r.ratePerSec));
console.log(`median CPU/request: A ${fmt(cpu('A'), 2)} µs, B ${fmt(cpu('B'), 2)} µs (B/A ${fmt(cpu('B') / cpu('A'), 3)})`);
console.log(`median req/s:       A ${fmt(rps('A'))}, B ${fmt(rps('B'))} (B/A ${fmt(rps('B') / rps('A'), 3)})`);
process.exit(0); // stops the target (see lib.mjs)
