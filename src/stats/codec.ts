// Compact binary form of a StatsSnapshot for transport between worker threads, agents and the controller.
// Layout: magic "HFS" + version byte, a flags byte, the interval as two doubles, the counters as unsigned
// LEB128 varints, the extensions (key, type, then name/value pairs), and the histogram in HdrHistogram's
// standard V2 encoding (compressed by default) prefixed by its length. Every read is bounds-checked and every
// value validated, so truncated or random bytes fail with a StatsDecodeError saying what is wrong.
import { decodeHistogramInto, encodeHistogram, HistogramDecodeError } from './hdr-encoding.js';
import type { CountsWidth, StatsHistogram } from './histogram.js';
import { StatsSnapshot } from './snapshot.js';

const MAGIC = [0x48, 0x46, 0x53]; // "HFS"
const VERSION = 1;
const FLAG_HTTP_SEEN = 1;
const FLAG_COMPRESSED = 2;
/** A second histogram follows the first: the responses timed from their intended start (open-model phases). */
const FLAG_FROM_INTENDED_START = 4;
const KNOWN_FLAGS = FLAG_HTTP_SEEN | FLAG_COMPRESSED | FLAG_FROM_INTENDED_START;
/** Upper bounds that no real snapshot reaches; they stop garbage from allocating. */
const MAX_EXTENSIONS = 1024;
const MAX_EXTENSION_NAMES = 4096;
const MAX_STRING_BYTES = 4096;

export class StatsDecodeError extends Error {
  override readonly name = 'StatsDecodeError';
  constructor(message: string) {
    super(`Cannot decode a statistics snapshot: ${message}. The sender and receiver may run different versions.`);
  }
}

export interface SnapshotEncodeOptions {
  /**
   * Deflate the histogram (HdrHistogram's compressed encoding). Default true: smaller on the wire. Between
   * threads of one process `false` is cheaper (see bench/stats-micro.mjs).
   */
  readonly compress?: boolean;
}

// Counters in wire order; adding one means a new VERSION.
type CounterField =
  | 'requestCount'
  | 'responseCount'
  | 'invalid'
  | 'connectionErrors'
  | 'requestTimeouts'
  | 'internalErrors'
  | 'blockedTimeNs'
  | 'status2xx'
  | 'status3xx'
  | 'status4xx'
  | 'status5xx'
  | 'statusOther'
  | 'cacheHits'
  | 'clampedCount';
const COUNTERS: readonly CounterField[] = [
  'requestCount',
  'responseCount',
  'invalid',
  'connectionErrors',
  'requestTimeouts',
  'internalErrors',
  'blockedTimeNs',
  'status2xx',
  'status3xx',
  'status4xx',
  'status5xx',
  'statusOther',
  'cacheHits',
  'clampedCount',
];

class Writer {
  private buf = Buffer.allocUnsafe(256);
  pos = 0;

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(value, this.pos);
    this.pos += 8;
  }

  uvarint(value: number): void {
    if (!(value >= 0) || !Number.isSafeInteger(value)) {
      throw new RangeError(`cannot encode ${value}: counters must be non-negative safe integers`);
    }
    this.ensure(8);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /** Signed values (extension counters may be negative after a subtraction): ZigZag then LEB128. */
  svarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`cannot encode ${value}: not a safe integer`);
    this.uvarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  string(value: string): void {
    const length = Buffer.byteLength(value);
    if (length > MAX_STRING_BYTES) throw new RangeError(`string of ${length} bytes is too long to encode`);
    this.uvarint(length);
    this.ensure(length);
    this.buf.write(value, this.pos);
    this.pos += length;
  }

  bytes(value: Uint8Array): void {
    this.uvarint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

class Reader {
  pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number, what: string): void {
    if (this.pos + count > this.bytes.length) {
      throw new StatsDecodeError(`truncated: ${what} needs ${count} bytes at offset ${this.pos} of ${this.bytes.length}`);
    }
  }

  byte(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }

  double(what: string): number {
    this.need(8, what);
    const value = this.view.getFloat64(this.pos);
    this.pos += 8;
    return value;
  }

  uvarint(what: string): number {
    let value = 0;
    let scale = 1;
    for (let n = 0; n < 8; n++) {
      const byte = this.byte(what);
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) break;
        return value;
      }
      scale *= 0x80;
    }
    throw new StatsDecodeError(`${what} at offset ${this.pos} is not a valid varint (too long or too large)`);
  }

  svarint(what: string): number {
    const zz = this.uvarint(what);
    return zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
  }

  string(what: string): string {
    const length = this.uvarint(`${what} length`);
    if (length > MAX_STRING_BYTES) throw new StatsDecodeError(`${what} of ${length} bytes is implausibly long`);
    this.need(length, what);
    const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, length).toString('utf8');
    this.pos += length;
    return text;
  }

  slice(what: string): Uint8Array {
    const length = this.uvarint(`${what} length`);
    this.need(length, what);
    const part = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return part;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }
}

