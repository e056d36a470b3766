// Response handlers of httpRequest against real servers: status (counter, action, multiplex, store, range, stats),
// header (filter, conditional, countHeaders, recordHeaderTime, logInvalid), rawBytes, markRequestInvalid,
// closeConnection, logInvalid and parseHtml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { ObjectArrayVar } from '../../engine/index.js';
import { testRegistry } from './fixtures.test-support.js';
import { atOnceYaml, runBenchmark, startServer, TEST_PROTOCOL } from './harness.test-support.js';
import { setHttpLog } from './index.js';

test('status handlers: counter, action, multiplex, store, range and exact_status statistics', async () => {
  const server = await startServer((req, res) => {
    res.statusCode = req.url!.startsWith('/s/') ? Number(req.url!.slice(3)) : 200;
    res.end();
  });
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /s/200
      handler:
        status:
        - counter: { var: hits, expectStatus: 200, add: 1 }
        - counter: { var: misses, expectStatus: 404, init: 10, add: 1 }
        - action:
            2xx:
            - set: class <- two
            other:
            - set: class <- other
        - stats
  - httpRequest:
      GET: /s/404
      metric: second
      handler:
        autoRangeCheck: false
        stopOnInvalid: false
        status:
          multiplex:
            4xx:
            - store: code4
            - counter: { var: hits, add: 5 }
            other:
            - store: wrong
          range: 200-299
  - httpRequest:
      GET: /report/\${hits}/\${code4}/\${class}
`), { registry: testRegistry() });
    assert.equal(server.seen.at(-1)!.url, '/report/6/404/two');
    assert.equal(result.stats.get('main')!.extensions.get('exact_status')?.get('status_200'), 1);
    assert.equal(result.stats.get('second')!.invalid, 1, 'range 200-299 marks the 404 invalid');
  } finally {
    await server.close();
  }
});

test('header handlers: filter (any case) into processors, conditional, countHeaders, recordHeaderTime; rawBytes sizes', { skip: TEST_PROTOCOL === 'h2c' && 'node:http2 sends no content-length, and raw byte counts differ' }, async () => {
  let requestBytes = 0;
  let responseBytes = 0;
  const server = await startServer((req, res) => {
    if (req.url === '/h') {
      res.setHeader('X-Token', 'abc');
      res.setHeader('X-Other', 'zzz');
      res.setHeader('X-Server-Time', '12');
      // The first request of its connection: what was read so far is this request, what is written by the
      // end of the response is this response.
      const socket: Socket = req.socket;
      requestBytes = socket.bytesRead;
      res.on('finish', () => {
        responseBytes = socket.bytesWritten;
      });
      res.end('0123456789');
      return;
    }
    res.end();
  });
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - set: flag <- on
  - httpRequest:
      GET: /h
      metric: h
      handler:
        header:
        - filter:
            header: x-token
            processor:
              store: token
        - countHeaders
        - recordHeaderTime:
            header: x-server-time
            unit: ms
            metric: server-time
        - conditional:
            stringCondition: { fromVar: flag, value: "on" }
            handler:
              filter: { header: { value: X-OTHER, caseSensitive: true }, processor: { store: other } }
        - conditional:
            stringCondition: { fromVar: flag, value: "off" }
            handler:
              filter: { header: x-token, processor: { store: never } }
        rawBytes:
          transferSizeRecorder:
            key: transfer
  - httpRequest:
      GET: /next/\${token}/\${other}
`), { registry: testRegistry() });
    assert.equal(server.seen.at(-1)!.url, '/next/abc/zzz', 'header names match whatever their case');
    const h = result.stats.get('h')!;
    const counted = Object.fromEntries(h.extensions.get('countHeaders')!.entries().map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(counted['x-token'], 1);
    assert.equal(counted['content-length'], 1);
    const serverTime = result.stats.get('server-time')!;
    assert.equal(serverTime.requestCount, 1);
    assert.equal(serverTime.responseCount, 1);
    // 12 ms recorded in a histogram with 2 significant digits: within 1 %.
    assert.ok(Math.abs(serverTime.maxNs() - 12e6) <= 0.12e6, `recorded ${serverTime.maxNs()} ns`);
    const transfer = h.extensions.get('transfer')!;
    assert.equal(transfer.type, 'transfersize');
    assert.equal(transfer.get('received'), responseBytes, 'received = the bytes the server wrote');
    assert.ok(requestBytes > 0);
    assert.ok(transfer.get('sent')! >= 'GET /h HTTP/1.1\r\n\r\n'.length);
    assert.equal(transfer.get('sent'), requestBytes, 'sent = the bytes the server read');
  } finally {
    await server.close();
  }
});

