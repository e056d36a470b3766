// The HTTP/2 hot path allocates nothing per request in steady state: frames read in place, a response
// head like nginx's (every field re-sent as a Huffman literal with incremental indexing) decoded from the
// decoded-string cache, a fixed request's header block taken from its cache.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { steadyStateAllocation } from '../../engine/testing/index.js';
import { RequestTemplate } from '../request-encoder.js';
import { FrameReader } from './frame-reader.js';
import { FLAG_END_HEADERS, FLAG_END_STREAM, FRAME_DATA, FRAME_HEADERS, writeFrameHeader } from './frames.js';
import { HpackDecoder } from './hpack-decoder.js';
import { writeInteger, writeString } from './hpack-encoder.js';
import { translateHead } from './request-head.js';

// nginx 1.22's response head: :status 200 indexed, then each field as a literal with incremental indexing.
function nginxHead(): Buffer {
  const out = Buffer.alloc(256);
  let at = writeInteger(out, 0, 8, 7, 0x80);
  for (const [index, value] of [[54, 'nginx/1.22.1'], [33, 'Fri, 04 Dec 2026 20:43:01 GMT'], [31, 'text/plain'], [28, '2']] as const) {
    at = writeInteger(out, at, index, 6, 0x40);
    at = writeString(out, at, value, true);
  }
  return out.subarray(0, at);
}

test('decoding 1000 nginx-like responses from frames allocates < 8 bytes per response', () => {
  const head = nginxHead();
  const responses = 1000;
  const wire = Buffer.alloc(responses * (9 + head.length + 9 + 2));
  let at = 0;
  for (let i = 0; i < responses; i++) {
    const id = 2 * i + 1;
    at = writeFrameHeader(wire, at, head.length, FRAME_HEADERS, FLAG_END_HEADERS, id);
    at += head.copy(wire, at);
    at = writeFrameHeader(wire, at, 2, FRAME_DATA, FLAG_END_STREAM, id);
    wire[at++] = 0x6f;
    wire[at++] = 0x6b;
  }
  const decoder = new HpackDecoder();
  decoder.skipUnindexedValues = true;
  let fields = 0;
  let bodyBytes = 0;
  let errors = 0;
  const sink = { onHeaderField: (): void => void fields++ };
  const reader = new FrameReader({
    onFrame(type, _flags, _streamId, buf, offset, length) {
      if (type === FRAME_HEADERS && decoder.decode(buf, offset, offset + length, sink) !== null) errors++;
      else if (type === FRAME_DATA) bodyBytes += length;
    },
    onFrameTooLarge() {
      errors++;
    },
  });
  // Cut the stream in reads of 16 KiB, as a socket would deliver it.
  const { bytes, units } = steadyStateAllocation(() => {
    for (let start = 0; start < at; start += 16_384) {
      const end = Math.min(at, start + 16_384);
      reader.execute(wire.subarray(start, end), end - start);
    }
    return responses;
  }, 8);
  assert.equal(errors, 0);
  assert.ok(fields >= responses * 5 && bodyBytes >= responses * 2);
  // The only allocations are the 16 KiB subarray views of this test (≈ 60 of them per round, < 0.1 B each per response).
  assert.ok(bytes / units < 8, `${bytes / units} bytes per response`);
});

test('a fixed request header block is translated once: no allocation per send', () => {
  const request = new RequestTemplate({ method: 'GET', authority: 'localhost:8443', path: '/items?x=1', headers: [['accept', 'application/json']] }).fixed!;
  const first = translateHead(request, true, 'localhost');
  let blockBytes = 0;
  const { bytes, units } = steadyStateAllocation(() => {
    for (let i = 0; i < 10_000; i++) blockBytes += translateHead(request, true, 'localhost').blockBytes;
    return 10_000;
  }, 1);
  assert.equal(translateHead(request, true, 'localhost'), first);
  assert.ok(blockBytes > 0);
  assert.ok(bytes / units < 1, `${bytes / units} bytes per send`);
});
