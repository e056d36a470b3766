import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { test } from 'node:test';
import { exampleServerCommand } from './index.js';
import { parseExampleServerArgs } from './cli.js';
import { Http1Client } from './test-client.js';

test('arguments: defaults, both flag forms, and every error', () => {
  assert.deepEqual(parseExampleServerArgs([]),
    { kind: 'run', options: { host: '127.0.0.1', httpPort: 8080, httpsPort: 8084, quiet: false } });
  assert.deepEqual(parseExampleServerArgs(['--host', '::1', '--port=9000', '--https-port', '0', '-q']),
    { kind: 'run', options: { host: '::1', httpPort: 9000, httpsPort: 0, quiet: true } });
  assert.deepEqual(parseExampleServerArgs(['--no-https']),
    { kind: 'run', options: { host: '127.0.0.1', httpPort: 8080, httpsPort: null, quiet: false } });
  assert.deepEqual(parseExampleServerArgs(['--quiet', '--help']), { kind: 'help' });
  for (const bad of [['--port'], ['--port', 'http'], ['--port', '65536'], ['--port', '-1'], ['--https-port', '1.5'],
    ['--host'], ['--host='], ['--bogus'], ['extra'], ['--no-https', '--https-port', '1']]) {
    assert.equal(parseExampleServerArgs(bad).kind, 'error', JSON.stringify(bad));
  }
});

function capture(): { out: (text: string) => void; err: (text: string) => void; stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  return { out: (t) => { stdout += t; }, err: (t) => { stderr += t; }, stdout: () => stdout, stderr: () => stderr };
}

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000; // start-up is a couple of listen() calls on loopback: milliseconds
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('serves, logs one line per request, and returns 0 after SIGINT', async () => {
  const io = capture();
  const exit = exampleServerCommand(['--port', '0', '--https-port', '0'], io);
  await waitFor(() => io.stdout().includes('Press Ctrl-C'), 'the listening message');
  const httpUrl = /(http:\/\/127\.0\.0\.1:\d+)/.exec(io.stdout())?.[1];
  assert.ok(httpUrl, io.stdout());
  assert.match(io.stdout(), /https:\/\/127\.0\.0\.1:\d+/);
  const client = new Http1Client(httpUrl);
  try {
    assert.equal((await client.send({ path: '/quickstarts/random-urls/bar.png' })).status, 300);
  } finally {
    client.close();
  }
  await waitFor(() => io.stdout().includes('bar.png'), 'the request log line');
  assert.match(io.stdout(), /^127\.0\.0\.1 http "GET \/quickstarts\/random-urls\/bar\.png HTTP\/1\.1" 300 \d+\.\d\dms$/m);
  process.emit('SIGINT');
  assert.equal(await exit, 0);
  assert.match(io.stdout(), /stopped \(SIGINT\)/);
  assert.equal(io.stderr(), '');
  assert.equal(process.listenerCount('SIGINT'), 0, 'signal listeners removed');
  assert.equal(process.listenerCount('SIGTERM'), 0, 'signal listeners removed');
  const refused = new Http1Client(httpUrl);
  try {
    await assert.rejects(refused.send({ path: '/' }), /ECONNREFUSED/);
  } finally {
    refused.close();
  }
});

test('--quiet prints where it listens but no request lines; an abort signal stops it like SIGTERM', async () => {
  const io = capture();
  const controller = new AbortController();
  const exit = exampleServerCommand(['--port=0', '--no-https', '--quiet'], { ...io, signal: controller.signal });
  await waitFor(() => io.stdout().includes('Press Ctrl-C'), 'the listening message');
  assert.doesNotMatch(io.stdout(), /https:/);
  const httpUrl = /(http:\/\/127\.0\.0\.1:\d+)/.exec(io.stdout())?.[1] ?? assert.fail(io.stdout());
  const client = new Http1Client(httpUrl);
  try {
    assert.equal((await client.send({ path: '/' })).status, 200);
  } finally {
    client.close();
  }
  controller.abort();
  assert.equal(await exit, 0);
  assert.doesNotMatch(io.stdout(), /"GET /);
});

/** Binds a port on 127.0.0.1 and releases it; returns the port (rejects with EADDRINUSE if taken). */
async function listenOnce(port: number): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : assert.fail('no port');
}

test('a port in use: a one-line message naming the port, exit code 1, no stack trace, nothing left open', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  const busyPort = typeof address === 'object' && address !== null ? address.port : assert.fail('no port');
  try {
    const freePort = await listenOnce(0); // for the HTTP side of the second case: it must be released again
    for (const args of [['--port', String(busyPort), '--no-https'], ['--port', String(freePort), '--https-port', String(busyPort)]]) {
      const io = capture();
      assert.equal(await exampleServerCommand(args, io), 1);
      assert.match(io.stderr(), new RegExp(`127\\.0\\.0\\.1:${busyPort}: the port is already in use`));
      assert.doesNotMatch(io.stderr(), /\n\s+at /, 'no stack trace');
      assert.equal(process.listenerCount('SIGINT'), 0, 'signal listeners removed');
      // In the second case HTTP was already listening when HTTPS failed: it must have been closed again.
      assert.equal(await listenOnce(freePort), freePort, 'the HTTP port is free again');
    }
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('usage errors return 2 and print the usage; --help returns 0', async () => {
  const bad = capture();
  assert.equal(await exampleServerCommand(['--port', 'eighty'], bad), 2);
  assert.match(bad.stderr(), /--port: 'eighty' is not a port number/);
  assert.match(bad.stderr(), /Usage: hyperfoil example-server/);
  const help = capture();
  assert.equal(await exampleServerCommand(['--help'], help), 0);
  assert.match(help.stdout(), /--no-https/);
});
