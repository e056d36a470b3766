// One HTTP/1.1 connection over a TCP or TLS socket: keep-alive, pipelining (a FIFO of in-flight
// requests), a timeout per request, TLS handshake timeout. Reconnection is the pool's business.
//
// Hot path: reads land in one read buffer shared by every connection of the thread (`onread`), the
// parser works on it in place, in-flight requests live in preallocated ring arrays, and timeouts use
// one lazily re-armed timer per connection instead of a timer per request.

import net from 'node:net';
import tls from 'node:tls';
import { nowMs, nowNs } from './clock.js';
import type { EncodedRequest } from './request-encoder.js';
import type { FailureKind, HttpConnection, ResponseHandler } from './handler.js';
import { ResponseParser, type ParserSink } from './parser.js';
import { openSocket } from './open-socket.js';
import type { ConnectionPoolStats } from './stats.js';
import type { PooledConnection } from './pooled-connection.js';

/** Where and how to connect. */
export interface ConnectTarget {
  /** Address to connect to (host name or IP; from `addresses` when set). */
  host: string;
  port: number;
  secure: boolean;
  /** TLS server name (SNI and certificate check): the benchmark's host. Ignored when it is an IP literal. */
  servername: string;
  /** PEM material; `ca` given → the server certificate is verified, otherwise it is not. */
  tls?: TlsMaterial | undefined;
  /** TCP connect timeout; <= 0 for none. */
  connectTimeoutMs: number;
  /** TLS handshake timeout (`sslHandshakeTimeout`); <= 0 for none. */
  tlsHandshakeTimeoutMs: number;
}

export interface TlsMaterial {
  /** Trusted CA/server certificates (PEM). When present, server certificates are verified. */
  ca?: string | Buffer | undefined;
  /** Client certificate chain (PEM), with `key`. */
  cert?: string | Buffer | undefined;
  /** Client private key (PEM), with `cert`. */
  key?: string | Buffer | undefined;
  /** Client key and certificate chain as a PKCS#12 store (`keyManager.storeFile`), opened with `passphrase`. */
  pfx?: Buffer | undefined;
  passphrase?: string | undefined;
}

/** Life-cycle events of a connection, delivered to its pool. */
export interface ConnectionLifecycle {
  /** Connected (and TLS handshake done): the connection accepts requests. */
  onConnectionReady(connection: PooledConnection): void;
  /** The connection never became ready. */
  onConnectionFailed(connection: PooledConnection, kind: FailureKind, error: Error): void;
  /** A ready connection is closed (every in-flight request has already been failed). */
  onConnectionClosed(connection: PooledConnection): void;
}

/** Gets a request slot back when a response completes on a reusable connection (the pool or a session pool). */
export interface SlotOwner {
  onSlotFreed(connection: PooledConnection): void;
}

export interface ConnectionOptions {
  pipeliningLimit: number;
  maxHeadBytes?: number;
  /** A TLS socket whose handshake chose http/1.1 by ALPN (handed over by an HTTP/2 connection attempt, which forwards its reads to `onRead`). */
  socket?: tls.TLSSocket;
}

const ST_CONNECTING = 0;
const ST_OPEN = 1;
const ST_CLOSING = 2; // no new requests (server said close); finishing the current response
const ST_CLOSED = 3;

// All connections of a thread read into this buffer: a read is parsed completely before the next
// one can happen, so sharing is safe as long as nobody keeps views of it (documented for handlers).
const READ_BUFFER_BYTES = 64 * 1024;
let sharedReadBuffer: Buffer | null = null;
export function readBuffer(): Buffer {
  if (sharedReadBuffer === null) sharedReadBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  return sharedReadBuffer;
}

export function failLater(handler: ResponseHandler, error: Error): void {
  handler.onFailure('closed', error);
}

/** The request that takes a desynchronised connection fails as `parse` (an internal error); the connection closes. */
function failDesynchronised(connection: Http1Connection, handler: ResponseHandler, error: Error): void {
  connection.close();
  handler.onFailure('parse', error);
}

