// One HTTP/2 connection (RFC 9113), client side, behind the same pool contract as Http1Connection:
// a request slot is a stream; `pipeliningLimit` is the number of concurrent streams (our
// `maxHttp2Streams`, lowered by the server's SETTINGS_MAX_CONCURRENT_STREAMS).
//
// Over TLS the protocol is chosen by ALPN; when the server picks http/1.1 the TLS socket is handed to
// the pool (`onHttp1Selected`), which continues on it with an Http1Connection. Over plain TCP it
// speaks h2c with prior knowledge.
//
// Failures never escape: a stream-level problem fails that stream (RST_STREAM), a connection-level
// one (bad frame, bad HPACK, flow-control violation) sends GOAWAY and fails every stream in flight
// with `parse`. A request timeout cancels its stream only (RST_STREAM CANCEL); the connection stays.
//
// Hot path: frames are read in place from each received chunk, request header blocks of fixed
// requests are encoded once (request-head.ts), everything written during one read goes out in one
// socket write, stream state lives in preallocated arrays indexed by slot.

import net from 'node:net';
import tls from 'node:tls';
import { nowMs, nowNs } from '../clock.js';
// The read buffer is the one HTTP/1.1 connections use: every connection of the thread reads into it, a read
// is processed completely before the next one, and handlers get views valid only during their call.
import { failLater, readBuffer, safeFailure, type ConnectTarget, type ConnectionLifecycle, type SlotOwner } from '../connection.js';
import type { FailureKind, ResponseHandler } from '../handler.js';
import type { PooledConnection } from '../pooled-connection.js';
import type { EncodedRequest } from '../request-encoder.js';
import type { ConnectionPoolStats } from '../stats.js';
import { FrameReader, type FrameSink } from './frame-reader.js';
import { FrameWriter } from './frame-writer.js';
import {
  CLIENT_PREFACE,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_WINDOW_BYTES,
  ERROR_CANCEL,
  ERROR_COMPRESSION,
  ERROR_FLOW_CONTROL,
  ERROR_FRAME_SIZE,
  ERROR_INTERNAL,
  ERROR_NO_ERROR,
  ERROR_PROTOCOL,
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FLAG_PADDED,
  FLAG_PRIORITY,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADER_BYTES,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_PUSH_PROMISE,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
  MAX_WINDOW_BYTES,
  SETTINGS_ENABLE_PUSH,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_CONCURRENT_STREAMS,
  SETTINGS_MAX_FRAME_SIZE,
  SETTINGS_MAX_HEADER_LIST_SIZE,
  errorName,
  readUint32,
  writeGoaway,
  writePingAck,
  writeRstStream,
  writeSettings,
  writeSettingsAck,
  writeWindowUpdate,
} from './frames.js';
import { HpackDecoder, type HeaderFieldSink } from './hpack-decoder.js';
import { translateHead } from './request-head.js';
import { UnrefTimer } from './unref-timer.js';
import { openSocket } from '../open-socket.js';

/** The pool's side of an HTTP/2 connection attempt. */
export interface Http2Lifecycle extends ConnectionLifecycle {
  /** ALPN chose http/1.1 (or nothing): continue on `socket`, whose TLS handshake is done, with HTTP/1.1. */
  onHttp1Selected(connection: H2Connection, socket: tls.TLSSocket): void;
}

export interface H2Options {
  /** Concurrent streams at most (`maxHttp2Streams`). */
  maxStreams: number;
  /** TLS only: offer http/1.1 after h2 in ALPN (and hand the socket over when it is chosen). */
  offerHttp1: boolean;
  /** Largest decoded response header list (and compressed header block) accepted. Default 64 KiB. */
  maxHeaderListBytes?: number;
}

/** Our receive window per stream: bodies of a few MB flow without waiting for WINDOW_UPDATE. */
export const STREAM_WINDOW_BYTES = 16 * 1024 * 1024;
/** Our receive window for the connection (raised from 64 KiB at once). */
export const CONNECTION_WINDOW_BYTES = 1024 * 1024 * 1024;

const ST_CONNECTING = 0;
const ST_PREFACE = 1; // preface and SETTINGS sent, waiting for the server's SETTINGS
const ST_OPEN = 2;
const ST_DRAINING = 3; // GOAWAY received (or stream ids exhausted): finishing accepted streams
const ST_CLOSED = 4;

const SF_HEAD = 1; // answers a HEAD request
const SF_FINAL = 2; // final (non-1xx) response head received
const SF_WANT_HEADERS = 4;
const SF_WANT_BODY = 8;

const PHASE_HEAD = 0;
const PHASE_IGNORE = 1; // trailers, or a stream we no longer track: decode for the table only



const MAX_STREAM_ID = 0x7fffffff;

function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

export class H2Connection implements PooledConnection, FrameSink, HeaderFieldSink {
  readonly secure: boolean;
  readonly remote: string;
  owner: SlotOwner;
  reserved = 0;
  lastUsedMs: number;
  listPrev: PooledConnection | null = null;
  listNext: PooledConnection | null = null;
  listId = 0;
  addressIndex = 0;
  /** Frames of each type received (index = frame type, types above 9 in 10), for tests and diagnostics. */
  readonly framesReceived = new Uint32Array(11);

  private readonly lifecycle: Http2Lifecycle;
  private readonly stats: ConnectionPoolStats;
  private readonly socket: net.Socket;
  private readonly target: ConnectTarget;
  private readonly offerHttp1: boolean;
  private readonly maxStreams: number;
  private readonly maxHeaderListBytes: number;
  private readonly reader: FrameReader;
  private readonly decoder: HpackDecoder;
  private state = ST_CONNECTING;
  private tcpConnected = false;
  private readonly connectTimer = new UnrefTimer(() => this.onConnectTimeout());

