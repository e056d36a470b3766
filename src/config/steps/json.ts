/**
 * `json`, as a processor (applied to a response body) and as a step (applied to the text in `fromVar`).
 * Queries are a subset of jq: `.a.b`, `.[]` (every element), `.[n]`, `.[s:e]` (s and e inclusive, either may be
 * omitted), e.g. `.items[].id`. Selected parts go to `processor`s, or to the `toVar` / `toArray` shortcuts.
 */
import { bool, INVALID, map, object, optional, str } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import type { DecodeContext } from '../context.js';
import { fail, forms, inline, ok, valueNodeOf } from '../forms.js';
import type { Pattern, VarRef } from '../model.js';
import { pattern } from '../patterns.js';
import { arrayTarget, parseVarRef, varRef } from '../var-ref.js';
import type { ArrayTarget } from '../var-ref.js';
import type { Parsed } from '../../lib/index.js';
import type { Node as YNode } from 'yaml';
import { dataFormat } from './common.js';
import type { DataFormat } from './common.js';
import type { ActionSpec, ProcessorSpec } from './index.js';
import { actionList, processorList } from './lists.js';

export type JsonQueryPart =
  | { readonly kind: 'attribute'; readonly name: string }
  /** Array elements from `start` to `end`, both inclusive; no `end` = to the last element. `[]` is start 0, no end. */
  | { readonly kind: 'array'; readonly start: number; readonly end?: number };

export function parseJsonQuery(query: string): Parsed<JsonQueryPart[]> {
  if (!query.startsWith('.')) return fail(`a JSON query starts with \`.\`, e.g. \`.items[].id\`; got \`${query}\``);
  const parts: JsonQueryPart[] = [];
  let i = 1;
  while (i < query.length) {
    const c = query[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      const close = query.indexOf(']', i);
      if (close < 0) return fail(`\`${query}\`: \`[\` without \`]\``);
      const inside = query.slice(i + 1, close).trim();
      const range = /^(\d*)\s*(?::\s*(\d*))?$/.exec(inside);
      if (!range) return fail(`\`${query}\`: \`[${inside}]\` is not \`[]\`, \`[n]\` or \`[start:end]\``);
      const startText = range[1] ?? '';
      const endText = range[2];
      if (endText === undefined) {
        parts.push(startText === '' ? { kind: 'array', start: 0 } : { kind: 'array', start: Number(startText), end: Number(startText) });
      } else {
        const start = startText === '' ? 0 : Number(startText);
        if (endText !== '' && Number(endText) < start) return fail(`\`${query}\`: in \`[${inside}]\` the end is before the start`);
        parts.push(endText === '' ? { kind: 'array', start } : { kind: 'array', start, end: Number(endText) });
      }
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < query.length && query[end] !== '.' && query[end] !== '[') end++;
    const name = query.slice(i, end);
    if (name.includes(']')) return fail(`\`${query}\`: unexpected \`]\``);
    parts.push({ kind: 'attribute', name });
    i = end;
  }
  return ok(parts);
}

export type JsonTransformer =
  /** Replace the selected value with the rendered pattern (which must itself be valid JSON, quotes included). */
  | { readonly kind: 'pattern'; readonly pattern: Pattern }
  /** Store the selected value in `var` (as `format`), run `actions`, then replace it with the rendered `pattern`. */
  | { readonly kind: 'actions'; readonly var: VarRef; readonly format: DataFormat; readonly actions: readonly ActionSpec[]; readonly pattern: Pattern };

const patternTransformer: Codec<JsonTransformer> = forms<JsonTransformer>('replace.pattern', {
  inline: map(pattern, (p) => ({ kind: 'pattern' as const, pattern: p })),
  mapping: map(object({ pattern: optional(pattern, 'The replacement pattern.') }, { what: 'replace.pattern' }), (v, node, cx): Decoded<JsonTransformer> => {
    if (v.pattern === undefined) {
      cx.problem(node, 'replace.pattern needs `pattern`');
      return INVALID;
    }
    return { kind: 'pattern', pattern: v.pattern };
  }),
});

