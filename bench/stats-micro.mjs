#!/usr/bin/env node
// Micro-benchmarks of the statistics layer (build first: npx tsc -p .). Prints ns per operation for recording,
// merging, encoding and decoding a typical 1-second snapshot, and the controller's CPU cost per second of data
// for 16 agents x 50 metrics. Every loop is bounded by an iteration count; the whole run takes a few seconds.
//   node bench/stats-micro.mjs
import { Int32Histogram, PackedHistogram } from 'hdr-histogram-js';
import {
  decodeSnapshot,
  encodeSnapshot,
  StatisticsStore,
  StatsRecorder,
  StatsSnapshot,
  toSummary,
} from '../dist/src/stats/index.js';

const T0 = 1_700_000_000_000;

/** Mulberry32, so runs are comparable. */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Latencies of an HTTP service: log-normal, median ~2 ms, long tail to ~200 ms. */
function latencies(count, seed) {
  const random = seeded(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const gauss = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    out[i] = Math.floor(Math.exp(Math.log(2e6) + 0.9 * gauss));
  }
  return out;
}

/** A typical 1-s snapshot of one metric: 10 000 responses, statuses, a few errors. */
function typicalSnapshot(seed, second = 0) {
  const s = new StatsSnapshot().setInterval(T0 + second * 1000, T0 + (second + 1) * 1000);
  const values = latencies(10_000, seed);
  for (let i = 0; i < values.length; i++) {
    s.recordResponse(values[i]);
    s.recordStatus(i % 100 === 0 ? 503 : 200);
  }
  s.requestCount = 10_010;
  s.requestTimeouts = 3;
  s.connectionErrors = 2;
  s.invalid = 100;
  return s;
}

/** Run `fn` (which performs `opsPerCall` operations) until ~`budgetMs` elapsed, best of 3 rounds, ns/op. */
function measure(fn, opsPerCall, budgetMs = 150) {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(budgetMs) * 1_000_000n;
    let now = start;
    while (now < deadline && calls < 1e7) {
      fn();
      calls++;
      now = process.hrtime.bigint();
    }
    best = Math.min(best, Number(now - start) / (calls * opsPerCall));
  }
  return best;
}

const rows = [];
function report(name, nsPerOp, note = '') {
  rows.push([name, nsPerOp]);
  console.log(`${name.padEnd(58)} ${nsPerOp.toFixed(nsPerOp < 100 ? 1 : 0).padStart(10)} ns${note ? '  ' + note : ''}`);
}

console.log(`node ${process.version}, ${process.arch}\n`);
console.log('-- recording one latency (hot path) --');
const values = latencies(1 << 16, 1);
const MASK = values.length - 1;
{
  const s = new StatsSnapshot();
  let i = 0;
  report('StatsSnapshot.recordResponse (int32, fast path)', measure(() => {
    for (let k = 0; k < 10_000; k++) s.recordResponse(values[i++ & MASK]);
    s.reset();
  }, 10_000));
}
{
  const recorder = new StatsRecorder(1, 'main', 1, 'get');
  recorder.start(T0);
  let i = 0;
  let startMs = T0;
  report('StatsRecorder.recordRequest+recordResponse (bucket by start)', measure(() => {
    for (let k = 0; k < 10_000; k++) {
      startMs += 0.01; // 100 000 requests/s: the bucket changes every 100 000 calls
      recorder.recordRequest(startMs);
      recorder.recordResponse(startMs, values[i++ & MASK]);
    }
    if (recorder.pendingBuckets > 2) for (const d of recorder.drainClosed(startMs)) recorder.release(d.snapshot);
  }, 10_000));
}
{
  const h = new Int32Histogram(1, 60_000_000_000, 2);
  let i = 0;
  report('hdr-histogram-js Int32Histogram.recordValue', measure(() => {
    for (let k = 0; k < 10_000; k++) h.recordValue(values[i++ & MASK]);
    h.reset();
  }, 10_000));
}
{
  const h = new PackedHistogram(1, 60_000_000_000, 2);
  let i = 0;
  report('hdr-histogram-js PackedHistogram.recordValue', measure(() => {
    for (let k = 0; k < 10_000; k++) h.recordValue(values[i++ & MASK]);
    h.reset();
  }, 10_000));
}