  // Peer settings and windows.
  private peerMaxStreams = 0x7fffffff;
  private peerInitialWindow = DEFAULT_WINDOW_BYTES;
  private peerMaxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private connSendWindow = DEFAULT_WINDOW_BYTES;
  private connRecvUnacked = 0;

  // Streams, by slot.
  private readonly handlers: (ResponseHandler | null)[];
  private readonly streamIds: Int32Array;
  private readonly streamFlags: Uint8Array;
  private readonly deadlinesMs: Float64Array;
  private readonly receivedBytes: Float64Array;
  private readonly sendWindows: Float64Array;
  private readonly recvUnacked: Float64Array;
  private readonly bodies: (Buffer | null)[];
  private readonly bodyAt: Int32Array;
  private readonly bodyEnd: Int32Array;
  private readonly freeSlots: Int32Array;
  private freeCount: number;
  // Stream id → slot without a Map (whose rehashing allocates as streams come and go): a ring indexed by
  // (id >> 1) & mask, at least twice the stream limit; an id whose entry is taken is skipped (ids may skip).
  private readonly streamRing: Int32Array;
  private readonly ringMask: number;
  private active = 0;
  private nextStreamId = 1;
  /** Slots whose request body waits for flow-control window. */
  private readonly blocked: number[] = [];

  // Header block being received (HEADERS + CONTINUATION), and the decoding context.
  private continuationStream = 0;
  private continuationEndStream = false;
  private blockBuffer: Buffer | null = null;
  private blockBytes = 0;
  private decodeSlot = -1;
  private decodePhase = PHASE_HEAD;
  private decodeStatus = 0;
  private decodeError: string | null = null;

  private readonly writer: FrameWriter;

  private readonly timeoutTimer = new UnrefTimer(() => this.onTimeoutTimer());
  private readAtNs = 0;
  private closeRequested = false;
  private forward: ((length: number, buf: Buffer) => boolean) | null = null;

  constructor(target: ConnectTarget, lifecycle: Http2Lifecycle, owner: SlotOwner, stats: ConnectionPoolStats, options: H2Options) {
    this.target = target;
    this.secure = target.secure;
    this.remote = `${target.host}:${target.port}`;
    this.lifecycle = lifecycle;
    this.owner = owner;
    this.stats = stats;
    this.offerHttp1 = options.offerHttp1 && target.secure;
    this.maxStreams = Math.max(1, options.maxStreams | 0);
    this.maxHeaderListBytes = options.maxHeaderListBytes ?? 64 * 1024;
    this.lastUsedMs = nowMs();
    const n = this.maxStreams;
    this.handlers = new Array<ResponseHandler | null>(n).fill(null);
    this.streamIds = new Int32Array(n);
    this.streamFlags = new Uint8Array(n);
    this.deadlinesMs = new Float64Array(n);
    this.receivedBytes = new Float64Array(n);
    this.sendWindows = new Float64Array(n);
    this.recvUnacked = new Float64Array(n);
    this.bodies = new Array<Buffer | null>(n).fill(null);
    this.bodyAt = new Int32Array(n);
    this.bodyEnd = new Int32Array(n);
    this.freeSlots = new Int32Array(n);
    for (let i = 0; i < n; i++) this.freeSlots[i] = n - 1 - i;
    this.freeCount = n;
    let ringSize = 4;
    while (ringSize < 2 * n) ringSize *= 2;
    this.streamRing = new Int32Array(ringSize).fill(-1);
    this.ringMask = ringSize - 1;
    this.reader = new FrameReader(this, DEFAULT_MAX_FRAME_BYTES);
    this.decoder = new HpackDecoder(4096, this.maxHeaderListBytes);

    const onread: net.OnReadOpts = { buffer: readBuffer, callback: this.onRead };
    this.socket = openSocket(target, this.offerHttp1 ? ['h2', 'http/1.1'] : ['h2'], onread);
    if (target.secure) this.socket.on('secureConnect', this.onSecureConnect);
    this.socket.setNoDelay(true);
    this.writer = new FrameWriter(this.socket);
    this.socket.on('connect', this.onTcpConnect);
    this.socket.on('end', this.onEnd);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
    if (target.connectTimeoutMs > 0) this.connectTimer.start(target.connectTimeoutMs);
  }

  /** Concurrent streams allowed now. */
  get pipeliningLimit(): number {
    return this.peerMaxStreams < this.maxStreams ? this.peerMaxStreams : this.maxStreams;
  }

  get inFlight(): number {
    return this.active;
  }

  get busy(): number {
    return this.active + this.reserved;
  }

  get isOpen(): boolean {
    return this.state === ST_OPEN;
  }

  get isClosed(): boolean {
    return this.state === ST_CLOSED;
  }

  /** The connection's HPACK decoder (its dynamic table), for tests. */
  get hpackDecoder(): HpackDecoder {
    return this.decoder;
  }

