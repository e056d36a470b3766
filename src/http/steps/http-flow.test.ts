// How httpRequest moves a session along, against real servers: sync vs sync:false with awaitVar and
// awaitAllResponses, response bodies into variables, gzip, redirects (Location and meta refresh), and cancelling
// requests in flight when a phase is terminated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { testRegistry } from './fixtures.test-support.js';
import { atOnceYaml, counts, runBenchmark, startServer } from './harness.test-support.js';
import type { SeenRequest, TestServer } from './harness.test-support.js';

// Timing bounds below: a response held by a 200 ms Node timer is sent ≥ 199 ms after its request arrived (timers
// fire no earlier than their 1 ms granularity allows). A request that does not wait for it is sent within a few
// ms; 150 ms leaves 50 ms for event-loop noise on a shared 2-core machine and still tells the two apart.
const HOLD_MS = 200;

function seen(server: TestServer, url: string): SeenRequest {
  const found = server.seen.find((s) => s.url === url);
  assert.ok(found !== undefined, `${url} not seen`);
  return found;
}

function delayingServer() {
  return startServer((req, res) => {
    const holdMs = req.url!.startsWith('/slow') ? HOLD_MS : 0;
    setTimeout(() => res.end(req.url), holdMs);
  });
}

test('sync: false sends the next request at once; awaitVar waits for the handler; sync: true waits', async () => {
  const server = await delayingServer();
  try {
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 2`, 1, `
- main:
  - httpRequest:
      GET: /slow
      sync: false
      handler:
        status:
          store: status
  - httpRequest:
      GET: /fast
  - awaitVar: status
  - httpRequest:
      GET: /done/\${status}
`), { registry: testRegistry() });
    // /slow and /fast go on two connections: the server may see them in either order.
    assert.deepEqual(server.seen.map((s) => s.url).sort(), ['/done/200', '/fast', '/slow']);
    const slow = seen(server, '/slow');
    const fast = seen(server, '/fast');
    const done = seen(server, '/done/200');
    assert.ok(Math.abs(fast.atMs - slow.atMs) < 150, `async: /fast came ${fast.atMs - slow.atMs} ms after /slow`);
    assert.ok(done.atMs - slow.atMs >= HOLD_MS - 1, `awaitVar: /done came ${done.atMs - slow.atMs} ms after /slow`);

    server.seen.length = 0;
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 2`, 1, `
- main:
  - httpRequest:
      GET: /slow
  - httpRequest:
      GET: /fast
`));
    const [slow2, fast2] = server.seen;
    assert.ok(fast2!.atMs - slow2!.atMs >= HOLD_MS - 1, `sync: /fast came ${fast2!.atMs - slow2!.atMs} ms after /slow`);
  } finally {
    await server.close();
  }
});

test('awaitAllResponses waits for every asynchronous request; maxRequests bounds them', async () => {
  const server = await delayingServer();
  try {
    const result = await runBenchmark(`name: await-all
http:
  host: ${server.url}
  sharedConnections: 4
phases:
- main:
    atOnce:
      users: 1
      scenario:
        maxRequests: 2
        initialSequences:
        - main:
          - httpRequest: { GET: /slow/1, sync: false }
          - httpRequest: { GET: /slow/2, sync: false }
          - httpRequest: { GET: /slow/3, sync: false }
          - awaitAllResponses
          - httpRequest: { GET: /end }
`);
    assert.deepEqual(server.seen.map((s) => s.url).sort(), ['/end', '/slow/1', '/slow/2', '/slow/3']);
    const first = seen(server, '/slow/1');
    const second = seen(server, '/slow/2');
    const third = seen(server, '/slow/3');
    const end = seen(server, '/end');
    assert.ok(Math.abs(second.atMs - first.atMs) < 150, 'two slots: the second request did not wait');
    assert.ok(third.atMs - Math.min(first.atMs, second.atMs) >= HOLD_MS - 1, `the third waited for a slot (${third.atMs - first.atMs} ms)`);
    assert.ok(end.atMs - third.atMs >= HOLD_MS - 1, `awaitAllResponses waited for the third (${end.atMs - third.atMs} ms)`);
    assert.equal(counts(result.stats.get('main')).responses, 4);
  } finally {
    await server.close();
  }
});

