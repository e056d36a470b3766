// Coordinated omission: an open-model phase keeps starting users on schedule while the server stalls, so the
// latencies it records are the ones users would see. The server holds every response for 500 ms out of every
// 2.5 s; a driver free of coordinated omission measures p90 ≈ 250 ms and p99 ≈ 475 ms (derivation below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { counts, runBenchmark, TEST_PROTOCOL } from './harness.test-support.js';

const CYCLE_MS = 2500;
const STALL_MS = 500;
const RATE_PER_SEC = 500;
const DURATION_MS = 10_000;

// The stalling server runs in its own thread (as a real server would run elsewhere), so that answering the burst
// of held requests at the end of each stall does not delay the driver's event loop.
const SERVER = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const epochMs = performance.now();
const server = http.createServer((req, res) => {
  req.resume();
  const cycleMs = (performance.now() - epochMs) % ${CYCLE_MS};
  if (cycleMs < ${STALL_MS}) setTimeout(() => res.end(), ${STALL_MS} - cycleMs);
  else res.end();
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => {
  server.closeAllConnections();
  server.close(() => parentPort.close());
});
`;

async function startStallingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const worker = new Worker(SERVER, { eval: true });
  const [port] = (await once(worker, 'message')) as [number];
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
}

test('open model through a stalling server: p90 ≈ 250 ms, p99 ≈ 475 ms', { timeout: 30_000, skip: TEST_PROTOCOL === 'h2c' && 'its target is a hand-written HTTP/1.1 server' }, async (t) => {
  const server = await startStallingServer();
  try {
    const result = await runBenchmark(`name: coordinated-omission
http:
  host: ${server.url}
  sharedConnections: 600
phases:
- main:
    constantRate:
      usersPerSec: ${RATE_PER_SEC}
      maxSessions: 600
      duration: 10s
      scenario:
      - main:
        - httpRequest:
            GET: /
`, { durationMs: DURATION_MS, timeoutMs: 3000 });
    const main = result.stats.get('main')!;
    const p50 = main.valueAtPercentileNs(50) / 1e6;
    const p90 = main.valueAtPercentileNs(90) / 1e6;
    const p99 = main.valueAtPercentileNs(99) / 1e6;
    const n = main.responseCount;
    t.diagnostic(`${n} responses in ${(result.elapsedMs / 1000).toFixed(1)} s: p50 ${p50.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, `
      + `p99 ${p99.toFixed(1)} ms, max ${(main.maxNs() / 1e6).toFixed(1)} ms, mean ${(main.meanNs() / 1e6).toFixed(1)} ms`);

    // Derivation. Arrivals are Poisson (constantRate's default), independent of the server's cycle, so the
    // cycle phase φ of an arrival is uniform on [0, 2500) ms and its latency is L = max(0, 500 − φ) ms plus the
    // service time. Hence P(L > x) = (500 − x)/2500 for 0 ≤ x < 500: p90 = 500 − 0.10·2500 = 250 ms,
    // p99 = 500 − 0.01·2500 = 475 ms, and p50 is just the service time (80 % of requests are not held).
    //
    // Sampling: N ≈ 500/s × 10 s = 5000. An empirical p-quantile has a standard deviation of about
    // √(p(1−p)/N) / f, with f = 1/2500 per ms the density of L on (0, 500): p90 → √(0.09/5000)·2500 = 10.6 ms,
    // p99 → √(0.0099/5000)·2500 = 3.5 ms. We allow 4σ either way: ±42 ms and ±14 ms.
    //
    // Systematic effects only lengthen latencies: the histogram reports the top of a bucket (2 significant
    // digits: +1.05 ms around 250 ms, +2.1 ms around 475 ms); the server's hold timers fire up to ~2 ms late
    // (1 ms granularity); and every held request is released at the same instant, the end of its stall, so the
    // driver receives ≈ 500/s × 0.5 s = 250 responses at once and records them one after another: a held
    // request's completion is recorded up to B = 250·c late, c being the driver's cost per response (≈ 0.1 ms
    // alone on a core; 2–4× that on this 2-core machine shared with other jobs, so B ≤ 100 ms). Held requests
    // sit anywhere in that burst: ≤ B/2 = 50 ms on average near either quantile. Upper allowance: 2 + 2.1 + 50
    // ≈ 55 ms. (Measured here under load: p90 +6…+35 ms, p99 −3…+10 ms.)
    assert.ok(p90 >= 250 - 42 && p90 <= 250 + 42 + 55, `p90 ${p90} ms`);
    assert.ok(p99 >= 475 - 14 && p99 <= 475 + 14 + 55, `p99 ${p99} ms`);
    assert.ok(p50 < 20, `p50 ${p50} ms: most requests are not held`);

    // The schedule was kept: Poisson count with mean 5000 (sd √5000 ≈ 71; 4 sd = 283), over a window of 10 s plus
    // the timer's lateness (≤ 50 ms → ≤ 25 more arrivals); no session had to wait for a connection or a session.
    assert.ok(n >= 5000 - 283 && n <= 5000 + 283 + 25, `${n} responses`);
    assert.deepEqual(counts(main), {
      requests: n, responses: n, invalid: 0, connectionErrors: 0, requestTimeouts: 0, internalErrors: 0, s2xx: n, s3xx: 0, s4xx: 0, s5xx: 0,
    });
    assert.equal(main.blockedTimeNs, 0, '600 connections: nobody waited for one');
    assert.equal(result.counters.throttled, 0, '600 sessions: every start was on time');
    assert.equal(result.terminated, true);
  } finally {
    await server.close();
  }
});
