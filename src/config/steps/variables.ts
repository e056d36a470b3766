/**
 * Steps and actions that write session variables: `set`, `setInt`, `unset`, `addToInt`, `stringToInt`, `template`,
 * `timestamp`. Each config type is what the engine compiles into a runtime step.
 */
import { bool, INVALID, int, listOrSingle, map, object, optional, str } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { intComparisons } from '../conditions.js';
import type { IntComparisons } from '../conditions.js';
import { exactlyOne, fail, forms, inline, ok } from '../forms.js';
import { intSource, javaInt } from '../int-source.js';
import type { IntSource, Pattern, VarRef } from '../model.js';
import { pattern } from '../patterns.js';
import { parseVarRef, varRef } from '../var-ref.js';
import type { Parsed } from '../../lib/index.js';
import { splitArrow } from './common.js';

// ---------------------------------------------------------------------------------------------------------------
// set

export type SetValue =
  /** A constant text (`set: var <- value`, or `value:`). */
  | { readonly kind: 'text'; readonly text: string }
  /**
   * A new array of `size` unset slots (`objectArray`/`intArray`); with `fromVar`, slots are copied from the array or
   * list in that variable, or all set to its value when it holds a single value.
   */
  | { readonly kind: 'objectArray' | 'intArray'; readonly size: number; readonly fromVar?: VarRef };

/** `set`: sets an object variable. */
export interface SetConfig {
  readonly var: VarRef;
  readonly value: SetValue;
}

const arrayInit = object({
  size: optional(int({ min: 1, max: 0x7fffffff }), 'Number of elements.'),
  fromVar: optional(varRef, 'Initial contents: an array or list to copy, or a value for every element.'),
}, { what: 'an array (`size`, `fromVar`)' });

function parseSetInline(text: string): Parsed<SetConfig> {
  const at = text.indexOf('<-');
  if (at < 0) return fail(`expected \`variable <- value\`, got \`${text}\``);
  const ref = parseVarRef(text.slice(0, at));
  if (!ref.ok) return fail(`expected \`variable <- value\`, got \`${text}\`: ${ref.message}`);
  return ok({ var: ref.value, value: { kind: 'text', text: text.slice(at + 2).trim() } });
}

