/**
 * Conditions on session variables, as used by `breakSequence`, `conditional`, `fail`, `setInt`, header handlers and
 * the collection filters:
 *   intCondition     `var >= 3` inline, or {fromVar, isSet, equalTo, notEqualTo, greaterThan, greaterOrEqualTo,
 *                    lessThan, lessOrEqualTo} (each an int or {value | fromVar}); all given comparisons must hold
 *   stringCondition  {fromVar, isSet, value/equalTo | notEqualTo | startsWith | endsWith | matchVar, caseSensitive,
 *                    length, negate}
 *   boolCondition    {fromVar, value}
 *   allConditions    a list of the above (AND)
 * A component takes at most one of the four keys (Hyperfoil: "Condition already set").
 */
import type { Node as YNode } from 'yaml';
import { bool, INVALID, map, named, object, optional, str } from './codec.js';
import type { Codec, Decoded } from './codec.js';
import type { DecodeContext } from './context.js';
import { atMostOne, fail, forms, inline, ok, present } from './forms.js';
import { intSource, javaInt } from './int-source.js';
import type { IntSource, VarRef } from './model.js';
import { parseVarRef, varRef } from './var-ref.js';
import type { Parsed } from '../lib/index.js';

export const INT_COMPARISONS = ['equalTo', 'notEqualTo', 'greaterThan', 'greaterOrEqualTo', 'lessThan', 'lessOrEqualTo'] as const;
export type IntComparisonOp = typeof INT_COMPARISONS[number];

/** All comparisons must hold (AND). An empty list puts no constraint on the value. */
export type IntComparisons = ReadonlyArray<{ readonly op: IntComparisonOp; readonly than: IntSource }>;

export interface IntCondition {
  readonly kind: 'int';
  readonly fromVar: VarRef;
  /** false: the condition holds when the variable is NOT set (comparisons are then ignored). Default true. */
  readonly isSet: boolean;
  readonly comparisons: IntComparisons;
}

/** How a string is matched (the part shared by stringCondition, header filters and stringFilter). */
export interface StringMatch {
  /** Content match; absent when only `length` is checked. */
  readonly content?:
    | { readonly kind: 'equal' | 'prefix' | 'suffix'; readonly text: string }
    /** Equal to the text held in another variable. */
    | { readonly kind: 'var'; readonly var: VarRef };
  /** Constraints on the length (empty: none). */
  readonly length: IntComparisons;
  /** Default true. */
  readonly caseSensitive: boolean;
  /** Inverts the result (set by `negate: true` and by `notEqualTo`). */
  readonly negate: boolean;
}

export interface StringCondition extends StringMatch {
  readonly kind: 'string';
  readonly fromVar: VarRef;
  /** false: holds when the variable is NOT set. Default true. */
  readonly isSet: boolean;
}

export interface BoolCondition {
  readonly kind: 'bool';
  readonly fromVar: VarRef;
  /** Expected value; default true. A string variable is read as `true`/`false` (any case). */
  readonly value: boolean;
}

export interface AllConditions {
  readonly kind: 'all';
  readonly conditions: readonly Condition[];
}

export type Condition = IntCondition | StringCondition | BoolCondition | AllConditions;

// ---------------------------------------------------------------------------------------------------------------
// Int comparisons

const comparisonProps = {
  equalTo: optional(intSource, 'The value must be equal to this.'),
  notEqualTo: optional(intSource, 'The value must not be equal to this.'),
  greaterThan: optional(intSource, 'The value must be greater than this.'),
  greaterOrEqualTo: optional(intSource, 'The value must be greater or equal to this.'),
  lessThan: optional(intSource, 'The value must be lower than this.'),
  lessOrEqualTo: optional(intSource, 'The value must be lower or equal to this.'),
};

function comparisonsOf(value: Partial<Record<IntComparisonOp, IntSource>>): IntComparisons {
  const out: Array<{ op: IntComparisonOp; than: IntSource }> = [];
  for (const op of INT_COMPARISONS) {
    const than = value[op];
    if (than !== undefined) out.push({ op, than });
  }
  return out;
}

/** Comparisons on a value given by the context (setInt's own variable, getSize's items, string length). */
export const intComparisons: Codec<IntComparisons> = named('intComparisons', () => map(
  object(comparisonProps, { what: 'int comparisons' }),
  (value) => comparisonsOf(value),
));

const OPERATORS: Record<string, IntComparisonOp> = {
  '==': 'equalTo', '!=': 'notEqualTo', '<>': 'notEqualTo', '>=': 'greaterOrEqualTo', '>': 'greaterThan',
  '<=': 'lessOrEqualTo', '<': 'lessThan',
};

