// HTTP/2 frame layout (RFC 9113 §4, §6): types, flags, settings, error codes and the writers of
// the frames a client sends. Writers put bytes at `out[offset]` and return the end offset.

export const FRAME_HEADER_BYTES = 9;
/** SETTINGS_MAX_FRAME_SIZE's initial value (and what we announce). */
export const DEFAULT_MAX_FRAME_BYTES = 16_384;
export const DEFAULT_WINDOW_BYTES = 65_535;
export const MAX_WINDOW_BYTES = 0x7fffffff;

export const FRAME_DATA = 0x0;
export const FRAME_HEADERS = 0x1;
export const FRAME_PRIORITY = 0x2;
export const FRAME_RST_STREAM = 0x3;
export const FRAME_SETTINGS = 0x4;
export const FRAME_PUSH_PROMISE = 0x5;
export const FRAME_PING = 0x6;
export const FRAME_GOAWAY = 0x7;
export const FRAME_WINDOW_UPDATE = 0x8;
export const FRAME_CONTINUATION = 0x9;

export const FLAG_END_STREAM = 0x1;
export const FLAG_ACK = 0x1;
export const FLAG_END_HEADERS = 0x4;
export const FLAG_PADDED = 0x8;
export const FLAG_PRIORITY = 0x20;

export const SETTINGS_HEADER_TABLE_SIZE = 0x1;
export const SETTINGS_ENABLE_PUSH = 0x2;
export const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
export const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
export const SETTINGS_MAX_FRAME_SIZE = 0x5;
export const SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

export const ERROR_NO_ERROR = 0x0;
export const ERROR_PROTOCOL = 0x1;
export const ERROR_INTERNAL = 0x2;
export const ERROR_FLOW_CONTROL = 0x3;
export const ERROR_SETTINGS_TIMEOUT = 0x4;
export const ERROR_STREAM_CLOSED = 0x5;
export const ERROR_FRAME_SIZE = 0x6;
export const ERROR_REFUSED_STREAM = 0x7;
export const ERROR_CANCEL = 0x8;
export const ERROR_COMPRESSION = 0x9;

const ERROR_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];

export function errorName(code: number): string {
  return ERROR_NAMES[code] ?? `error 0x${code.toString(16)}`;
}

/** The client connection preface (RFC 9113 §3.4). */
export const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export function writeFrameHeader(out: Uint8Array, offset: number, length: number, type: number, flags: number, streamId: number): number {
  out[offset] = (length >>> 16) & 0xff;
  out[offset + 1] = (length >>> 8) & 0xff;
  out[offset + 2] = length & 0xff;
  out[offset + 3] = type;
  out[offset + 4] = flags;
  out[offset + 5] = (streamId >>> 24) & 0x7f;
  out[offset + 6] = (streamId >>> 16) & 0xff;
  out[offset + 7] = (streamId >>> 8) & 0xff;
  out[offset + 8] = streamId & 0xff;
  return offset + FRAME_HEADER_BYTES;
}

export function writeUint32(out: Uint8Array, offset: number, value: number): number {
  out[offset] = (value >>> 24) & 0xff;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
  return offset + 4;
}

export function readUint32(buf: Uint8Array, offset: number): number {
  return ((buf[offset]! << 24) | (buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!) >>> 0;
}

/** SETTINGS with `pairs` = [id, value, id, value, ...]. */
export function writeSettings(out: Uint8Array, offset: number, pairs: readonly number[]): number {
  let at = writeFrameHeader(out, offset, (pairs.length / 2) * 6, FRAME_SETTINGS, 0, 0);
  for (let i = 0; i < pairs.length; i += 2) {
    out[at++] = (pairs[i]! >>> 8) & 0xff;
    out[at++] = pairs[i]! & 0xff;
    at = writeUint32(out, at, pairs[i + 1]!);
  }
  return at;
}

export function writeSettingsAck(out: Uint8Array, offset: number): number {
  return writeFrameHeader(out, offset, 0, FRAME_SETTINGS, FLAG_ACK, 0);
}

export function writeWindowUpdate(out: Uint8Array, offset: number, streamId: number, increment: number): number {
  const at = writeFrameHeader(out, offset, 4, FRAME_WINDOW_UPDATE, 0, streamId);
  return writeUint32(out, at, increment & 0x7fffffff);
}

export function writeRstStream(out: Uint8Array, offset: number, streamId: number, errorCode: number): number {
  const at = writeFrameHeader(out, offset, 4, FRAME_RST_STREAM, 0, streamId);
  return writeUint32(out, at, errorCode);
}

export function writePingAck(out: Uint8Array, offset: number, payload: Uint8Array, payloadOffset: number): number {
  const at = writeFrameHeader(out, offset, 8, FRAME_PING, FLAG_ACK, 0);
  for (let i = 0; i < 8; i++) out[at + i] = payload[payloadOffset + i]!;
  return at + 8;
}

export function writeGoaway(out: Uint8Array, offset: number, lastStreamId: number, errorCode: number): number {
  let at = writeFrameHeader(out, offset, 8, FRAME_GOAWAY, 0, 0);
  at = writeUint32(out, at, lastStreamId & 0x7fffffff);
  return writeUint32(out, at, errorCode);
}
