// The frame reader delivers the same frames whatever the read boundaries.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader, type FrameSink } from './frame-reader.js';
import { FRAME_DATA, FRAME_HEADERS, FRAME_PING, writeFrameHeader } from './frames.js';
import { mulberry32 } from '../../lib/prng.js';
import { frame } from './h2c-server.test-support.js';

interface Seen {
  type: number;
  flags: number;
  streamId: number;
  payload: string;
}

class Recorder implements FrameSink {
  readonly frames: Seen[] = [];
  tooLarge = -1;
  onFrame(type: number, flags: number, streamId: number, buf: Buffer, offset: number, length: number): void {
    this.frames.push({ type, flags, streamId, payload: buf.toString('hex', offset, offset + length) });
  }
  onFrameTooLarge(length: number): void {
    this.tooLarge = length;
  }
}

test('frames cut at every possible boundary are delivered whole and in order', () => {
  const frames = [
    frame(FRAME_HEADERS, 4, 1, Buffer.from('88', 'hex')),
    frame(FRAME_DATA, 0, 1, Buffer.alloc(0)),
    frame(FRAME_DATA, 1, 1, Buffer.from('hello world')),
    frame(FRAME_PING, 0, 0, Buffer.from('0102030405060708', 'hex')),
    frame(FRAME_DATA, 1, 3, Buffer.alloc(16_384, 7)),
  ];
  const stream = Buffer.concat(frames);
  const whole = new Recorder();
  new FrameReader(whole).execute(stream, stream.length);
  assert.equal(whole.frames.length, frames.length);
  assert.deepEqual(whole.frames[2], { type: FRAME_DATA, flags: 1, streamId: 1, payload: Buffer.from('hello world').toString('hex') });
  // Two cuts anywhere, then random many-piece splits.
  for (let cut = 1; cut < stream.length; cut += 7) {
    const r = new Recorder();
    const reader = new FrameReader(r);
    const a = Buffer.from(stream.subarray(0, cut));
    const b = Buffer.from(stream.subarray(cut));
    reader.execute(a, a.length);
    reader.execute(b, b.length);
    assert.deepEqual(r.frames, whole.frames, `cut at ${cut}`);
  }
  const random = mulberry32(42);
  for (let round = 0; round < 50; round++) {
    const r = new Recorder();
    const reader = new FrameReader(r);
    for (let at = 0; at < stream.length; ) {
      const n = Math.min(stream.length - at, 1 + Math.floor(random() * 40));
      const piece = Buffer.from(stream.subarray(at, at + n));
      reader.execute(piece, piece.length);
      at += n;
    }
    assert.deepEqual(r.frames, whole.frames, `round ${round}`);
  }
});

test('a frame above the size limit stops the reader and is reported, even when cut', () => {
  const header = Buffer.alloc(9);
  writeFrameHeader(header, 0, 16_385, FRAME_DATA, 0, 1);
  const r = new Recorder();
  const reader = new FrameReader(r);
  reader.execute(header.subarray(0, 4), 4);
  assert.equal(r.tooLarge, -1);
  const rest = Buffer.from(header.subarray(4));
  reader.execute(rest, rest.length);
  assert.equal(r.tooLarge, 16_385);
  assert.equal(reader.isHalted, true);
  const more = frame(FRAME_PING, 0, 0, Buffer.alloc(8));
  reader.execute(more, more.length);
  assert.equal(r.frames.length, 0);
});
