/**
 * Hyperfoil's string interpolation ("patterns"), compiled when the benchmark is read so that a malformed pattern is a
 * problem at its position rather than a failure at run time.
 *
 *   `${var}`                       the value of a session variable (`${var[.]}` for the sequence-scoped element)
 *   `$${…}`                        a literal `${…}` (the first `$` escapes)
 *   `${urlencode:var}`             URL-encoded (form encoding, UTF-8)
 *   `${base64encode:var}`          Base64 of the UTF-8 bytes; `${base64decode:var}` the reverse
 *   `${%05d:var}`                  printf-style integer format; the conversion must be d, o, x or X
 *   `${replace/re/rep/flags:var}`  regular-expression replacement; any character after `replace` separates the
 *                                  parts; flag `g` replaces every match (default: the first only)
 */
import type { Parsed } from '../lib/index.js';
import { scalar } from './codec.js';
import type { Codec } from './codec.js';
import type { Pattern, PatternFormat, PatternPart } from './model.js';
import { parseVarRef } from './var-ref.js';

export interface PatternOptions {
  /**
   * The rendered text is URL-encoded as a whole (form field values): `${urlencode:…}` inside it would encode twice,
   * so it is refused.
   */
  readonly urlEncoded?: boolean;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** printf flags Java's Formatter accepts for integers. */
const INT_FORMAT = /^%([-#+ 0,(]*)(\d+)?([doxX])$/;

function parseIntFormat(format: string): Parsed<PatternFormat> {
  const match = INT_FORMAT.exec(format);
  if (!match) {
    return fail(`unknown format \`${format}\`: use \`urlencode\`, \`base64encode\`, \`base64decode\`, \`replace/regex/replacement/flags\` or an integer format such as \`%05d\` (ending in d, o, x or X)`);
  }
  const flags = match[1] ?? '';
  const width = match[2] === undefined ? 0 : Number(match[2]);
  const conversion = match[3] as 'd' | 'o' | 'x' | 'X';
  const has = (flag: string): boolean => flags.includes(flag);
  if (new Set(flags).size !== flags.length) return fail(`format \`${format}\` repeats a flag`);
  if ((has('-') || has('0')) && width === 0) return fail(`format \`${format}\`: flags \`-\` and \`0\` need a width, e.g. \`%05d\``);
  if (has('-') && has('0')) return fail(`format \`${format}\`: flags \`-\` and \`0\` cannot be combined`);
  if (has('+') && has(' ')) return fail(`format \`${format}\`: flags \`+\` and \` \` cannot be combined`);
  if (conversion === 'd' && has('#')) return fail(`format \`${format}\`: flag \`#\` does not apply to \`d\``);
  if (conversion !== 'd' && /[+ ,(]/.test(flags)) {
    return fail(`format \`${format}\`: flags \`+\`, \` \`, \`,\` and \`(\` apply only to \`d\``);
  }
  return ok({ kind: 'int', flags, width, conversion });
}

function parseFormat(format: string, options: PatternOptions): Parsed<PatternFormat> {
  switch (format) {
    case 'urlencode':
      if (options.urlEncoded) return fail('`${urlencode:…}` is not allowed here: this value is URL-encoded as a whole already');
      return ok({ kind: 'urlencode' });
    case 'base64encode': return ok({ kind: 'base64encode' });
    case 'base64decode': return ok({ kind: 'base64decode' });
    default: return parseIntFormat(format);
  }
}

interface Expression {
  readonly part: PatternPart;
  /** Index just after the closing `}`. */
  readonly end: number;
}

function variablePart(text: string, format: PatternFormat, whole: string): Parsed<PatternPart> {
  if (text.trim() === '') return fail(`\`${whole}\` names no variable`);
  const ref = parseVarRef(text);
  if (!ref.ok) return ref;
  return ok({ kind: 'var', ref: ref.value, format });
}

/** `replace<sep>regex<sep>replacement<sep>flags:var}` starting at `start` (just after `replace`). */
function parseReplace(source: string, start: number, open: number): Parsed<Expression> {
  const sep = source[start];
  const shown = (end: number): string => source.slice(open, end);
  if (sep === undefined || sep === ':' || sep === '}') {
    return fail(`\`${shown(start + 1)}\`: write \`\${replace/regex/replacement/flags:var}\` (any character may replace \`/\`)`);
  }
  const regexEnd = source.indexOf(sep, start + 1);
  const replacementEnd = regexEnd < 0 ? -1 : source.indexOf(sep, regexEnd + 1);
  if (regexEnd < 0 || replacementEnd < 0) {
    return fail(`\`${shown(source.length)}\`: expected \`replace${sep}regex${sep}replacement${sep}flags:var\`, three \`${sep}\` in all`);
  }
  const colon = source.indexOf(':', replacementEnd + 1);
  const close = colon < 0 ? -1 : source.indexOf('}', colon + 1);
  if (colon < 0) return fail(`\`${shown(source.length)}\`: missing \`:variable\` after the flags`);
  if (close < 0) return fail(`\`${shown(source.length)}\` has no closing \`}\``);
  const regex = source.slice(start + 1, regexEnd);
  const replacement = source.slice(regexEnd + 1, replacementEnd);
  const flags = source.slice(replacementEnd + 1, colon).trim();
  if (!/^g?$/.test(flags)) return fail(`\`${shown(close + 1)}\`: unknown flags \`${flags}\` (only \`g\`, replace every match, is supported)`);
  if (regex === '') return fail(`\`${shown(close + 1)}\`: the regular expression is empty`);
  try {
    new RegExp(regex);
  } catch (error) {
    return fail(`\`${shown(close + 1)}\`: invalid regular expression \`${regex}\`: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  const part = variablePart(source.slice(colon + 1, close), { kind: 'replace', regex, replacement, global: flags === 'g' }, shown(close + 1));
  return part.ok ? ok({ part: part.value, end: close + 1 }) : part;
}

function parseExpression(source: string, open: number, options: PatternOptions): Parsed<Expression> {
  const start = open + 2;
  const lead = /^\s*replace/.exec(source.slice(start));
  // `${replace}` alone is a variable named `replace`; `${replace<sep>…}` is the replace format
  if (lead && !/^(\s*\}|[\w.-])/.test(source.slice(start + lead[0].length))) {
    return parseReplace(source, start + lead[0].length, open);
  }
  const close = source.indexOf('}', start);
  if (close < 0) {
    return fail(`\`${source.slice(open)}\` has no closing \`}\` (write \`$\${\` for a literal \`\${\`)`);
  }
  const inner = source.slice(start, close);
  const whole = source.slice(open, close + 1);
  const colon = inner.indexOf(':');
  let format: PatternFormat = { kind: 'plain' };
  let name = inner;
  if (colon >= 0) {
    const parsedFormat = parseFormat(inner.slice(0, colon).trim(), options);
    if (!parsedFormat.ok) return fail(`\`${whole}\`: ${parsedFormat.message}`);
    format = parsedFormat.value;
    name = inner.slice(colon + 1);
  }
  const part = variablePart(name, format, whole);
  return part.ok ? ok({ part: part.value, end: close + 1 }) : fail(part.message.startsWith('`') ? part.message : `\`${whole}\`: ${part.message}`);
}

/** Compiles a pattern; adjacent literal text is merged into one part. */
export function compilePattern(source: string, options: PatternOptions = {}): Parsed<Pattern> {
  const parts: PatternPart[] = [];
  let literal = '';
  let index = 0;
  for (;;) {
    const open = source.indexOf('${', index);
    if (open < 0) {
      literal += source.slice(index);
      break;
    }
    if (open > 0 && source[open - 1] === '$') {
      literal += `${source.slice(index, open - 1)}\${`;
      index = open + 2;
      continue;
    }
    literal += source.slice(index, open);
    const expression = parseExpression(source, open, options);
    if (!expression.ok) return expression;
    if (literal !== '') parts.push({ kind: 'literal', text: literal });
    literal = '';
    parts.push(expression.value.part);
    index = expression.value.end;
  }
  if (literal !== '') parts.push({ kind: 'literal', text: literal });
  return ok({ source, parts });
}

/** A verbatim text as a pattern (its `${` are escaped in `source`, so recompiling the source gives the same parts). */
export function literalPattern(text: string): Pattern {
  return { source: text.replace(/\$\{/g, () => '$${'), parts: text === '' ? [] : [{ kind: 'literal', text }] };
}

/** True when the pattern has no variables: its text is known when the benchmark is read. */
export function constantText(pattern: Pattern): string | undefined {
  let text = '';
  for (const part of pattern.parts) {
    if (part.kind !== 'literal') return undefined;
    text += part.text;
  }
  return text;
}

export function patternCodec(options: PatternOptions = {}): Codec<Pattern> {
  return scalar('a text with optional `${variable}` interpolation', (text) => compilePattern(text, options), {
    type: 'string',
    description: 'A pattern: `${var}`, `${urlencode:var}`, `${base64encode:var}`, `${%05d:var}`, `${replace/re/rep/g:var}`; `$${` for a literal `${`.',
  });
}

export const pattern: Codec<Pattern> = patternCodec();
