// Incremental HTTP/1.1 response parser.
//
// Bytes are fed with `execute(chunk)` as they arrive, split anywhere. Events go to a `ParserSink`
// (one object per connection, no closures). Header names/values become strings only when the
// current response asked for them (`surfaceHeaders`); body bytes are handed over as
// (buffer, offset, length) views of the received chunk, never copied.
//
// Malformed input puts the parser in a dead state and calls `sink.onParseError(reason)` once;
// nothing in here throws on bad input.

/** Receives what the parser finds. The connection implements it. */
export interface ParserSink {
  /** Status line of a final (non-1xx) response. 1xx responses other than 101 are skipped silently. */
  onResponseStatus(status: number): void;
  /** A response header, only while `parser.surfaceHeaders` is true. Name as received, value without surrounding blanks. */
  onResponseHeader(name: string, value: string): void;
  /** End of the response head (after the last header) of a final response. */
  onResponseHeadersEnd(): void;
  /** A slice of the response body (decoded from chunked framing), only while `parser.surfaceBody` is true. */
  onResponseBody(buf: Buffer, offset: number, length: number): void;
  /**
   * The response is complete. `keepAlive` is false when the connection cannot carry another response
   * (Connection: close, HTTP/1.0 without keep-alive, or a body delimited by the connection close).
   */
  onResponseComplete(keepAlive: boolean): void;
  /** The bytes are not a valid HTTP/1.x response. The parser is dead afterwards (until `reset()`). */
  onParseError(reason: string): void;
}

// Parser states.
const S_STATUS = 0; // waiting for / reading the status line
const S_HEADER = 1; // reading header lines
const S_BODY_LENGTH = 2; // Content-Length body: `remaining` bytes left
const S_CHUNK_SIZE = 3; // reading a chunk-size line
const S_CHUNK_DATA = 4; // inside chunk data: `remaining` bytes left
const S_CHUNK_END = 5; // the CRLF after chunk data
const S_TRAILER = 6; // trailer lines after the last chunk
const S_BODY_CLOSE = 7; // body delimited by connection close
const S_DEAD = 8; // after a parse error or `halt()`

// Body framing decided at the end of the head.
const BODY_NONE = 0;
const BODY_LENGTH = 1;
const BODY_CHUNKED = 2;
const BODY_CLOSE = 3;

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;

/** Largest integer we accept for Content-Length and chunk sizes (2^53 - 1). */
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

// RFC 9110 token characters (header names).
const TOKEN = new Uint8Array(256);
for (const ch of "!#$%&'*+-.^_`|~") TOKEN[ch.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;

// Hex digit values, -1 for others.
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

const NAME_CONTENT_LENGTH = bytesOf('content-length');
const NAME_TRANSFER_ENCODING = bytesOf('transfer-encoding');
const NAME_CONNECTION = bytesOf('connection');
const WORD_CHUNKED = bytesOf('chunked');
const WORD_CLOSE = bytesOf('close');
const WORD_KEEP_ALIVE = bytesOf('keep-alive');

function bytesOf(lowerAscii: string): Uint8Array {
  return Uint8Array.from(lowerAscii, (c) => c.charCodeAt(0));
}

/** Case-insensitive compare of b[s, s+word.length) with a lower-case ASCII word made of letters and '-'. */
function equalsLower(b: Buffer, s: number, e: number, word: Uint8Array): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    const c = b[s + i]!;
    // Only letters are folded; '-' must match exactly.
    const folded = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    if (folded !== word[i]) return false;
  }
  return true;
}

export interface ParserOptions {
  /** Largest accepted response head (status line + headers, or trailers) in bytes. Default 64 KiB. */
  maxHeadBytes?: number;
}

export class ResponseParser {
  /** The response being parsed answers a HEAD request: it has no body whatever its headers say. */
  headRequest = false;
  /** Surface header names/values through `onResponseHeader` (allocates strings). */
  surfaceHeaders = false;
  /** Surface body slices through `onResponseBody`. */
  surfaceBody = false;
  /** Bytes of the current response consumed so far (head, framing and body; skipped 1xx included). */
  messageBytes = 0;
  /** Size in bytes of the response last completed (valid inside and after `onResponseComplete`). */
  completedMessageBytes = 0;

  private readonly sink: ParserSink;
  private readonly maxHeadBytes: number;

  private state = S_STATUS;
  // Partial line carried over between chunks.
  private scratch: Buffer;
  private scratchLength = 0;
  private headBytes = 0;

