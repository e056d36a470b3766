// HTTP/1.1 request encoding.
//
// A `RequestTemplate` is compiled once per request step: everything that does not change
// (method, constant path, Host, constant headers, constant body) is encoded to bytes up front.
// A request with nothing dynamic is a single frozen `EncodedRequest` written as-is every time.
// Dynamic parts (path, header values, body) come per request in a reusable `RequestValues` and are
// written into a shared slab, so a dynamic request costs one Buffer view, not a concatenation.

import { HttpConfigError } from './errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'PATCH' | 'TRACE' | 'CONNECT';

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT'];

/** Bytes of one request as handed to a connection. */
export interface EncodedRequest {
  /** Request line, headers, the empty line and (for small bodies) the body. */
  readonly head: Buffer;
  /** A large body written separately after `head`, or null. */
  readonly body: Buffer | null;
  /** The request is a HEAD: its response has no body whatever the headers say. */
  readonly isHead: boolean;
}

/** A reusable, mutable `EncodedRequest` (pool one per request context). */
export class OutgoingRequest implements EncodedRequest {
  head: Buffer = EMPTY;
  body: Buffer | null = null;
  isHead = false;
}

export interface RequestTemplateSpec {
  method: HttpMethod;
  /** Value of the Host header: the target's authority (`host` or `host:port`). */
  authority: string;
  /** Add `Host: <authority>` (default true; false when the benchmark sets Host itself). */
  injectHost?: boolean;
  /** Constant path (with query). Omit when the path is given per request in `RequestValues.path`. */
  path?: string;
  /** Constant headers, written in this order after Host. */
  headers?: ReadonlyArray<readonly [name: string, value: string]>;
  /** Constant body. Omit when the body is given per request (or there is none). */
  body?: string | Buffer;
  /** Headers or body are added per request (`RequestValues`); false → the request may be fully pre-encoded. */
  dynamic?: boolean;
}

/**
 * Per-request dynamic parts. Reuse one instance per request context: `clear()` then fill.
 * No allocation besides the strings the caller already has.
 */
export class RequestValues {
  /** Used when the template has no constant path. */
  path = '';
  /** Body for this request (overrides a constant body when non-null). */
  body: string | Buffer | null = null;
  headerCount = 0;
  readonly headerNames: string[] = [];
  readonly headerValues: string[] = [];

  clear(): void {
    this.path = '';
    this.body = null;
    this.headerCount = 0;
  }

  addHeader(name: string, value: string): void {
    this.headerNames[this.headerCount] = name;
    this.headerValues[this.headerCount] = value;
    this.headerCount++;
  }
}

/** Bodies larger than this are written as a separate buffer instead of being copied behind the head. */
const SEPARATE_BODY_BYTES = 16 * 1024;
const SLAB_BYTES = 64 * 1024;

const EMPTY = Buffer.alloc(0);
const CRLF = Buffer.from('\r\n', 'latin1');
const CONTENT_LENGTH = Buffer.from('content-length: ', 'latin1');
const REQUEST_LINE_END = Buffer.from(' HTTP/1.1\r\n', 'latin1');

// Shared slab for dynamic requests. Regions are never reused: each encode moves `slabOffset`
// forward, and a full slab is replaced (old ones live as long as a pending write holds a view).
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabOffset = 0;

function reserve(maxBytes: number): number {
  if (slabOffset + maxBytes > slab.length) {
    slab = Buffer.allocUnsafeSlow(maxBytes > SLAB_BYTES ? maxBytes : SLAB_BYTES);
    slabOffset = 0;
  }
  return slabOffset;
}

function commit(start: number, end: number): Buffer {
  slabOffset = (end + 7) & ~7;
  return slab.subarray(start, end);
}

function writeDecimal(buf: Buffer, offset: number, value: number): number {
  if (value < 10) {
    buf[offset] = 0x30 + value;
    return offset + 1;
  }
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let i = digits - 1; i >= 0; i--) {
    buf[offset + i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return offset + digits;
}

/**
 * Encodes spaces in a path the way Hyperfoil does: `%20` before the query, `+` inside it.
 * Returns the path unchanged (no allocation) when it has no spaces.
 */
export function escapePathSpaces(path: string): string {
  const firstSpace = path.indexOf(' ');
  if (firstSpace < 0) return path;
  const query = path.indexOf('?');
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === ' ') out += query >= 0 && i > query ? '+' : '%20';
    else out += ch;
  }
  return out;
}

