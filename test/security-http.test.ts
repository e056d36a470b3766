/**
 * Measurement integrity of `hyperfoil run` against misbehaving targets: a raw `net` server on 127.0.0.1 records
 * every byte it receives and answers as the test needs (CR/LF smuggling from variables, paths and response values;
 * responses nobody asked for; a target that never answers), the CLI runs as a real process, and the statistics
 * are read from the stored `total.csv`.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertExitCode, runCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-security-http-'));
const servers: net.Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

interface RawTarget {
  port: number;
  /** Every byte received on every connection, in order, as latin1. */
  received: () => string;
  /** Request heads received. */
  requests: () => string[];
  /** Stops listening and drops every connection. */
  vanish: () => void;
}

type Answer = (socket: net.Socket, head: string, connection: number) => void;

/** A raw HTTP/1.1 target: `answer` is called for each request head; `onAccept` when a connection comes in. */
async function rawTarget(answer: Answer, onAccept: (socket: net.Socket, connection: number) => void = () => {}): Promise<RawTarget> {
  let received = '';
  const heads: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    const connection = connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    onAccept(socket, connection);
    let pending = '';
    socket.on('data', (data: Buffer) => {
      const text = data.toString('latin1');
      received += text;
      pending += text;
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        heads.push(head);
        answer(socket, head, connection);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const vanish = (): void => {
    server.close();
    for (const socket of sockets) socket.destroy();
  };
  return { port: (server.address() as AddressInfo).port, received: () => received, requests: () => heads, vanish };
}

function response(body: string, contentType = 'text/plain'): string {
  return `HTTP/1.1 200 OK\r\ncontent-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function write(name: string, lines: string[]): string {
  const file = join(dir, `${name}.hf.yaml`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

interface Row {
  Requests: number;
  Responses: number;
  Min: number;
  ConnectionErrors: number;
  RequestTimeouts: number;
  InternalErrors: number;
  Invalid: number;
}

/** Rows of the stored total.csv by metric, the columns this test reads. */
function totals(rootDir: string): Map<string, Row> {
  const [header, ...rows] = readFileSync(join(rootDir, 'run', '0000', 'stats', 'total.csv'), 'utf8').trim().split('\n');
  const names = header!.split(',');
  const out = new Map<string, Row>();
  for (const row of rows) {
    const cells = row.split(',');
    const column = (name: keyof Row): number => Number(cells[names.indexOf(name)]);
    out.set(cells[1]!, {
      Requests: column('Requests'), Responses: column('Responses'), Min: column('Min'), ConnectionErrors: column('ConnectionErrors'),
      RequestTimeouts: column('RequestTimeouts'), InternalErrors: column('InternalErrors'), Invalid: column('Invalid'),
    });
  }
  return out;
}

// A value that, written raw, would end the header (or request line) and smuggle a second request.
const SMUGGLE = 'x\\r\\nX-Evil: 1\\r\\n\\r\\nGET /smuggled HTTP/1.1\\r\\nHost: evil\\r\\n\\r\\n';

describe('CR/LF from session values never reaches the wire', () => {
  it('refuses a header from `set`, a path from a variable, and a header from a JSON response value; counts each', async () => {
    const target = await rawTarget((socket, head) => {
      if (head.startsWith('GET /token ')) socket.write(response(JSON.stringify({ t: 'a\r\nX-Evil: 1\r\n\r\nGET /smuggled-json HTTP/1.1\r\n\r\n' }), 'application/json'));
      else socket.write(response('ok'));
    });
    const root = join(dir, 'root-crlf');
    const file = write('crlf', [
      'name: crlf',
      `http: {host: 'http://127.0.0.1:${target.port}'}`,
      'phases:',
      '- header:',
      '    atOnce:',
      '      users: 1',
      '      scenario:',
      '      - s:',
      `        - set: {var: v, value: "${SMUGGLE}"}`,
      '        - httpRequest: {GET: /h, metric: header, headers: {x-test: "${v}"}}',
      '- path:',
      '    atOnce:',
      '      users: 1',
      '      scenario:',
      '      - s:',
      `        - set: {var: v, value: "${SMUGGLE}"}`,
      '        - httpRequest: {GET: "/p/${v}", metric: path}',
      '- fromResponse:',
      '    atOnce:',
      '      users: 1',
      '      scenario:',
      '      - s:',
      '        - httpRequest: {GET: /token, metric: token, handler: {body: {json: {query: .t, toVar: t}}}}',
      '        - httpRequest: {GET: /use, metric: use, headers: {x-token: "${t}"}}',
    ]);
    const result = await runCli(['run', file, '--root-dir', root, '-q']);
    assert.ok(result.code !== null, result.stderr);
    const bytes = target.received();
    assert.doesNotMatch(bytes, /smuggled/i, 'no smuggled request line reached the server');
    assert.doesNotMatch(bytes, /X-Evil/i, 'no smuggled header reached the server');
    assert.deepEqual(target.requests().map((h) => h.split('\r\n')[0]), ['GET /token HTTP/1.1'], 'only the clean request was sent');
    const stats = totals(root);
    for (const metric of ['header', 'path', 'use']) {
      const row = stats.get(metric);
      assert.ok(row, `${metric} is in the statistics`);
      assert.equal(row.Requests, 1, `${metric}: the refused request is counted`);
      assert.equal(row.InternalErrors, 1, `${metric}: as an internal error`);
      assert.equal(row.Responses, 0, `${metric}: with no response`);
    }
    assert.equal(stats.get('token')?.Responses, 1);
  });
});

// The target answers each request after RESPONSE_DELAY_MS. A response attributed to the wrong request shows a
// latency near 0 (it was already there); a correct one at least the delay: Node timers do not fire early by more
// than 1 ms, and the histogram (2 significant digits) rounds down by at most 1 %, so >= 0.9 × the delay is safe.
const RESPONSE_DELAY_MS = 100;
const MIN_LATENCY_NS = 0.9 * RESPONSE_DELAY_MS * 1e6;

/** One user for 2 s on one connection, repeating `steps` (then GET /x as metric x); returns the row of metric x. */
async function runOneUser(name: string, port: number, steps: string[]): Promise<Row> {
  const root = join(dir, `root-${name}`);
  const file = write(name, [
    `name: ${name}`,
    `http: {host: 'http://127.0.0.1:${port}', sharedConnections: 1}`,
    'phases:',
    '- main:',
    '    always:',
    '      users: 1',
    '      duration: 2s',
    '      scenario:',
    '      - s:',
    ...steps.map((step) => `        - ${step}`),
    '        - httpRequest: {GET: /x, metric: x}',
  ]);
  const result = await runCli(['run', file, '--root-dir', root, '-q']);
  assert.ok(result.code !== null, result.stderr);
  return totals(root).get('x')!;
}

describe('responses nobody asked for', () => {
  it('a response before the first request: the request it would be given fails as an internal error, later latencies are right', async () => {
    const target = await rawTarget((socket) => {
      setTimeout(() => socket.write(response('ok')), RESPONSE_DELAY_MS);
    }, (socket, connection) => {
      if (connection === 0) socket.write(response('early'));
    });
    // The pool opens its connection at the start; the think time lets the early response arrive on it idle.
    const row = await runOneUser('early', target.port, ['thinkTime: {duration: 300ms}']);
    assert.equal(row.InternalErrors, 1, 'the stray response is counted once');
    assert.ok(row.Responses >= 2, `later requests are answered (${row.Responses})`);
    assert.ok(row.Min >= MIN_LATENCY_NS, `no response was attributed to a later request: min latency ${row.Min} ns`);
    assert.equal(target.requests().length, row.Requests - row.InternalErrors, 'the failed request was not sent');
  });

  it('a duplicate response: counted, the connection is replaced, later latencies are right', async () => {
    const target = await rawTarget((socket) => {
      setTimeout(() => socket.write(response('ok') + response('duplicate')), RESPONSE_DELAY_MS);
    });
    const row = await runOneUser('dup', target.port, []);
    assert.ok(row.InternalErrors >= 1, `duplicates are counted (${row.InternalErrors})`);
    assert.ok(row.InternalErrors <= row.Responses, 'at most one per answered request');
    assert.ok(row.Min >= MIN_LATENCY_NS, `no duplicate was attributed to a later request: min latency ${row.Min} ns`);
    assert.equal(target.requests().length, row.Responses, 'every request sent got its own response, no more');
  });
});

describe('a hung target', () => {
  it('ends the run at duration + request timeout and reports the requests still pending', async () => {
    const target = await rawTarget(() => { /* never answers */ });
    const root = join(dir, 'root-hung');
    // 10 users/s for 3 s (30 sessions) on 2 connections, 2 s timeout. Unbounded, the 30 requests would time out two
    // at a time: 15 × 2 s = 30 s. Bounded at 3 s + 2 s = 5 s, the requests sent at 4 s (one per connection) are still
    // pending, and so are the ~24 waiting for a connection.
    const file = write('hung', [
      'name: hung',
      `http: {host: 'http://127.0.0.1:${target.port}', sharedConnections: 2, requestTimeout: 2s}`,
      'usersPerSec: 10',
      'maxSessions: 30',
      'duration: 3s',
      'scenario: [{s: [{httpRequest: {GET: /x, metric: x}}]}]',
    ]);
    const started = Date.now();
    const result = await runCli(['run', file, '--root-dir', root, '-q']);
    const elapsedMs = Date.now() - started;
    // 5 s bound, plus process start and compile (~2 s here) and the last statistics period (1 s) and the
    // controller's 1-s phase tick: 10 s; far from the 30 s an unbounded run takes.
    assert.ok(elapsedMs < 12_000, `the run ended in ${elapsedMs} ms`);
    assert.match(result.stdout, /main: (\d+) requests were still pending/);
    const pending = Number(/main: (\d+) requests were still pending/.exec(result.stdout)![1]);
    const row = totals(root).get('x')!;
    assert.equal(pending, row.Requests - row.Responses - row.RequestTimeouts - row.ConnectionErrors - row.InternalErrors);
    assert.equal(row.Responses, 0);
    assert.equal(pending + row.RequestTimeouts, row.Requests, 'every request timed out or was pending');
    const sentAndPending = target.requests().length - row.RequestTimeouts;
    assert.ok(sentAndPending >= 1, `requests sent and unanswered at the bound: ${sentAndPending}`);
    assert.ok(pending > sentAndPending, `requests still waiting for a connection count too (${pending} pending)`);
    const all = JSON.parse(readFileSync(join(root, 'run', '0000', 'all.json'), 'utf8')) as { pendingRequests?: unknown };
    assert.deepEqual(all.pendingRequests, [{ phase: 'main', pending }], 'all.json says so too');
    assert.equal(result.code, 4, 'no request succeeded');
  });
});

describe('exit codes and error ratios when every request fails', () => {
  it('exits 4 with an error ratio of at most 1 when the target answers only 500s', async () => {
    const target = await rawTarget((socket) => {
      socket.write('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n');
    });
    const file = write('all500', [
      'name: all500',
      `http: {host: 'http://127.0.0.1:${target.port}'}`,
      'usersPerSec: 20',
      'duration: 1s',
      'scenario: [{s: [{httpRequest: {GET: /x, metric: x, sla: {invalidRatio: 0.5}}}]}]',
    ]);
    const result = await runCli(['run', file, '--root-dir', join(dir, 'root-500'), '-q']);
    assert.equal(result.code, 4, result.stdout + result.stderr);
    assert.match(result.stderr, /no request succeeded: \d+ requests, 0 errors .*, \d+ invalid responses/);
    const ratio = /Invalid response ratio exceeded: required [\d.]+, actual ([\d.]+)/.exec(result.stdout);
    assert.ok(ratio, result.stdout);
    assert.ok(Number(ratio[1]) <= 1, `ratio ${ratio[1]}`);
  });

  it('prints an error ratio of at most 1 when the target goes away mid-run (refused connections count as requests)', async () => {
    let answered = 0;
    const target: RawTarget = await rawTarget((socket) => {
      socket.write(response('ok'));
      // Then gone: nothing listens any more, every later connection attempt is refused.
      if (++answered === 3) setImmediate(() => target.vanish());
    });
    const file = write('gone', [
      'name: gone',
      `http: {host: 'http://127.0.0.1:${target.port}', sharedConnections: 1}`,
      // Once the target is gone, sessions wait for the pool's reconnect backoff (up to 1 s) before failing: at 20/s up
      // to ~20 wait at once, which the default maxSessions (= the rate, 20) turned into throttled starts and exit 5.
      'phases:',
      '- main:',
      '    constantRate:',
      '      usersPerSec: 20',
      '      maxSessions: 200',
      '      duration: 2s',
      '      scenario: [{s: [{httpRequest: {GET: /x, metric: x, sla: {errorRatio: 0.5}}}]}]',
    ]);
    const root = join(dir, 'root-gone');
    const result = await runCli(['run', file, '--root-dir', root, '-q']);
    assertExitCode(result, 1); // some requests succeeded, the SLA failed
    const ratio = /Error ratio exceeded: required [\d.]+, actual ([\d.]+)/.exec(result.stdout);
    assert.ok(ratio, result.stdout);
    const row = totals(root).get('x')!;
    const errors = row.ConnectionErrors + row.RequestTimeouts + row.InternalErrors;
    assert.ok(errors <= row.Requests, `${errors} errors for ${row.Requests} requests`);
    assert.equal(Number(ratio[1]), Number((errors / row.Requests).toFixed(3)), 'the printed ratio is errors / requests');
  });
});

describe('absurd sizes are refused when the benchmark is read', () => {
  it('`usersPerSec: 1e15` fails validation with exit 3 and a message naming the limit', async () => {
    const file = write('huge', [
      'name: huge',
      "http: {host: 'http://127.0.0.1:1'}",
      'usersPerSec: 1e15',
      'duration: 1s',
      'scenario: [{s: [{httpRequest: {GET: /}}]}]',
    ]);
    const started = Date.now();
    const result = await runCli(['validate', file]);
    assert.equal(result.code, 3);
    assert.match(result.stderr + result.stdout, /huge\.hf\.yaml:3:\d+: .*above MAX_USERS_PER_SEC = 1000000/);
    assert.ok(Date.now() - started < 10_000, 'refused at once, nothing allocated');
  });
});
