// Parser behaviour that the differential test does not cover: our deliberate leniencies (where Node
// is stricter than the RFC asks a client to be), limits, and the "no strings unless asked" contract.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseParser, type ParserSink } from './parser.js';
import { parsePieces } from './parser-recorder.test-support.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

function allSplits(input: Buffer): number[][] {
  const out: number[][] = [[]];
  for (let i = 1; i < input.length; i++) out.push([i]);
  return out;
}

test('lenient where RFC 9112 lets a client be (Node rejects these)', () => {
  const cases: [string, string, { headers?: [string, string][]; body: string; keepAlive?: boolean }][] = [
    ['obs-fold continuation is joined with a space', 'HTTP/1.1 200 OK\r\nX-A: one\r\n  two\r\ncontent-length: 2\r\n\r\nok',
      { headers: [['X-A', 'one two'], ['content-length', '2']], body: 'ok' }],
    ['bare LF line endings', 'HTTP/1.1 200 OK\ncontent-length: 2\n\nok', { headers: [['content-length', '2']], body: 'ok' }],
    ['identical duplicate Content-Length', 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 2\r\n\r\nok', { body: 'ok' }],
    ['Transfer-Encoding wins over Content-Length', 'HTTP/1.1 200 OK\r\ncontent-length: 50\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n', { body: 'ok' }],
    ['blank before chunk extension', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2 ;x=1\r\nok\r\n0\r\n\r\n', { body: 'ok' }],
    ['HTTP/1.2 is read as 1.1', 'HTTP/1.2 200 OK\r\ncontent-length: 2\r\n\r\nok', { body: 'ok', keepAlive: true }],
    ['empty lines before the status line are skipped', '\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok', { body: 'ok' }],
    ['"chunked" not last in Transfer-Encoding: body until close', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked, gzip\r\n\r\n2\r\nok', { body: '2\r\nok', keepAlive: false }],
  ];
  for (const [name, text, expected] of cases) {
    for (const cuts of allSplits(b(text))) {
      const got = parsePieces(b(text), cuts);
      assert.equal(got.error, null, `${name} ${JSON.stringify(cuts)}`);
      assert.equal(got.responses.length, 1, name);
      const r = got.responses[0]!;
      assert.equal(r.body.toString('latin1'), expected.body, name);
      if (expected.headers) assert.deepEqual(r.headers, expected.headers, name);
      if (expected.keepAlive !== undefined) assert.equal(r.keepAlive, expected.keepAlive, name);
    }
  }
});

test('our own rejections: 101 (no upgrade asked), folded framing header, status 0xx', () => {
  for (const text of [
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n',
    'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n 3\r\n\r\nok',
    'HTTP/1.1 099 Low\r\ncontent-length: 0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nX-A: bad\0value\r\ncontent-length: 0\r\n\r\n',
  ]) {
    const got = parsePieces(b(text), []);
    assert.notEqual(got.error, null, JSON.stringify(text));
    assert.equal(got.responses.length, 0);
  }
});

test('a head larger than the limit is a parse error, also when it arrives in small pieces', () => {
  const big = `HTTP/1.1 200 OK\r\nX-Big: ${'x'.repeat(70_000)}\r\ncontent-length: 0\r\n\r\n`;
  const cutsEvery100 = Array.from({ length: Math.floor(big.length / 100) }, (_, i) => (i + 1) * 100);
  for (const cuts of [[], cutsEvery100]) {
    const got = parsePieces(b(big), cuts);
    assert.match(got.error ?? '', /larger than 65536/);
  }
  // Many headers that are each small but add up count too.
  const many = `HTTP/1.1 200 OK\r\n${'X-H: 0123456789012345678901234567890123456789\r\n'.repeat(2000)}content-length: 0\r\n\r\n`;
  assert.match(parsePieces(b(many), []).error ?? '', /larger than/);
  // Just below the limit is fine.
  const ok = `HTTP/1.1 200 OK\r\nX-Big: ${'x'.repeat(60_000)}\r\ncontent-length: 0\r\n\r\n`;
  assert.equal(parsePieces(b(ok), [1000, 30_000]).error, null);
});

test('the head limit applies per response, not per connection', () => {
  const one = `HTTP/1.1 200 OK\r\nX-Big: ${'x'.repeat(40_000)}\r\ncontent-length: 0\r\n\r\n`;
  const got = parsePieces(b(one + one + one), [5, 50_000]);
  assert.equal(got.error, null);
  assert.equal(got.responses.length, 3);
});

class CountingSink implements ParserSink {
  headers = 0;
  bodies = 0;
  bodyBytes = 0;
  completes = 0;
  error: string | null = null;
  onResponseStatus(): void {}
  onResponseHeader(): void {
    this.headers++;
  }
  onResponseHeadersEnd(): void {}
  onResponseBody(_buf: Buffer, _offset: number, length: number): void {
    this.bodies++;
    this.bodyBytes += length;
  }
  onResponseComplete(): void {
    this.completes++;
  }
  onParseError(reason: string): void {
    this.error = reason;
  }
}

test('headers and body are not surfaced unless asked', () => {
  const sink = new CountingSink();
  const parser = new ResponseParser(sink);
  const response = b('HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n');
  parser.execute(response);
  assert.deepEqual([sink.headers, sink.bodies, sink.completes], [0, 0, 1]);
  parser.surfaceHeaders = true;
  parser.surfaceBody = true;
  parser.execute(response);
  // Trailers are not surfaced as headers.
  assert.deepEqual([sink.headers, sink.bodies, sink.bodyBytes, sink.completes], [3, 1, 3, 2]);
});

test('body slices are views of the received buffer (no copy)', () => {
  const seen: Buffer[] = [];
  const sink: ParserSink = {
    onResponseStatus: () => {},
    onResponseHeader: () => {},
    onResponseHeadersEnd: () => {},
    onResponseBody: (buf) => {
      seen.push(buf);
    },
    onResponseComplete: () => {},
    onParseError: () => {},
  };
  const parser = new ResponseParser(sink);
  parser.surfaceBody = true;
  const input = b('HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nbody');
  parser.execute(input);
  assert.equal(seen.length, 1);
  assert.equal(seen[0], input);
});

test('HEAD flag is taken per response: a pipelined GET after a HEAD has its body', () => {
  const bytes = b('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello');
  for (const cuts of allSplits(bytes)) {
    const got = parsePieces(bytes, cuts, [true, false]);
    assert.equal(got.error, null);
    assert.deepEqual(got.responses.map((r) => r.body.toString()), ['', 'hello']);
  }
});

test('EOF: completes a close-delimited body, is clean between responses, fails inside one', () => {
  const untilClose = parsePieces(b('HTTP/1.1 200 OK\r\n\r\nabc'), [], [], true);
  assert.deepEqual(untilClose.responses.map((r) => [r.body.toString(), r.keepAlive]), [['abc', false]]);
  const notYet = parsePieces(b('HTTP/1.1 200 OK\r\n\r\nabc'), [], [], false);
  assert.equal(notYet.responses.length, 0);
  const clean = parsePieces(b('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'), [], [], true);
  assert.equal(clean.error, null);
  const afterContinue = parsePieces(b('HTTP/1.1 100 Continue\r\n\r\n'), [], [], true);
  assert.match(afterContinue.error ?? '', /before the response was complete/);
});

test('after a parse error the parser stays dead until reset', () => {
  const sink = new CountingSink();
  const parser = new ResponseParser(sink);
  parser.execute(b('NOPE\r\n'));
  assert.ok(parser.dead);
  parser.execute(b('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
  assert.equal(sink.completes, 0);
  parser.reset();
  parser.execute(b('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
  assert.equal(sink.completes, 1);
});