/** Encode a snapshot to a compact Buffer (a view of a fresh allocation; safe to keep). */
export function encodeSnapshot(snapshot: StatsSnapshot, options: SnapshotEncodeOptions = {}): Buffer {
  const compress = options.compress !== false;
  const w = new Writer();
  for (const byte of MAGIC) w.byte(byte);
  w.byte(VERSION);
  const intended = snapshot.hasFromIntendedStart;
  w.byte((snapshot.httpSeen ? FLAG_HTTP_SEEN : 0) | (compress ? FLAG_COMPRESSED : 0) | (intended ? FLAG_FROM_INTENDED_START : 0));
  w.double(snapshot.startMs);
  w.double(snapshot.endMs);
  // Fractional values (e.g. blocked time summed from fractional ns) are rounded; negative ones are a bug and throw.
  for (const field of COUNTERS) w.uvarint(Math.round(snapshot[field]));
  w.uvarint(snapshot.extensions.size);
  for (const [key, counters] of snapshot.extensions) {
    w.string(key);
    w.string(counters.type);
    const entries = counters.entries();
    w.uvarint(entries.length);
    for (const [name, value] of entries) {
      w.string(name);
      w.svarint(Math.round(value));
    }
  }
  w.bytes(encodeHistogram(snapshot.histogram, { compress }));
  if (intended) w.bytes(encodeHistogram(snapshot.fromIntendedStart!, { compress }));
  return w.result();
}

/**
 * Decode bytes produced by encodeSnapshot. With `into`, that snapshot is reset and filled (pooling);
 * otherwise a new one with `width` counters is returned. Throws StatsDecodeError on malformed input.
 */
export function decodeSnapshot(bytes: Uint8Array, into?: StatsSnapshot, width: CountsWidth = 'int32'): StatsSnapshot {
  const r = new Reader(bytes);
  for (const expected of MAGIC) {
    if (r.byte('magic') !== expected) throw new StatsDecodeError('bad magic (these bytes are not a snapshot)');
  }
  const version = r.byte('version');
  if (version !== VERSION) throw new StatsDecodeError(`unsupported format version ${version} (expected ${VERSION})`);
  const flags = r.byte('flags');
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new StatsDecodeError(`unknown flags 0x${flags.toString(16)}`);
  const snapshot = into ? into.reset() : new StatsSnapshot(width);
  snapshot.httpSeen = (flags & FLAG_HTTP_SEEN) !== 0;
  snapshot.startMs = r.double('startMs');
  snapshot.endMs = r.double('endMs');
  if (!Number.isFinite(snapshot.startMs) || !Number.isFinite(snapshot.endMs)) {
    throw new StatsDecodeError('interval timestamps are not finite');
  }
  for (const field of COUNTERS) snapshot[field] = r.uvarint(field);
  const extensionCount = r.uvarint('extension count');
  if (extensionCount > MAX_EXTENSIONS) throw new StatsDecodeError(`${extensionCount} extensions is implausible`);
  for (let e = 0; e < extensionCount; e++) {
    const key = r.string('extension key');
    const type = r.string('extension type');
    const nameCount = r.uvarint('extension name count');
    if (nameCount > MAX_EXTENSION_NAMES) throw new StatsDecodeError(`${nameCount} counters in extension ${key}`);
    const counters = snapshot.extension(key, type);
    for (let n = 0; n < nameCount; n++) {
      const name = r.string('extension counter name');
      counters.add(name, r.svarint('extension counter value'));
    }
  }
  const compressed = (flags & FLAG_COMPRESSED) !== 0;
  const histogramBytes = r.slice('histogram');
  const intendedBytes = (flags & FLAG_FROM_INTENDED_START) !== 0 ? r.slice('from-intended-start histogram') : null;
  if (r.remaining !== 0) throw new StatsDecodeError(`${r.remaining} unexpected bytes after the histogram`);
  decodeHistogramPart(histogramBytes, compressed, snapshot.histogram);
  if (intendedBytes !== null) decodeHistogramPart(intendedBytes, compressed, snapshot.intendedHistogram());
  return snapshot;
}

function decodeHistogramPart(bytes: Uint8Array, compressed: boolean, into: StatsHistogram): void {
  const cookieByte = bytes[3];
  if (bytes.length >= 4 && (cookieByte === 0x14) !== compressed) {
    throw new StatsDecodeError('histogram compression does not match the flags');
  }
  try {
    decodeHistogramInto(bytes, into, 'replace');
  } catch (error) {
    if (error instanceof HistogramDecodeError) throw new StatsDecodeError(error.message);
    throw error;
  }
}