  // Per-response fields.
  private status = 0;
  private httpMinor = 1;
  private informational = false;
  private contentLength = -1;
  private chunked = false;
  private hasTransferEncoding = false;
  private connectionClose = false;
  private connectionKeepAlive = false;
  private bodyKind = BODY_NONE;
  private remaining = 0;
  // Last surfaced header, held back until we know no obs-fold continuation line follows it.
  private pendingName: string | null = null;
  private pendingValue = '';
  // Whether the last header line was one of the framing headers (a continuation of those is refused).
  private lastHeaderWasFraming = false;

  constructor(sink: ParserSink, options: ParserOptions = {}) {
    this.sink = sink;
    this.maxHeadBytes = options.maxHeadBytes ?? 65536;
    this.scratch = Buffer.allocUnsafe(1024);
  }

  /** True between responses (nothing of a next response received yet). */
  get idle(): boolean {
    return this.state === S_STATUS && this.scratchLength === 0 && this.messageBytes === 0;
  }

  /** True while reading a body that ends when the connection closes (so EOF completes it). */
  get bodyEndsAtClose(): boolean {
    return this.state === S_BODY_CLOSE;
  }

  /** True after a parse error or `halt()`. */
  get dead(): boolean {
    return this.state === S_DEAD;
  }

  /** Forget everything (for reuse on a new connection). */
  reset(): void {
    this.state = S_STATUS;
    this.scratchLength = 0;
    this.messageBytes = 0;
    this.headRequest = false;
    this.surfaceHeaders = false;
    this.surfaceBody = false;
    this.resetMessage();
  }

  /** Stop parsing: the rest of the current chunk and any later chunk are ignored. */
  halt(): void {
    this.state = S_DEAD;
  }

  /** Feed the next received bytes: `buf[0, length)` (the whole buffer by default; no view needs to be made). */
  execute(buf: Buffer, length: number = buf.length): void {
    const end = length;
    let pos = 0;
    while (pos < end) {
      const state = this.state;
      if (state === S_BODY_LENGTH || state === S_CHUNK_DATA) {
        const available = end - pos;
        const n = available < this.remaining ? available : this.remaining;
        this.remaining -= n;
        this.messageBytes += n;
        if (this.surfaceBody) this.sink.onResponseBody(buf, pos, n);
        pos += n;
        if (this.remaining === 0) {
          if (state === S_BODY_LENGTH) this.complete();
          else this.state = S_CHUNK_END;
        }
        continue;
      }
      if (state === S_BODY_CLOSE) {
        const n = end - pos;
        this.messageBytes += n;
        if (this.surfaceBody) this.sink.onResponseBody(buf, pos, n);
        return;
      }
      if (state === S_DEAD) return;

      if (state === S_HEADER && this.scratchLength === 0) {
        // Fast path for a header line that is whole in this chunk: one pass finds the colon (checking
        // the name's characters), the LF, and any NUL/CR in the value. Unusual lines (empty, folded,
        // invalid) go through the general `headerLine`, which re-checks and reports.
        let i = pos;
        let colon = -1;
        let badName = false;
        let badValue = 0;
        for (; i < end; i++) {
          const ch = buf[i]!;
          if (ch === LF) break;
          if (colon < 0) {
            if (ch === 0x3a) colon = i;
            else if (TOKEN[ch] !== 1) badName = true;
          } else if (ch === 0 || ch === CR) {
            badValue++;
          }
        }
        if (i < end) {
          const lineStart = pos;
          let lineEnd = i;
          this.messageBytes += i + 1 - pos;
          pos = i + 1;
          if (this.headLimitExceeded(pos - lineStart)) return;
          if (lineEnd > lineStart && buf[lineEnd - 1] === CR) {
            lineEnd--;
            if (colon >= 0 && colon < lineEnd) badValue--;
          }
          if (badName || badValue > 0 || colon <= lineStart) {
            this.headerLine(buf, lineStart, lineEnd);
          } else {
            let vs = colon + 1;
            let ve = lineEnd;
            while (vs < ve && (buf[vs] === SP || buf[vs] === HT)) vs++;
            while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
            this.headerField(buf, lineStart, colon, vs, ve);
          }
          continue;
        }
        // No LF in this chunk: the general path below carries the partial line over.
      }

      // Line-oriented states: find the end of the line. Lines are short: a byte loop beats
      // Buffer#indexOf, whose per-call overhead dominates at this size.
      let nl = pos;
      while (nl < end && buf[nl] !== LF) nl++;
      if (nl === end) {
        this.messageBytes += end - pos;
        this.carry(buf, pos, end);
        return;
      }
      this.messageBytes += nl + 1 - pos;
      if (this.scratchLength > 0) {
        if (!this.carry(buf, pos, nl + 1)) return;
        const s = this.scratch;
        const len = this.scratchLength - 1; // without the LF
        this.scratchLength = 0;
        pos = nl + 1;
        this.line(s, 0, len > 0 && s[len - 1] === CR ? len - 1 : len);
      } else {
        if (this.headLimitExceeded(nl + 1 - pos)) return;
        const lineEnd = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
        const lineStart = pos;
        pos = nl + 1;
        this.line(buf, lineStart, lineEnd);
      }
    }
  }