const actionsTransformer: Codec<JsonTransformer> = map(
  object({
    var: optional(varRef, 'Variable that receives the selected value.'),
    format: optional(dataFormat, 'How the value is stored; default STRING.'),
    actions: optional(actionList, 'Actions run before the pattern is rendered.'),
    pattern: optional(pattern, 'Pattern rendered as the replacement.'),
  }, { what: 'replace.actions' }),
  (v, node, cx): Decoded<JsonTransformer> => {
    if (v.var === undefined || v.pattern === undefined) {
      cx.problem(node, `replace.actions needs ${v.var === undefined ? '`var`' : '`pattern`'}`);
      return INVALID;
    }
    return { kind: 'actions', var: v.var, format: v.format ?? 'STRING', actions: v.actions ?? [], pattern: v.pattern };
  },
);

const transformer: Codec<JsonTransformer> = forms<JsonTransformer>('replace', {
  inline: map(pattern, (p) => ({ kind: 'pattern' as const, pattern: p })),
  mapping: map(
    object({ pattern: optional(patternTransformer), actions: optional(actionsTransformer) }, { what: 'replace' }),
    (v, node, cx): Decoded<JsonTransformer> => {
      if ((v.pattern === undefined) === (v.actions === undefined)) {
        cx.problem(node, 'replace takes one of `pattern` or `actions`');
        return INVALID;
      }
      return (v.pattern ?? v.actions) as JsonTransformer;
    },
  ),
});

/** `json` as a processor: parses the JSON it is given and passes the selected parts on. */
export interface JsonProcessorConfig {
  readonly query: string;
  readonly selectors: readonly JsonQueryPart[];
  /** Unquote and unescape selected strings before passing them on. Default true. */
  readonly unquote: boolean;
  /** Remove the selected parts; the processors then receive the whole modified JSON. */
  readonly delete: boolean;
  /** Replace the selected parts; the processors then receive the whole modified JSON. */
  readonly replace?: JsonTransformer;
  readonly processors: readonly ProcessorSpec[];
  /** Shortcut: store the first match in this variable. */
  readonly toVar?: VarRef;
  /** Shortcut: store the matches in an array variable of this size. */
  readonly toArray?: ArrayTarget;
  /** Format of `toVar` / `toArray` values. Default STRING. */
  readonly format: DataFormat;
}

/** `json` as a step: the same, applied to the text held in `fromVar`. */
export interface JsonStepConfig extends JsonProcessorConfig {
  readonly fromVar: VarRef;
}

const query = map(str, (text, node, cx): Decoded<string> => {
  const parsed = parseJsonQuery(text.trim());
  if (!parsed.ok) {
    cx.problem(node, parsed.message);
    return INVALID;
  }
  return text.trim();
});

const jsonProps = {
  query: optional(query, 'Query selecting parts of the JSON, e.g. `.items[].id`.'),
  toVar: optional(varRef, 'Store the first match in this variable.'),
  toArray: optional(arrayTarget, 'Store matches in an array variable: `name[maxSize]`.'),
  format: optional(dataFormat, 'Format of `toVar`/`toArray` values: STRING (default), BYTES or BYTEBUF.'),
  processor: optional(processorList, 'Processors receiving the selected parts.'),
  delete: optional(bool, 'Delete the selected parts and pass the modified JSON on.'),
  replace: optional(transformer, 'Replace the selected parts (a pattern, or {pattern | actions}) and pass the modified JSON on.'),
  unquote: optional(bool, 'Unquote selected strings. Default true.'),
};

interface JsonProps {
  query?: string; toVar?: VarRef; toArray?: ArrayTarget; format?: DataFormat; processor?: ProcessorSpec[];
  delete?: boolean; replace?: JsonTransformer; unquote?: boolean;
}

