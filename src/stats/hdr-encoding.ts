// HdrHistogram's standard "V2" binary encoding, plain and compressed (zlib/deflate), the format Java's
// Histogram.encodeIntoCompressedByteBuffer writes and HdrHistogram implementations in every language read.
// Layout (big-endian): cookie, payload length, normalizing index offset, significant digits, lowest
// discernible value, highest trackable value, integer-to-double ratio (a double), then the counts as
// ZigZag LEB128 varints (at most 9 bytes each) where a negative number -n stands for n empty buckets.
// Compressed: cookie, compressed length, then the zlib-deflated plain encoding.
//
// We write it directly into a Buffer (the library only offers base64 strings and does not validate input), and
// the decoder checks every field so that truncated or random bytes fail with a clear HistogramDecodeError
// instead of allocating huge arrays or producing silent garbage.
import { deflateSync, inflateSync } from 'node:zlib';
import {
  BUCKET_LOWEST_NS,
  COUNTS_LENGTH,
  countsOf,
  HISTOGRAM_HIGHEST_TRACKABLE_NS,
  HISTOGRAM_SIGNIFICANT_DIGITS,
  lastNonEmptyIndex,
  maxBucketCount,
  recomputeTracking,
  resetHistogram,
  type StatsHistogram,
} from './histogram.js';

const PLAIN_COOKIE = 0x1c849303 | 0x10;
const COMPRESSED_COOKIE = 0x1c849304 | 0x10;
const HEADER_BYTES = 40;
const MAX_VARINT_BYTES = 9;
/** Largest possible plain encoding of our layout: header plus one maximal varint per bucket. */
const MAX_PLAIN_BYTES = HEADER_BYTES + MAX_VARINT_BYTES * COUNTS_LENGTH;
const TWO_POW_32 = 2 ** 32;

export class HistogramDecodeError extends Error {
  override readonly name = 'HistogramDecodeError';
  constructor(message: string) {
    super(`Cannot decode HdrHistogram: ${message}`);
  }
}

export interface HistogramEncodeOptions {
  /** Deflate the encoding (HdrHistogram's "compressed" form). Default true. */
  readonly compress?: boolean;
  /** zlib level 0..9 when compressing (default: zlib's default, 6). */
  readonly level?: number;
}

/** Encode `histogram` (our layout) in the V2 format, compressed unless `compress: false`. */
export function encodeHistogram(histogram: StatsHistogram, options: HistogramEncodeOptions = {}): Buffer {
  const plain = encodePlain(histogram);
  if (options.compress === false) return plain;
  const deflated = deflateSync(plain, options.level === undefined ? {} : { level: options.level });
  const out = Buffer.allocUnsafe(8 + deflated.length);
  out.writeInt32BE(COMPRESSED_COOKIE, 0);
  out.writeInt32BE(deflated.length, 4);
  deflated.copy(out, 8);
  return out;
}

function encodePlain(histogram: StatsHistogram): Buffer {
  const counts = countsOf(histogram);
  const last = lastNonEmptyIndex(histogram);
  const out = Buffer.allocUnsafe(HEADER_BYTES + MAX_VARINT_BYTES * (last + 1));
  out.writeInt32BE(PLAIN_COOKIE, 0);
  out.writeInt32BE(0, 8); // normalizing index offset
  out.writeInt32BE(HISTOGRAM_SIGNIFICANT_DIGITS, 12);
  out.writeUInt32BE(0, 16); // lowest discernible value = 1 (int64)
  out.writeUInt32BE(1, 20);
  writeUint64(out, 24, HISTOGRAM_HIGHEST_TRACKABLE_NS);
  out.writeDoubleBE(1.0, 32); // integer to double conversion ratio
  let pos = HEADER_BYTES;
  let i = 0;
  while (i <= last) {
    const count = counts[i++]!;
    if (count < 0 || !Number.isSafeInteger(count)) {
      throw new RangeError(`cannot encode a histogram with bucket count ${count} at index ${i - 1}`);
    }
    if (count === 0) {
      let zeros = 1;
      while (i <= last && counts[i] === 0) {
        zeros++;
        i++;
      }
      pos = writeZigZag(out, pos, zeros > 1 ? -zeros : 0);
    } else {
      pos = writeZigZag(out, pos, count);
    }
  }
  out.writeInt32BE(pos - HEADER_BYTES, 4);
  return out.subarray(0, pos);
}

function writeUint64(out: Buffer, offset: number, value: number): void {
  out.writeUInt32BE(Math.floor(value / TWO_POW_32), offset);
  out.writeUInt32BE(value % TWO_POW_32, offset + 4);
}

