/**
 * A small streaming HTML tag scanner: fed a body in chunks of any size, it reports the attributes of the tags it
 * was asked about (`<form action=…>`, `<img src=…>`, `<meta http-equiv=… content=…>`). It understands quoted and
 * unquoted attribute values, comments, `<!…>`/`<?…>` declarations and the raw text of `<script>`/`<style>` (no tags
 * are seen inside). It does not decode character references or build a tree.
 *
 * The scanner (what to look for) is compiled once; the state of one document is an `HtmlScanState` kept by the
 * caller (per session or per request) and reset per document. Names are compared as lower-case ASCII bytes;
 * only values of wanted attributes are copied, into the state's reusable buffer.
 */

export interface HtmlListener {
  /** A wanted tag starts (before its attributes). */
  onTagStart(tagIndex: number): void;
  /** A wanted attribute of a wanted tag: `value[0, length)` is valid only during the call. */
  onAttribute(tagIndex: number, attributeIndex: number, value: Buffer, length: number): void;
  /** The wanted tag's `>` was reached. */
  onTagEnd(tagIndex: number): void;
}

export interface TagWanted {
  readonly tag: string;
  readonly attributes: readonly string[];
}

const S_TEXT = 0;
const S_TAG_OPEN = 1;
const S_MARKUP = 2;
const S_MARKUP_DASH = 3;
const S_COMMENT = 4;
const S_BOGUS = 5;
const S_TAG_NAME = 6;
const S_END_TAG = 7;
const S_BEFORE_ATTR = 8;
const S_SELF_CLOSE = 9;
const S_ATTR_NAME = 10;
const S_AFTER_ATTR_NAME = 11;
const S_BEFORE_VALUE = 12;
const S_VALUE_QUOTED = 13;
const S_VALUE_UNQUOTED = 14;
const S_RAW = 15;
const S_RAW_LT = 16;
const S_RAW_END = 17;

const NAME_BYTES = 64;
const MAX_VALUE_BYTES = 64 * 1024;

const RAW_SCRIPT = Buffer.from('script', 'latin1');
const RAW_STYLE = Buffer.from('style', 'latin1');

export class HtmlScanState {
  state = S_TEXT;
  readonly name = Buffer.alloc(NAME_BYTES);
  nameLength = 0;
  /** Index of the current tag among the wanted ones, or -1. */
  tag = -1;
  /** Index of the current attribute among the tag's wanted ones, or -1. */
  attribute = -1;
  value = Buffer.alloc(256);
  valueLength = 0;
  quote = 0;
  dashes = 0;
  /** The current tag opens raw text (`script`/`style`), and which. */
  raw: Buffer | null = null;
  rawMatched = 0;

  reset(): void {
    this.state = S_TEXT;
    this.nameLength = 0;
    this.tag = -1;
    this.attribute = -1;
    this.valueLength = 0;
    this.raw = null;
    this.rawMatched = 0;
    this.dashes = 0;
  }

