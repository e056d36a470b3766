// Statistics of httpRequest against real servers: requests, responses, status classes, invalid, connection
// errors (refused port, reset), request timeouts, blocked time, metric selectors, and stopOnInvalid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry } from './fixtures.test-support.js';
import { atOnceYaml, counts, refusedPort, runBenchmark, startServer } from './harness.test-support.js';

test('status classes, autoRangeCheck invalid responses and latency; stopOnInvalid: false goes on', async () => {
  const server = await startServer((req, res) => {
    const status = Number(req.url!.slice(1));
    res.statusCode = status;
    // 30 ms for every response, so every latency is at least that (Node timers never fire early by more than
    // their 1 ms granularity: ≥ 29 ms is asserted below).
    setTimeout(() => res.end(), 30);
  });
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 2`, 2, `
- main:
  - httpRequest:
      GET: /200
      handler: { stopOnInvalid: false }
  - httpRequest:
      GET: /302
      handler: { stopOnInvalid: false }
  - httpRequest:
      GET: /404
      handler: { stopOnInvalid: false }
  - httpRequest:
      GET: /503
      handler: { stopOnInvalid: false }
`));
    const main = result.stats.get('main')!;
    assert.deepEqual(counts(main), {
      requests: 8, responses: 8, invalid: 4, connectionErrors: 0, requestTimeouts: 0, internalErrors: 0, s2xx: 2, s3xx: 2, s4xx: 2, s5xx: 2,
    });
    assert.ok(main.minNs() >= 29e6, `min latency ${main.minNs() / 1e6} ms`);
    assert.equal(result.counters.failed, 0);
  } finally {
    await server.close();
  }
});

test('stopOnInvalid (default) stops the session after an invalid response; autoRangeCheck: false accepts it', async () => {
  const server = await startServer((req, res) => {
    res.statusCode = req.url === '/bad' ? 500 : 200;
    res.end();
  });
  try {
    const scenario = `
- main:
  - httpRequest:
      GET: /bad
  - httpRequest:
      GET: /after
`;
    const stopped = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 3, scenario));
    assert.deepEqual(server.seen.map((s) => s.url), ['/bad', '/bad', '/bad'], 'no session went on to /after');
    assert.equal(counts(stopped.stats.get('main')).invalid, 3);
    assert.equal(stopped.counters.failed, 0, 'stopping is not a failure');
    assert.equal(stopped.counters.finished, 3);

    server.seen.length = 0;
    const accepted = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, scenario, 'ergonomics:\n  autoRangeCheck: false'));
    assert.deepEqual(server.seen.map((s) => s.url), ['/bad', '/after']);
    assert.equal(counts(accepted.stats.get('main')).invalid, 0);
    assert.equal(counts(accepted.stats.get('main')).s5xx, 1);
  } finally {
    await server.close();
  }
});

test('a refused port counts connection errors (no request sent); onCompletion runs and the session goes on', async () => {
  const port = await refusedPort();
  const live = await startServer((_req, res) => res.end());
  try {
    const result = await runBenchmark(`name: refused
http:
- host: http://127.0.0.1:${port}
  name: dead
- host: ${live.url}
  name: live
phases:
- main:
    atOnce:
      users: 3
      scenario:
      - main:
        - httpRequest:
            GET: /x
            endpoint: dead
            metric: dead
            handler:
              stopOnInvalid: false
              onCompletion:
                set: completed <- yes
        - httpRequest:
            GET: /after/\${completed}
            endpoint: live
            metric: live
`, { startPools: false, registry: testRegistry() });
    assert.equal(result.terminated, true);
    // Each attempt counts as a request, so that the error ratio is errors / requests <= 1.
    assert.deepEqual(counts(result.stats.get('dead')), {
      requests: 3, responses: 0, invalid: 0, connectionErrors: 3, requestTimeouts: 0, internalErrors: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0,
    });
    assert.deepEqual(live.seen.map((s) => s.url), ['/after/yes', '/after/yes', '/after/yes']);
  } finally {
    await live.close();
  }
});

test('a refused port with stopOnInvalid (default) stops the session', async () => {
  const port = await refusedPort();
  const result = await runBenchmark(atOnceYaml(`http:\n  host: http://127.0.0.1:${port}`, 2, `
- main:
  - httpRequest:
      GET: /x
  - httpRequest:
      GET: /y
`), { startPools: false });
  assert.equal(result.terminated, true);
  assert.equal(counts(result.stats.get('main')).connectionErrors, 2, 'only the first request of each session was tried');
  assert.equal(result.counters.failed, 0);
});

test('a server that never answers gives request timeouts; a reset connection gives a connection error', async () => {
  const server = await startServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    if (req.url === '/reset') {
      req.socket.destroy();
      return;
    }
    res.end('fine');
  });
  try {
    const started = performance.now();
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 2`, 2, `
- main:
  - httpRequest:
      GET: /hang
      timeout: 200ms
      metric: hang
      handler: { stopOnInvalid: false }
  - httpRequest:
      GET: /reset
      metric: reset
      handler: { stopOnInvalid: false }
  - httpRequest:
      GET: /fine
      metric: fine
`));
    const elapsedMs = performance.now() - started;
    assert.deepEqual(counts(result.stats.get('hang')), {
      requests: 2, responses: 0, invalid: 0, connectionErrors: 0, requestTimeouts: 2, internalErrors: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0,
    });
    assert.equal(result.stats.get('reset')!.connectionErrors, 2);
    assert.equal(result.stats.get('reset')!.requestCount, 2);
    assert.equal(result.stats.get('fine')!.status2xx, 2, 'the sessions went on after both failures');
    // The 200 ms timeout is armed with a 1 ms-granularity timer: the phase cannot be over sooner.
    assert.ok(elapsedMs >= 199, `elapsed ${elapsedMs} ms`);
  } finally {
    await server.close();
  }
});