  send(request: EncodedRequest, handler: ResponseHandler, timeoutMs: number): number {
    if (this.reserved > 0) this.reserved--;
    const sentAtNs = nowNs();
    if (this.state !== ST_OPEN || this.active >= this.pipeliningLimit || this.freeCount === 0) {
      const reason = this.state === ST_OPEN ? 'stream limit exceeded (send without acquire?)' : 'connection closed before the request was sent';
      process.nextTick(failLater, handler, new Error(`${reason} (${this.remote})`));
      return sentAtNs;
    }
    const translated = translateHead(request, this.secure, this.target.servername);
    if (translated.error !== null) {
      process.nextTick(failLater, handler, new Error(`cannot send the request over HTTP/2: ${translated.error}`));
      return sentAtNs;
    }
    const nowMsValue = sentAtNs / 1e6;
    const slot = this.freeSlots[--this.freeCount]!;
    let id = this.nextStreamId;
    while (this.streamRing[(id >>> 1) & this.ringMask]! >= 0) id += 2;
    if (id > MAX_STREAM_ID) {
      // Stream ids are used up: this connection takes no more requests (the pool opens another).
      this.freeCount++;
      this.state = ST_DRAINING;
      process.nextTick(failLater, handler, new Error(`connection to ${this.remote} has no stream ids left`));
      process.nextTick(() => this.drainCheck());
      return sentAtNs;
    }
    this.nextStreamId = id + 2;
    this.streamRing[(id >>> 1) & this.ringMask] = slot;
    this.handlers[slot] = handler;
    this.streamIds[slot] = id;
    this.streamFlags[slot] = request.isHead ? SF_HEAD : 0;
    const deadline = timeoutMs > 0 ? nowMsValue + timeoutMs : Infinity;
    this.deadlinesMs[slot] = deadline;
    this.receivedBytes[slot] = 0;
    this.sendWindows[slot] = this.peerInitialWindow;
    this.recvUnacked[slot] = 0;
    if (this.active++ === 0) this.stats.usedConnections.increment();
    this.stats.inFlight.increment();
    this.lastUsedMs = nowMsValue;

    const separate = request.body;
    const head = request.head;
    const hasBody = separate !== null ? separate.length > 0 : translated.bodyStart < head.length;
    this.writer.headers(id, translated.block, translated.blockBytes, !hasBody, this.peerMaxFrameBytes);
    if (hasBody) {
      this.bodies[slot] = separate ?? head;
      this.bodyAt[slot] = separate !== null ? 0 : translated.bodyStart;
      this.bodyEnd[slot] = separate !== null ? separate.length : head.length;
      if (!this.pumpBody(slot)) this.blocked.push(slot);
    }
    if (this.nextStreamId > MAX_STREAM_ID) this.state = ST_DRAINING; // no ids left: finish, then reconnect
    if (deadline < this.timeoutTimer.atMs) this.timeoutTimer.start(Math.max(1, Math.ceil(deadline - nowMsValue)), deadline);
    this.writer.scheduleFlush();
    return sentAtNs;
  }

  release(): void {
    if (this.reserved > 0) this.reserved--;
    if (this.state === ST_OPEN) this.owner.onSlotFreed(this);
  }

  closeAfterResponse(): void {
    if (this.state === ST_OPEN) this.closeRequested = true;
  }

  close(): void {
    this.terminate('closed', new Error(`connection to ${this.remote} closed by the client`), ERROR_NO_ERROR);
  }

  // ---- socket events ----

  private readonly onTcpConnect = (): void => {
    this.tcpConnected = true;
    if (!this.secure) {
      this.startPreface();
    } else {
      if (this.target.tlsHandshakeTimeoutMs > 0 && this.state === ST_CONNECTING) this.connectTimer.start(this.target.tlsHandshakeTimeoutMs);
      else this.connectTimer.clear();
    }
  };

  private readonly onSecureConnect = (): void => {
    if (this.state !== ST_CONNECTING) return;
    const socket = this.socket as tls.TLSSocket;
    if (socket.alpnProtocol === 'h2') {
      this.startPreface();
      return;
    }
    if (this.offerHttp1) {
      // The server speaks HTTP/1.1 only: the pool continues on this socket.
      this.state = ST_CLOSED;
      this.connectTimer.clear();
      for (const event of ['connect', 'secureConnect', 'end', 'error', 'close'] as const) socket.removeAllListeners(event);
      this.lifecycle.onHttp1Selected(this, socket);
      return;
    }
    this.connectFailed('tls', new Error(`${this.remote} did not choose h2 in the TLS handshake (ALPN); allow HTTP/1.1 (allowHttp1x: true) to use it`));
  };

  private startPreface(): void {
    if (this.state !== ST_CONNECTING) return;
    this.state = ST_PREFACE;
    this.writer.reserve(CLIENT_PREFACE.length + FRAME_HEADER_BYTES * 2 + 4 * 6 + 4);
    const out = this.writer.buf;
    let at = this.writer.end;
    at += CLIENT_PREFACE.copy(out, at);
    at = writeSettings(out, at, [
      SETTINGS_ENABLE_PUSH,
      0,
      SETTINGS_MAX_CONCURRENT_STREAMS,
      0,
      SETTINGS_INITIAL_WINDOW_SIZE,
      STREAM_WINDOW_BYTES,
      SETTINGS_MAX_HEADER_LIST_SIZE,
      this.maxHeaderListBytes,
    ]);
    at = writeWindowUpdate(out, at, 0, CONNECTION_WINDOW_BYTES - DEFAULT_WINDOW_BYTES);
    this.writer.end = at;
    this.writer.flush();
  }

  /** After a hand-over to HTTP/1.1, reads of the socket go there (see `onSecureConnect`). */
  forwardReadsTo(onRead: (length: number, buf: Buffer) => boolean): void {
    this.forward = onRead;
  }

  private readonly onRead = (length: number, buf: Buffer): boolean => {
    if (this.forward !== null) return this.forward(length, buf);
    if (this.state === ST_CLOSED) return true;
    this.readAtNs = nowNs();
    this.writer.beginBatch();
    try {
      this.reader.execute(buf, length);
    } catch (error) {
      // Handlers are called under their own try; this is a defect of ours: count it, do not throw.
      this.terminate('parse', new Error(`HTTP/2 connection to ${this.remote} failed: ${toError(error).message}`), ERROR_INTERNAL);
    }
    this.writer.endBatch();
    return true;
  };