/** ZigZag then LEB128, 7 bits per byte; values here stay below 2^55, so 8 bytes always suffice. */
function writeZigZag(out: Buffer, pos: number, value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  while (v >= 0x80) {
    out[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  out[pos++] = v;
  return pos;
}

export type DecodeMode = 'replace' | 'add';

/**
 * Decode V2 bytes (plain or compressed) into `target`: replacing its content, or adding to it.
 * Throws HistogramDecodeError on anything malformed; `target` is then unchanged in 'add' mode only if the
 * error is detected before the counts (header errors), so callers should discard it on error.
 */
export function decodeHistogramInto(bytes: Uint8Array, target: StatsHistogram, mode: DecodeMode = 'replace'): void {
  if (bytes.length < 8) throw new HistogramDecodeError(`${bytes.length} bytes is too short for a header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cookie = view.getInt32(0);
  let plain: Uint8Array;
  if (cookie === COMPRESSED_COOKIE) {
    const length = view.getInt32(4);
    if (length < 0 || 8 + length !== bytes.length) {
      throw new HistogramDecodeError(
        `compressed length field says ${length} bytes but ${bytes.length - 8} follow the header`,
      );
    }
    try {
      plain = inflateSync(bytes.subarray(8), { maxOutputLength: MAX_PLAIN_BYTES });
    } catch (error) {
      throw new HistogramDecodeError(`deflated payload is corrupt (${(error as Error).message})`);
    }
  } else if (cookie === PLAIN_COOKIE) {
    plain = bytes;
  } else {
    throw new HistogramDecodeError(`unknown cookie 0x${(cookie >>> 0).toString(16)} (not a V2 HdrHistogram encoding)`);
  }
  decodePlain(plain, target, mode);
}

function decodePlain(bytes: Uint8Array, target: StatsHistogram, mode: DecodeMode): void {
  if (bytes.length < HEADER_BYTES) {
    throw new HistogramDecodeError(`${bytes.length} bytes is too short for the ${HEADER_BYTES}-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(0) !== PLAIN_COOKIE) throw new HistogramDecodeError('inner cookie is not a V2 plain encoding');
  const payloadLength = view.getInt32(4);
  if (payloadLength < 0 || HEADER_BYTES + payloadLength !== bytes.length) {
    throw new HistogramDecodeError(
      `payload length field says ${payloadLength} bytes but ${bytes.length - HEADER_BYTES} follow the header`,
    );
  }
  // Java writes 0 here; hdr-histogram-js writes 1 and, like us, ignores the field when decoding.
  const normalizingIndexOffset = view.getInt32(8);
  if (normalizingIndexOffset !== 0 && normalizingIndexOffset !== 1) {
    throw new HistogramDecodeError(`normalizing index offset ${normalizingIndexOffset} is not supported`);
  }
  const digits = view.getInt32(12);
  if (digits !== HISTOGRAM_SIGNIFICANT_DIGITS) {
    throw new HistogramDecodeError(`${digits} significant digits, expected ${HISTOGRAM_SIGNIFICANT_DIGITS}`);
  }
  const lowest = view.getUint32(16) * TWO_POW_32 + view.getUint32(20);
  if (lowest !== 1) throw new HistogramDecodeError(`lowest discernible value ${lowest}, expected 1`);
  const highest = view.getUint32(24) * TWO_POW_32 + view.getUint32(28);
  if (highest < 2 || !Number.isSafeInteger(highest)) {
    throw new HistogramDecodeError(`highest trackable value ${highest} is out of range`);
  }
  if (mode === 'replace') resetHistogram(target);
  const counts = countsOf(target);
  const maxCount = maxBucketCount(target);
  let pos = HEADER_BYTES;
  let index = 0;
  let total = 0;
  let first = -1;
  let last = -1;
  const end = bytes.length;
  while (pos < end) {
    // ZigZag LEB128-64b9B. One-byte varints (counts below 64, short empty runs) dominate: take them first.
    let zz = bytes[pos++]!;
    if (zz >= 0x80) {
      zz &= 0x7f;
      let scale = 0x80;
      let n = 1;
      for (;;) {
        if (pos >= end) throw new HistogramDecodeError(`truncated varint at byte ${pos}`);
        const byte = bytes[pos++]!;
        if (n === 8) {
          zz += byte * scale; // the 9th byte carries 8 bits
          break;
        }
        zz += (byte & 0x7f) * scale;
        if (byte < 0x80) break;
        scale *= 0x80;
        n++;
      }
      if (!Number.isSafeInteger(zz)) throw new HistogramDecodeError(`varint too large at byte ${pos}`);
    }
    if (zz % 2 === 1) {
      index += (zz + 1) / 2; // a run of empty buckets
      if (index > COUNTS_LENGTH) throw new HistogramDecodeError('empty-bucket run goes past the last bucket');
    } else {
      if (index >= COUNTS_LENGTH) {
        throw new HistogramDecodeError(
          `bucket ${index} is beyond the ${COUNTS_LENGTH} buckets of a 60 s histogram (value too large)`,
        );
      }
      const count = zz / 2;
      if (count !== 0) {
        const next = counts[index]! + count;
        if (next > maxCount) {
          throw new HistogramDecodeError(`bucket ${index} holds ${next} samples, too many for 32-bit counts (use float64)`);
        }
        counts[index] = next;
        total += count;
        if (first < 0 && index !== 0) first = index;
        last = index;
      }
      index++;
    }
  }
  if (mode === 'add') {
    recomputeTracking(target);
  } else {
    target._totalCount = total;
    target.maxValue = last >= 0 ? BUCKET_LOWEST_NS[last]! : 0;
    target.minNonZeroValue = first >= 0 ? BUCKET_LOWEST_NS[first]! : Number.MAX_SAFE_INTEGER;
  }
}
