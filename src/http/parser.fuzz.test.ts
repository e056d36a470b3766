// Fuzz: thousands of random and mutated responses, fed in random pieces. The parser must never
// throw, never hang, report at most one parse error, and never report anything after it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseParser, type ParserSink } from './parser.js';
import { mulberry32 as prng } from '../lib/prng.js';


const SEEDS = [
  'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nX-T: 1\r\n\r\n',
  'HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc',
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n',
  'HTTP/1.1 200 OK\r\n\r\nuntil close',
  'HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nx',
];

const TOKENS = ['\r\n', '\r', '\n', ':', ' ', '\t', ';', '0', 'f', 'F', 'HTTP/1.1 ', 'HTTP/1.0 ', '200', '100', 'chunked', 'Content-Length: ',
  'Transfer-Encoding: ', 'Connection: close', '\0', '\xff', '99999999999999999999', '-1', ',', 'keep-alive'];

function mutate(input: Buffer, rnd: () => number): Buffer {
  let bytes = Buffer.from(input);
  const edits = 1 + Math.floor(rnd() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (bytes.length + 1));
    const kind = Math.floor(rnd() * 5);
    if (kind === 0 && bytes.length > 0) {
      bytes[Math.min(at, bytes.length - 1)] = Math.floor(rnd() * 256); // flip a byte
    } else if (kind === 1) {
      const token = Buffer.from(TOKENS[Math.floor(rnd() * TOKENS.length)]!, 'latin1');
      bytes = Buffer.concat([bytes.subarray(0, at), token, bytes.subarray(at)]); // insert a token
    } else if (kind === 2) {
      const len = Math.floor(rnd() * 8);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + len)]); // delete a run
    } else if (kind === 3) {
      const from = Math.floor(rnd() * bytes.length);
      const len = Math.floor(rnd() * 16);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(from, from + len), bytes.subarray(at)]); // duplicate a run
    } else {
      bytes = bytes.subarray(0, at); // truncate
    }
  }
  return bytes;
}

function randomBytes(rnd: () => number): Buffer {
  const n = Math.floor(rnd() * 200);
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * 256);
  return out;
}

class CheckingSink implements ParserSink {
  parser!: ResponseParser;
  errors = 0;
  afterError = 0;
  completes = 0;
  private check(): void {
    if (this.errors > 0) this.afterError++;
  }
  onResponseStatus(status: number): void {
    this.check();
    assert.ok(status >= 200 && status <= 999, `status ${status}`);
    this.parser.surfaceHeaders = true;
    this.parser.surfaceBody = true;
  }
  onResponseHeader(name: string, value: string): void {
    this.check();
    assert.equal(typeof name, 'string');
    assert.equal(typeof value, 'string');
  }
  onResponseHeadersEnd(): void {
    this.check();
  }
  onResponseBody(buf: Buffer, offset: number, length: number): void {
    this.check();
    assert.ok(length > 0 && offset >= 0 && offset + length <= buf.length, 'slice in bounds');
  }
  onResponseComplete(): void {
    this.check();
    this.completes++;
  }
  onParseError(): void {
    this.check();
    this.errors++;
  }
}

test('fuzz: random and mutated inputs never throw, hang, or report after an error', () => {
  const seed = 20240601;
  const rnd = prng(seed);
  const iterations = 20_000;
  const started = Date.now();
  for (let i = 0; i < iterations; i++) {
    const base = Buffer.from(SEEDS[i % SEEDS.length]!, 'latin1');
    const input = i % 10 === 0 ? randomBytes(rnd) : mutate(i % 3 === 0 ? Buffer.concat([base, base]) : base, rnd);
    const sink = new CheckingSink();
    const parser = new ResponseParser(sink, { maxHeadBytes: 256 });
    sink.parser = parser;
    parser.headRequest = rnd() < 0.1;
    let from = 0;
    const pieces = 1 + Math.floor(rnd() * 5);
    try {
      for (let p = 0; p < pieces; p++) {
        const to = p === pieces - 1 ? input.length : from + Math.floor(rnd() * (input.length - from + 1));
        if (to > from) parser.execute(input.subarray(from, to));
        from = to;
      }
      parser.finish();
    } catch (error) {
      assert.fail(`seed ${seed} iteration ${i}: parser threw ${(error as Error).message} on ${JSON.stringify(input.toString('latin1'))}`);
    }
    assert.ok(sink.errors <= 1, `iteration ${i}: at most one parse error`);
    assert.equal(sink.afterError, 0, `iteration ${i}: nothing after the error`);
  }
  // "Never hangs": 20k small inputs take well under a second when each is linear in its size;
  // 10 s leaves room for a slow shared CI machine while still catching a quadratic or endless loop.
  assert.ok(Date.now() - started < 10_000, 'fuzz took too long');
});