export class Http1Connection implements HttpConnection, ParserSink {
  readonly secure: boolean;
  readonly pipeliningLimit: number;
  /** The address this connection goes to (`host:port`). */
  readonly remote: string;
  /** Receives freed request slots; the pool, or a session-local pool that holds this connection. */
  owner: SlotOwner;
  /** Request slots handed out by `acquire` and not yet used by `send`/`release`. */
  reserved = 0;
  /** `nowMs()` of the last request sent or response completed. */
  lastUsedMs: number;

  // Pool bookkeeping (intrusive list membership and address index), owned by pool.ts.
  listPrev: PooledConnection | null = null;
  listNext: PooledConnection | null = null;
  listId = 0;
  addressIndex = 0;

  private readonly lifecycle: ConnectionLifecycle;
  private readonly stats: ConnectionPoolStats;
  private readonly socket: net.Socket;
  private readonly parser: ResponseParser;
  private state = ST_CONNECTING;
  private tcpConnected = false;
  private connectTimer: NodeJS.Timeout | null = null;
  private readonly tlsHandshakeTimeoutMs: number;

  // In-flight requests: a ring of `pipeliningLimit` entries starting at `first`.
  private readonly handlers: (ResponseHandler | null)[];
  private readonly headRequests: Uint8Array;
  private readonly deadlinesMs: Float64Array;
  private first = 0;
  private count = 0;

  private timeoutTimer: NodeJS.Timeout | null = null;
  private timeoutTimerAtMs = Infinity;
  /** Time of the read being parsed (all responses in one read share it). */
  private readAtNs = 0;
  /** Handler of the response being parsed (set at its status line). */
  private current: ResponseHandler | null = null;
  /** `closeAfterResponse()` was called. */
  private closeRequested = false;
  /**
   * The server sent a response while no request was in flight (before the first request, or one more response
   * than requests): nothing more it sends can be matched to a request. Set, the connection reads nothing more and
   * the next request that takes it fails with this error without being written (it is the request the stray
   * response would otherwise have been attributed to), then the connection closes.
   */
  private desynchronised: Error | null = null;

  constructor(target: ConnectTarget, lifecycle: ConnectionLifecycle, owner: SlotOwner, stats: ConnectionPoolStats, options: ConnectionOptions) {
    this.secure = target.secure;
    this.pipeliningLimit = Math.max(1, options.pipeliningLimit | 0);
    this.remote = `${target.host}:${target.port}`;
    this.lifecycle = lifecycle;
    this.owner = owner;
    this.stats = stats;
    this.lastUsedMs = nowMs();
    this.handlers = new Array<ResponseHandler | null>(this.pipeliningLimit).fill(null);
    this.headRequests = new Uint8Array(this.pipeliningLimit);
    this.deadlinesMs = new Float64Array(this.pipeliningLimit);
    this.parser = new ResponseParser(this, options.maxHeadBytes === undefined ? {} : { maxHeadBytes: options.maxHeadBytes });

    const onread: net.OnReadOpts = { buffer: readBuffer, callback: this.onRead };
    if (options.socket !== undefined) {
      // Already connected and secured; `onread` is fixed at connect time, so whoever opened the socket
      // forwards its reads to `onRead`.
      this.socket = options.socket;
      this.tcpConnected = true;
      process.nextTick(() => this.becomeReady());
    } else {
      this.socket = openSocket(target, ['http/1.1'], onread);
      if (target.secure) this.socket.on('secureConnect', this.onSecureConnect);
    }
    this.socket.setNoDelay(true);
    this.socket.on('connect', this.onTcpConnect);
    this.socket.on('end', this.onEnd);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
    this.tlsHandshakeTimeoutMs = target.tlsHandshakeTimeoutMs;
    if (target.connectTimeoutMs > 0) this.startConnectTimer(target.connectTimeoutMs);
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.count;
  }

  /** Request slots in use (in flight + reserved). */
  get busy(): number {
    return this.count + this.reserved;
  }

  /** Open and accepting requests. */
  get isOpen(): boolean {
    return this.state === ST_OPEN;
  }

  get isClosed(): boolean {
    return this.state === ST_CLOSED;
  }

