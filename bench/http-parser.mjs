#!/usr/bin/env node
// Micro-benchmark of the HTTP/1.1 response parser alone: typical small responses parsed from one
// buffer (as pipelined responses arrive), with and without surfacing headers and body.
// Build first: `npx tsc -p .`   Run: `node bench/http-parser.mjs` (about 3 s, one core).
import { ResponseParser } from '../dist/src/http/index.js';

const response = Buffer.from(
  'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Type: application/json\r\n' +
  'Content-Length: 27\r\nConnection: keep-alive\r\nCache-Control: no-cache\r\n\r\n{"id":1,"name":"hyperfoil"}',
);
const chunked = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
);
const PER_BUFFER = 64;

function run(label, single, surface, rounds) {
  const batch = Buffer.concat(Array(PER_BUFFER).fill(single));
  let completed = 0;
  let bytes = 0;
  const sink = {
    onResponseStatus() {
      parser.surfaceHeaders = surface;
      parser.surfaceBody = surface;
    },
    onResponseHeader(name, value) { bytes += name.length + value.length; },
    onResponseHeadersEnd() {},
    onResponseBody(_b, _o, length) { bytes += length; },
    onResponseComplete() { completed++; },
    onParseError(reason) { throw new Error(reason); },
  };
  const parser = new ResponseParser(sink);
  for (let i = 0; i < rounds / 10; i++) parser.execute(batch); // warm-up
  completed = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) parser.execute(batch);
  const ns = Number(process.hrtime.bigint() - t0);
  console.log(`${label.padEnd(44)} ${(ns / completed).toFixed(0).padStart(5)} ns/response  ${((completed / ns) * 1e9 / 1e6).toFixed(2)} M responses/s`);
}

run('content-length, headers/body not surfaced', response, false, 20_000);
run('content-length, headers and body surfaced', response, true, 20_000);
run('chunked, not surfaced', chunked, false, 20_000);
run('chunked, surfaced', chunked, true, 20_000);
