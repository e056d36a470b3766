// The output side of an HTTP/2 connection: frames are appended to a buffer and go to the socket in one
// write per batch (a read's worth of frames, or what a tick of sends produced).
//
// Written regions are never reused (a pending socket write may still reference them): when the buffer
// is full a new one is allocated, about once per 64 KiB of output.

import type net from 'node:net';
import {
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_HEADER_BYTES,
  FRAME_HEADERS,
  writeFrameHeader,
} from './frames.js';

const CHUNK_BYTES = 64 * 1024;

export class FrameWriter {
  /** The buffer frames are written into, from `end`; call `reserve` first. */
  buf: Buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  /** Where the next frame goes in `buf`. */
  end = 0;
  private start = 0;
  private readonly socket: net.Socket;
  private batching = false;
  private flushScheduled = false;
  private closed = false;

  constructor(socket: net.Socket) {
    this.socket = socket;
  }

  /** Makes room for `bytes` more in `buf` after `end`. */
  reserve(bytes: number): void {
    if (this.end + bytes <= this.buf.length) return;
    this.flush();
    this.buf = Buffer.allocUnsafeSlow(bytes > CHUNK_BYTES ? bytes : CHUNK_BYTES);
    this.start = 0;
    this.end = 0;
  }

  /** Writes what was appended since the last flush. */
  flush(): void {
    if (this.end > this.start && !this.closed) {
      this.socket.write(this.buf.subarray(this.start, this.end));
      this.start = this.end;
    }
  }

  /** Frames appended from now on wait for `endBatch` (a read being processed). */
  beginBatch(): void {
    this.batching = true;
  }

  endBatch(): void {
    this.batching = false;
    this.flush();
  }

  /** Frames appended outside a batch go out at the end of this tick, together. */
  scheduleFlush(): void {
    if (this.batching || this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(this.flushLater);
  }

  /** Nothing more is written (the socket is ending or destroyed). */
  close(): void {
    this.closed = true;
  }

  /** A header block as HEADERS (+ CONTINUATION when larger than `maxFrameBytes`). */
  headers(streamId: number, block: Buffer, blockBytes: number, endStream: boolean, maxFrameBytes: number): void {
    const frames = blockBytes <= maxFrameBytes ? 1 : Math.ceil(blockBytes / maxFrameBytes);
    this.reserve(blockBytes + frames * FRAME_HEADER_BYTES);
    const out = this.buf;
    let at = this.end;
    let sent = 0;
    for (let i = 0; i < frames; i++) {
      const bytes = Math.min(maxFrameBytes, blockBytes - sent);
      let flags = i === frames - 1 ? FLAG_END_HEADERS : 0;
      if (i === 0 && endStream) flags |= FLAG_END_STREAM;
      at = writeFrameHeader(out, at, bytes, i === 0 ? FRAME_HEADERS : FRAME_CONTINUATION, flags, streamId);
      at += block.copy(out, at, sent, sent + bytes);
      sent += bytes;
    }
    this.end = at;
  }

  /** One DATA frame with `body[start, start + bytes)`. */
  data(streamId: number, body: Buffer, start: number, bytes: number, endStream: boolean): void {
    this.reserve(FRAME_HEADER_BYTES + bytes);
    const at = writeFrameHeader(this.buf, this.end, bytes, FRAME_DATA, endStream ? FLAG_END_STREAM : 0, streamId);
    this.end = at + body.copy(this.buf, at, start, start + bytes);
  }

  private readonly flushLater = (): void => {
    this.flushScheduled = false;
    this.flush();
  };
}
