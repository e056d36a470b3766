import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import type { RunningExampleServer } from './index.js';
import { startExampleServer } from './index.js';
import { demoCa, Http1Client, Http2Client } from './test-client.js';

// Raw-socket tests: what a garbage request gets, that the server keeps serving afterwards, keep-alive and
// pipelining on one connection, and that close() does not wait for idle keep-alive connections.

const TIMEOUT_MS = 3000; // generous: every exchange here is a few loopback round trips (well under 50 ms)

let server: RunningExampleServer;
let port: number;
let tlsPort: number;
before(async () => {
  server = await startExampleServer({ httpPort: 0, httpsPort: 0, quiet: true });
  port = Number(new URL(server.httpUrl).port);
  tlsPort = Number(new URL(server.httpsUrl ?? assert.fail('no https')).port);
});
after(() => server.close());

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

function openTls(alpn: string[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port: tlsPort, ca: demoCa, servername: 'localhost', ALPNProtocols: alpn },
      () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Collects bytes until `done(text)` holds or the peer closes; fails after TIMEOUT_MS. */
function readUntil(socket: Socket, done: (text: string) => boolean): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out; received so far: ${JSON.stringify(text)}`));
    }, TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (done(text)) {
        cleanup();
        resolve({ text, closed: false });
      }
    };
    const onClose = (): void => {
      cleanup();
      resolve({ text, closed: true });
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

const countResponses = (n: number) => (text: string): boolean => (text.match(/^HTTP\/1\.1 /gm) ?? []).length >= n
  && text.endsWith('\r\n\r\n');

test('a malformed request gets 400 and a closed connection; other connections keep working', async () => {
  const bystander = await open(); // a keep-alive connection opened before the garbage arrives
  bystander.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.match((await readUntil(bystander, countResponses(1))).text, /^HTTP\/1\.1 200 OK\r\n/);

  const bad = await open();
  bad.write('THIS IS NOT HTTP\r\n\r\n');
  const answer = await readUntil(bad, () => false);
  assert.match(answer.text, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(answer.text, /\r\nConnection: close\r\n/);
  assert.equal(answer.closed, true);

  bystander.write('GET /quickstarts/random-urls/bar.png HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.match((await readUntil(bystander, countResponses(1))).text, /^HTTP\/1\.1 300 Multiple Choices\r\n/);
  bystander.destroy();

  const fresh = await open();
  fresh.write('GET /quickstarts/eshop/items HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match((await readUntil(fresh, () => false)).text, /^HTTP\/1\.1 200 OK\r\n[\s\S]*"Teapots"/);
});

test('binary noise and a bad header line are answered with 400, never a crash', async () => {
  const noise = await open();
  noise.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]));
  assert.match((await readUntil(noise, () => false)).text, /^HTTP\/1\.1 400 /);

  const badHeader = await open();
  badHeader.write('GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n');
  assert.match((await readUntil(badHeader, () => false)).text, /^HTTP\/1\.1 400 /);

  const client = new Http1Client(server.httpUrl);
  try {
    assert.equal((await client.send({ path: '/' })).status, 200);
  } finally {
    client.close();
  }
});

test('an oversized header block gets 431', async () => {
  const socket = await open();
  socket.write(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
  assert.match((await readUntil(socket, () => false)).text, /^HTTP\/1\.1 431 /);
});

test('pipelined requests on one keep-alive connection are answered in order', async () => {
  const socket = await open();
  socket.write('GET /quickstarts/random-urls/foo.png HTTP/1.1\r\nHost: x\r\n\r\n'
    + 'GET /quickstarts/random-urls/bar.png HTTP/1.1\r\nHost: x\r\n\r\n'
    + 'GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n');
  const { text, closed } = await readUntil(socket, countResponses(3));
  assert.equal(closed, false, 'keep-alive: the connection stays open');
  const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
  assert.deepEqual(statuses, [200, 300, 404]);
  socket.destroy();
});

test('a client that vanishes in the middle of a login form does not disturb the server', async () => {
  const socket = await open();
  socket.write('POST /howto/credentials/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n'
    + 'Content-Length: 100\r\n\r\nusername=jo');
  await new Promise((resolve) => setTimeout(resolve, 20));
  socket.destroy();
  const client = new Http1Client(server.httpUrl);
  try {
    assert.equal((await client.send({ path: '/' })).status, 200);
  } finally {
    client.close();
  }
});

test('garbage on the HTTPS port: a failed handshake and an HTTP/1.1 parse error leave it serving', async () => {
  const plain = netConnect(tlsPort, '127.0.0.1');
  plain.on('error', () => { /* the server may reset */ });
  plain.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'); // cleartext where TLS is expected
  await readUntil(plain, () => false);

  const tls1 = await openTls(['http/1.1']);
  tls1.write('NOT HTTP AT ALL\r\n\r\n');
  assert.match((await readUntil(tls1, () => false)).text, /^HTTP\/1\.1 400 /);

  const client = new Http1Client(server.httpsUrl ?? '');
  try {
    assert.equal((await client.send({ path: '/quickstarts/eshop/items' })).status, 200);
  } finally {
    client.close();
  }
});

test('a broken HTTP/2 connection preface is refused and HTTP/2 keeps working for others', async () => {
  const broken = await openTls(['h2']);
  broken.on('error', () => { /* the server may reset */ });
  broken.write('PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n\x00\x00\x00\x09garbage');
  assert.equal((await readUntil(broken, () => false)).closed, true, 'the server drops the connection');

  const client = new Http2Client(server.httpsUrl ?? '');
  try {
    assert.equal((await client.send({ path: '/quickstarts/random-urls/bar.png' })).status, 300);
  } finally {
    await client.close();
  }
});

test('close() returns promptly although keep-alive connections are idle, and drops them', async () => {
  const own = await startExampleServer({ httpPort: 0, httpsPort: 0, quiet: true });
  const idle: Socket[] = [];
  const plain = netConnect(Number(new URL(own.httpUrl).port), '127.0.0.1');
  idle.push(plain);
  const tlsPortOwn = Number(new URL(own.httpsUrl ?? assert.fail('no https')).port);
  for (const alpn of ['http/1.1', 'h2']) {
    idle.push(await new Promise<Socket>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port: tlsPortOwn, ca: demoCa, servername: 'localhost', ALPNProtocols: [alpn] },
        () => resolve(s));
      s.on('error', reject);
    }));
  }
  plain.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.match((await readUntil(plain, countResponses(1))).text, /^HTTP\/1\.1 200 /);
  const tls1 = idle[1] as Socket;
  tls1.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.match((await readUntil(tls1, countResponses(1))).text, /^HTTP\/1\.1 200 /);
  // idle[2] negotiated h2 and sent nothing: the server has sent its SETTINGS and waits.
  const closedByServer = idle.map((socket) => readUntil(socket, () => false));
  const startedMs = performance.now();
  await own.close();
  // Keep-alive connections are never timed out by this server, so without dropping them close() would hang
  // until the clients leave: any bound separates the two; 1 s leaves room for a loaded CI machine.
  assert.ok(performance.now() - startedMs < 1000, 'close() took too long');
  for (const closed of closedByServer) assert.equal((await closed).closed, true);
  await own.close(); // idempotent
});