export function parseIntConditionInline(text: string): Parsed<IntCondition> {
  const match = /^(.*?)\s*(==|!=|<>|>=|<=|>|<)\s*(.*)$/.exec(text);
  const usage = '`variable <operator> value` with one of ==, !=, <>, >=, >, <=, < (e.g. `counter >= 3`)';
  if (!match) return fail(`expected ${usage}, got \`${text}\``);
  const ref = parseVarRef(match[1] ?? '');
  if (!ref.ok) return fail(`expected ${usage}, got \`${text}\`: ${ref.message}`);
  const operand = (match[3] ?? '').trim();
  if (!/^[-+]?\d+$/.test(operand) || !Number.isSafeInteger(Number(operand)) || Math.abs(Number(operand)) > 2147483648) {
    return fail(`expected ${usage}, got \`${text}\`: \`${operand}\` is not a whole number`);
  }
  const op = OPERATORS[match[2] as string] as IntComparisonOp;
  return ok({ kind: 'int', fromVar: ref.value, isSet: true, comparisons: [{ op, than: { value: Number(operand) } }] });
}

export const intCondition: Codec<IntCondition> = named('intCondition', () => forms<IntCondition>('intCondition', {
  inline: inline('`variable <operator> value` such as `counter >= 3`', parseIntConditionInline),
  mapping: map(
    object({
      fromVar: optional(varRef, 'The variable compared (an int, or a string holding an int).'),
      isSet: optional(bool, 'Check that the variable is set (default) or, with false, that it is not.'),
      ...comparisonProps,
    }, { what: 'intCondition' }),
    (value, node, cx): Decoded<IntCondition> => {
      if (value.fromVar === undefined) {
        cx.problem(node, 'intCondition needs `fromVar`, the variable to compare');
        return INVALID;
      }
      return { kind: 'int', fromVar: value.fromVar, isSet: value.isSet ?? true, comparisons: comparisonsOf(value) };
    },
  ),
}));

// ---------------------------------------------------------------------------------------------------------------
// String matching

const lengthCodec: Codec<IntComparisons> = forms<IntComparisons>('length', {
  inline: map(javaInt, (exact) => [{ op: 'equalTo' as const, than: { value: exact } }]),
  mapping: intComparisons,
});

const stringMatchProps = {
  value: optional(str, 'The string must be equal to this.'),
  equalTo: optional(str, 'The same as `value`.'),
  notEqualTo: optional(str, 'The string must not be equal to this.'),
  startsWith: optional(str, 'Prefix of the string.'),
  endsWith: optional(str, 'Suffix of the string.'),
  matchVar: optional(varRef, 'The string must be equal to the text held in this variable.'),
  caseSensitive: optional(bool, 'Default true.'),
  length: optional(lengthCodec, 'Length of the string: a number, or comparisons such as `{greaterThan: 3}`.'),
  negate: optional(bool, 'Invert the result. Default false.'),
};

type StringMatchProps = {
  value?: string; equalTo?: string; notEqualTo?: string; startsWith?: string; endsWith?: string; matchVar?: VarRef;
  caseSensitive?: boolean; length?: IntComparisons; negate?: boolean;
};

const CONTENT_KEYS = ['value', 'equalTo', 'notEqualTo', 'startsWith', 'endsWith', 'matchVar'] as const;

function stringMatchOf(value: StringMatchProps, what: string, node: YNode, cx: DecodeContext, requireSomething: boolean): Decoded<StringMatch> {
  if (!atMostOne(value, CONTENT_KEYS, what, node, cx)) return INVALID;
  let content: StringMatch['content'];
  const text = value.value ?? value.equalTo ?? value.notEqualTo;
  if (text !== undefined) content = { kind: 'equal', text };
  else if (value.startsWith !== undefined) content = { kind: 'prefix', text: value.startsWith };
  else if (value.endsWith !== undefined) content = { kind: 'suffix', text: value.endsWith };
  else if (value.matchVar !== undefined) content = { kind: 'var', var: value.matchVar };
  const length = value.length ?? [];
  if (requireSomething && content === undefined && length.length === 0) {
    cx.problem(node, `${what} needs one of \`value\`/\`equalTo\`, \`notEqualTo\`, \`startsWith\`, \`endsWith\`, \`matchVar\` or \`length\``);
    return INVALID;
  }
  return {
    ...(content ? { content } : {}),
    length,
    caseSensitive: value.caseSensitive ?? true,
    negate: (value.negate ?? false) || value.notEqualTo !== undefined,
  };
}

/** A string match with no variable of its own (header filters, stringFilter); the inline form is the exact text. */
export function stringMatch(what: string): Codec<StringMatch> {
  return forms<StringMatch>(what, {
    inline: map(str, (text) => ({ content: { kind: 'equal' as const, text }, length: [], caseSensitive: true, negate: false })),
    mapping: map(object(stringMatchProps, { what }), (value, node, cx) => stringMatchOf(value, what, node, cx, true)),
  });
}