  /**
   * Sends a request on a slot reserved by `acquire`. Returns the send time (`nowNs()`, taken just
   * before the bytes are handed to the socket). The handler later gets exactly one of `onComplete`
   * or `onFailure`, never synchronously inside `send`. `timeoutMs` <= 0 means no timeout.
   */
  send(request: EncodedRequest, handler: ResponseHandler, timeoutMs: number): number {
    if (this.reserved > 0) this.reserved--;
    const sentAtNs = nowNs();
    if (this.desynchronised !== null && this.state === ST_OPEN) {
      this.state = ST_CLOSING;
      process.nextTick(failDesynchronised, this, handler, this.desynchronised);
      return sentAtNs;
    }
    if (this.state !== ST_OPEN || this.count >= this.pipeliningLimit) {
      const reason = this.state === ST_OPEN ? 'pipelining limit exceeded (send without acquire?)' : 'connection closed before the request was sent';
      process.nextTick(failLater, handler, new Error(`${reason} (${this.remote})`));
      return sentAtNs;
    }
    const nowMsValue = sentAtNs / 1e6;
    let slot = this.first + this.count;
    if (slot >= this.pipeliningLimit) slot -= this.pipeliningLimit;
    this.handlers[slot] = handler;
    this.headRequests[slot] = request.isHead ? 1 : 0;
    const deadline = timeoutMs > 0 ? nowMsValue + timeoutMs : Infinity;
    this.deadlinesMs[slot] = deadline;
    if (this.count++ === 0) this.stats.usedConnections.increment();
    this.stats.inFlight.increment();
    this.lastUsedMs = nowMsValue;
    const body = request.body;
    if (body === null) {
      this.socket.write(request.head);
    } else {
      this.socket.cork();
      this.socket.write(request.head);
      this.socket.write(body);
      this.socket.uncork();
    }
    if (deadline < this.timeoutTimerAtMs) this.armTimeoutTimer(deadline, nowMsValue);
    return sentAtNs;
  }

  /** Gives back a slot reserved by `acquire` without sending anything. */
  release(): void {
    if (this.reserved > 0) this.reserved--;
    if (this.state === ST_OPEN) this.owner.onSlotFreed(this);
  }

  /**
   * Do not reuse this connection after the response being received (Hyperfoil's `closeConnection`
   * handler): it is closed once that response completes; requests pipelined behind it fail as `closed`.
   * Call it from a handler callback of that response.
   */
  closeAfterResponse(): void {
    if (this.state === ST_OPEN) this.closeRequested = true;
  }

  /** Closes the connection; in-flight requests fail with `closed`. */
  close(): void {
    this.terminate('closed', new Error(`connection to ${this.remote} closed by the client`));
  }

  // ---- socket events ----

  private readonly onTcpConnect = (): void => {
    this.tcpConnected = true;
    if (!this.secure) {
      this.becomeReady();
    } else {
      // TCP is up: from now on the TLS handshake timeout applies instead of the connect timeout.
      this.clearConnectTimer();
      if (this.tlsHandshakeTimeoutMs > 0 && this.state === ST_CONNECTING) this.startConnectTimer(this.tlsHandshakeTimeoutMs);
    }
  };

  private readonly onSecureConnect = (): void => {
    this.becomeReady();
  };

  private becomeReady(): void {
    if (this.state !== ST_CONNECTING) return;
    this.clearConnectTimer();
    this.state = ST_OPEN;
    this.lastUsedMs = nowMs();
    this.lifecycle.onConnectionReady(this);
  }

  /** Socket reads (the `onread` callback; public for sockets handed over, see ConnectionOptions.socket). */
  readonly onRead = (length: number, buf: Buffer): boolean => {
    if (this.state === ST_CLOSED || this.desynchronised !== null) return true;
    if (this.count === 0 && this.state === ST_OPEN) {
      // Bytes with no request in flight: a response nobody asked for.
      this.desynchronise();
      return true;
    }
    this.readAtNs = nowNs();
    const corked = this.pipeliningLimit > 1;
    if (corked) this.socket.cork();
    try {
      this.parser.execute(buf, length);
    } catch (error) {
      this.handlerThrew(error);
    }
    if (corked) this.socket.uncork();
    return true;
  };