/**
 * What `RequestTemplate.encode` found in the dynamic parts. Anything but `ENCODE_OK` means the request must not be
 * sent: a value from a session variable or from the target would otherwise end the request line or a header early
 * and smuggle its own request (or header) onto the connection.
 */
export const ENCODE_OK = 0;
/** The path (request target) has a space, a control character or DEL. */
export const ENCODE_BAD_TARGET = 1;
/** A header name is not a token, or a header value has a control character (other than tab) or DEL. */
export const ENCODE_BAD_HEADER = 2;

export type EncodeResult = typeof ENCODE_OK | typeof ENCODE_BAD_TARGET | typeof ENCODE_BAD_HEADER;

/** Explains an `encode` result other than `ENCODE_OK` (control plane: called once per rejected request). */
export function describeEncodeResult(result: EncodeResult): string {
  return result === ENCODE_BAD_TARGET
    ? 'its path has a space, CR, LF, NUL or another control character (from a variable or a response value); it was not sent'
    : 'a header name or value has CR, LF, NUL or another control character (from a variable or a response value); it was not sent';
}

// Bytes allowed, by position: 1 = allowed. One table lookup per byte keeps the checks below a tight loop.
// Header name: tchar of RFC 9110 §5.6.2.
const TOKEN_BYTE = new Uint8Array(256);
for (const ch of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN_BYTE[ch.charCodeAt(0)] = 1;
// Header value: visible characters, space, tab and obs-text (0x80-0xff); no other control character, no DEL.
const VALUE_BYTE = new Uint8Array(256).fill(1);
for (let b = 0; b < 0x20; b++) if (b !== 0x09) VALUE_BYTE[b] = 0;
VALUE_BYTE[0x7f] = 0;
// Request target: no space, no control character, no DEL (UTF-8 bytes, 0x80-0xff, pass).
const TARGET_BYTE = new Uint8Array(256).fill(1);
for (let b = 0; b <= 0x20; b++) TARGET_BYTE[b] = 0;
TARGET_BYTE[0x7f] = 0;

/** True when every byte of `buf[from, to)` is allowed by `table`. */
function allBytesIn(table: Uint8Array, buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (table[buf[i]!] === 0) return false;
  return true;
}

/** True when `name` is a valid header name (an RFC 9110 token). Control plane: for checks at compile time. */
export function isHeaderName(name: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name);
}

function checkHeaderName(name: string): void {
  if (!isHeaderName(name)) {
    throw new HttpConfigError('HTTP_BAD_HEADER_NAME', `Header name ${JSON.stringify(name)} is not a valid HTTP token; use letters, digits and -.`);
  }
}

function checkHeaderValue(name: string, value: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new HttpConfigError('HTTP_BAD_HEADER_VALUE', `Header ${name} has a value with CR, LF or NUL characters; remove them.`);
  }
}

export class RequestTemplate {
  readonly method: HttpMethod;
  readonly isHead: boolean;
  /** The whole request when nothing is dynamic (constant path, `dynamic` not set); otherwise null. */
  readonly fixed: EncodedRequest | null;
  /** True when the path must be given per request. */
  readonly dynamicPath: boolean;

  // Dynamic path: `METHOD ` + path + ` HTTP/1.1\r\n` + fixedHeaders. Constant path: requestLine holds all of it.
  private readonly requestLine: Buffer;
  private readonly fixedHeaders: Buffer;
  private readonly constantBody: Buffer | null;

  constructor(spec: RequestTemplateSpec) {
    this.method = spec.method;
    this.isHead = spec.method === 'HEAD';
    if (!HTTP_METHODS.includes(spec.method)) {
      throw new HttpConfigError('HTTP_BAD_METHOD', `Unknown HTTP method ${JSON.stringify(spec.method)}; use one of ${HTTP_METHODS.join(', ')}.`);
    }
    let headerText = '';
    if (spec.injectHost !== false) headerText += `host: ${spec.authority}\r\n`;
    for (const [name, value] of spec.headers ?? []) {
      checkHeaderName(name);
      checkHeaderValue(name, value);
      headerText += `${name}: ${value}\r\n`;
    }
    this.fixedHeaders = Buffer.from(headerText, 'latin1');
    this.constantBody = spec.body === undefined ? null : typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : spec.body;
    this.dynamicPath = spec.path === undefined;
    if (spec.path === undefined) {
      this.requestLine = Buffer.from(`${spec.method} `, 'latin1');
      this.fixed = null;
    } else {
      const path = escapePathSpaces(spec.path);
      if (path.length === 0 || /[\r\n\0]/.test(path)) {
        throw new HttpConfigError('HTTP_BAD_PATH', `Request path ${JSON.stringify(spec.path)} is empty or has CR/LF/NUL characters.`);
      }
      this.requestLine = Buffer.concat([Buffer.from(`${spec.method} `, 'latin1'), Buffer.from(path, 'utf8'), REQUEST_LINE_END]);
      this.fixed = spec.dynamic === true ? null : this.encodeFixed();
    }
  }