function jsonConfigOf(v: JsonProps, what: string, node: YNode, cx: DecodeContext): Decoded<JsonProcessorConfig> {
  if (v.query === undefined) {
    cx.problem(node, `${what} needs \`query\`, e.g. \`.items[].id\``);
    return INVALID;
  }
  if (v.toVar !== undefined && v.toArray !== undefined) {
    cx.problem(valueNodeOf(node, 'toArray', cx) ?? node, `${what} takes only one of \`toVar\` and \`toArray\``);
    return INVALID;
  }
  if (v.delete && v.replace !== undefined) {
    cx.problem(valueNodeOf(node, 'replace', cx) ?? node, `${what} takes only one of \`delete\` and \`replace\``);
    return INVALID;
  }
  const processors = v.processor ?? [];
  if (processors.length === 0 && v.toVar === undefined && v.toArray === undefined) {
    cx.problem(node, `${what} needs \`processor\`, \`toVar\` or \`toArray\` to receive what the query selects`);
    return INVALID;
  }
  const selectors = parseJsonQuery(v.query);
  if (!selectors.ok) return INVALID;
  return {
    query: v.query, selectors: selectors.value, unquote: v.unquote ?? true, delete: v.delete ?? false,
    ...(v.replace ? { replace: v.replace } : {}), processors,
    ...(v.toVar ? { toVar: v.toVar } : {}), ...(v.toArray ? { toArray: v.toArray } : {}), format: v.format ?? 'STRING',
  };
}

const JSON_USAGE = '`.query -> variable` or `variable <- .query`';

/** Inline `json: .a.b -> var` or `json: var <- .a.b`. */
function parseJsonInline(text: string): Parsed<{ query: string; toVar: VarRef }> {
  let queryText: string | undefined;
  let varText: string | undefined;
  const right = text.indexOf('->');
  const left = text.indexOf('<-');
  if (right >= 0) {
    queryText = text.slice(0, right).trim();
    varText = text.slice(right + 2).trim();
  } else if (left >= 0) {
    varText = text.slice(0, left).trim();
    queryText = text.slice(left + 2).trim();
  } else {
    return fail(`expected ${JSON_USAGE}, got \`${text}\``);
  }
  const selectors = parseJsonQuery(queryText);
  if (!selectors.ok) return selectors;
  const ref = parseVarRef(varText);
  if (!ref.ok) return ref;
  return ok({ query: queryText, toVar: ref.value });
}

function inlineConfig(text: string): Parsed<JsonProcessorConfig> {
  const parsed = parseJsonInline(text);
  if (!parsed.ok) return parsed;
  const selectors = parseJsonQuery(parsed.value.query);
  if (!selectors.ok) return selectors;
  return ok({
    query: parsed.value.query, selectors: selectors.value, unquote: true, delete: false, processors: [],
    toVar: parsed.value.toVar, format: 'STRING',
  });
}

export const jsonProcessorCodec: Codec<JsonProcessorConfig> = forms<JsonProcessorConfig>('json', {
  inline: inline(JSON_USAGE, inlineConfig),
  mapping: map(object(jsonProps, { what: 'json' }), (v, node, cx) => jsonConfigOf(v, 'json', node, cx)),
});

export const jsonStepCodec: Codec<JsonStepConfig> = forms<JsonStepConfig>('json', {
  inline: inline(JSON_USAGE, (): Parsed<JsonStepConfig> => fail('as a step, json reads the JSON from `fromVar`, which the inline form cannot name: write `{fromVar: …, query: …, toVar: …}`')),
  mapping: map(
    object({ ...jsonProps, fromVar: optional(varRef, 'Variable holding the JSON text.') }, { what: 'json (step)' }),
    (v, node, cx): Decoded<JsonStepConfig> => {
      const config = jsonConfigOf(v, 'json', node, cx);
      if (config === INVALID) return INVALID;
      if (v.fromVar === undefined) {
        cx.problem(node, 'the json step needs `fromVar`, the variable holding the JSON (in a response handler, use it under `body:`)');
        return INVALID;
      }
      return { ...config, fromVar: v.fromVar };
    },
  ),
});
