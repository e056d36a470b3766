/**
 * A JSON scanner for Hyperfoil's query subset (`.a.b`, `.[]`, `.[n]`, `.[s:e]`, e.g. `.items[].id`), working on
 * the bytes of a complete document without building objects:
 *
 * - `select` reports the byte range of every selected value, in document order (zero-copy);
 * - `rewrite` returns the document with the selected values deleted or replaced.
 *
 * Only the values on the query's path are descended into; everything else is skipped by counting brackets outside
 * strings (so deep nesting costs no stack). Malformed input makes both return false / null: the caller decides.
 * Attribute names are compared as bytes; a name written with escapes is decoded first.
 */
import type { JsonQueryPart } from '../../config/steps/index.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

class JsonSyntaxError extends Error {}
const SYNTAX_ERROR = new JsonSyntaxError('malformed JSON');

interface CompiledSelector {
  readonly attribute: boolean;
  readonly name: string;
  readonly nameBytes: Buffer;
  readonly start: number;
  /** Inclusive; Infinity when open-ended. */
  readonly end: number;
}

/** Receives selected values: `data[start, end)` is the raw JSON text of one value. */
export interface MatchSink {
  match(data: Buffer, start: number, end: number): void;
}

/** Produces the replacement of a selected value (raw JSON text), or null to delete it. */
export interface ValueEditor {
  edit(data: Buffer, start: number, end: number): Buffer | null;
}

const OPEN_OBJECT_BYTES = Buffer.from('{');
const CLOSE_OBJECT_BYTES = Buffer.from('}');
const OPEN_ARRAY_BYTES = Buffer.from('[');
const CLOSE_ARRAY_BYTES = Buffer.from(']');
const COMMA_BYTES = Buffer.from(',');

export class JsonScanner {
  private readonly selectors: readonly CompiledSelector[];
  private data: Buffer = Buffer.alloc(0);
  private pos = 0;
  private end = 0;
  private sink: MatchSink | null = null;
  private editor: ValueEditor | null = null;
  private out: Buffer[] = [];
  private busy = false;

  constructor(readonly query: readonly JsonQueryPart[]) {
    this.selectors = query.map((part) => (part.kind === 'attribute'
      ? { attribute: true, name: part.name, nameBytes: Buffer.from(part.name, 'utf8'), start: 0, end: 0 }
      : { attribute: false, name: '', nameBytes: Buffer.alloc(0), start: part.start, end: part.end ?? Number.POSITIVE_INFINITY }));
  }

  /** Reports every selected value of `data[start, end)`; false when the JSON is malformed (matches so far stand). */
  select(data: Buffer, start: number, end: number, sink: MatchSink): boolean {
    if (this.busy) return new JsonScanner(this.query).select(data, start, end, sink);
    this.busy = true;
    this.data = data;
    this.pos = start;
    this.end = end;
    this.sink = sink;
    try {
      this.skipSpace();
      if (this.pos >= this.end) return false;
      this.selectValue(0);
      return true;
    } catch (error) {
      if (error instanceof JsonSyntaxError) return false;
      throw error;
    } finally {
      this.sink = null;
      this.data = EMPTY;
      this.busy = false;
    }
  }