  private readonly onEnd = (): void => {
    if (this.state === ST_CLOSED) return;
    if (this.state === ST_CONNECTING || this.state === ST_PREFACE) {
      this.connectFailed(this.connectFailureKind(), new Error(`connection to ${this.remote} closed during connect`));
      return;
    }
    this.terminate('reset', new Error(`connection closed by ${this.remote}`), -1);
  };

  private readonly onError = (error: Error): void => {
    if (this.state === ST_CLOSED) return;
    if (this.state === ST_CONNECTING || this.state === ST_PREFACE) {
      this.connectFailed(this.connectFailureKind(), error);
      return;
    }
    this.terminate('reset', error, -1);
  };

  private readonly onClose = (): void => {
    if (this.state === ST_CLOSED) return;
    if (this.state === ST_CONNECTING || this.state === ST_PREFACE) {
      this.connectFailed(this.connectFailureKind(), new Error(`connection to ${this.remote} closed during connect`));
      return;
    }
    this.terminate('reset', new Error(`connection to ${this.remote} closed`), -1);
  };

  private connectFailureKind(): FailureKind {
    return this.tcpConnected && this.secure && this.state === ST_CONNECTING ? 'tls' : 'connect';
  }

  // ---- frames ----

  onFrameTooLarge(length: number): void {
    if (this.state === ST_PREFACE) {
      this.connectFailed('connect', new Error(`${this.remote} did not answer with HTTP/2 (a ${length}-byte frame header: does it speak h2c?)`));
      return;
    }
    this.connectionError(ERROR_FRAME_SIZE, `frame of ${length} bytes is larger than ${this.reader.maxFrameBytes}`);
  }

  onFrame(type: number, flags: number, streamId: number, buf: Buffer, offset: number, length: number): void {
    this.framesReceived[type < 10 ? type : 10]!++;
    if (this.state === ST_PREFACE && type !== FRAME_SETTINGS) {
      this.connectFailed('connect', new Error(`${this.remote} did not start with HTTP/2 SETTINGS (frame type ${type}): does it speak h2c?`));
      return;
    }
    if (this.continuationStream !== 0 && (type !== FRAME_CONTINUATION || streamId !== this.continuationStream)) {
      this.connectionError(ERROR_PROTOCOL, `frame type ${type} inside a header block of stream ${this.continuationStream}`);
      return;
    }
    switch (type) {
      case FRAME_DATA:
        this.onDataFrame(flags, streamId, buf, offset, length);
        return;
      case FRAME_HEADERS:
        this.onHeadersFrame(flags, streamId, buf, offset, length);
        return;
      case FRAME_CONTINUATION:
        this.onContinuationFrame(flags, streamId, buf, offset, length);
        return;
      case FRAME_SETTINGS:
        this.onSettingsFrame(flags, streamId, buf, offset, length);
        return;
      case FRAME_WINDOW_UPDATE:
        this.onWindowUpdateFrame(streamId, buf, offset, length);
        return;
      case FRAME_PING:
        if (streamId !== 0 || length !== 8) {
          this.connectionError(length !== 8 ? ERROR_FRAME_SIZE : ERROR_PROTOCOL, 'malformed PING');
          return;
        }
        if ((flags & FLAG_ACK) === 0) {
          this.writer.reserve(FRAME_HEADER_BYTES + 8);
          this.writer.end = writePingAck(this.writer.buf, this.writer.end, buf, offset);
        }
        return;
      case FRAME_RST_STREAM:
        this.onRstStreamFrame(streamId, buf, offset, length);
        return;
      case FRAME_GOAWAY:
        this.onGoawayFrame(streamId, buf, offset, length);
        return;
      case FRAME_PUSH_PROMISE:
        this.connectionError(ERROR_PROTOCOL, 'PUSH_PROMISE received although push is disabled');
        return;
      default:
        // PRIORITY and unknown frame types are ignored (RFC 9113 §4.1, §5.5).
        return;
    }
  }

  private onSettingsFrame(flags: number, streamId: number, buf: Buffer, offset: number, length: number): void {
    if (streamId !== 0) {
      this.connectionError(ERROR_PROTOCOL, 'SETTINGS on a stream');
      return;
    }
    if ((flags & FLAG_ACK) !== 0) {
      if (length !== 0) this.connectionError(ERROR_FRAME_SIZE, 'SETTINGS ack with a payload');
      return;
    }
    if (length % 6 !== 0) {
      this.connectionError(ERROR_FRAME_SIZE, 'SETTINGS length is not a multiple of 6');
      return;
    }
    for (let at = offset; at < offset + length; at += 6) {
      const id = (buf[at]! << 8) | buf[at + 1]!;
      const value = readUint32(buf, at + 2);
      if (id === SETTINGS_MAX_CONCURRENT_STREAMS) {
        this.peerMaxStreams = value;
      } else if (id === SETTINGS_INITIAL_WINDOW_SIZE) {
        if (value > MAX_WINDOW_BYTES) {
          this.connectionError(ERROR_FLOW_CONTROL, `SETTINGS_INITIAL_WINDOW_SIZE ${value} is above 2^31-1`);
          return;
        }
        const delta = value - this.peerInitialWindow;
        this.peerInitialWindow = value;
        for (let slot = 0; slot < this.maxStreams; slot++) {
          if (this.handlers[slot] !== null) this.sendWindows[slot] = this.sendWindows[slot]! + delta;
        }
      } else if (id === SETTINGS_MAX_FRAME_SIZE) {
        if (value < DEFAULT_MAX_FRAME_BYTES || value > 0xffffff) {
          this.connectionError(ERROR_PROTOCOL, `SETTINGS_MAX_FRAME_SIZE ${value} is out of range`);
          return;
        }
        this.peerMaxFrameBytes = value;
      } else if (id === SETTINGS_ENABLE_PUSH && value > 1) {
        this.connectionError(ERROR_PROTOCOL, `SETTINGS_ENABLE_PUSH ${value}`);
        return;
      }
      // SETTINGS_HEADER_TABLE_SIZE needs nothing: our encoder never uses the dynamic table.
    }
    this.writer.reserve(FRAME_HEADER_BYTES);
    this.writer.end = writeSettingsAck(this.writer.buf, this.writer.end);
    if (this.state === ST_PREFACE) {
      this.connectTimer.clear();
      this.state = ST_OPEN;
      this.lastUsedMs = nowMs();
      this.writer.flush();
      this.lifecycle.onConnectionReady(this);
    } else {
      this.pumpBlocked();
    }
  }

