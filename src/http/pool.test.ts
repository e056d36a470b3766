// Integration tests of connections and pools against real servers on 127.0.0.1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { HttpConnectionPool, type PoolOptions } from './pool.js';
import { normalizePoolSize } from './pool-config.js';
import { OutgoingRequest, RequestTemplate, RequestValues, type EncodedRequest } from './request-encoder.js';
import type { ConnectionSource } from './session-connections.js';
import { closedPort, delay, eventually, okResponse, onRequests, rawServer, RecordingHandler, RecordingWaiter, type Outcome } from './client.test-support.js';

function makePool(port: number, connections: number | PoolOptions['size'], overrides: Partial<PoolOptions> = {}): HttpConnectionPool {
  return new HttpConnectionPool({
    authority: `127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    secure: false,
    size: typeof connections === 'number' ? normalizePoolSize(connections) : connections,
    ...overrides,
  });
}

function start(pool: HttpConnectionPool): Promise<void> {
  return new Promise((resolve, reject) => pool.start((e) => (e ? reject(e) : resolve())));
}

const get = (path: string, authority = 'test'): EncodedRequest => new RequestTemplate({ method: 'GET', authority, path }).fixed!;

/** Acquire (waiting if needed) and send; resolves with the outcome. */
async function exchange(source: ConnectionSource, request: EncodedRequest, timeoutMs = 5000, handler = new RecordingHandler()): Promise<Outcome> {
  const waiter = new RecordingWaiter();
  const connection = source.acquire(waiter);
  if (connection !== null) {
    connection.send(request, handler, timeoutMs);
  } else {
    const r = await waiter.done;
    if ('failure' in r) return { ok: false, status: 0, headers: [], body: '', failure: r.failure, error: r.error, headAtNs: 0, completedAtNs: 0, receivedBytes: 0 };
    r.connection.send(request, handler, timeoutMs);
  }
  return handler.done;
}

/** A Node http server answering with the path (and the client's port), counting connections. */
async function echoServer(handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = http.createServer({ keepAliveTimeout: 60_000 }, handler ?? ((req, res) => res.end(`${req.url} from ${req.socket.remotePort}`)));
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

test('keep-alive: sequential requests reuse the pool\'s connections', async () => {
  const server = await echoServer();
  const pool = makePool(server.port, 2);
  try {
    await start(pool);
    assert.equal(pool.openConnections, 2);
    const template = new RequestTemplate({ method: 'GET', authority: `127.0.0.1:${server.port}` });
    const values = new RequestValues();
    const ports = new Set<string>();
    for (let i = 0; i < 20; i++) {
      values.clear();
      values.path = `/r${i}`;
      const out = new OutgoingRequest();
      template.encode(values, out);
      const o = await exchange(pool, out);
      assert.equal(o.ok, true);
      assert.equal(o.status, 200);
      assert.match(o.body, new RegExp(`^/r${i} from `));
      ports.add(o.body.split(' from ')[1]!);
      assert.ok(o.completedAtNs >= o.headAtNs && o.headAtNs > 0);
      assert.ok(o.receivedBytes > o.body.length, 'received bytes include the head');
    }
    assert.equal(server.connections(), 2, 'no connection beyond the two pooled ones');
    // Sequential requests always get the most recently used connection first.
    assert.equal(ports.size, 1);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('pipelining: up to pipeliningLimit requests are on the wire at once, answered in order', async () => {
  const heads: string[] = [];
  const server = await rawServer((socket) => {
    onRequests(socket, (head) => {
      heads.push(head);
      // Answer only once 4 requests are in: proves they were sent without waiting.
      if (heads.length === 4) socket.write(heads.map((h) => okResponse(h.split(' ')[1]!)).join(''));
    });
  });
  const pool = makePool(server.port, 1, { pipeliningLimit: 4 });
  try {
    await start(pool);
    const handlers: RecordingHandler[] = [];
    const connections = new Set<unknown>();
    for (let i = 0; i < 4; i++) {
      const c = pool.acquire(new RecordingWaiter());
      assert.ok(c !== null, `slot ${i} available`);
      connections.add(c);
      const h = new RecordingHandler();
      handlers.push(h);
      c.send(get(`/p${i}`), h, 5000);
    }
    assert.equal(connections.size, 1, 'all on the single connection');
    const fifth = new RecordingWaiter();
    assert.equal(pool.acquire(fifth), null, 'a fifth request waits: limit reached');
    const outcomes = await Promise.all(handlers.map((h) => h.done));
    assert.deepEqual(outcomes.map((o) => o.body), ['/p0', '/p1', '/p2', '/p3']);
    const r = await fifth.done;
    assert.ok('connection' in r, 'the waiter gets the connection when a slot frees');
    r.connection.release();
    const rows = pool.stats.sampleAndReset();
    assert.equal(rows.find((x) => x.type === 'in-flight requests')!.max, 4);
    assert.equal(rows.find((x) => x.type === 'used connections')!.max, 1);
    assert.equal(rows.find((x) => x.type === 'blocked sessions')!.max, 1);
    assert.equal(rows.find((x) => x.type === 'HTTP 1.x')!.current, 1);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('pool limit and waiter queue: blocked sessions are served FIFO, cancelled ones never', async () => {
  const server = await echoServer((req, res) => setTimeout(() => res.end(req.url), 20));
  const pool = makePool(server.port, 2);
  try {
    await start(pool);
    const first = [pool.acquire(new RecordingWaiter()), pool.acquire(new RecordingWaiter())];
    assert.ok(first[0] !== null && first[1] !== null && first[0] !== first[1]);
    const order: number[] = [];
    const waiters = [0, 1, 2, 3].map((i) => {
      const w = new RecordingWaiter();
      w.onAvailable = (c) => {
        order.push(i);
        c.send(get(`/w${i}`), new RecordingHandler(), 5000);
      };
      assert.equal(pool.acquire(w), null, `waiter ${i} blocked`);
      return w;
    });
    assert.equal(pool.waitingSessions, 4);
    assert.equal(pool.cancelWait(waiters[2]!), true);
    assert.equal(pool.cancelWait(waiters[2]!), false);
    assert.equal(pool.stats.blockedSessions.current, 3);
    const h0 = new RecordingHandler();
    const h1 = new RecordingHandler();
    first[0]!.send(get('/a'), h0, 5000);
    first[1]!.send(get('/b'), h1, 5000);
    await Promise.all([h0.done, h1.done, waiters[0]!.done, waiters[1]!.done, waiters[3]!.done]);
    assert.deepEqual(order, [0, 1, 3]);
    assert.equal(waiters[2]!.result, null, 'the cancelled waiter is never called');
    assert.equal(pool.stats.blockedSessions.current, 0);
    assert.equal(pool.stats.blockedSessions.max, 4);
    assert.equal(server.connections(), 2);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('request timeout: the request fails as timeout, pipelined ones as closed, the connection is replaced', async () => {
  let accepted = 0;
  let closedByClient = 0;
  const server = await rawServer((socket) => {
    accepted++;
    socket.on('close', () => closedByClient++);
    socket.resume(); // reads (so it sees the client's FIN) but never answers
  });
  const pool = makePool(server.port, 1, { pipeliningLimit: 2 });
  try {
    await start(pool);
    const c = pool.acquire(new RecordingWaiter())!;
    const slow = new RecordingHandler();
    const sentAt = performance.now();
    c.send(get('/never'), slow, 100);
    const c2 = pool.acquire(new RecordingWaiter())!;
    assert.equal(c2, c, 'second slot on the same connection');
    const behind = new RecordingHandler();
    c2.send(get('/behind'), behind, 10_000);
    const o = await slow.done;
    const elapsedMs = performance.now() - sentAt;
    assert.equal(o.failure, 'timeout');
    // The timer only fails a request once performance.now() passed its deadline (it re-arms when it
    // fires early), so the elapsed time can't be below the timeout; the upper bound allows for a
    // loaded machine (event-loop delays), well below the 10 s timeout of the other request.
    assert.ok(elapsedMs >= 100, `not before the timeout (${elapsedMs} ms)`);
    assert.ok(elapsedMs < 2000, `soon after the timeout (${elapsedMs} ms)`);
    assert.equal((await behind.done).failure, 'closed');
    assert.ok(await eventually(() => closedByClient === 1), 'the connection was closed');
    assert.ok(await eventually(() => accepted === 2 && pool.openConnections === 1), 'and replaced');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('refused connection: start fails with a clear message, waiters fail as connect, retries back off', async () => {
  const port = await closedPort();
  const pool = makePool(port, 1, { startFailureLimit: 3, retryInitialMs: 20, retryMaxMs: 200 });
  try {
    await assert.rejects(start(pool), /Cannot connect to 127\.0\.0\.1:\d+: 0 connections open, 3 consecutive failures/);
    const w = new RecordingWaiter();
    assert.equal(pool.acquire(w), null);
    const r = await w.done;
    assert.ok('failure' in r && r.failure === 'connect', 'the waiting session learns the target is unreachable');
    // Backoff: 20, 40, 80, 160, 200, 200... ms between attempts; in 1 s that is at most ~8 attempts
    // (a retry loop without backoff would make thousands).
    const before = pool.stats.connectFailures;
    await delay(1000);
    const attempts = pool.stats.connectFailures - before;
    assert.ok(attempts >= 2 && attempts <= 9, `attempts in 1 s: ${attempts}`);
  } finally {
    pool.shutdown();
  }
});

test('reset in the middle of a response fails the request as reset; a body cut by close too', async () => {
  for (const how of ['rst', 'fin'] as const) {
    const server = await rawServer((socket) => {
      onRequests(socket, () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
        setTimeout(() => (how === 'rst' ? socket.resetAndDestroy() : socket.end()), 20);
      });
    });
    const pool = makePool(server.port, 1);
    try {
      await start(pool);
      const o = await exchange(pool, get('/'));
      assert.equal(o.failure, 'reset', how);
      assert.equal(o.status, 200, 'the status had been seen');
      assert.ok(await eventually(() => server.accepted() === 2), 'the pool reconnects');
    } finally {
      pool.shutdown();
      await server.close();
    }
  }
});

test('garbage response: parse failure, connection closed and replaced', async () => {
  let n = 0;
  const server = await rawServer((socket) => {
    const mine = n++;
    onRequests(socket, () => socket.write(mine === 0 ? 'SSH-2.0-OpenSSH\r\n\r\n' : okResponse('fine')));
  });
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    const bad = await exchange(pool, get('/'));
    assert.equal(bad.failure, 'parse');
    assert.match(bad.error!.message, /invalid HTTP response/);
    const good = await exchange(pool, get('/'));
    assert.equal(good.body, 'fine');
    assert.equal(server.accepted(), 2);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('Connection: close response completes, then the pool replaces the connection', async () => {
  const server = await rawServer((socket) => {
    onRequests(socket, () => socket.end(okResponse('bye', 'connection: close\r\n')));
  });
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    for (let i = 0; i < 3; i++) {
      const o = await exchange(pool, get('/'));
      assert.equal(o.ok, true);
      assert.equal(o.body, 'bye');
    }
    assert.ok(server.accepted() >= 3, 'a new connection per response');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('body delimited by close and HEAD responses', async () => {
  const server = await rawServer((socket) => {
    onRequests(socket, (head) => {
      if (head.startsWith('HEAD')) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n');
      else socket.end('HTTP/1.0 200 OK\r\n\r\nuntil the end');
    });
  });
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    const head = await exchange(pool, new RequestTemplate({ method: 'HEAD', authority: 'x', path: '/' }).fixed!);
    assert.equal(head.ok, true);
    assert.equal(head.body, '');
    const o = await exchange(pool, get('/'));
    assert.equal(o.ok, true);
    assert.equal(o.body, 'until the end');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('a handler that throws fails its request as handler; the pool recovers', async () => {
  const server = await echoServer();
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    for (const where of ['status', 'body'] as const) {
      const h = new RecordingHandler();
      h.throwOn = where;
      const o = await exchange(pool, get('/'), 5000, h);
      assert.equal(o.failure, 'handler', where);
      assert.match(o.error!.message, new RegExp(`onS?${where === 'status' ? 'Status' : 'BodyPart'}`));
    }
    assert.equal((await exchange(pool, get('/ok'))).ok, true);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('handlers need not ask for headers or body', async () => {
  const server = await echoServer();
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    const h = new RecordingHandler();
    h.wantsHeaders = false;
    h.wantsBody = false;
    const o = await exchange(pool, get('/quiet'), 5000, h);
    assert.equal(o.ok, true);
    assert.deepEqual(o.headers, []);
    assert.equal(o.body, '');
    assert.ok(o.receivedBytes > 0);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('addresses: connections spread evenly over the given addresses, Host stays the benchmark host', async () => {
  const hosts: string[] = [];
  const mk = (): Promise<Awaited<ReturnType<typeof rawServer>>> => rawServer((socket) => onRequests(socket, (head) => {
    hosts.push(/\r\nhost: ([^\r]*)/i.exec(head)![1]!);
    socket.write(okResponse(String(socket.localPort)));
  }));
  const a = await mk();
  const b = await mk();
  const pool = new HttpConnectionPool({
    authority: 'target.example:8080',
    host: 'target.example',
    port: 8080,
    secure: false,
    size: normalizePoolSize(4),
    addresses: [{ host: '127.0.0.1', port: a.port }, { host: '127.0.0.1', port: b.port }],
  });
  try {
    await start(pool);
    assert.deepEqual(pool.connectionsPerAddress(), [2, 2]);
    // The client sees its connects before the servers run their accept callbacks.
    assert.ok(await eventually(() => a.accepted() === 2 && b.accepted() === 2));
    const request = new RequestTemplate({ method: 'GET', authority: 'target.example:8080', path: '/' }).fixed!;
    const o = await exchange(pool, request);
    assert.equal(o.ok, true);
    assert.deepEqual(hosts, ['target.example:8080']);
  } finally {
    pool.shutdown();
    await a.close();
    await b.close();
  }
});

test('ALWAYS_NEW: a new connection per request, closed after the response', async () => {
  const server = await echoServer();
  const pool = makePool(server.port, 1, { strategy: 'ALWAYS_NEW' });
  try {
    await start(pool);
    assert.equal(pool.openConnections, 0, 'nothing opened in advance');
    for (let i = 0; i < 3; i++) assert.equal((await exchange(pool, get('/'))).ok, true);
    assert.equal(server.connections(), 3);
    assert.ok(await eventually(() => pool.openConnections === 0), 'each connection closed after its response');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('OPEN_ON_REQUEST: a session opens its own connection, reuses it, closes it at session end', async () => {
  const server = await echoServer();
  const pool = makePool(server.port, 1, { strategy: 'OPEN_ON_REQUEST' });
  try {
    await start(pool);
    const session = pool.forSession();
    const ports = new Set<string>();
    for (let i = 0; i < 3; i++) ports.add((await exchange(session, get('/'))).body.split(' from ')[1]!);
    assert.equal(ports.size, 1);
    assert.equal(server.connections(), 1);
    session.releaseSession();
    assert.ok(await eventually(() => pool.openConnections === 0));
    const other = pool.forSession();
    assert.equal((await exchange(other, get('/'))).ok, true);
    assert.equal(server.connections(), 2, 'another session opens another connection');
    other.releaseSession();
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('SESSION_POOLS: a session keeps its connection between requests and gives it back at the end', async () => {
  const server = await echoServer();
  const pool = makePool(server.port, 2, { strategy: 'SESSION_POOLS' });
  try {
    await start(pool);
    const s1 = pool.forSession();
    const s2 = pool.forSession();
    const p1 = new Set<string>();
    const p2 = new Set<string>();
    for (let i = 0; i < 3; i++) {
      p1.add((await exchange(s1, get('/'))).body.split(' from ')[1]!);
      p2.add((await exchange(s2, get('/'))).body.split(' from ')[1]!);
    }
    assert.equal(p1.size, 1);
    assert.equal(p2.size, 1);
    assert.notDeepEqual([...p1], [...p2], 'each session holds its own connection');
    // Both connections are held: a third session must wait until one is given back.
    const s3 = pool.forSession();
    const w = new RecordingWaiter();
    assert.equal(s3.acquire(w), null);
    s1.releaseSession();
    const r = await w.done;
    assert.ok('connection' in r);
    r.connection.release();
    s2.releaseSession();
    s3.releaseSession();
    assert.equal(server.connections(), 2);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('sharedConnections {core, max, buffer}: grows to keep free connections, never beyond max', async () => {
  const server = await echoServer();
  const pool = makePool(server.port, normalizePoolSize({ core: 1, max: 3, buffer: 1 }));
  try {
    await start(pool);
    assert.equal(pool.openConnections, 1);
    const held = [pool.acquire(new RecordingWaiter())];
    assert.ok(held[0] !== null);
    assert.ok(await eventually(() => pool.openConnections === 2), 'one more opened to keep a free one');
    held.push(pool.acquire(new RecordingWaiter()));
    assert.ok(await eventually(() => pool.openConnections === 3));
    held.push(pool.acquire(new RecordingWaiter()));
    assert.ok(held.every((c) => c !== null));
    const w = new RecordingWaiter();
    assert.equal(pool.acquire(w), null, 'max reached: wait');
    await delay(50);
    assert.equal(pool.openConnections + pool.connectingConnections, 3);
    held[0]!.release();
    assert.ok('connection' in (await w.done));
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('keepAliveTime: idle connections are closed and the pool reopens up to core', async () => {
  const server = await echoServer();
  const pool = makePool(server.port, normalizePoolSize({ core: 1, max: 1, keepAliveTime: 60 }));
  try {
    await start(pool);
    assert.equal((await exchange(pool, get('/'))).ok, true);
    // Checked every keepAliveTime/2 = 30 ms: within ~90 ms of idleness the connection is recycled.
    assert.ok(await eventually(() => server.connections() >= 2, 2000), 'idle connection recycled');
    assert.equal((await exchange(pool, get('/'))).ok, true);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('shutdown fails in-flight requests and waiting sessions with closed', async () => {
  const server = await rawServer((socket) => socket.resume());
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    const c = pool.acquire(new RecordingWaiter())!;
    const h = new RecordingHandler();
    c.send(get('/'), h, 0);
    const w = new RecordingWaiter();
    assert.equal(pool.acquire(w), null);
    pool.shutdown();
    assert.equal((await h.done).failure, 'closed');
    const r = await w.done;
    assert.ok('failure' in r && r.failure === 'closed');
    const late = new RecordingWaiter();
    assert.equal(pool.acquire(late), null);
    const lr = await late.done;
    assert.ok('failure' in lr && lr.failure === 'closed', 'acquire after shutdown fails (asynchronously)');
  } finally {
    await server.close();
  }
});

test('Connection: close in the middle of a pipeline: that response completes, the ones behind fail as reset', async () => {
  const server = await rawServer((socket) => {
    let n = 0;
    onRequests(socket, () => {
      if (++n === 2) socket.end(okResponse('first', 'connection: close\r\n'));
    });
  });
  const pool = makePool(server.port, 1, { pipeliningLimit: 2 });
  try {
    await start(pool);
    const c = pool.acquire(new RecordingWaiter())!;
    const h1 = new RecordingHandler();
    const h2 = new RecordingHandler();
    c.send(get('/1'), h1, 5000);
    pool.acquire(new RecordingWaiter())!.send(get('/2'), h2, 5000);
    assert.equal((await h1.done).body, 'first');
    assert.equal((await h2.done).failure, 'reset');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('closeAfterResponse: the response completes, then the connection is closed and replaced', async () => {
  const server = await rawServer((socket) => {
    let n = 0;
    onRequests(socket, () => {
      if (++n === 2) socket.write(okResponse('a') + okResponse('b'));
    });
  });
  const pool = makePool(server.port, 1, { pipeliningLimit: 2 });
  try {
    await start(pool);
    const c = pool.acquire(new RecordingWaiter())!;
    const h1 = new (class extends RecordingHandler {
      override onStatus(status: number, at: number): void {
        super.onStatus(status, at);
        c.closeAfterResponse();
      }
    })();
    const h2 = new RecordingHandler();
    c.send(get('/1'), h1, 5000);
    pool.acquire(new RecordingWaiter())!.send(get('/2'), h2, 5000);
    assert.equal((await h1.done).body, 'a');
    assert.equal((await h2.done).failure, 'closed');
    assert.ok(c.isClosed);
    assert.ok(await eventually(() => server.accepted() === 2 && pool.openConnections === 1), 'replaced');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('an unsolicited response on an idle connection fails the next request on it as parse, unsent; the pool replaces the connection', async () => {
  let n = 0;
  let requestsSeen = 0;
  const server = await rawServer((socket) => {
    if (n++ === 0) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nstray');
    onRequests(socket, () => {
      requestsSeen++;
      socket.write(okResponse('ok'));
    });
  });
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    // Let the stray response arrive while nothing is in flight.
    await new Promise((r) => setTimeout(r, 100));
    const first = await exchange(pool, get('/'));
    assert.equal(first.failure, 'parse', 'the request that would have been given the stray response fails');
    assert.equal(requestsSeen, 0, 'and none of its bytes went out');
    assert.ok(await eventually(() => server.accepted() === 2 && pool.openConnections === 1));
    assert.equal((await exchange(pool, get('/'))).body, 'ok', 'the replacement connection is in step');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('a 408 sent before closing an idle connection fails nothing: the pool replaces the connection', async () => {
  let n = 0;
  const server = await rawServer((socket) => {
    if (n++ === 0) socket.end('HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    else onRequests(socket, () => socket.write(okResponse('ok')));
  });
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    assert.ok(await eventually(() => server.accepted() === 2 && pool.openConnections === 1));
    assert.equal((await exchange(pool, get('/'))).body, 'ok');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('send on a connection that closed meanwhile fails as closed, asynchronously', async () => {
  const server = await echoServer();
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    const c = pool.acquire(new RecordingWaiter())!;
    c.close();
    const h = new RecordingHandler();
    const sentAt = c.send(get('/'), h, 5000);
    assert.equal(h.outcome, null, 'not called from inside send');
    assert.ok(sentAt > 0);
    const o = await h.done;
    assert.equal(o.failure, 'closed');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('a server closing an idle keep-alive connection: the pool replaces it, nothing fails', async () => {
  const server = await rawServer((socket) => {
    // Answer one request, then close as a server with a short keep-alive timeout would.
    onRequests(socket, () => {
      socket.write(okResponse('once'));
      setTimeout(() => socket.end(), 10);
    });
  });
  const pool = makePool(server.port, 1);
  try {
    await start(pool);
    assert.equal((await exchange(pool, get('/'))).body, 'once');
    assert.ok(await eventually(() => server.accepted() === 2 && pool.openConnections === 1), 'replaced');
    assert.equal((await exchange(pool, get('/'))).body, 'once');
  } finally {
    pool.shutdown();
    await server.close();
  }
});