  /**
   * The connection reached end of stream. Completes a body delimited by the close; any other
   * partial response is a parse error ("incomplete"). Returns true when a response was completed.
   */
  finish(): boolean {
    if (this.state === S_BODY_CLOSE) {
      this.complete();
      return true;
    }
    if (this.state !== S_DEAD && !this.idle) {
      this.fail('connection closed before the response was complete');
    }
    return false;
  }

  // Appends buf[s, e) to the partial line. Returns false (after failing) when it grows too large.
  private carry(buf: Buffer, s: number, e: number): boolean {
    const n = e - s;
    if (this.headLimitExceeded(n)) return false;
    const needed = this.scratchLength + n;
    if (needed > this.scratch.length) {
      let size = this.scratch.length * 2;
      while (size < needed) size *= 2;
      const bigger = Buffer.allocUnsafe(size);
      this.scratch.copy(bigger, 0, 0, this.scratchLength);
      this.scratch = bigger;
    }
    buf.copy(this.scratch, this.scratchLength, s, e);
    this.scratchLength = needed;
    return true;
  }

  // Counts bytes of head/trailer lines against the limit; chunk-size lines are short and counted too.
  private headLimitExceeded(n: number): boolean {
    this.headBytes += n;
    if (this.headBytes > this.maxHeadBytes) {
      this.fail(`response head larger than ${this.maxHeadBytes} bytes`);
      return true;
    }
    return false;
  }

  private line(b: Buffer, s: number, e: number): void {
    switch (this.state) {
      case S_STATUS:
        this.statusLine(b, s, e);
        return;
      case S_HEADER:
        this.headerLine(b, s, e);
        return;
      case S_CHUNK_SIZE:
        this.chunkSizeLine(b, s, e);
        return;
      case S_CHUNK_END:
        if (e !== s) {
          this.fail('chunk data not followed by CRLF');
          return;
        }
        this.headBytes = 0;
        this.state = S_CHUNK_SIZE;
        return;
      case S_TRAILER:
        if (e === s) this.complete();
        else if (!this.validHeaderLine(b, s, e)) this.fail('invalid trailer line');
        return;
      default:
        return;
    }
  }

  private statusLine(b: Buffer, s: number, e: number): void {
    // Tolerate empty lines between responses (RFC 9112 §2.2 allows ignoring leading CRLF).
    if (e === s) {
      this.messageBytes = 0;
      this.headBytes = 0;
      return;
    }
    // "HTTP/1.x SSS[ reason]"
    if (
      e - s < 12 ||
      b[s] !== 0x48 || b[s + 1] !== 0x54 || b[s + 2] !== 0x54 || b[s + 3] !== 0x50 ||
      b[s + 4] !== 0x2f || b[s + 5] !== 0x31 || b[s + 6] !== 0x2e || b[s + 8] !== SP
    ) {
      this.fail('invalid status line');
      return;
    }
    const minor = b[s + 7]! - 0x30;
    const d0 = b[s + 9]! - 0x30;
    const d1 = b[s + 10]! - 0x30;
    const d2 = b[s + 11]! - 0x30;
    if (
      minor < 0 || minor > 9 || d0 < 1 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 ||
      (e - s > 12 && b[s + 12] !== SP)
    ) {
      this.fail('invalid status line');
      return;
    }
    for (let i = s + 13; i < e; i++) {
      const c = b[i]!;
      if ((c < SP && c !== HT) || c === 0x7f) {
        this.fail('invalid character in reason phrase');
        return;
      }
    }
    const status = d0 * 100 + d1 * 10 + d2;
    if (status === 101) {
      this.fail('unexpected 101 Switching Protocols (no upgrade was requested)');
      return;
    }
    this.status = status;
    this.httpMinor = minor;
    this.informational = status < 200;
    this.state = S_HEADER;
    if (!this.informational) this.sink.onResponseStatus(status);
  }