test('body processors get the whole body across parts (chunked and Content-Length) and store into variables', async () => {
  const json = '{"user":{"id":"u-42","name":"Ann"},"padding":"' + 'x'.repeat(3000) + '"}';
  const server = await startServer((req, res) => {
    if (req.url === '/chunked') {
      // Three writes with pauses: the client reads them as separate body parts.
      res.write(json.slice(0, 10));
      setTimeout(() => res.write(json.slice(10, 2000)), 10);
      setTimeout(() => res.end(json.slice(2000)), 20);
    } else if (req.url === '/sized') {
      res.setHeader('content-length', Buffer.byteLength(json));
      res.write(json.slice(0, 1500));
      setTimeout(() => res.end(json.slice(1500)), 10);
    } else {
      res.end();
    }
  });
  try {
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /chunked
      handler:
        body:
          json:
            query: .user.id
            toVar: id
  - httpRequest:
      GET: /sized
      handler:
        body:
          json:
            query: .user.name
            toVar: name
  - httpRequest:
      GET: /user/\${id}/\${name}
`), { registry: testRegistry() });
    assert.deepEqual(server.seen.map((s) => s.url), ['/chunked', '/sized', '/user/u-42/Ann']);
  } finally {
    await server.close();
  }
});

test('compression: gzip asks with Accept-Encoding and inflates before the body processors', async () => {
  const server = await startServer((req, res) => {
    const body = JSON.stringify({ greeting: `hello from ${req.url}` });
    if (String(req.headers['accept-encoding'] ?? '').includes('gzip')) {
      res.setHeader('content-encoding', 'gzip');
      res.end(gzipSync(body));
    } else {
      res.end(body);
    }
  });
  try {
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /zipped
      compression: gzip
      handler:
        body:
          json: { query: .greeting, toVar: zipped }
  - httpRequest:
      GET: /plain
      handler:
        body:
          json: { query: .greeting, toVar: plain }
  - httpRequest:
      GET: /result?a=\${urlencode:zipped}&b=\${urlencode:plain}
`), { registry: testRegistry() });
    const [zipped, plain, resultRequest] = server.seen;
    assert.equal(zipped!.headers['accept-encoding'], 'gzip');
    assert.equal(plain!.headers['accept-encoding'], undefined);
    assert.equal(resultRequest!.url, '/result?a=hello+from+%2Fzipped&b=hello+from+%2Fplain');
  } finally {
    await server.close();
  }
});

function redirectServer() {
  return startServer((req, res) => {
    switch (req.url) {
      case '/start':
        res.writeHead(302, { location: '/middle', 'set-cookie': 'hop=1; Path=/' });
        res.end('moved');
        return;
      case '/middle':
        res.writeHead(301, { location: `http://127.0.0.1:${(req.socket.localPort)}/final` });
        res.end();
        return;
      case '/post307':
        res.writeHead(307, { location: 'target307' });
        res.end();
        return;
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.write('<html><head><title>x</title><META HTTP-EQUIV="Refresh" ');
        res.end('content="0; URL=/after-refresh"></head><body>wait</body></html>');
        return;
      default:
        res.end(`final:${req.url}`);
    }
  });
}

test('followRedirect LOCATION_ONLY follows 3xx + Location (relative, absolute, 307 keeps the method); handlers see the last response', async () => {
  const server = await redirectServer();
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /start
      handler:
        followRedirect: LOCATION_ONLY
        status:
          store: status
        body:
          store: body
        onCompletion:
          set: completed <- yes
  - httpRequest:
      GET: /check/\${status}/\${urlencode:body}/\${completed}
      metric: check
  - httpRequest:
      POST: /post307
      body: payload
      metric: post
      handler:
        followRedirect: LOCATION_ONLY
`), { registry: testRegistry() });
    assert.deepEqual(server.seen.map((s) => `${s.method} ${s.url}`), [
      'GET /start', 'GET /middle', 'GET /final', 'GET /check/200/final%3A%2Ffinal/yes', 'POST /post307', 'POST /target307',
    ]);
    assert.equal(server.seen[1]!.headers.cookie, 'hop=1', 'a cookie set by a redirect response is sent along the chain');
    assert.equal(server.seen[5]!.body, 'payload');
    assert.deepEqual(counts(result.stats.get('main')), {
      requests: 3, responses: 3, invalid: 0, connectionErrors: 0, requestTimeouts: 0, internalErrors: 0, s2xx: 1, s3xx: 2, s4xx: 0, s5xx: 0,
    });
  } finally {
    await server.close();
  }
});

test('followRedirect NEVER (the default) hands the 3xx to the handlers', async () => {
  const server = await redirectServer();
  try {
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /start
      handler:
        status:
          store: status
  - httpRequest:
      GET: /check/\${status}
`), { registry: testRegistry() });
    assert.deepEqual(server.seen.map((s) => s.url), ['/start', '/check/302']);
  } finally {
    await server.close();
  }
});

test('followRedirect HTML_ONLY follows a meta refresh once the page was handled; the last page is the response', async () => {
  const server = await redirectServer();
  try {
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /html
      handler:
        followRedirect: HTML_ONLY
        body:
          store: body
  - httpRequest:
      GET: /check?last=\${urlencode:body}
`), { registry: testRegistry() });
    assert.deepEqual(server.seen.map((s) => s.url), ['/html', '/after-refresh', '/check?last=final%3A%2Fafter-refresh']);
  } finally {
    await server.close();
  }
});

test('terminating a phase cancels requests in flight: their connections are closed, nothing is counted', async () => {
  const closed: number[] = [];
  const server = await startServer((req) => {
    req.socket.once('close', () => closed.push(Date.now()));
    // never answers
  });
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 3`, 3, `
- main:
  - httpRequest:
      GET: /hang
      timeout: 10s
`), { timeoutMs: 300 });
    assert.equal(result.terminated, false, 'the phase had to be terminated');
    assert.equal(server.seen.length, 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(closed.length, 3, 'the client closed the three connections');
    const main = result.stats.get('main')!;
    assert.equal(main.requestCount, 3);
    assert.equal(main.connectionErrors + main.requestTimeouts + main.internalErrors, 0, 'cancelled, not failed');
    assert.equal(result.counters.cancelled, 3);
  } finally {
    await server.close();
  }
});