  private onWindowUpdateFrame(streamId: number, buf: Buffer, offset: number, length: number): void {
    if (length !== 4) {
      this.connectionError(ERROR_FRAME_SIZE, 'WINDOW_UPDATE length is not 4');
      return;
    }
    const increment = readUint32(buf, offset) & 0x7fffffff;
    if (streamId === 0) {
      if (increment === 0) {
        this.connectionError(ERROR_PROTOCOL, 'WINDOW_UPDATE of 0 on the connection');
        return;
      }
      this.connSendWindow += increment;
      if (this.connSendWindow > MAX_WINDOW_BYTES) {
        this.connectionError(ERROR_FLOW_CONTROL, 'connection send window above 2^31-1');
        return;
      }
    } else {
      const slot = this.slotOf(streamId);
      if (slot < 0) return; // a stream we closed: ignored
      if (increment === 0) {
        this.streamError(slot, 'parse', ERROR_PROTOCOL, 'WINDOW_UPDATE of 0 on a stream');
        return;
      }
      this.sendWindows[slot] = this.sendWindows[slot]! + increment;
      if (this.sendWindows[slot]! > MAX_WINDOW_BYTES) {
        this.streamError(slot, 'parse', ERROR_FLOW_CONTROL, 'stream send window above 2^31-1');
        return;
      }
    }
    this.pumpBlocked();
  }

  private onRstStreamFrame(streamId: number, buf: Buffer, offset: number, length: number): void {
    if (length !== 4) {
      this.connectionError(ERROR_FRAME_SIZE, 'RST_STREAM length is not 4');
      return;
    }
    if (streamId === 0) {
      this.connectionError(ERROR_PROTOCOL, 'RST_STREAM on stream 0');
      return;
    }
    const slot = this.slotOf(streamId);
    if (slot < 0) {
      if (streamId >= this.nextStreamId || (streamId & 1) === 0) this.connectionError(ERROR_PROTOCOL, `RST_STREAM on idle stream ${streamId}`);
      return;
    }
    const code = readUint32(buf, offset);
    const handler = this.freeSlot(slot);
    this.afterSlotFreed();
    safeFailure(handler, 'reset', new Error(`${this.remote} reset the stream (${errorName(code)})`));
    this.drainCheck();
  }

  private onGoawayFrame(streamId: number, buf: Buffer, offset: number, length: number): void {
    if (streamId !== 0 || length < 8) {
      this.connectionError(streamId !== 0 ? ERROR_PROTOCOL : ERROR_FRAME_SIZE, 'malformed GOAWAY');
      return;
    }
    const lastStreamId = readUint32(buf, offset) & 0x7fffffff;
    const code = readUint32(buf, offset + 4);
    if (this.state === ST_OPEN) this.state = ST_DRAINING;
    // Streams above the last one the server accepted were not processed: they fail, the rest finish.
    const error = new Error(`${this.remote} is going away (${errorName(code)}); the request was not processed`);
    for (let slot = 0; slot < this.maxStreams; slot++) {
      if (this.handlers[slot] !== null && this.streamIds[slot]! > lastStreamId) {
        const handler = this.freeSlot(slot);
        safeFailure(handler, 'reset', error);
        if (this.isClosed) return;
      }
    }
    this.drainCheck();
  }

  private onDataFrame(flags: number, streamId: number, buf: Buffer, offset: number, length: number): void {
    if (streamId === 0) {
      this.connectionError(ERROR_PROTOCOL, 'DATA on stream 0');
      return;
    }
    // Flow control counts the whole payload, padding included, whether or not the stream is still ours.
    this.connRecvUnacked += length;
    if (this.connRecvUnacked > CONNECTION_WINDOW_BYTES) {
      this.connectionError(ERROR_FLOW_CONTROL, 'DATA beyond the connection window');
      return;
    }
    if (this.connRecvUnacked >= CONNECTION_WINDOW_BYTES / 2) {
      this.writer.reserve(FRAME_HEADER_BYTES + 4);
      this.writer.end = writeWindowUpdate(this.writer.buf, this.writer.end, 0, this.connRecvUnacked);
      this.connRecvUnacked = 0;
    }
    const slot = this.slotOf(streamId);
    if (slot < 0) {
      if (streamId >= this.nextStreamId || (streamId & 1) === 0) this.connectionError(ERROR_PROTOCOL, `DATA on idle stream ${streamId}`);
      return;
    }
    if ((this.streamFlags[slot]! & SF_FINAL) === 0) {
      this.streamError(slot, 'parse', ERROR_PROTOCOL, 'DATA before the response headers');
      return;
    }
    this.receivedBytes[slot] = this.receivedBytes[slot]! + FRAME_HEADER_BYTES + length;
    const unacked = this.recvUnacked[slot]! + length;
    if (unacked > STREAM_WINDOW_BYTES) {
      this.streamError(slot, 'parse', ERROR_FLOW_CONTROL, 'DATA beyond the stream window');
      return;
    }
    const endStream = (flags & FLAG_END_STREAM) !== 0;
    if (unacked >= STREAM_WINDOW_BYTES / 2 && !endStream) {
      this.writer.reserve(FRAME_HEADER_BYTES + 4);
      this.writer.end = writeWindowUpdate(this.writer.buf, this.writer.end, streamId, unacked);
      this.recvUnacked[slot] = 0;
    } else {
      this.recvUnacked[slot] = unacked;
    }
    let start = offset;
    let end = offset + length;
    if ((flags & FLAG_PADDED) !== 0) {
      const pad = length > 0 ? buf[offset]! : 256;
      start++;
      end -= pad;
      if (end < start) {
        this.connectionError(ERROR_PROTOCOL, 'DATA padding longer than the frame');
        return;
      }
    }
    if (end > start && (this.streamFlags[slot]! & SF_WANT_BODY) !== 0) {
      const handler = this.handlers[slot]!;
      try {
        handler.onBodyPart(buf, start, end - start);
      } catch (error) {
        this.handlerFailed(slot, error);
        return;
      }
    }
    if (endStream) this.completeStream(slot);
  }

