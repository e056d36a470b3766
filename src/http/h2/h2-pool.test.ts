// The HTTP/2 client through the pool against node:http2 servers on 127.0.0.1 (TLS with ALPN, and h2c):
// protocol choice, stream limits, flow control, timeouts, resets, GOAWAY, handler failures, and the
// same responses as node:http2's own client (differential).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HttpConnectionPool, type PoolOptions } from '../pool.js';
import { normalizePoolSize } from '../pool-config.js';
import { RequestTemplate, type EncodedRequest } from '../request-encoder.js';
import type { HttpConnection } from '../handler.js';
import { RecordingHandler, RecordingWaiter, eventually, type Outcome } from '../client.test-support.js';
import { H2Connection } from './connection.js';

const testdata = new URL('../../../../src/http/testdata/', import.meta.url).pathname;
const key = readFileSync(join(testdata, 'server-key.pem'));
const cert = readFileSync(join(testdata, 'server-cert.pem'));

type Handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;

interface Served {
  port: number;
  server: http2.Http2SecureServer | http2.Http2Server;
  sessions: () => number;
  close: () => Promise<void>;
}

async function serve(secure: boolean, handler: Handler): Promise<Served> {
  const server = secure ? http2.createSecureServer({ key, cert, allowHTTP1: true }, handler) : http2.createServer(handler);
  const open = new Set<http2.ServerHttp2Session>();
  let sessions = 0;
  server.on('session', (s: http2.ServerHttp2Session) => {
    sessions++;
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    sessions: () => sessions,
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}

function pool(port: number, secure: boolean, overrides: Partial<PoolOptions> = {}): HttpConnectionPool {
  return new HttpConnectionPool({
    authority: `localhost:${port}`,
    host: 'localhost',
    port,
    secure,
    size: normalizePoolSize(1),
    addresses: [{ host: '127.0.0.1', port }],
    allowHttp2: true,
    ...overrides,
  });
}

function start(p: HttpConnectionPool): Promise<void> {
  return new Promise((resolve, reject) => p.start((e) => (e ? reject(e) : resolve())));
}

function get(p: HttpConnectionPool, path: string, method: 'GET' | 'HEAD' = 'GET'): EncodedRequest {
  return new RequestTemplate({ method, authority: p.authority, path }).fixed!;
}

/** Sends `request` once a connection is available; resolves with the outcome. */
async function fetch(p: HttpConnectionPool, request: EncodedRequest, handler = new RecordingHandler(), timeoutMs = 5000): Promise<Outcome> {
  const waiter = new RecordingWaiter();
  const c = p.acquire(waiter);
  let connection: HttpConnection;
  if (c !== null) {
    connection = c;
  } else {
    const r = await waiter.done;
    if ('failure' in r) throw r.error;
    connection = r.connection;
  }
  connection.send(request, handler, timeoutMs);
  return handler.done;
}

test('https with both protocols allowed speaks h2 by ALPN; allowHttp2: false speaks HTTP/1.1', async () => {
  const s = await serve(true, (req, res) => res.end(`version ${req.httpVersion}`));
  try {
    const both = pool(s.port, true);
    await start(both);
    assert.equal((await fetch(both, get(both, '/'))).body, 'version 2.0');
    assert.equal(both.stats.kind, 'TLS + HTTP 2');
    both.shutdown();
    const http1 = pool(s.port, true, { allowHttp2: false });
    await start(http1);
    assert.equal((await fetch(http1, get(http1, '/'))).body, 'version 1.1');
    assert.equal(http1.stats.kind, 'TLS + HTTP 1.x');
    http1.shutdown();
  } finally {
    await s.close();
  }
});

test('an HTTP/1.1-only TLS server: ALPN settles on http/1.1 on the same socket; h2 only fails as tls', async () => {
  let handshakes = 0;
  const server = https.createServer({ key, cert }, (_req, res) => res.end('one'));
  server.on('secureConnection', () => handshakes++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const p = pool(port, true);
    await start(p);
    for (let i = 0; i < 3; i++) assert.equal((await fetch(p, get(p, '/'))).body, 'one');
    assert.equal(handshakes, 1, 'the socket of the ALPN handshake is reused for HTTP/1.1');
    assert.equal(p.stats.kind, 'TLS + HTTP 1.x');
    p.shutdown();
    const h2only = pool(port, true, { allowHttp1x: false, startFailureLimit: 1 });
    // Node's server without ALPN settings refuses the handshake (no_application_protocol); either way it is `tls`.
    await assert.rejects(start(h2only), /did not choose h2|no application protocol/);
    assert.equal(h2only.stats.connectFailures, 1);
    h2only.shutdown();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('http:// with allowHttp1x: false speaks h2c with prior knowledge', async () => {
  const s = await serve(false, (req, res) => res.end(`h2c ${req.httpVersion} ${req.headers[':scheme']} ${req.headers[':authority']}`));
  try {
    const p = pool(s.port, false, { allowHttp1x: false });
    await start(p);
    assert.equal((await fetch(p, get(p, '/x'))).body, `h2c 2.0 http localhost:${s.port}`);
    assert.equal(p.stats.kind, 'HTTP 2');
    p.shutdown();
  } finally {
    await s.close();
  }
});

test('maxHttp2Streams bounds the streams in flight per connection; the other sessions wait', async () => {
  let concurrent = 0;
  let maxConcurrent = 0;
  const s = await serve(false, (_req, res) => {
    maxConcurrent = Math.max(maxConcurrent, ++concurrent);
    setTimeout(() => {
      concurrent--;
      res.end('ok');
    }, 30);
  });
  try {
    const p = pool(s.port, false, { allowHttp1x: false, maxHttp2Streams: 3 });
    await start(p);
    const request = get(p, '/');
    const outcomes = Promise.all(Array.from({ length: 9 }, () => fetch(p, request)));
    await eventually(() => p.waitingSessions > 0, 1000);
    assert.equal(p.stats.blockedSessions.max, 6, 'six of nine sessions wait for a stream');
    assert.ok((await outcomes).every((o) => o.ok && o.body === 'ok'));
    assert.equal(maxConcurrent, 3);
    assert.equal(s.sessions(), 1);
    p.shutdown();
  } finally {
    await s.close();
  }
});

test('large bodies flow both ways (flow control): 1 MB up, 8 MB down', async () => {
  const s = await serve(true, (req, res) => {
    let received = 0;
    req.on('data', (d: Buffer) => (received += d.length));
    req.on('end', () => {
      res.setHeader('x-received', String(received));
      res.end(Buffer.alloc(8 * 1024 * 1024, 0x62));
    });
  });
  try {
    const p = pool(s.port, true);
    await start(p);
    const body = Buffer.alloc(1024 * 1024, 0x61);
    const post = new RequestTemplate({ method: 'POST', authority: p.authority, path: '/up', body }).fixed!;
    const handler = new RecordingHandler();
    const outcome = await fetch(p, post, handler, 10_000);
    assert.equal(outcome.ok, true, String(outcome.error));
    assert.equal(handler.header('x-received'), String(body.length));
    assert.equal(outcome.body.length, 8 * 1024 * 1024);
    assert.ok(outcome.receivedBytes > 8 * 1024 * 1024);
    p.shutdown();
  } finally {
    await s.close();
  }
});

test('a request timeout cancels its stream only; the connection goes on', async () => {
  let aborted = 0;
  const s = await serve(false, (req, res) => {
    if (req.url === '/slow') {
      req.on('close', () => aborted++);
      return;
    }
    res.end('fast');
  });
  try {
    const p = pool(s.port, false, { allowHttp1x: false });
    await start(p);
    const slow = await fetch(p, get(p, '/slow'), new RecordingHandler(), 100);
    assert.equal(slow.failure, 'timeout');
    assert.equal((await fetch(p, get(p, '/fast'))).body, 'fast');
    assert.equal(s.sessions(), 1, 'no reconnection');
    assert.ok(await eventually(() => aborted === 1), 'the server saw the stream cancelled');
    p.shutdown();
  } finally {
    await s.close();
  }
});

test('RST_STREAM fails that request as reset; a throwing handler fails its own request as handler', async () => {
  const s = await serve(false, (req, res) => {
    if (req.url === '/reset') req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    else res.end('fine');
  });
  try {
    const p = pool(s.port, false, { allowHttp1x: false });
    await start(p);
    const reset = await fetch(p, get(p, '/reset'));
    assert.equal(reset.failure, 'reset');
    assert.match(String(reset.error), /INTERNAL_ERROR/);
    const throwing = new RecordingHandler();
    throwing.throwOn = 'status';
    assert.equal((await fetch(p, get(p, '/x'), throwing)).failure, 'handler');
    assert.equal((await fetch(p, get(p, '/x'))).body, 'fine');
    assert.equal(s.sessions(), 1);
    p.shutdown();
  } finally {
    await s.close();
  }
});

test('GOAWAY: streams the server accepted finish, later ones fail as reset, and the pool reconnects', async () => {
  const held: http2.Http2ServerResponse[] = [];
  const s = await serve(false, (req, res) => {
    held.push(res);
    if (held.length === 3) {
      // Accept the first two streams only, then answer them.
      const ids = held.map((r) => r.stream.id!);
      req.stream.session!.goaway(http2.constants.NGHTTP2_NO_ERROR, ids[1]!);
      setTimeout(() => {
        held[0]!.end('first');
        held[1]!.end('second');
      }, 20);
    }
  });
  try {
    const p = pool(s.port, false, { allowHttp1x: false });
    await start(p);
    const request = get(p, '/');
    const outcomes = await Promise.all([fetch(p, request), fetch(p, request), fetch(p, request)]);
    assert.deepEqual(outcomes.map((o) => (o.ok ? o.body : o.failure)), ['first', 'second', 'reset']);
    held.length = 0;
    const after = fetch(p, request);
    await eventually(() => held.length === 1);
    held[0]!.end('again');
    assert.equal((await after).body, 'again');
    assert.equal(s.sessions(), 2);
    p.shutdown();
  } finally {
    await s.close();
  }
});

test('differential: status, headers, body and trailers as node:http2 sees them, with a shared dynamic table', async () => {
  const s = await serve(true, (req, res) => {
    const n = Number(req.url!.slice(1).split('?')[0]);
    if (n === 5) {
      res.writeHead(204, { 'x-empty': 'yes' });
      res.end();
      return;
    }
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('set-cookie', [`a=${n}`, 'b=2; Path=/']);
    res.setHeader('x-long', 'v'.repeat(300 + n));
    res.setHeader('x-unicode', 'caf\u00e9');
    if (n === 7) {
      res.addTrailers({ 'x-trailer': 'end' });
      res.writeHead(200, { trailer: 'x-trailer' });
    }
    res.statusCode = n === 3 ? 404 : 200;
    res.end(n === 4 ? Buffer.alloc(70_000, 0x7a) : `body ${n} ${req.method}`);
  });
  try {
    const p = pool(s.port, true);
    await start(p);
    const reference = http2.connect(`https://localhost:${s.port}`, { ca: cert, rejectUnauthorized: false });
    reference.on('error', () => {});
    for (let n = 0; n < 10; n++) {
      const method = n === 6 ? 'HEAD' : 'GET';
      const ours = await fetch(p, get(p, `/${n}`, method));
      const theirs = await new Promise<{ status: number; headers: [string, string][]; body: string }>((resolve, reject) => {
        const stream = reference.request({ ':path': `/${n}`, ':method': method });
        const headers: [string, string][] = [];
        let status = 0;
        stream.on('response', (h) => {
          status = Number(h[':status']);
          for (const [name, value] of Object.entries(h)) {
            if (name.startsWith(':')) continue;
            for (const v of Array.isArray(value) ? value : [String(value)]) headers.push([name, v]);
          }
        });
        const chunks: Buffer[] = [];
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', () => resolve({ status, headers, body: Buffer.concat(chunks).toString() }));
        stream.on('error', reject);
      });
      assert.equal(ours.ok, true, `/${n}: ${String(ours.error)}`);
      assert.equal(ours.status, theirs.status, `/${n} status`);
      const normalize = (h: [string, string][]): string[] => h.filter(([k]) => k !== 'date').map(([k, v]) => `${k}: ${v}`).sort();
      assert.deepEqual(normalize(ours.headers), normalize(theirs.headers), `/${n} headers`);
      assert.equal(ours.body, theirs.body, `/${n} body`);
    }
    reference.close();
    const connection = (p as unknown as { all: Set<unknown> }).all.values().next().value;
    assert.ok(connection instanceof H2Connection);
    assert.ok(connection.hpackDecoder.dynamicLength > 0, 'the server indexed fields and we decoded the references');
    p.shutdown();
  } finally {
    await s.close();
  }
});
