// Test support: frames written by hand, and a raw h2c server that reads the client's frames with our frame
// reader (after the preface) so that a test can answer with whatever bytes it wants.

import type net from 'node:net';
import { rawServer } from '../client.test-support.js';
import { FrameReader } from './frame-reader.js';
import { CLIENT_PREFACE, FRAME_SETTINGS, writeFrameHeader, writeUint32 } from './frames.js';

export interface ClientFrame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(9 + payload.length);
  writeFrameHeader(out, 0, payload.length, type, flags, streamId);
  payload.copy(out, 9);
  return out;
}

export function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  writeUint32(b, 0, value);
  return b;
}

/** A SETTINGS frame with `pairs` = [id, value, id, value, ...]. */
export function settingsFrame(pairs: readonly number[]): Buffer {
  const payload = Buffer.alloc((pairs.length / 2) * 6);
  for (let i = 0; i < pairs.length; i += 2) {
    payload.writeUInt16BE(pairs[i]!, (i / 2) * 6);
    writeUint32(payload, (i / 2) * 6 + 2, pairs[i + 1]!);
  }
  return frame(FRAME_SETTINGS, 0, 0, payload);
}

/**
 * A raw h2c server that sends SETTINGS (`serverSettings`) on each connection, records the client's preface and
 * frames, and calls `onFrame` for each frame.
 */
export async function scriptedH2cServer(onFrame: (f: ClientFrame, socket: net.Socket, all: ClientFrame[]) => void, serverSettings: readonly number[] = []) {
  const frames: ClientFrame[] = [];
  let preface = Buffer.alloc(0);
  const server = await rawServer((socket) => {
    socket.write(settingsFrame(serverSettings));
    let prefaceLeft = CLIENT_PREFACE.length;
    const reader = new FrameReader({
      onFrame(type, flags, streamId, buf, offset, length) {
        const f = { type, flags, streamId, payload: Buffer.from(buf.subarray(offset, offset + length)) };
        frames.push(f);
        onFrame(f, socket, frames);
      },
      onFrameTooLarge() {
        socket.destroy();
      },
    }, 1 << 20);
    socket.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (prefaceLeft > 0) {
        const take = Math.min(prefaceLeft, data.length);
        preface = Buffer.concat([preface, data.subarray(0, take)]);
        prefaceLeft -= take;
        data = data.subarray(take);
      }
      if (data.length > 0) reader.execute(Buffer.from(data), data.length);
    });
  });
  return { ...server, frames, preface: () => preface };
}
