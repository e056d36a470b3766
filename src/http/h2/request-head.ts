// Turns a request encoded for HTTP/1.1 (`EncodedRequest`: request line, headers, empty line, body)
// into an HTTP/2 header block, so that every request step and template works unchanged over h2.
//
// A request that never changes (a frozen `EncodedRequest` from `RequestTemplate.fixed`) is translated
// once per scheme and cached; a dynamic one is translated on each send into a reused scratch buffer.
// Connection-specific HTTP/1.1 headers are dropped (RFC 9113 §8.2.2) and names are lower-cased.

import type { EncodedRequest } from '../request-encoder.js';
import { maxFieldBytes, writeField } from './hpack-encoder.js';

/** A header block and where the body starts in `request.head`. */
export class TranslatedHead {
  block: Buffer = EMPTY;
  blockBytes = 0;
  /** Offset in `request.head` where body bytes start (= head length when the body is empty or separate). */
  bodyStart = 0;
  /** Null when the head is valid; otherwise why it cannot be sent. */
  error: string | null = null;
}

const EMPTY = Buffer.alloc(0);
const DROPPED = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

const cacheHttp = new WeakMap<EncodedRequest, TranslatedHead>();
const cacheHttps = new WeakMap<EncodedRequest, TranslatedHead>();
let scratch = Buffer.allocUnsafeSlow(16 * 1024);
const dynamicResult = new TranslatedHead();

/**
 * The header block for `request`. The result is shared: use it before the next call. `authority` is
 * used when the head has no Host header.
 */
export function translateHead(request: EncodedRequest, secure: boolean, authority: string): TranslatedHead {
  if (Object.isFrozen(request)) {
    const cache = secure ? cacheHttps : cacheHttp;
    let cached = cache.get(request);
    if (cached === undefined) {
      cached = new TranslatedHead();
      translate(request.head, secure, authority, true, cached);
      cached.block = Buffer.from(cached.block.subarray(0, cached.blockBytes));
      cache.set(request, cached);
    }
    return cached;
  }
  translate(request.head, secure, authority, false, dynamicResult);
  return dynamicResult;
}

function indexOfCrlf(head: Buffer, from: number, end: number): number {
  for (let i = from; i + 1 < end; i++) if (head[i] === 0x0d && head[i + 1] === 0x0a) return i;
  return -1;
}

// Huffman coding is worth its cost only for heads encoded once.
function translate(head: Buffer, secure: boolean, authority: string, huffman: boolean, out: TranslatedHead): void {
  out.error = null;
  const end = head.length;
  const lineEnd = indexOfCrlf(head, 0, end);
  const firstSpace = lineEnd < 0 ? -1 : head.indexOf(0x20, 0);
  const lastSpace = lineEnd < 0 ? -1 : head.lastIndexOf(0x20, lineEnd);
  if (lineEnd < 0 || firstSpace <= 0 || lastSpace <= firstSpace) {
    out.error = 'request head has no request line';
    out.blockBytes = 0;
    return;
  }
  const method = head.toString('latin1', 0, firstSpace);
  const path = head.toString('latin1', firstSpace + 1, lastSpace);
  // Find the Host header (→ :authority) and the end of the head first: pseudo-headers come first.
  let host = authority;
  let at = lineEnd + 2;
  let headersEnd = -1;
  while (at < end) {
    const e = indexOfCrlf(head, at, end);
    if (e < 0) break;
    if (e === at) {
      headersEnd = at;
      break;
    }
    if (e - at > 5 && (head[at]! | 0x20) === 0x68 && head.toString('latin1', at, at + 5).toLowerCase() === 'host:') {
      host = head.toString('latin1', at + 5, e).trim();
    }
    at = e + 2;
  }
  if (headersEnd < 0) {
    out.error = 'request head does not end with an empty line';
    out.blockBytes = 0;
    return;
  }
  out.bodyStart = headersEnd + 2;
  const need = 4 * 16 + maxFieldBytes(':path', path) + maxFieldBytes(':authority', host) + 2 * (headersEnd - lineEnd);
  if (scratch.length < need) scratch = Buffer.allocUnsafeSlow(need);
  let w = writeField(scratch, 0, ':method', method, huffman);
  w = writeField(scratch, w, ':scheme', secure ? 'https' : 'http', huffman);
  w = writeField(scratch, w, ':authority', host, huffman);
  w = writeField(scratch, w, ':path', path, huffman);
  at = lineEnd + 2;
  while (at < headersEnd) {
    const e = indexOfCrlf(head, at, headersEnd + 2);
    const colon = head.indexOf(0x3a, at);
    if (colon > at && colon < e) {
      const name = head.toString('latin1', at, colon).toLowerCase();
      if (!DROPPED.has(name)) {
        const value = head.toString('latin1', colon + 1, e).trim();
        if (name !== 'te' || value === 'trailers') w = writeField(scratch, w, name, value, huffman);
      }
    }
    at = e + 2;
  }
  out.block = scratch;
  out.blockBytes = w;
}