  private onHeadersFrame(flags: number, streamId: number, buf: Buffer, offset: number, length: number): void {
    if (streamId === 0 || (streamId & 1) === 0) {
      this.connectionError(ERROR_PROTOCOL, `HEADERS on stream ${streamId}`);
      return;
    }
    let start = offset;
    let end = offset + length;
    if ((flags & FLAG_PADDED) !== 0) {
      const pad = length > 0 ? buf[offset]! : 256;
      start++;
      end -= pad;
    }
    if ((flags & FLAG_PRIORITY) !== 0) start += 5;
    if (end < start) {
      this.connectionError(ERROR_PROTOCOL, 'HEADERS padding or priority longer than the frame');
      return;
    }
    const endStream = (flags & FLAG_END_STREAM) !== 0;
    const slot = this.slotOf(streamId);
    if (slot < 0 && streamId >= this.nextStreamId) {
      this.connectionError(ERROR_PROTOCOL, `HEADERS on idle stream ${streamId}`);
      return;
    }
    if (slot >= 0) this.receivedBytes[slot] = this.receivedBytes[slot]! + FRAME_HEADER_BYTES + length;
    if ((flags & FLAG_END_HEADERS) === 0) {
      this.continuationStream = streamId;
      this.continuationEndStream = endStream;
      this.blockBytes = 0;
      this.appendBlock(buf, start, end);
      return;
    }
    this.headerBlock(slot, endStream, buf, start, end);
  }

  private onContinuationFrame(flags: number, streamId: number, buf: Buffer, offset: number, length: number): void {
    if (this.continuationStream === 0 || streamId !== this.continuationStream) {
      this.connectionError(ERROR_PROTOCOL, 'CONTINUATION without a header block in progress');
      return;
    }
    const slot = this.slotOf(streamId);
    if (slot >= 0) this.receivedBytes[slot] = this.receivedBytes[slot]! + FRAME_HEADER_BYTES + length;
    if (!this.appendBlock(buf, offset, offset + length)) return;
    if ((flags & FLAG_END_HEADERS) === 0) return;
    this.continuationStream = 0;
    this.headerBlock(slot, this.continuationEndStream, this.blockBuffer!, 0, this.blockBytes);
  }

  private appendBlock(buf: Buffer, start: number, end: number): boolean {
    const bytes = end - start;
    const needed = this.blockBytes + bytes;
    if (needed > this.maxHeaderListBytes) {
      this.connectionError(ERROR_COMPRESSION, `header block larger than ${this.maxHeaderListBytes} bytes`);
      return false;
    }
    if (this.blockBuffer === null || this.blockBuffer.length < needed) {
      const grown = Buffer.allocUnsafe(Math.min(this.maxHeaderListBytes, Math.max(needed, 2 * (this.blockBuffer?.length ?? 8192))));
      if (this.blockBuffer !== null) this.blockBuffer.copy(grown, 0, 0, this.blockBytes);
      this.blockBuffer = grown;
    }
    buf.copy(this.blockBuffer, this.blockBytes, start, end);
    this.blockBytes = needed;
    return true;
  }

  // A complete header block for the stream in `slot` (-1: a stream we no longer track).
  private headerBlock(slot: number, endStream: boolean, buf: Buffer, start: number, end: number): void {
    const final = slot >= 0 && (this.streamFlags[slot]! & SF_FINAL) !== 0;
    this.decodeSlot = slot;
    this.decodePhase = slot < 0 || final ? PHASE_IGNORE : PHASE_HEAD;
    this.decodeStatus = 0;
    this.decodeError = null;
    // Values nobody reads and the table does not keep are skipped, not decoded (no strings per response).
    this.decoder.skipUnindexedValues = this.decodePhase === PHASE_IGNORE || !this.handlers[slot]!.wantsHeaders;
    const error = this.decoder.decode(buf, start, end, this);
    const decodedSlot = this.decodeSlot; // -1 when a handler failed meanwhile
    this.decodeSlot = -1;
    if (error !== null) {
      this.connectionError(ERROR_COMPRESSION, `bad header block: ${error}`);
      return;
    }
    if (this.state === ST_CLOSED || decodedSlot < 0) return;
    if (this.decodeError !== null) {
      this.streamError(decodedSlot, 'parse', ERROR_PROTOCOL, this.decodeError);
      return;
    }
    if (final) {
      // Trailers: they end the stream.
      if (!endStream) this.streamError(decodedSlot, 'parse', ERROR_PROTOCOL, 'trailers without END_STREAM');
      else this.completeStream(decodedSlot);
      return;
    }
    const status = this.decodeStatus;
    if (status === 0) {
      this.streamError(decodedSlot, 'parse', ERROR_PROTOCOL, 'response without :status');
      return;
    }
    if (status < 200) {
      if (endStream) this.streamError(decodedSlot, 'parse', ERROR_PROTOCOL, 'informational response ends the stream');
      return; // 1xx: the final response follows
    }
    try {
      this.handlers[decodedSlot]!.onHeadersEnd();
    } catch (thrown) {
      this.handlerFailed(decodedSlot, thrown);
      return;
    }
    if (endStream) this.completeStream(decodedSlot);
  }