export const stringCondition: Codec<StringCondition> = named('stringCondition', () => map(
  object({
    fromVar: optional(varRef, 'The variable compared.'),
    isSet: optional(bool, 'Check that the variable is set (default) or, with false, that it is not.'),
    ...stringMatchProps,
  }, { what: 'stringCondition' }),
  (value, node, cx): Decoded<StringCondition> => {
    if (value.fromVar === undefined) {
      cx.problem(node, 'stringCondition needs `fromVar`, the variable to compare');
      return INVALID;
    }
    const isSet = value.isSet ?? true;
    const matched = stringMatchOf(value, 'stringCondition', node, cx, isSet);
    if (matched === INVALID) return INVALID;
    return { kind: 'string', fromVar: value.fromVar, isSet, ...matched };
  },
));

export const boolCondition: Codec<BoolCondition> = map(
  object({
    fromVar: optional(varRef, 'The variable tested (a boolean, or the text `true`/`false`).'),
    value: optional(bool, 'Expected value; default true.'),
  }, { what: 'boolCondition' }),
  (value, node, cx): Decoded<BoolCondition> => {
    if (value.fromVar === undefined) {
      cx.problem(node, 'boolCondition needs `fromVar`, the variable to test');
      return INVALID;
    }
    return { kind: 'bool', fromVar: value.fromVar, value: value.value ?? true };
  },
);

// ---------------------------------------------------------------------------------------------------------------
// The four condition keys, embedded in the properties of a component

const CONDITION_KEYS = ['intCondition', 'stringCondition', 'boolCondition', 'allConditions'] as const;

export interface ConditionProps {
  intCondition?: IntCondition;
  stringCondition?: StringCondition;
  boolCondition?: BoolCondition;
  allConditions?: AllConditions;
}

/** `allConditions`: recursive through its items, hence decoded lazily. */
const allConditions: Codec<AllConditions> = named('allConditions', () => forms<AllConditions>('allConditions', {
  list: map(listOf(conditionItem, 'a list of conditions'), (conditions) => ({ kind: 'all' as const, conditions })),
  mapping: map(conditionItem, (condition) => ({ kind: 'all' as const, conditions: [condition] })),
}));

/** One condition item (`- intCondition: …`) in `allConditions`. */
const conditionItem: Codec<Condition> = map(
  object(conditionPropsCodecs(), { what: 'a condition (`intCondition`, `stringCondition`, `boolCondition` or `allConditions`)' }),
  (value, node, cx) => conditionOf(value, 'a condition', node, cx, true) ?? INVALID,
);

/** A list whose item codec may be recursive (its `expected` is not read while modules load). */
function listOf<T>(item: Codec<T>, expected: string): Codec<T[]> {
  return {
    expected,
    decode(raw, cx) {
      const node = cx.deref(raw);
      const items = (node as unknown as { items?: YNode[] }).items ?? [];
      let valid = true;
      const out: T[] = [];
      for (const child of items) {
        const value = item.decode(child, cx);
        if (value === INVALID) valid = false;
        else out.push(value);
      }
      return valid ? out : INVALID;
    },
    schema: (defs) => ({ type: 'array', items: item.schema(defs), minItems: 1 }),
  };
}

/** The property codecs to spread into a component's `object({...})`. */
export function conditionPropsCodecs() {
  return {
    intCondition: optional(intCondition, 'Condition on an int variable.'),
    stringCondition: optional(stringCondition, 'Condition on a string variable.'),
    boolCondition: optional(boolCondition, 'Condition on a boolean variable.'),
    allConditions: optional(allConditions, 'All of the listed conditions must hold.'),
  };
}

/**
 * The condition given by the four keys; reports when more than one is set, and (with `required`) when none is.
 * Returns undefined when absent or invalid (check `cx` problems to tell them apart: use `conditionOrInvalid`).
 */
export function conditionOf(value: ConditionProps, what: string, node: YNode, cx: DecodeContext, required: boolean): Condition | undefined {
  const set = present(value, CONDITION_KEYS);
  if (set.length > 1) {
    cx.problem(node, `${what} takes one condition, got ${set.map((k) => `\`${k}\``).join(', ')}: combine them with \`allConditions\``);
    return undefined;
  }
  if (set.length === 0) {
    if (required) cx.problem(node, `${what} needs a condition: \`intCondition\`, \`stringCondition\`, \`boolCondition\` or \`allConditions\``);
    return undefined;
  }
  return value.intCondition ?? value.stringCondition ?? value.boolCondition ?? value.allConditions;
}

/** Like `conditionOf`, distinguishing "no condition" (undefined) from "invalid" (INVALID). */
export function optionalCondition(value: ConditionProps, what: string, node: YNode, cx: DecodeContext): Condition | undefined | typeof INVALID {
  if (present(value, CONDITION_KEYS).length > 1) {
    conditionOf(value, what, node, cx, false);
    return INVALID;
  }
  return conditionOf(value, what, node, cx, false);
}