test('markRequestInvalid, closeConnection and logInvalid (headers and body)', async () => {
  const lines: string[] = [];
  const previous = setHttpLog((line) => lines.push(line));
  const ports: Array<[string, number]> = [];
  const server = await startServer((req, res) => {
    ports.push([req.url!, req.socket.remotePort!]);
    res.setHeader('x-why', 'because');
    res.end(`body of ${req.url}`);
  });
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  sharedConnections: 1`, 1, `
- main:
  - httpRequest:
      GET: /a
      handler:
        stopOnInvalid: false
        status:
          range: 201
        header:
        - logInvalid
        body:
        - logInvalid
        - closeConnection
  - httpRequest:
      GET: /b
      handler:
        stopOnInvalid: false
        onCompletion:
        - markRequestInvalid
  - httpRequest:
      GET: /c
`));
    assert.equal(result.stats.get('main')!.invalid, 2);
    assert.deepEqual(server.seen.map((s) => s.url), ['/a', '/b', '/c']);
    assert.notEqual(ports[0]![1], ports[1]![1], 'closeConnection: /b went on a new connection');
    assert.equal(ports[1]![1], ports[2]![1], 'without it the connection is reused');
    const log = lines.join('\n');
    assert.match(log, new RegExp(`invalid response to GET 127\\.0\\.0\\.1:${server.port}/a \\(200\\), headers:\\n(.|\\n)*x-why: because`));
    assert.match(log, /invalid response to GET .*\/a \(200\), body:\nbody of \/a/);
    assert.doesNotMatch(log, /\/c/);
  } finally {
    setHttpLog(previous);
    await server.close();
  }
});

test('parseHtml: onTagAttribute toVar/toArray/processors and onEmbeddedResource with ignoreExternal', async () => {
  // Embedded resources in document order: an external script (skipped: ignoreExternal), an inline script whose
  // text looks like a tag (not a tag), an iframe on our own server by absolute URL (kept), then relative ones.
  const page = `<!DOCTYPE html><html><head>
<script src="https://cdn.elsewhere.example/lib.js"></script>
<script>if (a < b) { document.write('<img src="/not-a-tag.png">'); }</script>
<iframe src="http://127.0.0.1:PORT/frame"></iframe>
<link rel="stylesheet" href="/style.css"></head><body>
<!-- <a href="/commented"> -->
<form method=post action="/login?next=%2Fhome"><input name=user></form>
<a href='/one'>1</a><A HREF=/two>2</A><a class="x" href="/three">3</a><a href="/four">4</a>
<img SRC="/logo.png"/>
</body></html>`;
  const server = await startServer((req, res) => {
    res.setHeader('content-type', 'text/html');
    if (req.url === '/page') {
      // Split in small writes so tags and attribute values straddle body parts.
      const html = page.replace('PORT', String(req.socket.localPort));
      let at = 0;
      const next = (): void => {
        if (at >= html.length) {
          res.end();
          return;
        }
        res.write(html.slice(at, at + 7));
        at += 7;
        setImmediate(next);
      };
      next();
      return;
    }
    res.end();
  });
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /page
      handler:
        body:
          parseHtml:
            onTagAttribute:
            - tag: form
              attribute: action
              toVar: action
            - tag: a
              attribute: href
              toArray: links[3]
            onEmbeddedResource:
              processor:
                store: firstResource
  - httpRequest:
      GET: /result?action=\${urlencode:action}&first=\${urlencode:firstResource}
`), { registry: testRegistry() });
    assert.equal(server.seen.at(-1)!.url, `/result?action=%2Flogin%3Fnext%3D%252Fhome&first=${encodeURIComponent(`http://127.0.0.1:${server.port}/frame`)}`);
    const arrays = result.sessions[0]!.vars.objects.filter((v): v is ObjectArrayVar => v instanceof ObjectArrayVar);
    assert.equal(arrays.length, 1);
    assert.deepEqual(arrays[0]!.values, ['/one', '/two', '/three'], 'toArray keeps the first 3 (its size)');
  } finally {
    await server.close();
  }
});
