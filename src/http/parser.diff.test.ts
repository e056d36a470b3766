// Differential test: the same response bytes are parsed by Node's own HTTP client (llhttp, via a real
// net server on 127.0.0.1 that sends exactly those bytes) and by our parser, fed in every possible
// split for the short ones. Status, raw headers, body and keep-alive must agree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { once } from 'node:events';
import { parsePieces } from './parser-recorder.test-support.js';

interface Case {
  name: string;
  bytes: Buffer;
  head?: boolean;
}

const c = (name: string, text: string, head = false): Case => ({ name, bytes: Buffer.from(text, 'latin1'), head });

function chunked(body: Buffer, sizes: number[]): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  let i = 0;
  while (at < body.length) {
    const n = Math.min(sizes[i++ % sizes.length]!, body.length - at);
    parts.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(at, at + n), Buffer.from('\r\n'));
    at += n;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

function bigBody(bytes: number): Buffer {
  const b = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) b[i] = 0x61 + ((i * 7 + (i >> 10)) % 26);
  return b;
}

const BIG = bigBody(1 << 20);

const CASES: Case[] = [
  c('content-length', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello'),
  c('content-length zero', 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'),
  c('mixed-case names, repeated header, empty and padded values',
    'HTTP/1.1 201 Created\r\nSet-Cookie: a=1\r\nSET-COOKIE: b=2\r\nx-empty:\r\nX-Pad: \t spaced  value \t\r\nCONTENT-length: 3\r\n\r\nabc'),
  c('latin1 header value', 'HTTP/1.1 200 OK\r\nx-l: caf\xe9 cr\xe8me\r\ncontent-length: 2\r\n\r\nok'),
  c('status without reason', 'HTTP/1.1 200\r\ncontent-length: 2\r\n\r\nok'),
  c('status with empty reason', 'HTTP/1.1 404 \r\ncontent-length: 9\r\n\r\nnot found'),
  c('long reason and 5xx', 'HTTP/1.1 503 Service Unavailable Right Now\r\nRetry-After: 1\r\ncontent-length: 4\r\n\r\nbusy'),
  c('chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'),
  c('chunked with extensions and trailers',
    'HTTP/1.1 200 OK\r\nTrailer: X-Sum\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\nA;a;b="q"\r\n0123456789\r\n0;last\r\nX-Sum: 15\r\nX-Other: y\r\n\r\n'),
  c('chunked upper and lower hex, leading zeros', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n00b\r\nhello world\r\nA\r\n0123456789\r\nf\r\nabcdefghijklmno\r\n000\r\n\r\n'),
  c('chunked with connection close', 'HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'),
  c('HEAD with content-length', 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX-H: 1\r\n\r\n', true),
  c('HEAD with chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', true),
  c('204 no content', 'HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n'),
  c('304 with content-length', 'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\nContent-Length: 1234\r\n\r\n'),
  c('connection close with content-length', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok'),
  c('connection header token list', 'HTTP/1.1 200 OK\r\nConnection: Upgrade-Insecure, CLOSE\r\nContent-Length: 2\r\n\r\nok'),
  c('keep-alive header on 1.1', 'HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 2\r\n\r\nok'),
  c('HTTP/1.0 without keep-alive', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok'),
  c('HTTP/1.0 with keep-alive', 'HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok'),
  c('HTTP/1.0 body until close', 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this until the end'),
  c('HTTP/1.1 body until close', 'HTTP/1.1 200 OK\r\n\r\nno length at all'),
  c('transfer-encoding other than chunked: until close', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw bytes'),
  c('100 continue then 200', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
  c('103 early hints then 200', 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nX-Final: yes\r\nContent-Length: 2\r\n\r\nok'),
  c('two 1xx then chunked', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n'),
  { name: 'big content-length body', bytes: Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${BIG.length}\r\n\r\n`), BIG]) },
  { name: 'big chunked body', bytes: Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), chunked(BIG, [1, 4096, 65535, 3, 100000, 17])]) },
  { name: 'binary body', bytes: Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 256\r\n\r\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]) },
];

interface NodeResult {
  status: number;
  headers: [string, string][];
  body: Buffer;
  keepAlive: boolean;
}

/** Asks Node's HTTP client to fetch case i from a server that answers with exactly its bytes and closes. */
async function nodeParse(port: number, index: number, head: boolean): Promise<NodeResult> {
  const agent = new http.Agent({ keepAlive: true });
  try {
    return await new Promise<NodeResult>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: `/${index}`, method: head ? 'HEAD' : 'GET', agent }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const headers: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          resolve({ status: res.statusCode!, headers, body: Buffer.concat(parts), keepAlive: req.shouldKeepAlive });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    agent.destroy();
  }
}

async function withRawServer<T>(respond: (index: number) => Buffer, body: (port: number) => Promise<T>): Promise<T> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let received = '';
    socket.on('data', (d) => {
      received += d.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      const index = Number(received.split(' ')[1]!.slice(1));
      socket.end(respond(index));
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await body((server.address() as net.AddressInfo).port);
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
}

/** Every single cut point for short inputs, byte-by-byte too; a spread of random cuts for big ones. */
function splits(length: number): number[][] {
  const out: number[][] = [[]];
  if (length <= 2048) {
    for (let i = 1; i < length; i++) out.push([i]);
    out.push(Array.from({ length: length - 1 }, (_, i) => i + 1));
  } else {
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let k = 0; k < 12; k++) {
      const cuts = new Set<number>();
      const n = 1 + Math.floor(rnd() * 40);
      for (let j = 0; j < n; j++) cuts.add(1 + Math.floor(rnd() * (length - 1)));
      out.push([...cuts].sort((a, b) => a - b));
    }
    out.push(Array.from({ length: Math.floor(length / 1000) }, (_, i) => (i + 1) * 1000 - 1));
  }
  return out;
}

test('parser agrees with Node\'s HTTP client on every case and every split', async () => {
  await withRawServer((i) => CASES[i]!.bytes, async (port) => {
    for (let i = 0; i < CASES.length; i++) {
      const kase = CASES[i]!;
      const expected = await nodeParse(port, i, kase.head === true);
      for (const cuts of splits(kase.bytes.length)) {
        const got = parsePieces(kase.bytes, cuts, [kase.head === true]);
        const where = `${kase.name} (cuts ${cuts.length > 8 ? `${cuts.length} cuts` : JSON.stringify(cuts)})`;
        assert.equal(got.error, null, `${where}: unexpected parse error`);
        assert.equal(got.responses.length, 1, `${where}: one response`);
        const r = got.responses[0]!;
        assert.equal(r.status, expected.status, `${where}: status`);
        assert.deepEqual(r.headers, expected.headers, `${where}: headers`);
        assert.ok(r.body.equals(expected.body), `${where}: body (${r.body.length} vs ${expected.body.length} bytes)`);
        assert.equal(r.keepAlive, expected.keepAlive, `${where}: keep-alive`);
        assert.equal(r.bytes, kase.bytes.length, `${where}: byte count covers the whole response`);
      }
    }
  });
});

test('pipelined responses in one buffer parse like each one alone, at every split', async () => {
  // Only length-delimited responses can be followed by another one on the same connection.
  const pipelinable = CASES.filter((k) => k.bytes.length < 4096 && !/until close|close with|token list|HTTP\/1\.0 without|chunked with connection close/.test(k.name));
  assert.ok(pipelinable.length >= 15);
  await withRawServer((i) => pipelinable[i]!.bytes, async (port) => {
    const expected: NodeResult[] = [];
    for (let i = 0; i < pipelinable.length; i++) expected.push(await nodeParse(port, i, pipelinable[i]!.head === true));
    // Groups of 3 consecutive cases glued together, all cut points.
    for (let g = 0; g + 3 <= pipelinable.length; g++) {
      const group = pipelinable.slice(g, g + 3);
      const bytes = Buffer.concat(group.map((k) => k.bytes));
      const heads = group.map((k) => k.head === true);
      for (const cuts of splits(bytes.length)) {
        const got = parsePieces(bytes, cuts, heads);
        assert.equal(got.error, null, `group ${g} cuts ${JSON.stringify(cuts.slice(0, 3))}`);
        assert.equal(got.responses.length, 3);
        for (let j = 0; j < 3; j++) {
          const r = got.responses[j]!;
          const e = expected[g + j]!;
          assert.equal(r.status, e.status);
          assert.deepEqual(r.headers, e.headers);
          assert.ok(r.body.equals(e.body));
          assert.equal(r.keepAlive, e.keepAlive);
          assert.equal(r.bytes, group[j]!.bytes.length);
        }
      }
    }
  });
});

test('inputs Node rejects: we reject the same malformed ones', async () => {
  const malformed: Case[] = [
    c('garbage', 'garbage in, garbage out\r\n\r\n'),
    c('not HTTP', 'SSH-2.0-OpenSSH_9.6\r\n'),
    c('HTTP/2 status line', 'HTTP/2 200\r\n\r\n'),
    c('bad status digits', 'HTTP/1.1 2x0 OK\r\ncontent-length: 0\r\n\r\n'),
    c('space before colon', 'HTTP/1.1 200 OK\r\nX-A : b\r\ncontent-length: 0\r\n\r\n'),
    c('header without colon', 'HTTP/1.1 200 OK\r\nnot a header\r\ncontent-length: 0\r\n\r\n'),
    c('bad content-length', 'HTTP/1.1 200 OK\r\ncontent-length: 12a\r\n\r\n'),
    c('negative content-length', 'HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n'),
    c('conflicting content-length', 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nokk'),
    c('bad chunk size', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhi\r\n0\r\n\r\n'),
    c('chunk data too long', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n'),
    c('truncated body', 'HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort'),
    c('truncated head', 'HTTP/1.1 200 OK\r\ncontent-len'),
    c('truncated chunked', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhel'),
  ];
  await withRawServer((i) => malformed[i]!.bytes, async (port) => {
    for (let i = 0; i < malformed.length; i++) {
      const kase = malformed[i]!;
      const nodeFailed = await nodeParse(port, i, false).then(() => false, () => true);
      assert.ok(nodeFailed, `${kase.name}: Node rejects it`);
      for (const cuts of splits(kase.bytes.length)) {
        const got = parsePieces(kase.bytes, cuts);
        assert.notEqual(got.error, null, `${kase.name} cuts ${JSON.stringify(cuts)}: parse error expected`);
        assert.equal(got.responses.length, 0, `${kase.name}: no completed response`);
      }
    }
  });
});