  onHeaderField(name: string, value: string): void {
    const slot = this.decodeSlot;
    if (slot < 0 || this.decodePhase !== PHASE_HEAD || this.decodeError !== null) return;
    if (name.charCodeAt(0) === 0x3a) {
      if (name !== ':status' || this.decodeStatus !== 0) {
        this.decodeError = `unexpected ${name} in a response`;
        return;
      }
      const status = value.length === 3 ? Number(value) : NaN;
      if (!(status >= 100 && status <= 999) || !Number.isInteger(status)) {
        this.decodeError = `invalid :status ${JSON.stringify(value)}`;
        return;
      }
      this.decodeStatus = status;
      if (status < 200) return;
      const handler = this.handlers[slot]!;
      let flags = this.streamFlags[slot]! | SF_FINAL;
      if (handler.wantsHeaders) flags |= SF_WANT_HEADERS;
      if (handler.wantsBody && (flags & SF_HEAD) === 0) flags |= SF_WANT_BODY;
      this.streamFlags[slot] = flags;
      try {
        handler.onStatus(status, this.readAtNs);
      } catch (thrown) {
        this.handlerFailed(slot, thrown);
      }
      return;
    }
    if (this.decodeStatus === 0) {
      this.decodeError = `header ${name} before :status`;
      return;
    }
    if (this.decodeStatus < 200 || (this.streamFlags[slot]! & SF_WANT_HEADERS) === 0) return;
    if (!isFieldValue(value)) {
      // RFC 9113 §8.2.1: a malformed response. Such a value would reach cookies, cache validators and variables.
      this.decodeError = `header ${name} has a CR, LF or NUL in its value`;
      return;
    }
    try {
      this.handlers[slot]!.onHeader(name, value);
    } catch (thrown) {
      this.handlerFailed(slot, thrown);
    }
  }

  // ---- streams ----

  private slotOf(streamId: number): number {
    const slot = this.streamRing[(streamId >>> 1) & this.ringMask]!;
    return slot >= 0 && this.streamIds[slot] === streamId ? slot : -1;
  }

  private completeStream(slot: number): void {
    const receivedBytes = this.receivedBytes[slot]!;
    const handler = this.freeSlot(slot);
    this.lastUsedMs = this.readAtNs / 1e6;
    if (this.closeRequested) {
      try {
        handler.onComplete(this.readAtNs, receivedBytes);
      } catch {
        // The response is complete; a handler failing now has nothing left to be told.
      }
      this.terminate('closed', new Error(`connection to ${this.remote} closed after a response, as a handler asked`), ERROR_NO_ERROR);
      return;
    }
    // Free the slot first so that the completing session finds a stream at once.
    this.afterSlotFreed();
    try {
      handler.onComplete(this.readAtNs, receivedBytes);
    } catch {
      // As above: the outcome was delivered.
    }
    this.drainCheck();
  }

  /** Fails one stream and resets it; the connection goes on. */
  private streamError(slot: number, kind: FailureKind, code: number, reason: string): void {
    const id = this.streamIds[slot]!;
    const handler = this.freeSlot(slot);
    this.writer.reserve(FRAME_HEADER_BYTES + 4);
    this.writer.end = writeRstStream(this.writer.buf, this.writer.end, id, code);
    this.afterSlotFreed();
    safeFailure(handler, kind, new Error(`invalid HTTP/2 response from ${this.remote} on stream ${id}: ${reason}`));
    this.drainCheck();
  }

  private handlerFailed(slot: number, thrown: unknown): void {
    if (this.handlers[slot] === null) return;
    if (this.decodeSlot === slot) this.decodeSlot = -1;
    const id = this.streamIds[slot]!;
    const handler = this.freeSlot(slot);
    this.writer.reserve(FRAME_HEADER_BYTES + 4);
    this.writer.end = writeRstStream(this.writer.buf, this.writer.end, id, ERROR_CANCEL);
    this.afterSlotFreed();
    safeFailure(handler, 'handler', toError(thrown));
    this.drainCheck();
  }

  /** Forgets the stream in `slot` and returns its handler. */
  private freeSlot(slot: number): ResponseHandler {
    const handler = this.handlers[slot]!;
    this.handlers[slot] = null;
    this.streamRing[(this.streamIds[slot]! >>> 1) & this.ringMask] = -1;
    if (this.bodies[slot] !== null) {
      this.bodies[slot] = null;
      const i = this.blocked.indexOf(slot);
      if (i >= 0) this.blocked.splice(i, 1);
    }
    this.freeSlots[this.freeCount++] = slot;
    if (--this.active === 0) this.stats.usedConnections.decrement();
    this.stats.inFlight.decrement();
    return handler;
  }

  private afterSlotFreed(): void {
    if (this.state === ST_OPEN) this.owner.onSlotFreed(this);
  }