test('blocked time: 4 sessions sharing 1 connection wait for it; 4 connections do not', async () => {
  const server = await startServer((_req, res) => setTimeout(() => res.end(), 50));
  try {
    const scenario = `
- main:
  - httpRequest:
      GET: /slow
`;
    // maxHttp2Streams: 1 makes one connection one request at a time over HTTP/2 too (HF_TEST_PROTOCOL=h2c).
    const one = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 1\n  maxHttp2Streams: 1`, 4, scenario));
    const blockedNs = one.stats.get('main')!.blockedTimeNs;
    // The four requests go one after the other on the single connection; each response takes ≥ 49 ms (a 50 ms
    // Node timer fires at most its 1 ms granularity early), so the 2nd, 3rd and 4th sessions wait at least
    // 49, 98 and 147 ms: ≥ 294 ms in total.
    assert.ok(blockedNs >= 294e6, `blocked ${blockedNs / 1e6} ms`);
    assert.equal(one.stats.get('main')!.responseCount, 4);

    const four = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 4`, 4, scenario));
    assert.equal(four.stats.get('main')!.blockedTimeNs, 0);
    assert.equal(four.stats.get('main')!.responseCount, 4);
  } finally {
    await server.close();
  }
});

test('metric selectors name each request by its path; requests no selector accepts are not recorded', async () => {
  const server = await startServer((_req, res) => res.end());
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /cats/1
      metric: &selectors
      - .*cats.* -> mammals
      - /dogs/(\\d+) -> dog$1
      - /birds/.*
      - -> other
  - httpRequest:
      GET: /dogs/2
      metric: *selectors
  - httpRequest:
      GET: /birds/tit?x=1
      metric: *selectors
  - httpRequest:
      GET: /fish
      metric: *selectors
  - httpRequest:
      GET: /unrecorded
      metric:
      - /recorded -> r
  - httpRequest:
      GET: /plain
      metric: named
`));
    assert.deepEqual([...result.stats.keys()].sort(), ['/birds/tit?x=1', 'dog2', 'mammals', 'named', 'other']);
    for (const snapshot of result.stats.values()) assert.equal(snapshot.responseCount, 1);
    assert.equal(server.seen.length, 6, 'the unrecorded request was still sent');
  } finally {
    await server.close();
  }
});
