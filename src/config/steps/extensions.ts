/**
 * Our counterpart of Hyperfoil's example extension `divide` (the custom step of quickstart 8, used by
 * `divide.hf.yaml`): `toVar = fromVar / divisor` (integer division), blocking until `fromVar` is set.
 * Hyperfoil loads it from a Java jar in `extensions/`; here it is built in, so that benchmark runs unchanged.
 */
import { INVALID, int, map, object, optional } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { fail, forms, inline, ok } from '../forms.js';
import type { VarRef } from '../model.js';
import { parseVarRef, varRef } from '../var-ref.js';

export interface DivideConfig {
  readonly fromVar: VarRef;
  readonly toVar: VarRef;
  /** Never 0. */
  readonly divisor: number;
}

const divisor = int({ min: -2147483648, max: 2147483647 });

export const divideCodec: Codec<DivideConfig> = forms<DivideConfig>('divide', {
  inline: inline('`variable /= divisor` such as `foo /= 3`', (text) => {
    const match = /^(.+?)\s*\/=\s*([-+]?\d+)$/.exec(text);
    if (!match) return fail(`expected \`variable /= divisor\` such as \`foo /= 3\`, got \`${text}\``);
    const ref = parseVarRef(match[1] ?? '');
    if (!ref.ok) return ref;
    const value = Number(match[2]);
    if (value === 0) return fail('divide: cannot divide by 0');
    if (Math.abs(value) > 2147483647) return fail(`divide: ${value} is outside the int range`);
    return ok({ fromVar: ref.value, toVar: ref.value, divisor: value });
  }),
  mapping: map(object({
    fromVar: optional(varRef, 'Int variable divided.'),
    toVar: optional(varRef, 'Int variable receiving the quotient.'),
    divisor: optional(divisor, 'Divisor (not 0).'),
  }, { what: 'divide' }), (v, node, cx): Decoded<DivideConfig> => {
    const missing = (['fromVar', 'toVar', 'divisor'] as const).filter((k) => v[k] === undefined);
    if (missing.length > 0) {
      cx.problem(node, `divide needs ${missing.map((k) => `\`${k}\``).join(', ')}`);
      return INVALID;
    }
    if (v.divisor === 0) {
      cx.problem(node, 'divide: cannot divide by 0');
      return INVALID;
    }
    return { fromVar: v.fromVar as VarRef, toVar: v.toVar as VarRef, divisor: v.divisor as number };
  }),
});
