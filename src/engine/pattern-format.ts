/**
 * The value transformations of `${format:var}` in patterns, each matching what Hyperfoil's Java gives:
 * URLEncoder (UTF-8), Base64, java.util.Formatter integer conversions and Java regex replacement.
 */
import { EngineCompileError } from './errors.js';

const HEX = '0123456789ABCDEF';

function isUnreserved(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39)
    || code === 0x2e || code === 0x2d || code === 0x2a || code === 0x5f; // . - * _
}

/** `java.net.URLEncoder.encode(text, UTF_8)`: space → `+`, `[A-Za-z0-9.*_-]` kept, the rest as %XX of UTF-8. */
export function urlEncodeJava(text: string): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if (!isUnreserved(text.charCodeAt(i))) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (isUnreserved(code)) {
      out += text[i];
      continue;
    }
    if (code === 0x20) {
      out += '+';
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      out += '%3F'; // a lone surrogate: Java's encoder substitutes '?'
    } else if (code < 0x80) {
      out += pct(code);
    } else if (code < 0x800) {
      out += pct(0xc0 | (code >> 6)) + pct(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      out += pct(0xe0 | (code >> 12)) + pct(0x80 | ((code >> 6) & 0x3f)) + pct(0x80 | (code & 0x3f));
    } else {
      out += pct(0xf0 | (code >> 18)) + pct(0x80 | ((code >> 12) & 0x3f)) + pct(0x80 | ((code >> 6) & 0x3f))
        + pct(0x80 | (code & 0x3f));
    }
  }
  return out;
}

function pct(byte: number): string {
  return `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Integer formats (`%05d`, `%x`, `%-8o`, `%,d`…)

export interface IntFormat {
  readonly leftJustify: boolean;
  readonly alternate: boolean;
  readonly plus: boolean;
  readonly space: boolean;
  readonly zeroPad: boolean;
  readonly grouping: boolean;
  readonly parentheses: boolean;
  readonly width: number;
  readonly conversion: 'd' | 'o' | 'x' | 'X';
}

/** Validates flags as java.util.Formatter does for an Integer argument; throws EngineCompileError otherwise. */
export function compileIntFormat(flags: string, width: number, conversion: 'd' | 'o' | 'x' | 'X', at = ''): IntFormat {
  const spec = `%${flags}${width > 0 ? width : ''}${conversion}`;
  const bad = (why: string): never => {
    throw new EngineCompileError(`invalid integer format \`${spec}\`: ${why}`, at);
  };
  const seen = new Set<string>();
  for (const flag of flags) {
    if (!'-#+ 0,('.includes(flag)) bad(`unknown flag \`${flag}\``);
    if (seen.has(flag)) bad(`flag \`${flag}\` repeated`);
    seen.add(flag);
  }
  const format: IntFormat = {
    leftJustify: seen.has('-'),
    alternate: seen.has('#'),
    plus: seen.has('+'),
    space: seen.has(' '),
    zeroPad: seen.has('0'),
    grouping: seen.has(','),
    parentheses: seen.has('('),
    width,
    conversion,
  };
  if (format.leftJustify && format.zeroPad) bad('`-` and `0` cannot be combined');
  if (format.plus && format.space) bad('`+` and ` ` cannot be combined');
  if ((format.leftJustify || format.zeroPad) && width <= 0) bad('`-` and `0` need a width');
  if (conversion === 'd' && format.alternate) bad('`#` does not apply to `d`');
  if (conversion !== 'd' && (format.plus || format.space || format.grouping || format.parentheses)) {
    bad(`\`+\`, \` \`, \`,\` and \`(\` only apply to \`d\``);
  }
  return format;
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Formats an integer like java.util.Formatter with an Integer (or a Long outside the int range). */
export function formatInt(value: number, format: IntFormat): string {
  const integer = Math.trunc(value);
  let body: string;
  let prefix = '';
  let suffix = '';
  if (format.conversion === 'd') {
    const negative = integer < 0;
    let digits = String(Math.abs(integer));
    if (format.grouping) digits = groupThousands(digits);
    if (negative) {
      if (format.parentheses) {
        prefix = '(';
        suffix = ')';
      } else {
        prefix = '-';
      }
    } else if (format.plus) {
      prefix = '+';
    } else if (format.space) {
      prefix = ' ';
    }
    body = digits;
  } else {
    // Negative numbers print as unsigned two's complement: 32 bits for an int, 64 for a long.
    let unsigned: bigint;
    if (integer >= 0) unsigned = BigInt(integer);
    else if (integer >= INT_MIN && integer <= INT_MAX) unsigned = BigInt(integer) + (1n << 32n);
    else unsigned = BigInt.asUintN(64, BigInt(integer));
    body = unsigned.toString(format.conversion === 'o' ? 8 : 16);
    if (format.alternate) prefix = format.conversion === 'o' ? '0' : '0x';
    if (format.conversion === 'X') {
      body = body.toUpperCase();
      prefix = prefix.toUpperCase();
    }
  }
  const length = prefix.length + body.length + suffix.length;
  if (length >= format.width) return prefix + body + suffix;
  const padding = format.width - length;
  if (format.zeroPad) return prefix + '0'.repeat(padding) + body + suffix;
  if (format.leftJustify) return prefix + body + suffix + ' '.repeat(padding);
  return ' '.repeat(padding) + prefix + body + suffix;
}

function groupThousands(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Regex replacement

export interface CompiledReplace {
  readonly regex: RegExp;
  readonly replacement: string;
}

/**
 * Translates a Java regex + replacement to JavaScript: leading inline flags `(?i)`, `(?s)`, `(?m)` become RegExp
 * flags; in the replacement `$n` and `${name}` are group references and `\x` is a literal x. Syntax JavaScript does
 * not know (possessive quantifiers, `\p{Alpha}`…) is a compile error.
 */
export function compileReplace(regex: string, replacement: string, global: boolean, at = ''): CompiledReplace {
  let source = regex;
  let flags = global ? 'g' : '';
  const inline = /^\(\?([ism]+)\)/.exec(source);
  if (inline) {
    for (const flag of inline[1]!) if (!flags.includes(flag)) flags += flag;
    source = source.slice(inline[0].length);
  }
  // Unicode mode only when the regex uses property classes: it is stricter than Java about other escapes.
  if (/\\[pP]\{/.test(source)) flags += 'u';
  let compiled: RegExp;
  try {
    compiled = new RegExp(source, flags);
  } catch (error) {
    throw new EngineCompileError(`invalid regular expression \`${regex}\` in replace: ${(error as Error).message}`, at);
  }
  return { regex: compiled, replacement: javaReplacementToJs(replacement, regex, at) };
}

function javaReplacementToJs(replacement: string, regex: string, at: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) {
        throw new EngineCompileError(`the replacement \`${replacement}\` for \`${regex}\` ends with a lone \`\\\``, at);
      }
      const escaped = replacement[i]!;
      out += escaped === '$' ? '$$' : escaped;
    } else if (c === '$') {
      const rest = replacement.slice(i + 1);
      const named = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(rest);
      const numbered = /^\d+/.exec(rest);
      if (named) {
        out += `$<${named[1]}>`;
        i += named[0].length;
      } else if (numbered) {
        out += `$${numbered[0]}`;
        i += numbered[0].length;
      } else {
        throw new EngineCompileError(
          `the replacement \`${replacement}\` for \`${regex}\` has a \`$\` that is not a group reference; write \`\\$\` for a literal dollar`, at);
      }
    } else {
      out += c;
    }
  }
  return out;
}