  private readonly onEnd = (): void => {
    if (this.state === ST_CLOSED) return;
    if (this.state === ST_CONNECTING) {
      this.connectFailed(this.tcpConnected && this.secure ? 'tls' : 'connect', new Error(`connection to ${this.remote} closed during connect`));
      return;
    }
    if (this.count > 0 && this.parser.bodyEndsAtClose) {
      // A body delimited by the close completes here (then the connection terminates itself).
      this.readAtNs = nowNs();
      try {
        this.parser.finish();
      } catch (error) {
        this.handlerThrew(error);
      }
    }
    // Anything else in flight (nothing received, or a truncated response) was cut off by the peer.
    this.terminate('reset', new Error(`connection closed by ${this.remote}`));
  };

  private readonly onError = (error: Error): void => {
    if (this.state === ST_CLOSED) return;
    if (this.state === ST_CONNECTING) {
      this.connectFailed(this.tcpConnected && this.secure ? 'tls' : 'connect', error);
      return;
    }
    this.terminate('reset', error);
  };

  private readonly onClose = (): void => {
    if (this.state === ST_CLOSED) return;
    if (this.state === ST_CONNECTING) {
      this.connectFailed(this.tcpConnected && this.secure ? 'tls' : 'connect', new Error(`connection to ${this.remote} closed during connect`));
      return;
    }
    this.terminate('reset', new Error(`connection to ${this.remote} closed`));
  };

  // ---- parser events ----

  onResponseStatus(status: number): void {
    if (this.count === 0) {
      // One more response than requests, in the read that completed the last one.
      this.desynchronise();
      return;
    }
    const handler = this.handlers[this.first]!;
    this.current = handler;
    const parser = this.parser;
    parser.headRequest = this.headRequests[this.first] === 1;
    parser.surfaceHeaders = handler.wantsHeaders;
    parser.surfaceBody = handler.wantsBody;
    handler.onStatus(status, this.readAtNs);
  }

  onResponseHeader(name: string, value: string): void {
    this.current?.onHeader(name, value);
  }

  onResponseHeadersEnd(): void {
    this.current?.onHeadersEnd();
  }

  onResponseBody(buf: Buffer, offset: number, length: number): void {
    const handler = this.current;
    if (handler !== null && handler.wantsBody) handler.onBodyPart(buf, offset, length);
  }

  onResponseComplete(keepAlive: boolean): void {
    const handler = this.current!;
    this.current = null;
    const receivedBytes = this.parser.completedMessageBytes;
    this.popFirst();
    this.lastUsedMs = this.readAtNs / 1e6;
    if (!keepAlive || this.closeRequested) {
      // Nothing more may be read from this connection: stop here, fail whatever is behind.
      this.state = ST_CLOSING;
      this.parser.halt();
      handler.onComplete(this.readAtNs, receivedBytes);
      if (keepAlive) this.terminate('closed', new Error(`connection to ${this.remote} closed after a response, as a handler asked`));
      else this.terminate('reset', new Error(`${this.remote} closed the connection after a response (Connection: close)`));
      return;
    }
    // Free the slot first so that the completing session finds a connection at once.
    if (this.state === ST_OPEN) this.owner.onSlotFreed(this);
    handler.onComplete(this.readAtNs, receivedBytes);
  }

  onParseError(reason: string): void {
    this.protocolError(reason);
  }

  // ---- internals ----

  private desynchronise(): void {
    this.parser.halt();
    this.current = null;
    this.desynchronised = new Error(`${this.remote} sent a response with no request in flight (before any request, `
      + 'or one response more than requests); the connection was closed');
  }

  private protocolError(reason: string): void {
    this.parser.halt();
    const error = new Error(`invalid HTTP response from ${this.remote}: ${reason}`);
    // The response being parsed (if any) is the head of the FIFO; it fails as `parse`, the rest as `closed`.
    this.current = null;
    if (this.count > 0) {
      const handler = this.popFirst();
      this.terminate('closed', new Error(`connection to ${this.remote} closed after an invalid response`));
      safeFailure(handler, 'parse', error);
    } else {
      this.terminate('closed', error);
    }
  }

  private handlerThrew(thrown: unknown): void {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    this.parser.halt();
    const handler = this.current;
    this.current = null;
    // Fail the request whose handler threw (if it is still in flight), the others as `closed`.
    if (handler !== null && this.count > 0 && this.handlers[this.first] === handler) {
      this.popFirst();
      this.terminate('closed', new Error(`connection to ${this.remote} closed after a handler error`));
      safeFailure(handler, 'handler', error);
    } else {
      this.terminate('closed', new Error(`connection to ${this.remote} closed after a handler error: ${error.message}`));
    }
  }

