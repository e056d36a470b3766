// The static Huffman code of HPACK (RFC 7541 Appendix B). The code is canonical, so the table below
// keeps only each symbol's code length (symbols 0..255 and EOS = 256); codes are derived from it.
//
// Decoding walks a table of 4-bit steps: each state is an inner node of the code tree, and one nibble
// moves to another node, emitting at most one symbol (the shortest code has 5 bits).

const EOS = 256;

// prettier-ignore
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,];

/** Code of each symbol (right-aligned) and its length in bits. */
export const HUFFMAN_CODES = new Uint32Array(257);
export const HUFFMAN_LENGTHS = new Uint8Array(257);

// Decoding tables, 16 entries per state: next state, emitted symbol + 1 (0: none), and a failure mark.
let stateCount = 0;
let nextState = new Uint16Array(0);
let emitted = new Uint16Array(0);
let failed = new Uint8Array(0);
/** 1 when the state may end a string: it lies on the all-ones path (EOS prefix) no deeper than 7 bits. */
let acceptsEnd = new Uint8Array(0);

function build(): void {
  const symbols = Array.from({ length: 257 }, (_, i) => i).sort((a, b) => CODE_LENGTHS[a]! - CODE_LENGTHS[b]! || a - b);
  let code = 0;
  let previousLength = CODE_LENGTHS[symbols[0]!]!;
  for (const symbol of symbols) {
    const length = CODE_LENGTHS[symbol]!;
    code = code * 2 ** (length - previousLength);
    previousLength = length;
    HUFFMAN_CODES[symbol] = code;
    HUFFMAN_LENGTHS[symbol] = length;
    code++;
  }
  // The code tree: node 0 is the root; children[2n + bit] is a node (>= 0) or ~symbol for a leaf.
  const EMPTY = -0x20000;
  const children: number[] = [EMPTY, EMPTY];
  const depth: number[] = [0];
  const onesPath: boolean[] = [true];
  for (let symbol = 0; symbol <= EOS; symbol++) {
    const length = HUFFMAN_LENGTHS[symbol]!;
    const value = HUFFMAN_CODES[symbol]!;
    let node = 0;
    for (let bit = length - 1; bit >= 0; bit--) {
      const b = Math.floor(value / 2 ** bit) & 1;
      const slot = node * 2 + b;
      if (bit === 0) {
        children[slot] = ~symbol;
      } else {
        if (children[slot] === EMPTY) {
          const created = depth.length;
          depth.push(depth[node]! + 1);
          onesPath.push(onesPath[node]! && b === 1);
          children.push(EMPTY, EMPTY);
          children[slot] = created;
        }
        node = children[slot]!;
      }
    }
  }
  stateCount = depth.length;
  nextState = new Uint16Array(stateCount * 16);
  emitted = new Uint16Array(stateCount * 16);
  failed = new Uint8Array(stateCount * 16);
  acceptsEnd = new Uint8Array(stateCount);
  for (let state = 0; state < stateCount; state++) {
    acceptsEnd[state] = onesPath[state]! && depth[state]! <= 7 ? 1 : 0;
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let symbol = -1;
      let bad = false;
      for (let bit = 3; bit >= 0; bit--) {
        const child = children[node * 2 + ((nibble >> bit) & 1)]!;
        if (child >= 0) {
          node = child;
        } else {
          const s = ~child;
          if (s === EOS) bad = true; // EOS inside a string is an error (RFC 7541 §5.2)
          symbol = s;
          node = 0;
        }
      }
      const entry = state * 16 + nibble;
      nextState[entry] = node;
      emitted[entry] = symbol < 0 || bad ? 0 : symbol + 1;
      failed[entry] = bad ? 1 : 0;
    }
  }
}
build();

/**
 * Decodes `src[start, end)` into `out` from `outOffset`. Returns the end offset in `out`, or -1 when the
 * input is not a valid Huffman string (EOS inside, padding longer than 7 bits or not all ones) or
 * `out` is too small.
 */
export function huffmanDecode(src: Uint8Array, start: number, end: number, out: Uint8Array, outOffset: number): number {
  let state = 0;
  let at = outOffset;
  const limit = out.length;
  for (let i = start; i < end; i++) {
    const byte = src[i]!;
    let entry = state * 16 + (byte >> 4);
    if (failed[entry] === 1) return -1;
    let symbol = emitted[entry]!;
    if (symbol !== 0) {
      if (at >= limit) return -1;
      out[at++] = symbol - 1;
    }
    state = nextState[entry]!;
    entry = state * 16 + (byte & 15);
    if (failed[entry] === 1) return -1;
    symbol = emitted[entry]!;
    if (symbol !== 0) {
      if (at >= limit) return -1;
      out[at++] = symbol - 1;
    }
    state = nextState[entry]!;
  }
  return acceptsEnd[state] === 1 ? at : -1;
}

/** Bytes `huffmanEncode` writes for the latin1 string `text`. */
export function huffmanEncodedLength(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i++) bits += HUFFMAN_LENGTHS[text.charCodeAt(i) & 0xff]!;
  return Math.ceil(bits / 8);
}

/** Huffman-encodes the latin1 string `text` into `out` at `offset`; returns the end offset. */
export function huffmanEncode(text: string, out: Uint8Array, offset: number): number {
  let at = offset;
  let pending = 0; // bits not yet written, right-aligned in `acc`
  let acc = 0;
  for (let i = 0; i < text.length; i++) {
    const symbol = text.charCodeAt(i) & 0xff;
    let length = HUFFMAN_LENGTHS[symbol]!;
    const code = HUFFMAN_CODES[symbol]!;
    // Feed the code in chunks small enough to keep `acc` within 32 bits.
    while (length > 0) {
      const take = length > 16 ? length - 16 : length;
      const part = Math.floor(code / 2 ** (length - take)) & ((1 << take) - 1);
      acc = ((acc << take) | part) >>> 0;
      pending += take;
      length -= take;
      while (pending >= 8) {
        pending -= 8;
        out[at++] = (acc >>> pending) & 0xff;
      }
      acc &= (1 << pending) - 1;
    }
  }
  if (pending > 0) out[at++] = ((acc << (8 - pending)) | ((1 << (8 - pending)) - 1)) & 0xff;
  return at;
}
