// HPACK decoder (RFC 7541) with the dynamic table and Huffman strings. One per connection: the
// table is the connection's state, so a block that fails to decode ends the connection.
//
// Never throws: `decode` returns an error message or null. Strings taken from the tables are
// reused, so a response made of indexed fields allocates nothing.

import { huffmanDecode } from './huffman.js';
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from './static-table.js';

export interface HeaderFieldSink {
  onHeaderField(name: string, value: string): void;
}

/** RFC 7541 §4.1: every entry costs its name and value bytes plus 32. */
const ENTRY_OVERHEAD = 32;
/** Integers above this are refused (no header block needs them; keeps arithmetic exact). */
const MAX_INTEGER = 0x7fffffff;

let scratch = Buffer.allocUnsafeSlow(4096);

// Decoded strings by their encoded bytes: servers repeat the same literals in every response (nginx
// re-sends each header with incremental indexing), so a hit saves the Huffman pass and the string.
const CACHE_ENTRIES = 64;
const CACHE_MAX_BYTES = 64;

export class HpackDecoder {
  /** The limit we announced in SETTINGS_HEADER_TABLE_SIZE: size updates above it are errors. */
  readonly maxTableBytes: number;
  /** Decoded header list size (names + values + 32 each) above which a block is refused. */
  readonly maxHeaderListBytes: number;

  /**
   * Skip the values of literals not added to the table (without indexing, never indexed), except for
   * pseudo-headers: `sink` does not see those fields. For a consumer that does not want the headers.
   */
  skipUnindexedValues = false;

  private tableLimitBytes: number;
  private tableBytes = 0;
  // Ring of dynamic entries; the newest is at `newest`, index 62 of the HPACK address space.
  private names: string[] = new Array<string>(16).fill('');
  private values: string[] = new Array<string>(16).fill('');
  private newest = 0;
  private count = 0;
  // Decode position and the current field, shared by the helpers (no tuple returns).
  private pos = 0;
  private intValue = 0;
  private text = '';
  private readonly cacheBytes = new Uint8Array(CACHE_ENTRIES * CACHE_MAX_BYTES);
  private readonly cacheLengths = new Int32Array(CACHE_ENTRIES).fill(-1);
  private readonly cacheHuffman = new Uint8Array(CACHE_ENTRIES);
  private readonly cacheTexts: string[] = new Array<string>(CACHE_ENTRIES).fill('');

  constructor(maxTableBytes = 4096, maxHeaderListBytes = 64 * 1024) {
    this.maxTableBytes = maxTableBytes;
    this.tableLimitBytes = maxTableBytes;
    this.maxHeaderListBytes = maxHeaderListBytes;
  }

  /** Entries in the dynamic table. */
  get dynamicLength(): number {
    return this.count;
  }

  /** Bytes the dynamic table holds (RFC size: name + value + 32 per entry). */
  get dynamicBytes(): number {
    return this.tableBytes;
  }

  /** Entry `i` of the dynamic table (0 = newest) as [name, value], for tests and diagnostics. */
  dynamicEntry(i: number): [string, string] {
    const at = this.slot(i);
    return [this.names[at]!, this.values[at]!];
  }

  /** Decodes one complete header block `block[start, end)`, calling `sink` per field. Null or an error message. */
  decode(block: Uint8Array, start: number, end: number, sink: HeaderFieldSink): string | null {
    this.pos = start;
    let listBytes = 0;
    let fieldSeen = false;
    while (this.pos < end) {
      const first = block[this.pos]!;
      let name: string;
      let value: string;
      if (first >= 0x80) {
        // Indexed field.
        if (!this.readInteger(block, end, 7)) return 'truncated or oversized integer';
        const index = this.intValue;
        if (index === 0) return 'indexed field with index 0';
        if (index <= STATIC_TABLE_LENGTH) {
          const entry = STATIC_TABLE[index]!;
          name = entry[0];
          value = entry[1];
        } else {
          const i = index - STATIC_TABLE_LENGTH - 1;
          if (i >= this.count) return `index ${index} is outside the dynamic table`;
          const at = this.slot(i);
          name = this.names[at]!;
          value = this.values[at]!;
        }
      } else if (first >= 0x20 && first < 0x40) {
        // Dynamic table size update: only before the first field of a block.
        if (fieldSeen) return 'table size update after a header field';
        if (!this.readInteger(block, end, 5)) return 'truncated or oversized integer';
        if (this.intValue > this.maxTableBytes) return `table size update to ${this.intValue} above the announced ${this.maxTableBytes}`;
        this.tableLimitBytes = this.intValue;
        this.evictTo(this.tableLimitBytes);
        continue;
      } else {
        // Literal: with incremental indexing (01), without indexing (0000) or never indexed (0001).
        const indexing = first >= 0x40;
        if (!this.readInteger(block, end, indexing ? 6 : 4)) return 'truncated or oversized integer';
        const nameIndex = this.intValue;
        if (nameIndex === 0) {
          const error = this.readString(block, end);
          if (error !== null) return error;
          name = this.text;
        } else if (nameIndex <= STATIC_TABLE_LENGTH) {
          name = STATIC_TABLE[nameIndex]![0];
        } else {
          const i = nameIndex - STATIC_TABLE_LENGTH - 1;
          if (i >= this.count) return `name index ${nameIndex} is outside the dynamic table`;
          name = this.names[this.slot(i)]!;
        }
        if (!indexing && this.skipUnindexedValues && name.charCodeAt(0) !== 0x3a) {
          if (this.pos >= end) return 'truncated string';
          if (!this.readInteger(block, end, 7)) return 'truncated or oversized integer';
          if (this.intValue > end - this.pos) return 'string longer than the header block';
          this.pos += this.intValue;
          fieldSeen = true;
          listBytes += name.length + this.intValue + ENTRY_OVERHEAD;
          if (listBytes > this.maxHeaderListBytes) return `header list larger than ${this.maxHeaderListBytes} bytes`;
          continue;
        }
        const error = this.readString(block, end);
        if (error !== null) return error;
        value = this.text;
        if (indexing) this.insert(name, value);
      }
      fieldSeen = true;
      listBytes += name.length + value.length + ENTRY_OVERHEAD;
      if (listBytes > this.maxHeaderListBytes) return `header list larger than ${this.maxHeaderListBytes} bytes`;
      sink.onHeaderField(name, value);
    }
    return null;
  }