  private popFirst(): ResponseHandler {
    const i = this.first;
    const handler = this.handlers[i]!;
    this.handlers[i] = null;
    this.first = i + 1 === this.pipeliningLimit ? 0 : i + 1;
    if (--this.count === 0) this.stats.usedConnections.decrement();
    this.stats.inFlight.decrement();
    return handler;
  }

  /** Closes the socket and fails every in-flight request with `kind` (timeouts take precedence per request). */
  private terminate(kind: FailureKind, error: Error, timeoutAtMs = -1): void {
    const wasOpen = this.state === ST_OPEN || this.state === ST_CLOSING;
    if (this.state === ST_CLOSED) return;
    if (this.state === ST_CONNECTING) {
      this.connectFailed(kind, error);
      return;
    }
    this.state = ST_CLOSED;
    this.parser.halt();
    this.clearConnectTimer();
    if (this.timeoutTimer !== null) {
      clearTimeout(this.timeoutTimer);
      this.timeoutTimer = null;
      this.timeoutTimerAtMs = Infinity;
    }
    this.socket.destroy();
    // Collect first, then call out: handlers may re-enter the pool.
    while (this.count > 0) {
      const deadline = this.deadlinesMs[this.first]!;
      const handler = this.popFirst();
      if (timeoutAtMs >= 0 && deadline <= timeoutAtMs) {
        safeFailure(handler, 'timeout', new Error(`request to ${this.remote} timed out`));
      } else {
        safeFailure(handler, kind, error);
      }
    }
    if (wasOpen) this.lifecycle.onConnectionClosed(this);
  }

  private connectFailed(kind: FailureKind, error: Error): void {
    if (this.state !== ST_CONNECTING) return;
    this.state = ST_CLOSED;
    this.clearConnectTimer();
    this.socket.destroy();
    this.lifecycle.onConnectionFailed(this, kind, error);
  }

  private startConnectTimer(timeoutMs: number): void {
    this.connectTimer = setTimeout(this.onConnectTimeout, timeoutMs);
    this.connectTimer.unref();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) {
      clearTimeout(this.connectTimer);
      this.connectTimer = null;
    }
  }

  private readonly onConnectTimeout = (): void => {
    this.connectTimer = null;
    if (this.state !== ST_CONNECTING) return;
    if (this.tcpConnected && this.secure) this.connectFailed('tls', new Error(`TLS handshake with ${this.remote} timed out`));
    else this.connectFailed('connect', new Error(`connecting to ${this.remote} timed out`));
  };

  private armTimeoutTimer(deadlineMs: number, nowMsValue: number): void {
    if (this.timeoutTimer !== null) clearTimeout(this.timeoutTimer);
    this.timeoutTimerAtMs = deadlineMs;
    const delayMs = Math.max(1, Math.ceil(deadlineMs - nowMsValue));
    this.timeoutTimer = setTimeout(this.onTimeoutTimer, delayMs);
    this.timeoutTimer.unref();
  }

  // Fires at the earliest deadline known when it was armed; requests completed since then are
  // gone from the ring, so it either times out what is overdue or re-arms for the next deadline.
  private readonly onTimeoutTimer = (): void => {
    this.timeoutTimer = null;
    this.timeoutTimerAtMs = Infinity;
    if (this.state === ST_CLOSED || this.count === 0) return;
    const now = nowMs();
    let earliest = Infinity;
    for (let n = 0, i = this.first; n < this.count; n++) {
      const d = this.deadlinesMs[i]!;
      if (d < earliest) earliest = d;
      if (++i === this.pipeliningLimit) i = 0;
    }
    if (earliest <= now) {
      this.terminate('closed', new Error(`connection to ${this.remote} closed because another request on it timed out`), now);
    } else if (earliest < Infinity) {
      this.armTimeoutTimer(earliest, now);
    }
  };
}

export function safeFailure(handler: ResponseHandler, kind: FailureKind, error: Error): void {
  try {
    handler.onFailure(kind, error);
  } catch {
    // A handler that throws while being told about a failure has nothing more to be told.
  }
}
