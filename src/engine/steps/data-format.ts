/**
 * Bytes handed to processors and how they become variable values (Hyperfoil's DataFormat), plus the per-session
 * buffer that joins the parts of one item ("defragmentation").
 *
 * STRING decodes UTF-8; BYTES copies the bytes into a Buffer of their own; BYTEBUF is treated like BYTES (Hyperfoil
 * keeps the network buffer itself; ours is reused once the processor returns, so we must copy).
 */
import type { DataFormat } from '../../config/steps/index.js';
import { valueToString } from '../pattern.js';

export function convertBytes(format: DataFormat, data: Buffer, offset: number, length: number): string | Buffer {
  if (format === 'STRING') return data.toString('utf8', offset, offset + length);
  return Buffer.from(data.subarray(offset, offset + length));
}

/** The bytes of a variable's value: bytes as they are, anything else as the UTF-8 of its text. */
export function bytesOfValue(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(valueToString(value), 'utf8');
}

/** Capacity above which an accumulator gives its buffer back after use (one huge body should not stay pinned). */
const RETAIN_LIMIT_BYTES = 256 * 1024;

/**
 * Joins parts of one item. Reused per session (or per sequence instance): allocation happens only when an item is
 * larger than anything seen before.
 */
export class ByteAccumulator {
  buffer: Buffer = EMPTY;
  length = 0;

  append(data: Buffer, offset: number, length: number): void {
    const needed = this.length + length;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2, 256));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    data.copy(this.buffer, this.length, offset, offset + length);
    this.length = needed;
  }

  /** Writes `text` as UTF-8 (replacing what was there), for steps that read JSON from a text variable. */
  setText(text: string): void {
    const needed = Buffer.byteLength(text, 'utf8');
    if (needed > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(needed, 256));
    this.length = this.buffer.write(text, 0, 'utf8');
  }

  get isEmpty(): boolean {
    return this.length === 0;
  }

  clear(): void {
    this.length = 0;
    if (this.buffer.length > RETAIN_LIMIT_BYTES) this.buffer = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);