  private slot(i: number): number {
    const capacity = this.names.length;
    let at = this.newest - i;
    if (at < 0) at += capacity;
    return at;
  }

  private insert(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    if (size > this.tableLimitBytes) {
      // An entry larger than the table empties it and is not added (RFC 7541 §4.4).
      this.evictTo(0);
      return;
    }
    this.evictTo(this.tableLimitBytes - size);
    if (this.count === this.names.length) this.grow();
    const capacity = this.names.length;
    this.newest = this.newest + 1 === capacity ? 0 : this.newest + 1;
    this.names[this.newest] = name;
    this.values[this.newest] = value;
    this.count++;
    this.tableBytes += size;
  }

  private evictTo(limitBytes: number): void {
    while (this.tableBytes > limitBytes && this.count > 0) {
      const at = this.slot(this.count - 1);
      this.tableBytes -= this.names[at]!.length + this.values[at]!.length + ENTRY_OVERHEAD;
      this.names[at] = '';
      this.values[at] = '';
      this.count--;
    }
  }

  private grow(): void {
    const names = new Array<string>(this.names.length * 2).fill('');
    const values = new Array<string>(this.names.length * 2).fill('');
    // Oldest first, so that the newest ends at `count - 1`.
    for (let i = this.count - 1, j = 0; i >= 0; i--, j++) {
      const at = this.slot(i);
      names[j] = this.names[at]!;
      values[j] = this.values[at]!;
    }
    this.names = names;
    this.values = values;
    this.newest = this.count - 1;
  }

  // Reads an integer with an N-bit prefix at `pos` into `intValue`; false when truncated or too large.
  private readInteger(block: Uint8Array, end: number, prefixBits: number): boolean {
    const mask = (1 << prefixBits) - 1;
    let value = block[this.pos++]! & mask;
    if (value === mask) {
      let shift = 0;
      for (;;) {
        if (this.pos >= end) return false;
        const b = block[this.pos++]!;
        value += (b & 0x7f) * 2 ** shift;
        if (value > MAX_INTEGER) return false;
        if ((b & 0x80) === 0) break;
        shift += 7;
      }
    }
    this.intValue = value;
    return true;
  }

  // Reads a string literal at `pos` into `text`; null or an error message.
  private readString(block: Uint8Array, end: number): string | null {
    if (this.pos >= end) return 'truncated string';
    const huffman = (block[this.pos]! & 0x80) !== 0;
    if (!this.readInteger(block, end, 7)) return 'truncated or oversized integer';
    const length = this.intValue;
    if (length > end - this.pos) return 'string longer than the header block';
    const start = this.pos;
    this.pos += length;
    let entry = -1;
    if (length <= CACHE_MAX_BYTES) {
      let hash = (length * 2 + (huffman ? 1 : 0)) | 0;
      for (let i = start; i < start + length; i++) hash = Math.imul(hash ^ block[i]!, 16777619);
      entry = (hash >>> 7) & (CACHE_ENTRIES - 1);
      if (this.cacheLengths[entry] === length && this.cacheHuffman[entry] === (huffman ? 1 : 0)) {
        const base = entry * CACHE_MAX_BYTES;
        let same = true;
        for (let i = 0; i < length; i++) {
          if (this.cacheBytes[base + i] !== block[start + i]) {
            same = false;
            break;
          }
        }
        if (same) {
          this.text = this.cacheTexts[entry]!;
          return null;
        }
      }
    }
    const error = this.decodeString(block, start, length, huffman);
    if (error === null && entry >= 0) {
      this.cacheBytes.set(block.subarray(start, start + length), entry * CACHE_MAX_BYTES);
      this.cacheLengths[entry] = length;
      this.cacheHuffman[entry] = huffman ? 1 : 0;
      this.cacheTexts[entry] = this.text;
    }
    return error;
  }

  private decodeString(block: Uint8Array, start: number, length: number, huffman: boolean): string | null {
    if (!huffman) {
      this.text = latin1(block, start, start + length);
      return null;
    }
    // A Huffman code is at least 5 bits, so the decoded text is at most 8/5 of the input.
    const maxOut = Math.ceil((length * 8) / 5);
    if (scratch.length < maxOut) scratch = Buffer.allocUnsafeSlow(maxOut);
    const outEnd = huffmanDecode(block, start, start + length, scratch, 0);
    if (outEnd < 0) return 'invalid Huffman string';
    this.text = scratch.toString('latin1', 0, outEnd);
    return null;
  }
}

function latin1(block: Uint8Array, start: number, end: number): string {
  if (Buffer.isBuffer(block)) return block.toString('latin1', start, end);
  return Buffer.from(block.buffer, block.byteOffset, block.byteLength).toString('latin1', start, end);
}