export const setCodec: Codec<SetConfig> = forms<SetConfig>('set', {
  inline: inline('`variable <- value`', parseSetInline),
  mapping: map(
    object({
      var: optional(varRef, 'Variable name.'),
      value: optional(str, 'Text value.'),
      objectArray: optional(arrayInit, 'Set the variable to a new array of unset object slots.'),
      intArray: optional(arrayInit, 'Set the variable to a new array of unset int slots.'),
    }, { what: 'set' }),
    (v, node, cx): Decoded<SetConfig> => {
      if (v.var === undefined) {
        cx.problem(node, 'set needs `var`, the variable to set');
        return INVALID;
      }
      const key = exactlyOne(v, ['value', 'objectArray', 'intArray'], 'set', node, cx);
      if (key === 'value' && v.value !== undefined) return { var: v.var, value: { kind: 'text', text: v.value } };
      const array = key === 'objectArray' ? v.objectArray : key === 'intArray' ? v.intArray : undefined;
      if (!array || (key !== 'objectArray' && key !== 'intArray')) return INVALID;
      if (array.size === undefined) {
        cx.problem(node, `set.${key} needs \`size\`, a positive number of elements`);
        return INVALID;
      }
      return { var: v.var, value: { kind: key, size: array.size, ...(array.fromVar ? { fromVar: array.fromVar } : {}) } };
    },
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// setInt

export type SetIntValue =
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'fromVar'; readonly fromVar: VarRef }
  /** The minimum (or maximum) of the listed values. */
  | { readonly kind: 'min' | 'max'; readonly of: readonly IntSource[] };

/** `setInt`: sets an int variable. */
export interface SetIntConfig {
  readonly var: VarRef;
  readonly value: SetIntValue;
  /** Leave the variable alone when it is already set. */
  readonly onlyIfNotSet: boolean;
  /** Set only when the variable's current value passes these comparisons (empty: always). */
  readonly intCondition: IntComparisons;
}

function parseSetIntInline(text: string): Parsed<SetIntConfig> {
  const parts = splitArrow(text, '<-', '`variable <- value` such as `count <- 0`');
  if (!parts.ok) return parts;
  const ref = parseVarRef(parts.value[0]);
  if (!ref.ok) return ref;
  const raw = parts.value[1];
  if (!/^[-+]?\d+$/.test(raw) || Math.abs(Number(raw)) > 2147483648) {
    return fail(`expected \`variable <- value\` with a whole number as the value, got \`${text}\``);
  }
  return ok({ var: ref.value, value: { kind: 'value', value: Number(raw) }, onlyIfNotSet: false, intCondition: [] });
}

const intList = listOrSingle(intSource);

export const setIntCodec: Codec<SetIntConfig> = forms<SetIntConfig>('setInt', {
  inline: inline('`variable <- value` such as `count <- 0`', parseSetIntInline),
  mapping: map(
    object({
      var: optional(varRef, 'Variable name.'),
      value: optional(javaInt, 'Constant value.'),
      fromVar: optional(varRef, 'Copy the value of this variable.'),
      min: optional(intList, 'Set to the minimum of these values.'),
      max: optional(intList, 'Set to the maximum of these values.'),
      onlyIfNotSet: optional(bool, 'Do not overwrite a value already set. Default false.'),
      intCondition: optional(intComparisons, 'Set only if the current value satisfies these comparisons.'),
    }, { what: 'setInt' }),
    (v, node, cx): Decoded<SetIntConfig> => {
      if (v.var === undefined) {
        cx.problem(node, 'setInt needs `var`, the variable to set');
        return INVALID;
      }
      const key = exactlyOne(v, ['value', 'fromVar', 'min', 'max'], 'setInt', node, cx);
      let value: SetIntValue;
      if (key === 'value' && v.value !== undefined) value = { kind: 'value', value: v.value };
      else if (key === 'fromVar' && v.fromVar !== undefined) value = { kind: 'fromVar', fromVar: v.fromVar };
      else if ((key === 'min' || key === 'max') && v[key] !== undefined) {
        const of = v[key] as IntSource[];
        if (of.length === 0) {
          cx.problem(node, `setInt.${key} needs at least one value`);
          return INVALID;
        }
        value = { kind: key, of };
      } else return INVALID;
      return { var: v.var, value, onlyIfNotSet: v.onlyIfNotSet ?? false, intCondition: v.intCondition ?? [] };
    },
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// unset, addToInt, stringToInt

/** `unset`: undefines a variable. */
export interface UnsetConfig {
  readonly var: VarRef;
}

export const unsetCodec: Codec<UnsetConfig> = forms<UnsetConfig>('unset', {
  inline: map(varRef, (ref) => ({ var: ref })),
  mapping: map(object({ var: optional(varRef, 'Variable name.') }, { what: 'unset' }), (v, node, cx): Decoded<UnsetConfig> => {
    if (v.var === undefined) {
      cx.problem(node, 'unset needs `var`');
      return INVALID;
    }
    return { var: v.var };
  }),
});

/** `addToInt`: adds `value` to an int variable; when it is unset, sets it to `orElseSetTo` if given (else fails). */
export interface AddToIntConfig {
  readonly var: VarRef;
  /** Never 0. */
  readonly value: number;
  readonly orElseSetTo?: number;
}

const ADD_USAGE = '`var++`, `var--`, `var += value` or `var -= value`';

export function parseAddToIntInline(text: string): Parsed<{ name: string; value: number }> {
  let name: string;
  let value: number;
  if (text.endsWith('++') || text.endsWith('--')) {
    name = text.slice(0, -2).trim();
    value = text.endsWith('++') ? 1 : -1;
  } else {
    const match = /^(.*?)\s*([+-])=\s*(.*)$/.exec(text);
    if (!match) return fail(`expected ${ADD_USAGE}, got \`${text}\``);
    name = (match[1] ?? '').trim();
    const operand = (match[3] ?? '').trim();
    if (!/^[-+]?\d+$/.test(operand) || Math.abs(Number(operand)) > 2147483647) {
      return fail(`expected ${ADD_USAGE} with a whole number, got \`${text}\``);
    }
    value = match[2] === '-' ? -Number(operand) : Number(operand);
  }
  if (name === '') return fail(`expected ${ADD_USAGE}, got \`${text}\`: the variable name is missing`);
  return ok({ name, value });
}

function checkAddValue(config: AddToIntConfig, what: string): Parsed<AddToIntConfig> {
  return config.value === 0 ? fail(`${what}: adding 0 does nothing; use a non-zero \`value\``) : ok(config);
}

export const addToIntCodec: Codec<AddToIntConfig> = forms<AddToIntConfig>('addToInt', {
  inline: inline(ADD_USAGE, (text) => {
    const parsed = parseAddToIntInline(text);
    if (!parsed.ok) return parsed;
    const ref = parseVarRef(parsed.value.name);
    return ref.ok ? checkAddValue({ var: ref.value, value: parsed.value.value }, 'addToInt') : ref;
  }),
  mapping: map(
    object({
      var: optional(varRef, 'Variable name.'),
      value: optional(javaInt, 'Amount to add (may be negative).'),
      orElseSetTo: optional(javaInt, 'When the variable is not set, set it to this instead of adding.'),
    }, { what: 'addToInt' }),
    (v, node, cx): Decoded<AddToIntConfig> => {
      if (v.var === undefined || v.value === undefined) {
        cx.problem(node, `addToInt needs ${v.var === undefined ? '`var`' : '`value`'}`);
        return INVALID;
      }
      const checked = checkAddValue({ var: v.var, value: v.value, ...(v.orElseSetTo !== undefined ? { orElseSetTo: v.orElseSetTo } : {}) }, 'addToInt');
      if (!checked.ok) {
        cx.problem(node, checked.message);
        return INVALID;
      }
      return checked.value;
    },
  ),
});

/** `stringToInt`: parses the text in `fromVar` into the int variable `toVar`; on a parse failure `toVar` is left alone. */
export interface StringToIntConfig {
  readonly fromVar: VarRef;
  readonly toVar: VarRef;
}

function fromTo<C extends { fromVar: VarRef; toVar: VarRef }>(what: string, text: string): Parsed<C> {
  const parts = splitArrow(text, '->', '`fromVar -> toVar`');
  if (!parts.ok) return parts;
  const from = parseVarRef(parts.value[0]);
  const to = parseVarRef(parts.value[1]);
  if (!from.ok) return fail(`${what}: ${from.message}`);
  if (!to.ok) return fail(`${what}: ${to.message}`);
  return ok({ fromVar: from.value, toVar: to.value } as C);
}

export const stringToIntCodec: Codec<StringToIntConfig> = forms<StringToIntConfig>('stringToInt', {
  inline: inline('`fromVar -> toVar`', (text) => fromTo<StringToIntConfig>('stringToInt', text)),
  mapping: map(
    object({ fromVar: optional(varRef, 'Source variable.'), toVar: optional(varRef, 'Target int variable.') }, { what: 'stringToInt' }),
    (v, node, cx): Decoded<StringToIntConfig> => {
      if (v.fromVar === undefined || v.toVar === undefined) {
        cx.problem(node, `stringToInt needs ${v.fromVar === undefined ? '`fromVar`' : '`toVar`'}`);
        return INVALID;
      }
      return { fromVar: v.fromVar, toVar: v.toVar };
    },
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// template, timestamp

/** `template`: renders `pattern` into `toVar`. */
export interface TemplateConfig {
  readonly pattern: Pattern;
  readonly toVar: VarRef;
}

export const templateCodec: Codec<TemplateConfig> = forms<TemplateConfig>('template', {
  mapping: map(
    object({ pattern: optional(pattern, 'Pattern to render, e.g. `${user}:${password}`.'), toVar: optional(varRef, 'Target variable.') }, { what: 'template' }),
    (v, node, cx): Decoded<TemplateConfig> => {
      if (v.pattern === undefined || v.toVar === undefined) {
        cx.problem(node, `template needs ${v.pattern === undefined ? '`pattern`' : '`toVar`'}`);
        return INVALID;
      }
      return { pattern: v.pattern, toVar: v.toVar };
    },
  ),
});

/** `timestamp`: stores the current wall-clock time as text. */
export interface TimestampConfig {
  readonly toVar: VarRef;
  /** A Java SimpleDateFormat pattern (`pattern:`); absent = milliseconds since the epoch, in decimal. */
  readonly dateFormat?: string;
  /** 2-letter ISO country of the formatting locale. Default `US`. */
  readonly localeCountry: string;
}

export const timestampCodec: Codec<TimestampConfig> = forms<TimestampConfig>('timestamp', {
  inline: map(varRef, (toVar) => ({ toVar, localeCountry: 'US' })),
  mapping: map(
    object({
      toVar: optional(varRef, 'Target variable.'),
      pattern: optional(str, 'SimpleDateFormat pattern, e.g. `yyyy-MM-dd HH:mm:ss`.'),
      localeCountry: optional(str, '2-letter ISO country code of the formatter locale; default US.'),
    }, { what: 'timestamp' }),
    (v, node, cx): Decoded<TimestampConfig> => {
      if (v.toVar === undefined) {
        cx.problem(node, 'timestamp needs `toVar`');
        return INVALID;
      }
      if (v.localeCountry !== undefined && !/^[A-Za-z]{2}$/.test(v.localeCountry.trim())) {
        cx.problem(node, `timestamp.localeCountry must be a 2-letter ISO country code, got \`${v.localeCountry}\``);
        return INVALID;
      }
      return { toVar: v.toVar, ...(v.pattern !== undefined ? { dateFormat: v.pattern } : {}), localeCountry: (v.localeCountry ?? 'US').trim().toUpperCase() };
    },
  ),
});


