/**
 * Hyperfoil's IntSource: an int given as a constant (`min: 1`, `min: {value: 1}`) or read from a session variable
 * (`min: {fromVar: low}`).
 */
import { INVALID, int, map, named, object, optional } from './codec.js';
import type { Codec } from './codec.js';
import { exactlyOne, forms } from './forms.js';
import type { IntSource } from './model.js';
import { varRef } from './var-ref.js';

/** Java's int range: what Hyperfoil can hold in an int variable. */
export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;

export const javaInt: Codec<number> = int({ min: INT_MIN, max: INT_MAX });

const intSourceMapping = map(
  object({
    value: optional(javaInt, 'Constant value.'),
    fromVar: optional(varRef, 'Read the value from this (integer) session variable.'),
  }, { what: 'an int value (`value` or `fromVar`)' }),
  (value, node, cx) => {
    const key = exactlyOne(value, ['value', 'fromVar'], 'an int value', node, cx);
    if (key === 'value' && value.value !== undefined) return { value: value.value } as IntSource;
    if (key === 'fromVar' && value.fromVar !== undefined) return { fromVar: value.fromVar } as IntSource;
    return INVALID;
  },
);

export const intSource: Codec<IntSource> = named('intSource', () => forms<IntSource>('an int value', {
  inline: map(javaInt, (value) => ({ value })),
  mapping: intSourceMapping,
}));