  private encodeFixed(): EncodedRequest {
    const body = this.constantBody;
    const parts = [this.requestLine, this.fixedHeaders];
    if (body !== null && body.length > 0) parts.push(CONTENT_LENGTH, Buffer.from(String(body.length), 'latin1'), CRLF);
    parts.push(CRLF);
    const separate = body !== null && body.length > SEPARATE_BODY_BYTES;
    if (body !== null && body.length > 0 && !separate) parts.push(body);
    return Object.freeze({ head: Buffer.concat(parts), body: separate ? body : null, isHead: this.isHead });
  }

  /**
   * Encodes one request with its dynamic parts into `out` (head and body views of a shared slab).
   * `values.body` (when non-null) replaces the constant body; Content-Length is set when the body is not empty.
   * The dynamic path and headers are checked on the bytes just written (the check is a loop over bytes already in
   * cache, with no allocation): a result other than `ENCODE_OK` leaves `out` unchanged, and nothing may be sent.
   */
  encode(values: RequestValues, out: OutgoingRequest): EncodeResult {
    out.isHead = this.isHead;
    let path = '';
    let maxBytes = this.requestLine.length + this.fixedHeaders.length + 2;
    if (this.dynamicPath) {
      path = escapePathSpaces(values.path.length === 0 ? '/' : values.path);
      maxBytes += path.length * 3 + REQUEST_LINE_END.length;
    }
    const count = values.headerCount;
    for (let i = 0; i < count; i++) {
      maxBytes += values.headerNames[i]!.length + values.headerValues[i]!.length + 4;
    }
    let body: Buffer | null = this.constantBody;
    let bodyText: string | null = null;
    let bodyBytes = body === null ? 0 : body.length;
    const dynamicBody = values.body;
    if (dynamicBody !== null) {
      if (typeof dynamicBody === 'string') {
        bodyText = dynamicBody;
        body = null;
        bodyBytes = Buffer.byteLength(dynamicBody, 'utf8');
      } else {
        body = dynamicBody;
        bodyBytes = dynamicBody.length;
      }
    }
    const separate = body !== null && bodyBytes > SEPARATE_BODY_BYTES;
    if (bodyBytes > 0) maxBytes += CONTENT_LENGTH.length + 16 + 2;
    if (!separate) maxBytes += bodyBytes;

    const start = reserve(maxBytes);
    const buf = slab;
    let at = start;
    at += this.requestLine.copy(buf, at);
    if (this.dynamicPath) {
      const pathStart = at;
      at += buf.write(path, at, 'utf8');
      if (!allBytesIn(TARGET_BYTE, buf, pathStart, at)) return ENCODE_BAD_TARGET;
      at += REQUEST_LINE_END.copy(buf, at);
    }
    at += this.fixedHeaders.copy(buf, at);
    for (let i = 0; i < count; i++) {
      const nameStart = at;
      at += buf.write(values.headerNames[i]!, at, 'latin1');
      if (at === nameStart || !allBytesIn(TOKEN_BYTE, buf, nameStart, at)) return ENCODE_BAD_HEADER;
      buf[at++] = 0x3a; // ':'
      buf[at++] = 0x20;
      const valueStart = at;
      at += buf.write(values.headerValues[i]!, at, 'latin1');
      if (!allBytesIn(VALUE_BYTE, buf, valueStart, at)) return ENCODE_BAD_HEADER;
      buf[at++] = 0x0d;
      buf[at++] = 0x0a;
    }
    if (bodyBytes > 0) {
      at += CONTENT_LENGTH.copy(buf, at);
      at = writeDecimal(buf, at, bodyBytes);
      buf[at++] = 0x0d;
      buf[at++] = 0x0a;
    }
    buf[at++] = 0x0d;
    buf[at++] = 0x0a;
    if (bodyText !== null) at += buf.write(bodyText, at, 'utf8');
    else if (body !== null && !separate) at += body.copy(buf, at);
    out.head = commit(start, at);
    out.body = separate ? body : null;
    return ENCODE_OK;
  }
}