  private headerLine(b: Buffer, s: number, e: number): void {
    if (e === s) {
      this.headersEnd();
      return;
    }
    const first = b[s]!;
    if (first === SP || first === HT) {
      // obs-fold: continuation of the previous header value (RFC 9112 §5.2: replace with SP).
      if (this.lastHeaderWasFraming) {
        this.fail('folded framing header');
        return;
      }
      if (this.pendingName !== null) {
        let vs = s;
        let ve = e;
        while (vs < ve && (b[vs] === SP || b[vs] === HT)) vs++;
        while (ve > vs && (b[ve - 1] === SP || b[ve - 1] === HT)) ve--;
        if (ve > vs) this.pendingValue = this.pendingValue + ' ' + b.toString('latin1', vs, ve);
      }
      return;
    }
    let colon = -1;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (c === 0x3a) {
        colon = i;
        break;
      }
      if (TOKEN[c] !== 1) {
        this.fail('invalid character in header name');
        return;
      }
    }
    if (colon <= s) {
      this.fail(colon === s ? 'empty header name' : 'header line without colon');
      return;
    }
    let vs = colon + 1;
    let ve = e;
    while (vs < ve && (b[vs] === SP || b[vs] === HT)) vs++;
    while (ve > vs && (b[ve - 1] === SP || b[ve - 1] === HT)) ve--;
    for (let i = vs; i < ve; i++) {
      const c = b[i]!;
      if (c === 0 || c === CR || c === LF) {
        this.fail('invalid character in header value');
        return;
      }
    }