  appendValue(byte: number): void {
    if (this.valueLength === this.value.length) {
      if (this.value.length >= MAX_VALUE_BYTES) return;
      const grown = Buffer.alloc(Math.min(MAX_VALUE_BYTES, this.value.length * 2));
      this.value.copy(grown, 0, 0, this.valueLength);
      this.value = grown;
    }
    this.value[this.valueLength++] = byte;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function isLetter(c: number): boolean {
  const l = lower(c);
  return l >= 0x61 && l <= 0x7a;
}

function sameName(name: Buffer, length: number, wanted: Buffer): boolean {
  if (length !== wanted.length) return false;
  for (let i = 0; i < length; i++) if (name[i] !== wanted[i]) return false;
  return true;
}

export class HtmlScanner {
  private readonly tags: Buffer[];
  private readonly attributes: Buffer[][];

  constructor(wanted: readonly TagWanted[]) {
    this.tags = wanted.map((w) => Buffer.from(w.tag.toLowerCase(), 'latin1'));
    this.attributes = wanted.map((w) => w.attributes.map((a) => Buffer.from(a.toLowerCase(), 'latin1')));
  }

  scan(st: HtmlScanState, listener: HtmlListener, data: Buffer, offset: number, length: number): void {
    const end = offset + length;
    let i = offset;
    while (i < end) {
      const c = data[i]!;
      switch (st.state) {
        case S_TEXT: {
          const lt = data.indexOf(0x3c, i);
          if (lt < 0 || lt >= end) return;
          i = lt + 1;
          st.state = S_TAG_OPEN;
          continue;
        }
        case S_TAG_OPEN:
          if (c === 0x21) st.state = S_MARKUP; // !
          else if (c === 0x2f) st.state = S_END_TAG; // /
          else if (c === 0x3f) st.state = S_BOGUS; // ?
          else if (isLetter(c)) {
            st.nameLength = 0;
            st.name[st.nameLength++] = lower(c);
            st.state = S_TAG_NAME;
          } else {
            st.state = S_TEXT;
            continue; // not a tag: look at this byte as text
          }
          break;
        case S_MARKUP:
          if (c === 0x2d) st.state = S_MARKUP_DASH;
          else st.state = c === 0x3e ? S_TEXT : S_BOGUS;
          break;
        case S_MARKUP_DASH:
          if (c === 0x2d) {
            st.dashes = 0;
            st.state = S_COMMENT;
          } else {
            st.state = c === 0x3e ? S_TEXT : S_BOGUS;
          }
          break;
        case S_COMMENT:
          if (c === 0x2d) st.dashes++;
          else if (c === 0x3e && st.dashes >= 2) st.state = S_TEXT;
          else st.dashes = 0;
          break;
        case S_BOGUS:
        case S_END_TAG:
          if (c === 0x3e) st.state = S_TEXT;
          break;
        case S_TAG_NAME:
          if (isSpace(c)) {
            this.tagNamed(st, listener);
            st.state = S_BEFORE_ATTR;
          } else if (c === 0x2f) {
            this.tagNamed(st, listener);
            st.state = S_SELF_CLOSE;
          } else if (c === 0x3e) {
            this.tagNamed(st, listener);
            this.tagEnd(st, listener, false);
          } else if (st.nameLength < NAME_BYTES) {
            st.name[st.nameLength++] = lower(c);
          }
          break;
        case S_BEFORE_ATTR:
          if (isSpace(c)) break;
          if (c === 0x3e) this.tagEnd(st, listener, false);
          else if (c === 0x2f) st.state = S_SELF_CLOSE;
          else this.startAttribute(st, c);
          break;
        case S_SELF_CLOSE:
          if (c === 0x3e) this.tagEnd(st, listener, true);
          else {
            st.state = S_BEFORE_ATTR;
            continue;
          }
          break;
        case S_ATTR_NAME:
          if (c === 0x3d) {
            this.attributeNamed(st);
            st.state = S_BEFORE_VALUE;
          } else if (isSpace(c)) {
            this.attributeNamed(st);
            st.state = S_AFTER_ATTR_NAME;
          } else if (c === 0x3e || c === 0x2f) {
            this.attributeNamed(st);
            this.emptyValue(st, listener);
            if (c === 0x3e) this.tagEnd(st, listener, false);
            else st.state = S_SELF_CLOSE;
          } else if (st.nameLength < NAME_BYTES) {
            st.name[st.nameLength++] = lower(c);
          }
          break;
        case S_AFTER_ATTR_NAME:
          if (isSpace(c)) break;
          if (c === 0x3d) {
            st.state = S_BEFORE_VALUE;
          } else {
            this.emptyValue(st, listener);
            if (c === 0x3e) this.tagEnd(st, listener, false);
            else if (c === 0x2f) st.state = S_SELF_CLOSE;
            else this.startAttribute(st, c);
          }
          break;
        case S_BEFORE_VALUE:
          if (isSpace(c)) break;
          st.valueLength = 0;
          if (c === 0x22 || c === 0x27) {
            st.quote = c;
            st.state = S_VALUE_QUOTED;
          } else if (c === 0x3e) {
            this.emptyValue(st, listener);
            this.tagEnd(st, listener, false);
          } else {
            if (st.attribute >= 0) st.appendValue(c);
            st.state = S_VALUE_UNQUOTED;
          }
          break;
        case S_VALUE_QUOTED: {
          const close = data.indexOf(st.quote, i);
          const stop = close < 0 || close >= end ? end : close;
          if (st.attribute >= 0) for (let k = i; k < stop; k++) st.appendValue(data[k]!);
          if (stop === end) return;
          this.valueDone(st, listener);
          st.state = S_BEFORE_ATTR;
          i = stop + 1;
          continue;
        }
        case S_VALUE_UNQUOTED:
          if (isSpace(c)) {
            this.valueDone(st, listener);
            st.state = S_BEFORE_ATTR;
          } else if (c === 0x3e) {
            this.valueDone(st, listener);
            this.tagEnd(st, listener, false);
          } else if (st.attribute >= 0) {
            st.appendValue(c);
          }
          break;
        case S_RAW: {
          const lt = data.indexOf(0x3c, i);
          if (lt < 0 || lt >= end) return;
          i = lt + 1;
          st.state = S_RAW_LT;
          continue;
        }
        case S_RAW_LT:
          if (c === 0x2f) {
            st.rawMatched = 0;
            st.state = S_RAW_END;
          } else {
            st.state = S_RAW;
            continue;
          }
          break;
        case S_RAW_END: {
          const raw = st.raw!;
          if (st.rawMatched < raw.length && lower(c) === raw[st.rawMatched]) {
            st.rawMatched++;
          } else if (st.rawMatched === raw.length && (isSpace(c) || c === 0x3e)) {
            st.raw = null;
            st.state = c === 0x3e ? S_TEXT : S_END_TAG;
          } else {
            st.state = S_RAW;
            continue;
          }
          break;
        }
        default:
          st.state = S_TEXT;
      }
      i++;
    }
  }

  private tagNamed(st: HtmlScanState, listener: HtmlListener): void {
    st.tag = -1;
    for (let t = 0; t < this.tags.length; t++) {
      if (sameName(st.name, st.nameLength, this.tags[t]!)) {
        st.tag = t;
        break;
      }
    }
    st.raw = sameName(st.name, st.nameLength, RAW_SCRIPT) ? RAW_SCRIPT : sameName(st.name, st.nameLength, RAW_STYLE) ? RAW_STYLE : null;
    if (st.tag >= 0) listener.onTagStart(st.tag);
  }

  private startAttribute(st: HtmlScanState, c: number): void {
    st.nameLength = 0;
    st.name[st.nameLength++] = lower(c);
    st.state = S_ATTR_NAME;
  }

  private attributeNamed(st: HtmlScanState): void {
    st.attribute = -1;
    st.valueLength = 0;
    if (st.tag < 0) return;
    const wanted = this.attributes[st.tag]!;
    for (let a = 0; a < wanted.length; a++) {
      if (sameName(st.name, st.nameLength, wanted[a]!)) {
        st.attribute = a;
        return;
      }
    }
  }

  private emptyValue(st: HtmlScanState, listener: HtmlListener): void {
    st.valueLength = 0;
    this.valueDone(st, listener);
  }

  private valueDone(st: HtmlScanState, listener: HtmlListener): void {
    if (st.attribute >= 0) listener.onAttribute(st.tag, st.attribute, st.value, st.valueLength);
    st.attribute = -1;
  }

  private tagEnd(st: HtmlScanState, listener: HtmlListener, selfClosing: boolean): void {
    if (st.tag >= 0) listener.onTagEnd(st.tag);
    st.tag = -1;
    st.attribute = -1;
    if (st.raw !== null && !selfClosing) {
      st.state = S_RAW;
    } else {
      st.raw = null;
      st.state = S_TEXT;
    }
  }
}
