/**
 * `hyperfoil wrk` and `wrk2` as real processes against real local servers: wrk's output shape, request and byte
 * counts checked against what the server saw, headers, non-2xx responses, timeouts, a closed port, wrk2's rate.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertExitCode, runCli } from './support/cli.js';
import type { CliResult } from './support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'hf-wrk-'));

/** A raw HTTP/1.1 server: answers every request head with `response` (or never, when null) and counts them. */
class CountingServer {
  requests = 0;
  firstHead = '';
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly response: Buffer | null) {
    this.server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {});
      let pending = '';
      socket.on('data', (data) => {
        pending += data.toString('latin1');
        let end = pending.indexOf('\r\n\r\n');
        while (end >= 0) {
          if (this.requests === 0) this.firstHead = pending.slice(0, end);
          this.requests++;
          pending = pending.slice(end + 4);
          if (this.response !== null) socket.write(this.response);
          end = pending.indexOf('\r\n\r\n');
        }
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return `http://127.0.0.1:${this.port}/hello?x=1`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function assertCompleted(result: CliResult): void {
  assertExitCode(result, 0);
}

const OK = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello');
const ERROR = Buffer.from('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n');

function number(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  assert.ok(match, `${pattern} in:\n${text}`);
  return Number(match[1]);
}

describe('hyperfoil wrk', { concurrency: true }, () => {
  const ok = new CountingServer(OK);
  const failing = new CountingServer(ERROR);
  const silent = new CountingServer(null);
  let okUrl = '';
  let failingUrl = '';
  let silentUrl = '';

  before(async () => {
    okUrl = await ok.start();
    failingUrl = await failing.start();
    silentUrl = await silent.start();
  });
  after(async () => {
    await Promise.all([ok.close(), failing.close(), silent.close()]);
  });

  it('prints wrk\'s layout, with counts that match what the server received', async () => {
    const result = await runCli(['wrk', '-t', '1', '-c', '4', '-d', '1s', '--warmup-duration', '0', '--latency',
      '-H', 'X-Test: a${b}', '--root-dir', root, okUrl]);
    assertCompleted(result);
    const out = result.stdout;
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], `Running 1s test @ ${okUrl}`);
    assert.equal(lines[1], '  1 threads and 4 connections');
    assert.equal(lines[2], '  Thread Stats   Avg      Stdev     Max   +/- Stdev');
    assert.match(lines[3]!, /^ {4}Latency {3}[ \d.]{4,}(us|ms|s) +[\d.]+(us|ms|s) +[\d.]+(us|ms|s) +[\d.]+%$/);
    assert.match(lines[4]!, /^ {4}Req\/Sec {3}/);
    assert.equal(lines[5], '  Latency Distribution');
    assert.deepEqual(lines.slice(6, 10).map((l) => l.slice(0, 8)), ['     50%', '     75%', '     90%', '     99%']);
    assert.match(lines[10]!, /^ {2}\d+ requests in [\d.]+(ms|s), [\d.]+[KMG]?B read$/);
    assert.match(lines.at(-2)!, /^Requests\/sec: +[\d.]+$/);
    assert.match(lines.at(-1)!, /^Transfer\/sec: +[\d.]+[KMG]?B$/);
    assert.doesNotMatch(out, /Socket errors|Non-2xx/, 'no error lines when there were no errors');
    const requests = number(out, /(\d+) requests in/);
    // Every completed response was a request the server answered; at the end of the phase at most one request
    // per connection (4) was in flight and cancelled, so the server saw between N and N + 4.
    assert.ok(requests > 0);
    assert.ok(ok.requests >= requests && ok.requests <= requests + 4, `server saw ${ok.requests}, wrk reports ${requests}`);
    // Each response is exactly OK.length bytes on the wire.
    const bytes = number(out, /requests in [\d.]+m?s, ([\d.]+)[KMG]?B read/);
    const unit = /requests in [\d.]+m?s, [\d.]+([KMG]?)B read/.exec(out)![1]!;
    const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[unit]!;
    assert.ok(Math.abs(bytes * scale - requests * OK.length) <= 0.005 * scale, `${bytes}${unit}B read for ${requests} × ${OK.length} bytes`);
    // Requests/sec is the count over the phase duration printed in the same report.
    const seconds = number(out, /requests in ([\d.]+)s/);
    assert.ok(Math.abs(number(out, /Requests\/sec: +([\d.]+)/) - requests / seconds) <= requests / seconds * 0.01 + 0.01);
    // -H sends the header literally (no ${…} interpolation); wrk's facade sends no cookies or session user agent.
    assert.match(ok.firstHead, /^GET \/hello\?x=1 HTTP\/1\.1\r\n/);
    assert.match(ok.firstHead, /\r\nX-Test: a\$\{b\}(\r\n|$)/i);
    assert.doesNotMatch(ok.firstHead, /user-agent/i);
    assert.match(result.stderr, /Run [0-9A-F]{4} stored in /);
  });

  it('counts non-2xx responses and request timeouts the way wrk prints them', async () => {
    const [errors, timeouts] = await Promise.all([
      runCli(['wrk', '-t', '1', '-c', '2', '-d', '1s', '--warmup-duration', '0', '--root-dir', join(root, 'e'), failingUrl]),
      runCli(['wrk', '-t', '1', '-c', '2', '-d', '1s', '--warmup-duration', '0', '--timeout', '200ms', '--root-dir', join(root, 't'), silentUrl]),
    ]);
    assertCompleted(errors);
    const answered = number(errors.stdout, /(\d+) requests in/);
    assert.ok(answered > 0);
    assert.equal(number(errors.stdout, /Non-2xx or 3xx responses: (\d+)/), answered, 'every response was a 500');
    assertCompleted(timeouts);
    assert.match(timeouts.stdout, /\n {2}0 requests in /);
    // 2 connections, a 200 ms timeout and a 1 s test: each connection times out about 5 times; at least one each.
    const timedOut = number(timeouts.stdout, /Socket errors: connect 0, read 0, write 0, timeout (\d+)/);
    assert.ok(timedOut >= 2 && timedOut <= 12, `timeouts: ${timedOut}`);
  });

  it('fails with exit code 4 and says why when nothing listens on the port', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const result = await runCli(['wrk', '-t', '1', '-c', '2', '-d', '1s', '--warmup-duration', '0', '--root-dir', join(root, 'c'), `http://127.0.0.1:${closed}/`]);
    assert.equal(result.code, 4, result.stdout + result.stderr);
    assert.match(result.stderr, new RegExp(`error: .*127\\.0\\.0\\.1:${closed}.*ECONNREFUSED`));
    assert.doesNotMatch(result.stdout, /Requests\/sec/, 'no figures for a run that never started');
  });

  it('refuses what wrk would refuse, with exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['wrk'], /needs the URL/],
      [['wrk', '-c', '1', '-t', '2', okUrl], /must be at least -t\/--threads/],
      [['wrk2', okUrl], /needs the request rate/],
      [['wrk', '-s', 'x.lua', okUrl], /Lua scripts/],
      [['wrk', 'ftp://x/'], /only http:\/\/ and https:\/\//],
      [['wrk', '-d', 'soon', okUrl], /-d\/--duration: expected a duration/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli([...args, '--root-dir', join(root, 'u')])));
    results.forEach((result, i) => {
      assert.equal(result.code, 2, `${cases[i]![0].join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, cases[i]![1]);
    });
  });
});

describe('hyperfoil wrk2', () => {
  const server = new CountingServer(OK);
  let url = '';
  before(async () => { url = await server.start(); });
  after(() => server.close());

  it('holds the requested rate and prints the HdrHistogram spectrum with --latency', async () => {
    const result = await runCli(['wrk2', '-R', '200', '-t', '1', '-c', '4', '-d', '2s', '--warmup-duration', '0', '--latency',
      '--root-dir', root, url]);
    assertCompleted(result);
    const out = result.stdout;
    // Even gaps: 200/s for 2 s is 400 starts. The controller finishes the phase on its 50 ms tick (at most 10 more
    // starts at 200/s), and requests in flight at the end (at most 4, one per connection) are not counted.
    const requests = number(out, /(\d+) requests in/);
    assert.ok(requests >= 400 - 4 - 1 && requests <= 400 + 10 + 1, `${requests} requests for 200/s over 2 s`);
    assert.ok(server.requests >= requests && server.requests <= requests + 4);
    const rate = number(out, /Requests\/sec: +([\d.]+)/);
    assert.ok(Math.abs(rate - 200) <= 200 * 0.03, `Requests/sec ${rate}`);
    assert.match(out, /\n {2}Latency Distribution \(HdrHistogram - Recorded Latency\)\n 50\.000% +[\d.]+(us|ms|s)\n/);
    assert.match(out, /\n100\.000% +[\d.]+(us|ms|s)\n/);
    assert.match(out, /\n {2}Detailed Percentile spectrum:\n {7}Value {3}Percentile {3}TotalCount 1\/\(1-Percentile\)\n\n/);
    assert.match(out, new RegExp(`\\n#\\[Max     = +[\\d.]+, Total count    = +${requests}\\]\\n`));
  });
});