  /** The document with each selected value replaced by `editor.edit` (null deletes it); null when malformed. */
  rewrite(data: Buffer, start: number, end: number, editor: ValueEditor): Buffer | null {
    if (this.busy) return new JsonScanner(this.query).rewrite(data, start, end, editor);
    this.busy = true;
    this.data = data;
    this.pos = start;
    this.end = end;
    this.editor = editor;
    this.out = [];
    try {
      this.skipSpace();
      if (this.pos >= this.end) return null;
      this.rewriteValue(0);
      return Buffer.concat(this.out);
    } catch (error) {
      if (error instanceof JsonSyntaxError) return null;
      throw error;
    } finally {
      this.editor = null;
      this.out = [];
      this.data = EMPTY;
      this.busy = false;
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  private selectValue(level: number): void {
    const data = this.data;
    if (level === this.selectors.length) {
      const start = this.pos;
      this.skipValue();
      this.sink!.match(data, start, this.pos);
      return;
    }
    const selector = this.selectors[level]!;
    const c = data[this.pos];
    if (selector.attribute && c === OPEN_OBJECT) {
      this.pos++;
      this.skipSpace();
      if (this.peek() === CLOSE_OBJECT) {
        this.pos++;
        return;
      }
      for (;;) {
        this.skipSpace();
        const keyStart = this.pos;
        this.skipString();
        const keyEnd = this.pos;
        this.skipSpace();
        this.expect(COLON);
        this.skipSpace();
        if (this.keyEquals(keyStart, keyEnd, selector)) this.selectValue(level + 1);
        else this.skipValue();
        this.skipSpace();
        const next = this.next();
        if (next === COMMA) continue;
        if (next === CLOSE_OBJECT) return;
        throw SYNTAX_ERROR;
      }
    } else if (!selector.attribute && c === OPEN_ARRAY) {
      this.pos++;
      this.skipSpace();
      if (this.peek() === CLOSE_ARRAY) {
        this.pos++;
        return;
      }
      for (let index = 0; ; index++) {
        this.skipSpace();
        if (index >= selector.start && index <= selector.end) this.selectValue(level + 1);
        else this.skipValue();
        this.skipSpace();
        const next = this.next();
        if (next === COMMA) continue;
        if (next === CLOSE_ARRAY) return;
        throw SYNTAX_ERROR;
      }
    } else {
      this.skipValue();
    }
  }

  /** Copies the value at `pos` to the output, rewriting what the query selects below it. */
  private rewriteValue(level: number): void {
    const data = this.data;
    const start = this.pos;
    if (level === this.selectors.length) {
      this.skipValue();
      const replacement = this.editor!.edit(data, start, this.pos);
      if (replacement !== null) this.out.push(replacement);
      return;
    }
    const selector = this.selectors[level]!;
    const c = data[this.pos];
    const last = level + 1 === this.selectors.length;
    if (selector.attribute && c === OPEN_OBJECT) {
      this.pos++;
      this.out.push(OPEN_OBJECT_BYTES);
      this.skipSpace();
      if (this.peek() === CLOSE_OBJECT) {
        this.pos++;
        this.out.push(CLOSE_OBJECT_BYTES);
        return;
      }
      let kept = 0;
      for (;;) {
        this.skipSpace();
        const keyStart = this.pos;
        this.skipString();
        const keyEnd = this.pos;
        this.skipSpace();
        this.expect(COLON);
        this.skipSpace();
        const valueStart = this.pos;
        if (this.keyEquals(keyStart, keyEnd, selector)) {
          if (last) {
            this.skipValue();
            const replacement = this.editor!.edit(data, valueStart, this.pos);
            if (replacement !== null) {
              if (kept++ > 0) this.out.push(COMMA_BYTES);
              this.out.push(data.subarray(keyStart, valueStart), replacement);
            }
          } else {
            if (kept++ > 0) this.out.push(COMMA_BYTES);
            this.out.push(data.subarray(keyStart, valueStart));
            this.rewriteValue(level + 1);
          }
        } else {
          this.skipValue();
          if (kept++ > 0) this.out.push(COMMA_BYTES);
          this.out.push(data.subarray(keyStart, this.pos));
        }
        this.skipSpace();
        const next = this.next();
        if (next === COMMA) continue;
        if (next === CLOSE_OBJECT) break;
        throw SYNTAX_ERROR;
      }
      this.out.push(CLOSE_OBJECT_BYTES);
    } else if (!selector.attribute && c === OPEN_ARRAY) {
      this.pos++;
      this.out.push(OPEN_ARRAY_BYTES);
      this.skipSpace();
      if (this.peek() === CLOSE_ARRAY) {
        this.pos++;
        this.out.push(CLOSE_ARRAY_BYTES);
        return;
      }
      let kept = 0;
      for (let index = 0; ; index++) {
        this.skipSpace();
        const valueStart = this.pos;
        if (index >= selector.start && index <= selector.end) {
          if (last) {
            this.skipValue();
            const replacement = this.editor!.edit(data, valueStart, this.pos);
            if (replacement !== null) {
              if (kept++ > 0) this.out.push(COMMA_BYTES);
              this.out.push(replacement);
            }
          } else {
            if (kept++ > 0) this.out.push(COMMA_BYTES);
            this.rewriteValue(level + 1);
          }
        } else {
          this.skipValue();
          if (kept++ > 0) this.out.push(COMMA_BYTES);
          this.out.push(data.subarray(valueStart, this.pos));
        }
        this.skipSpace();
        const next = this.next();
        if (next === COMMA) continue;
        if (next === CLOSE_ARRAY) break;
        throw SYNTAX_ERROR;
      }
      this.out.push(CLOSE_ARRAY_BYTES);
    } else {
      this.skipValue();
      this.out.push(data.subarray(start, this.pos));
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  private peek(): number {
    if (this.pos >= this.end) throw SYNTAX_ERROR;
    return this.data[this.pos]!;
  }

  private next(): number {
    if (this.pos >= this.end) throw SYNTAX_ERROR;
    return this.data[this.pos++]!;
  }

  private expect(c: number): void {
    if (this.next() !== c) throw SYNTAX_ERROR;
  }

  private skipSpace(): void {
    const data = this.data;
    while (this.pos < this.end && isSpace(data[this.pos]!)) this.pos++;
  }

  /** From an opening quote to after the closing one. */
  private skipString(): void {
    const data = this.data;
    if (this.peek() !== QUOTE) throw SYNTAX_ERROR;
    let pos = this.pos + 1;
    const end = this.end;
    while (pos < end) {
      const c = data[pos]!;
      if (c === QUOTE) {
        this.pos = pos + 1;
        return;
      }
      pos += c === BACKSLASH ? 2 : 1;
    }
    throw SYNTAX_ERROR;
  }

  /** Any value, iteratively: strings, containers (by bracket counting), numbers and literals. */
  private skipValue(): void {
    const data = this.data;
    const c = this.peek();
    if (c === QUOTE) {
      this.skipString();
      return;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 0;
      while (this.pos < this.end) {
        const b = data[this.pos]!;
        if (b === QUOTE) {
          this.skipString();
          continue;
        }
        this.pos++;
        if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
        else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          if (--depth === 0) return;
        }
      }
      throw SYNTAX_ERROR;
    }
    const start = this.pos;
    while (this.pos < this.end) {
      const b = data[this.pos]!;
      if (b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY || isSpace(b)) break;
      if (b === QUOTE || b === OPEN_OBJECT || b === OPEN_ARRAY || b === COLON) throw SYNTAX_ERROR;
      this.pos++;
    }
    if (this.pos === start) throw SYNTAX_ERROR;
  }

  /** Whether the key string `data[keyStart, keyEnd)` (quotes included) names the selector's attribute. */
  private keyEquals(keyStart: number, keyEnd: number, selector: CompiledSelector): boolean {
    const data = this.data;
    const name = selector.nameBytes;
    const length = keyEnd - keyStart - 2;
    let escaped = false;
    for (let i = keyStart + 1; i < keyEnd - 1; i++) {
      if (data[i] === BACKSLASH) {
        escaped = true;
        break;
      }
    }
    if (escaped) return unquote(data, keyStart, keyEnd) === selector.name;
    if (length !== name.length) return false;
    return data.compare(name, 0, name.length, keyStart + 1, keyEnd - 1) === 0;
  }
}

const EMPTY = Buffer.alloc(0);

/** The text of a JSON string value `data[start, end)` (quotes included). */
export function unquote(data: Buffer, start: number, end: number): string {
  return JSON.parse(data.toString('utf8', start, end)) as string;
}

/** Whether the string value `data[start, end)` has escapes (then it must be decoded, else its inside is its text). */
export function hasEscapes(data: Buffer, start: number, end: number): boolean {
  for (let i = start + 1; i < end - 1; i++) if (data[i] === BACKSLASH) return true;
  return false;
}

export function isStringValue(data: Buffer, start: number, end: number): boolean {
  return end - start >= 2 && data[start] === QUOTE;
}
