// Splits a byte stream into HTTP/2 frames, whatever the read boundaries. Complete frames are handed
// over in place (a view of the read buffer); only a frame cut by a read boundary is copied, into one
// buffer per reader sized for the largest frame allowed.

import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES } from './frames.js';

export interface FrameSink {
  /** One frame; `buf[offset, offset + length)` is its payload, valid only during the call. */
  onFrame(type: number, flags: number, streamId: number, buf: Buffer, offset: number, length: number): void;
  /** A frame larger than the limit was announced: the connection must end (FRAME_SIZE_ERROR). */
  onFrameTooLarge(length: number): void;
}

export class FrameReader {
  /** Largest payload accepted (our SETTINGS_MAX_FRAME_SIZE). */
  readonly maxFrameBytes: number;
  /** Bytes of frames completed so far (headers and payloads), for `receivedBytes`. */
  private readonly sink: FrameSink;
  private readonly partial: Buffer;
  private partialBytes = 0;
  private halted = false;

  constructor(sink: FrameSink, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.sink = sink;
    this.maxFrameBytes = maxFrameBytes;
    this.partial = Buffer.allocUnsafeSlow(FRAME_HEADER_BYTES + maxFrameBytes);
  }

  /** Stops delivering frames (after a connection error); later input is ignored. */
  halt(): void {
    this.halted = true;
  }

  get isHalted(): boolean {
    return this.halted;
  }

  /** Feeds `buf[0, length)`. */
  execute(buf: Buffer, length: number): void {
    let at = 0;
    if (this.partialBytes > 0) {
      at = this.completePartial(buf, length);
      if (at < 0) return;
    }
    while (!this.halted) {
      const left = length - at;
      if (left < FRAME_HEADER_BYTES) break;
      const payloadBytes = (buf[at]! << 16) | (buf[at + 1]! << 8) | buf[at + 2]!;
      if (payloadBytes > this.maxFrameBytes) {
        this.halted = true;
        this.sink.onFrameTooLarge(payloadBytes);
        return;
      }
      if (left < FRAME_HEADER_BYTES + payloadBytes) break;
      const streamId = ((buf[at + 5]! & 0x7f) << 24) | (buf[at + 6]! << 16) | (buf[at + 7]! << 8) | buf[at + 8]!;
      this.sink.onFrame(buf[at + 3]!, buf[at + 4]!, streamId, buf, at + FRAME_HEADER_BYTES, payloadBytes);
      at += FRAME_HEADER_BYTES + payloadBytes;
    }
    if (!this.halted && at < length) {
      buf.copy(this.partial, 0, at, length);
      this.partialBytes = length - at;
    }
  }

  // Adds bytes to the frame cut at the previous read; returns where the rest of `buf` starts, or -1
  // when everything was consumed (or the reader halted).
  private completePartial(buf: Buffer, length: number): number {
    const partial = this.partial;
    let have = this.partialBytes;
    let at = 0;
    if (have < FRAME_HEADER_BYTES) {
      const take = Math.min(FRAME_HEADER_BYTES - have, length);
      buf.copy(partial, have, 0, take);
      have += take;
      at = take;
      this.partialBytes = have;
      if (have < FRAME_HEADER_BYTES) return -1;
    }
    const payloadBytes = (partial[0]! << 16) | (partial[1]! << 8) | partial[2]!;
    if (payloadBytes > this.maxFrameBytes) {
      this.halted = true;
      this.partialBytes = 0;
      this.sink.onFrameTooLarge(payloadBytes);
      return -1;
    }
    const frameBytes = FRAME_HEADER_BYTES + payloadBytes;
    const take = Math.min(frameBytes - have, length - at);
    buf.copy(partial, have, at, at + take);
    at += take;
    have += take;
    if (have < frameBytes) {
      this.partialBytes = have;
      return -1;
    }
    this.partialBytes = 0;
    const streamId = ((partial[5]! & 0x7f) << 24) | (partial[6]! << 16) | (partial[7]! << 8) | partial[8]!;
    this.sink.onFrame(partial[3]!, partial[4]!, streamId, partial, FRAME_HEADER_BYTES, payloadBytes);
    return this.halted ? -1 : at;
  }
}