  // A draining connection closes once its last stream is done.
  private drainCheck(): void {
    if (this.state === ST_DRAINING && this.active === 0) {
      this.terminate('closed', new Error(`connection to ${this.remote} finished after GOAWAY`), ERROR_NO_ERROR);
    }
  }

  // ---- writing ----

  // Sends as much of the body of `slot` as the windows allow; true when all of it is sent.
  private pumpBody(slot: number): boolean {
    const body = this.bodies[slot]!;
    let at = this.bodyAt[slot]!;
    const end = this.bodyEnd[slot]!;
    const id = this.streamIds[slot]!;
    while (at < end) {
      const window = Math.min(this.connSendWindow, this.sendWindows[slot]!);
      if (window <= 0) break;
      const bytes = Math.min(end - at, window, this.peerMaxFrameBytes);
      this.writer.data(id, body, at, bytes, at + bytes === end);
      at += bytes;
      this.connSendWindow -= bytes;
      this.sendWindows[slot] = this.sendWindows[slot]! - bytes;
    }
    this.bodyAt[slot] = at;
    if (at < end) return false;
    this.bodies[slot] = null;
    return true;
  }

  private pumpBlocked(): void {
    const blocked = this.blocked;
    for (let i = 0; i < blocked.length && this.connSendWindow > 0; ) {
      if (this.pumpBody(blocked[i]!)) blocked.splice(i, 1);
      else i++;
    }
  }

  // ---- failures ----

  private connectionError(code: number, reason: string): void {
    if (this.state === ST_PREFACE || this.state === ST_CONNECTING) {
      this.connectFailed('connect', new Error(`HTTP/2 handshake with ${this.remote} failed: ${reason}`));
      return;
    }
    this.terminate('parse', new Error(`invalid HTTP/2 traffic from ${this.remote}: ${reason}`), code);
  }

  /**
   * Closes the connection and fails every stream in flight with `kind` (streams whose own deadline
   * has passed at `timeoutAtMs` fail as `timeout`). `goawayCode` >= 0 sends GOAWAY first.
   */
  private terminate(kind: FailureKind, error: Error, goawayCode: number): void {
    if (this.state === ST_CLOSED) return;
    if (this.state === ST_CONNECTING || this.state === ST_PREFACE) {
      this.connectFailed(kind, error);
      return;
    }
    this.state = ST_CLOSED;
    this.reader.halt();
    this.connectTimer.clear();
    this.timeoutTimer.clear();
    if (goawayCode >= 0 && !this.socket.destroyed) {
      this.writer.reserve(FRAME_HEADER_BYTES + 8);
      this.writer.end = writeGoaway(this.writer.buf, this.writer.end, 0, goawayCode);
      this.writer.flush();
      this.socket.end();
      setTimeout(destroySocket, 1000, this.socket).unref();
    } else {
      this.socket.destroy();
    }
    this.writer.close();
    // Collect first, then call out: handlers may re-enter the pool.
    const failed: ResponseHandler[] = [];
    for (let slot = 0; slot < this.maxStreams; slot++) if (this.handlers[slot] !== null) failed.push(this.freeSlot(slot));
    for (const handler of failed) safeFailure(handler, kind, error);
    this.lifecycle.onConnectionClosed(this);
  }

  private connectFailed(kind: FailureKind, error: Error): void {
    if (this.state !== ST_CONNECTING && this.state !== ST_PREFACE) return;
    this.state = ST_CLOSED;
    this.reader.halt();
    this.connectTimer.clear();
    this.socket.destroy();
    this.lifecycle.onConnectionFailed(this, kind, error);
  }

  private onConnectTimeout(): void {
    if (this.state === ST_CONNECTING && this.tcpConnected && this.secure) this.connectFailed('tls', new Error(`TLS handshake with ${this.remote} timed out`));
    else if (this.state === ST_CONNECTING) this.connectFailed('connect', new Error(`connecting to ${this.remote} timed out`));
    else if (this.state === ST_PREFACE) this.connectFailed('connect', new Error(`${this.remote} sent no HTTP/2 SETTINGS in time: does it speak HTTP/2?`));
  }

  // Fires at the earliest deadline known when armed: cancels overdue streams (RST_STREAM CANCEL, the
  // connection stays) and re-arms for the next deadline.
  private onTimeoutTimer(): void {
    if (this.state === ST_CLOSED || this.active === 0) return;
    const now = nowMs();
    let earliest = Infinity;
    const expired: number[] = [];
    for (let slot = 0; slot < this.maxStreams; slot++) {
      if (this.handlers[slot] === null) continue;
      const d = this.deadlinesMs[slot]!;
      if (d <= now) expired.push(slot);
      else if (d < earliest) earliest = d;
    }
    for (const slot of expired) {
      if (this.handlers[slot] === null || this.state === ST_CLOSED) continue;
      const id = this.streamIds[slot]!;
      const handler = this.freeSlot(slot);
      this.writer.reserve(FRAME_HEADER_BYTES + 4);
      this.writer.end = writeRstStream(this.writer.buf, this.writer.end, id, ERROR_CANCEL);
      this.afterSlotFreed();
      safeFailure(handler, 'timeout', new Error(`request to ${this.remote} timed out`));
    }
    if (this.state === ST_CLOSED) return;
    this.writer.flush();
    this.drainCheck();
    if (earliest < Infinity && this.state !== ST_CLOSED) this.timeoutTimer.start(Math.max(1, Math.ceil(earliest - now)), earliest);
  }
}


function destroySocket(socket: net.Socket): void {
  socket.destroy();
}

/** No CR, LF or NUL: what HTTP/2 allows in a field value (checked on values handed to handlers). */
function isFieldValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x0d || c === 0x0a || c === 0x00) return false;
  }
  return true;
}
