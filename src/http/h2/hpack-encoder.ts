// HPACK encoding for requests. The client never inserts into the encoder's dynamic table (every
// field is indexed from the static table or a literal without indexing), so a header block does not
// depend on the connection: a request head that never changes is encoded once and reused on every
// connection, whatever the server's SETTINGS_HEADER_TABLE_SIZE.

import { huffmanEncode, huffmanEncodedLength } from './huffman.js';
import { staticNameIndex, staticPairIndex } from './static-table.js';

/** Writes an integer with an N-bit prefix; `flags` are the bits above the prefix in the first byte. */
export function writeInteger(out: Uint8Array, offset: number, value: number, prefixBits: number, flags: number): number {
  let at = offset;
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out[at++] = flags | value;
    return at;
  }
  out[at++] = flags | max;
  let rest = value - max;
  while (rest >= 0x80) {
    out[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[at++] = rest;
  return at;
}

/** Most bytes `writeString` may take for a latin1 string of `length` characters. */
export function maxStringBytes(length: number): number {
  return length + 6;
}

/** Writes a string literal, Huffman-coded when `huffman` and shorter. */
export function writeString(out: Uint8Array, offset: number, text: string, huffman: boolean): number {
  if (huffman) {
    const encoded = huffmanEncodedLength(text);
    if (encoded < text.length) {
      const at = writeInteger(out, offset, encoded, 7, 0x80);
      return huffmanEncode(text, out, at);
    }
  }
  let at = writeInteger(out, offset, text.length, 7, 0);
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i) & 0xff;
  return at;
}

/** Most bytes `writeField` may take. */
export function maxFieldBytes(name: string, value: string): number {
  return 1 + 5 + maxStringBytes(name.length) + maxStringBytes(value.length);
}

/**
 * Writes one field (name must be lower case): indexed when the static table has the pair, otherwise
 * a literal without indexing (with the static name index when there is one).
 */
export function writeField(out: Uint8Array, offset: number, name: string, value: string, huffman: boolean): number {
  const pair = staticPairIndex(name, value);
  if (pair !== 0) return writeInteger(out, offset, pair, 7, 0x80);
  const nameIndex = staticNameIndex(name);
  let at: number;
  if (nameIndex !== 0) {
    at = writeInteger(out, offset, nameIndex, 4, 0);
  } else {
    at = writeInteger(out, offset, 0, 4, 0);
    at = writeString(out, at, name, huffman);
  }
  return writeString(out, at, value, huffman);
}

/** Encodes a field list to a new buffer (for heads encoded once; Huffman-coded where shorter). */
export function encodeFields(fields: ReadonlyArray<readonly [string, string]>): Buffer {
  let max = 0;
  for (const [name, value] of fields) max += maxFieldBytes(name, value);
  const out = Buffer.allocUnsafe(max);
  let at = 0;
  for (const [name, value] of fields) at = writeField(out, at, name, value, true);
  return Buffer.from(out.subarray(0, at));
}
