/**
 * Hyperfoil's string generator: a pattern (the inline form, or `pattern:`), a verbatim `value`, or `fromVar`.
 * A verbatim value becomes a pattern of one literal part, so consumers handle only two shapes.
 */
import { INVALID, map, object, optional, str } from './codec.js';
import type { Codec } from './codec.js';
import { exactlyOne, forms } from './forms.js';
import type { Pattern, VarRef } from './model.js';
import { literalPattern, pattern } from './patterns.js';
import { varRef } from './var-ref.js';

export type StringSource =
  | { readonly pattern: Pattern }
  /** The variable's value as a string (an int variable is formatted in decimal). */
  | { readonly fromVar: VarRef };

export function stringSource(what: string): Codec<StringSource> {
  const mapping = map(
    object({
      value: optional(str, 'Text used verbatim.'),
      pattern: optional(pattern, 'A pattern with `${var}` interpolation.'),
      fromVar: optional(varRef, 'Read the text from this session variable.'),
    }, { what }),
    (value, node, cx): StringSource | typeof INVALID => {
      const key = exactlyOne(value, ['value', 'pattern', 'fromVar'], what, node, cx);
      if (key === 'value' && value.value !== undefined) return { pattern: literalPattern(value.value) };
      if (key === 'pattern' && value.pattern !== undefined) return { pattern: value.pattern };
      if (key === 'fromVar' && value.fromVar !== undefined) return { fromVar: value.fromVar };
      return INVALID;
    },
  );
  return forms<StringSource>(what, {
    inline: map(pattern, (p) => ({ pattern: p })),
    mapping: mapping,
  });
}
