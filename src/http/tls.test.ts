// TLS to the target, against real TLS servers on 127.0.0.1 using the test-only PEM files in testdata/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { HttpConnectionPool, type PoolOptions } from './pool.js';
import { normalizePoolSize } from './pool-config.js';
import { RequestTemplate } from './request-encoder.js';
import { readTlsMaterial } from './tls-material.js';
import { HttpConfigError } from './errors.js';
import { rawServer, RecordingHandler, RecordingWaiter, type Outcome } from './client.test-support.js';

const testdata = new URL('../../../src/http/testdata/', import.meta.url).pathname;
const pem = (name: string): Buffer => readFileSync(join(testdata, name));

async function tlsServer(options: https.ServerOptions = {}): Promise<{ port: number; servernames: string[]; close: () => Promise<void> }> {
  const servernames: string[] = [];
  const server = https.createServer({ key: pem('server-key.pem'), cert: pem('server-cert.pem'), ...options }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    res.end(peer && peer.subject ? `client=${peer.subject.CN}` : 'client=none');
  });
  server.on('secureConnection', (s: TLSSocket) => servernames.push(String(s.servername)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    servernames,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

function tlsPool(port: number, overrides: Partial<PoolOptions> = {}): HttpConnectionPool {
  return new HttpConnectionPool({ authority: `localhost:${port}`, host: 'localhost', port, secure: true, size: normalizePoolSize(1), addresses: [{ host: '127.0.0.1', port }], ...overrides });
}

function start(pool: HttpConnectionPool): Promise<void> {
  return new Promise((resolve, reject) => pool.start((e) => (e ? reject(e) : resolve())));
}

async function fetchOnce(pool: HttpConnectionPool): Promise<Outcome> {
  const w = new RecordingWaiter();
  const h = new RecordingHandler();
  const request = new RequestTemplate({ method: 'GET', authority: pool.authority, path: '/' }).fixed!;
  const c = pool.acquire(w);
  if (c !== null) {
    c.send(request, h, 5000);
  } else {
    const r = await w.done;
    if ('failure' in r) return { ok: false, status: 0, headers: [], body: '', failure: r.failure, error: r.error, headAtNs: 0, completedAtNs: 0, receivedBytes: 0 };
    r.connection.send(request, h, 5000);
  }
  return h.done;
}

test('self-signed server: certificates are not verified without a trust manager', async () => {
  const server = await tlsServer();
  const pool = tlsPool(server.port);
  try {
    await start(pool);
    const o = await fetchOnce(pool);
    assert.equal(o.ok, true);
    assert.equal(o.body, 'client=none');
    assert.equal(pool.stats.kind, 'TLS + HTTP 1.x');
    assert.equal(pool.stats.sampleAndReset().find((r) => r.type === 'TLS + HTTP 1.x')!.current, 1);
    assert.deepEqual(server.servernames, ['localhost'], 'SNI is the benchmark host');
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('trust manager: the right certificate verifies, another one fails as tls', async () => {
  const server = await tlsServer();
  const good = tlsPool(server.port, { tls: readTlsMaterial(undefined, { certFile: 'server-cert.pem' }, testdata) });
  const bad = tlsPool(server.port, { tls: readTlsMaterial(undefined, { certFile: join(testdata, 'other-cert.pem') }), startFailureLimit: 1, retryInitialMs: 20 });
  try {
    await start(good);
    assert.equal((await fetchOnce(good)).ok, true);
    await assert.rejects(start(bad), /Cannot connect to localhost:\d+: 0 connections open/);
    const o = await fetchOnce(bad);
    assert.equal(o.failure, 'tls');
  } finally {
    good.shutdown();
    bad.shutdown();
    await server.close();
  }
});

test('addresses with TLS: connect to the address, SNI and verification use the host', async () => {
  const server = await tlsServer();
  const pool = new HttpConnectionPool({
    authority: 'target.example:443',
    host: 'target.example',
    port: 443,
    secure: true,
    size: normalizePoolSize(2),
    addresses: [{ host: '127.0.0.1', port: server.port }],
    tls: readTlsMaterial(undefined, { certFile: 'server-cert.pem' }, testdata),
  });
  try {
    await start(pool);
    assert.equal((await fetchOnce(pool)).ok, true);
    assert.deepEqual(server.servernames, ['target.example', 'target.example']);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('key manager: the client certificate is presented', async () => {
  const server = await tlsServer({ requestCert: true, rejectUnauthorized: false });
  const pool = tlsPool(server.port, { tls: readTlsMaterial({ certFile: 'client-cert.pem', keyFile: 'client-key.pem' }, undefined, testdata) });
  const anonymous = tlsPool(server.port);
  try {
    await start(pool);
    await start(anonymous);
    assert.equal((await fetchOnce(pool)).body, 'client=hyperfoil-test-client');
    assert.equal((await fetchOnce(anonymous)).body, 'client=none');
  } finally {
    pool.shutdown();
    anonymous.shutdown();
    await server.close();
  }
});

test('TLS handshake timeout: a server that never speaks TLS fails the connection as tls', async () => {
  const server = await rawServer((socket) => socket.resume());
  const pool = tlsPool(server.port, { tlsHandshakeTimeoutMs: 100, startFailureLimit: 1, retryInitialMs: 10_000 });
  try {
    const startedAt = performance.now();
    await assert.rejects(start(pool), /TLS handshake with 127\.0\.0\.1:\d+ timed out/);
    // The timer starts when TCP is connected (after startedAt), so it cannot fire earlier than 100 ms
    // after startedAt minus the timer's 1 ms granularity.
    assert.ok(performance.now() - startedAt >= 99);
    assert.equal(pool.lastConnectFailure?.message.includes('timed out'), true);
  } finally {
    pool.shutdown();
    await server.close();
  }
});

test('key manager: a PKCS#12 storeFile presents the client certificate to a server that requires one', async () => {
  const server = await tlsServer({ requestCert: true, rejectUnauthorized: true, ca: pem('client-cert.pem') });
  const pool = tlsPool(server.port, { tls: readTlsMaterial({ storeFile: 'client.p12', password: 'secret' }, undefined, testdata) });
  const anonymous = tlsPool(server.port, { startFailureLimit: 1, retryInitialMs: 10_000 });
  try {
    await start(pool);
    assert.equal((await fetchOnce(pool)).body, 'client=hyperfoil-test-client');
    // Without the store the server refuses: at the handshake (TLS 1.2) or on the first read (TLS 1.3).
    const refused = await start(anonymous).then(() => fetchOnce(anonymous).then((o) => !o.ok), () => true);
    assert.equal(refused, true, 'the store is what got us in');
  } finally {
    pool.shutdown();
    anonymous.shutdown();
    await server.close();
  }
});

test('readTlsMaterial: a trust store file is refused with a "use certFile" message; files are checked', () => {
  assert.throws(() => readTlsMaterial(undefined, { storeType: 'JKS', storeFile: 'trust.jks' }), (e: unknown) => e instanceof HttpConfigError && e.code === 'HTTP_TLS_STORE_UNSUPPORTED' && /use `certFile`/.test(e.message));
  assert.throws(() => readTlsMaterial({ certFile: 'client-cert.pem' }, undefined, testdata), /both certFile and keyFile/);
  assert.throws(() => readTlsMaterial(undefined, { certFile: 'missing.pem' }, testdata), /cannot read missing\.pem/);
  const dir = mkdtempSync(join(tmpdir(), 'hf-tls-'));
  try {
    writeFileSync(join(dir, 'binary.der'), Buffer.from([0x30, 0x82, 0x01, 0x00]));
    assert.throws(() => readTlsMaterial(undefined, { certFile: 'binary.der' }, dir), /not a PEM file/);
  } finally {
    rmSync(dir, { recursive: true });
  }
  const m = readTlsMaterial({ certFile: 'client-cert.pem', keyFile: 'client-key.pem' }, { certFile: 'server-cert.pem' }, testdata);
  assert.ok(m.ca !== undefined && m.cert !== undefined && m.key !== undefined);
});