    this.headerField(b, s, colon, vs, ve);
  }

  // A validated header: name b[s, colon), trimmed value b[vs, ve).
  private headerField(b: Buffer, s: number, colon: number, vs: number, ve: number): void {
    this.lastHeaderWasFraming = false;
    if (!this.informational) {
      const nameLength = colon - s;
      if (nameLength === 14 && equalsLower(b, s, colon, NAME_CONTENT_LENGTH)) {
        this.lastHeaderWasFraming = true;
        if (!this.contentLengthValue(b, vs, ve)) return;
      } else if (nameLength === 17 && equalsLower(b, s, colon, NAME_TRANSFER_ENCODING)) {
        this.lastHeaderWasFraming = true;
        this.hasTransferEncoding = true;
        this.chunked = lastTokenIs(b, vs, ve, WORD_CHUNKED);
      } else if (nameLength === 10 && equalsLower(b, s, colon, NAME_CONNECTION)) {
        this.connectionTokens(b, vs, ve);
      }
      if (this.surfaceHeaders) {
        this.flushPendingHeader();
        this.pendingName = b.toString('latin1', s, colon);
        this.pendingValue = b.toString('latin1', vs, ve);
      }
    }
  }

  private contentLengthValue(b: Buffer, vs: number, ve: number): boolean {
    if (ve === vs) {
      this.fail('empty Content-Length');
      return false;
    }
    let value = 0;
    for (let i = vs; i < ve; i++) {
      const d = b[i]! - 0x30;
      if (d < 0 || d > 9) {
        this.fail('invalid Content-Length');
        return false;
      }
      value = value * 10 + d;
      if (value > MAX_SIZE) {
        this.fail('Content-Length too large');
        return false;
      }
    }
    if (this.contentLength >= 0 && this.contentLength !== value) {
      this.fail('conflicting Content-Length headers');
      return false;
    }
    this.contentLength = value;
    return true;
  }

  private connectionTokens(b: Buffer, vs: number, ve: number): void {
    let ts = vs;
    for (let i = vs; i <= ve; i++) {
      if (i === ve || b[i] === 0x2c) {
        if (equalsLowerTrimmed(b, ts, i, WORD_CLOSE)) this.connectionClose = true;
        else if (equalsLowerTrimmed(b, ts, i, WORD_KEEP_ALIVE)) this.connectionKeepAlive = true;
        ts = i + 1;
      }
    }
  }

  private validHeaderLine(b: Buffer, s: number, e: number): boolean {
    const first = b[s]!;
    if (first === SP || first === HT) return true;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (c === 0x3a) return i > s;
      if (TOKEN[c] !== 1) return false;
    }
    return false;
  }

  private flushPendingHeader(): void {
    const name = this.pendingName;
    if (name !== null) {
      this.pendingName = null;
      const value = this.pendingValue;
      this.pendingValue = '';
      this.sink.onResponseHeader(name, value);
    }
  }

  private headersEnd(): void {
    this.headBytes = 0;
    if (this.informational) {
      // Skip 1xx (100 Continue, 102, 103 Early Hints): the final response follows.
      this.resetMessageFraming();
      this.state = S_STATUS;
      return;
    }
    this.flushPendingHeader();
    const status = this.status;
    if (this.headRequest || status === 204 || status === 304) {
      this.bodyKind = BODY_NONE;
    } else if (this.hasTransferEncoding) {
      // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; a final coding other than
      // chunked means the body runs until the connection closes.
      this.bodyKind = this.chunked ? BODY_CHUNKED : BODY_CLOSE;
    } else if (this.contentLength >= 0) {
      this.bodyKind = BODY_LENGTH;
    } else {
      this.bodyKind = BODY_CLOSE;
    }
    this.sink.onResponseHeadersEnd();
    if (this.state === S_DEAD) return; // the sink halted us
    switch (this.bodyKind) {
      case BODY_NONE:
        this.complete();
        return;
      case BODY_LENGTH:
        if (this.contentLength === 0) {
          this.complete();
        } else {
          this.remaining = this.contentLength;
          this.state = S_BODY_LENGTH;
        }
        return;
      case BODY_CHUNKED:
        this.state = S_CHUNK_SIZE;
        return;
      default:
        this.state = S_BODY_CLOSE;
        return;
    }
  }

  private chunkSizeLine(b: Buffer, s: number, e: number): void {
    let size = 0;
    let i = s;
    for (; i < e; i++) {
      const v = HEX[b[i]!]!;
      if (v < 0) break;
      size = size * 16 + v;
      if (size > MAX_SIZE) {
        this.fail('chunk size too large');
        return;
      }
    }
    if (i === s) {
      this.fail('invalid chunk size');
      return;
    }
    // Optional blanks, then chunk extensions (";name[=value]") which we ignore, or nothing.
    while (i < e && (b[i] === SP || b[i] === HT)) i++;
    if (i < e && b[i] !== 0x3b) {
      this.fail('invalid chunk size line');
      return;
    }
    this.headBytes = 0;
    if (size === 0) {
      this.state = S_TRAILER;
    } else {
      this.remaining = size;
      this.state = S_CHUNK_DATA;
    }
  }

  private complete(): void {
    const keepAlive =
      this.bodyKind !== BODY_CLOSE &&
      (this.httpMinor >= 1 ? !this.connectionClose : this.connectionKeepAlive && !this.connectionClose);
    this.completedMessageBytes = this.messageBytes;
    this.resetMessage();
    this.state = S_STATUS;
    this.sink.onResponseComplete(keepAlive);
  }

  private fail(reason: string): void {
    if (this.state === S_DEAD) return;
    this.state = S_DEAD;
    this.scratchLength = 0;
    this.pendingName = null;
    this.sink.onParseError(reason);
  }

  private resetMessage(): void {
    this.messageBytes = 0;
    this.headBytes = 0;
    this.status = 0;
    this.httpMinor = 1;
    this.informational = false;
    this.bodyKind = BODY_NONE;
    this.remaining = 0;
    this.resetMessageFraming();
  }

  private resetMessageFraming(): void {
    this.contentLength = -1;
    this.chunked = false;
    this.hasTransferEncoding = false;
    this.connectionClose = false;
    this.connectionKeepAlive = false;
    this.pendingName = null;
    this.pendingValue = '';
    this.lastHeaderWasFraming = false;
  }
}

/** Like `equalsLower` after removing blanks around b[s, e). */
function equalsLowerTrimmed(b: Buffer, s: number, e: number, word: Uint8Array): boolean {
  while (s < e && (b[s] === SP || b[s] === HT)) s++;
  while (e > s && (b[e - 1] === SP || b[e - 1] === HT)) e--;
  return equalsLower(b, s, e, word);
}

/** True when the last comma-separated token of b[vs, ve) equals `word` (case-insensitive). */
function lastTokenIs(b: Buffer, vs: number, ve: number, word: Uint8Array): boolean {
  let ts = vs;
  for (let i = ve - 1; i >= vs; i--) {
    if (b[i] === 0x2c) {
      ts = i + 1;
      break;
    }
  }
  return equalsLowerTrimmed(b, ts, ve, word);
}