console.log('\n-- a typical 1-s snapshot (10 000 responses) --');
const typical = typicalSnapshot(2);
const compressed = encodeSnapshot(typical);
const plain = encodeSnapshot(typical, { compress: false });
console.log(
  `encoded size: ${compressed.length} B compressed, ${plain.length} B plain; ` +
    `${typical.histogram._counts.filter((c) => c !== 0).length} non-empty buckets of 3840`,
);
{
  const total = new StatsSnapshot('float64');
  report('StatsSnapshot.add (merge into float64 total)', measure(() => total.add(typical), 1));
}
{
  const libTotal = new Int32Histogram(1, 60_000_000_000, 2);
  const libSource = new Int32Histogram(1, 60_000_000_000, 2);
  for (let i = 0; i < 10_000; i++) libSource.recordValue(values[i]);
  report('hdr-histogram-js Int32Histogram.add (for comparison)', measure(() => libTotal.add(libSource), 1));
}
report('encodeSnapshot (compressed histogram)', measure(() => encodeSnapshot(typical), 1));
report('encodeSnapshot (plain histogram, compress: false)', measure(() => encodeSnapshot(typical, { compress: false }), 1));
{
  const into = new StatsSnapshot();
  report('decodeSnapshot (compressed) into a pooled snapshot', measure(() => decodeSnapshot(compressed, into), 1));
  report('decodeSnapshot (plain) into a pooled snapshot', measure(() => decodeSnapshot(plain, into), 1));
}
report('toSummary (min/mean/stddev/max + 5 percentiles)', measure(() => toSummary(typical), 1));

console.log('\n-- controller: 16 agents x 50 metrics, one snapshot each per second --');
function storeRun(compress) {
  const AGENTS = 16;
  const METRICS = 50;
  const SECONDS = 70; // > the 60-bucket merge delay, so steady-state merging is included
  const variants = Array.from({ length: 32 }, (_, v) => typicalSnapshot(100 + v));
  // Encoded per second (the interval differs per second); built outside the timed section.
  const wire = [];
  for (let second = 0; second < SECONDS; second++) {
    wire.push(variants.map((v) => encodeSnapshot(v.setInterval(T0 + second * 1000, T0 + second * 1000 + 1000), { compress })));
  }
  const store = new StatisticsStore({
    slas: () => [{ windowMs: 10_000, errorRatio: 0.5, invalidRatio: 1.01, blockedRatio: 1000, limits: [] }],
  });
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let second = 0; second < SECONDS; second++) {
    for (let agent = 0; agent < AGENTS; agent++) {
      for (let metric = 0; metric < METRICS; metric++) {
        store.addEncoded(`agent-${agent}`, 'main', metric, `metric-${metric}`, second, wire[second][(agent * 7 + metric) % 32]);
      }
    }
  }
  store.completePhase('main');
  const elapsedNs = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  const perSecondMs = (cpu.user + cpu.system) / 1000 / SECONDS;
  const snapshots = SECONDS * AGENTS * METRICS;
  console.log(
    `${compress ? 'compressed' : 'plain'} wire bytes: ${snapshots} snapshots in ${(elapsedNs / 1e6).toFixed(0)} ms wall, ` +
      `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms cpu`,
  );
  report(`  per snapshot (${compress ? 'inflate, ' : ''}decode, 3 adds, summary, keep, merge, SLA)`, elapsedNs / snapshots);
  console.log(`  => ${perSecondMs.toFixed(1)} ms of CPU per second of data (${(perSecondMs / 10).toFixed(2)} % of one core)`);
  const problems = store.consistencyProblems();
  if (problems.length > 0) console.log('  consistency problems:', problems.slice(0, 3));
}
storeRun(true);
storeRun(false);
