/** Actions that do not touch variables: `conditional`, `fail`, `log`, `markRequestInvalid`, `noop`. */
import { INVALID, list, map, object, optional, str } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { conditionOf, conditionPropsCodecs, optionalCondition } from '../conditions.js';
import type { Condition } from '../conditions.js';
import { forms, valueNodeOf } from '../forms.js';
import type { Pattern } from '../model.js';
import { compilePattern } from '../patterns.js';
import { identifier } from '../var-ref.js';
import type { ActionSpec } from './index.js';
import { actionList } from './lists.js';

/** `conditional` (as an action or step): runs `actions` when `condition` holds. */
export interface ConditionalActionConfig {
  readonly condition: Condition;
  readonly actions: readonly ActionSpec[];
}

export const conditionalActionCodec: Codec<ConditionalActionConfig> = forms<ConditionalActionConfig>('conditional', {
  mapping: map(
    object({ ...conditionPropsCodecs(), actions: optional(actionList, 'Actions run when the condition holds.') }, { what: 'conditional' }),
    (v, node, cx): Decoded<ConditionalActionConfig> => {
      const condition = conditionOf(v, 'conditional', node, cx, true);
      if (!condition) return INVALID;
      if (!v.actions || v.actions.length === 0) {
        cx.problem(node, 'conditional needs `actions`, run when the condition holds');
        return INVALID;
      }
      return { condition, actions: v.actions };
    },
  ),
});

/** `fail`: fails the phase with `message` (default: where the action is written) (when `condition` holds, or always without one). */
export interface FailConfig {
  readonly message: string;
  readonly condition?: Condition;
}

export const failCodec: Codec<FailConfig> = forms<FailConfig>('fail', {
  inline: map(str, (message) => ({ message })),
  mapping: map(
    object({ message: optional(str, 'Message of the failure.'), ...conditionPropsCodecs() }, { what: 'fail' }),
    (v, node, cx): Decoded<FailConfig> => {
      const condition = optionalCondition(v, 'fail', node, cx);
      if (condition === INVALID) return INVALID;
      // `message` is optional in Hyperfoil too: the phase then fails with a generic reason.
      return { message: v.message ?? `fail action at ${cx.positionOf(node)}`, ...(condition ? { condition } : {}) };
    },
  ),
});

/** `log`: logs the rendered message (at info level). */
export interface LogConfig {
  /** `vars` are already placed into the message's `{}` placeholders, as `${var}`. */
  readonly message: Pattern;
}

export const logCodec: Codec<LogConfig> = forms<LogConfig>('log', {
  inline: map(str, (text, node, cx): Decoded<LogConfig> => {
    const compiled = compilePattern(text);
    if (!compiled.ok) {
      cx.problem(node, compiled.message);
      return INVALID;
    }
    return { message: compiled.value };
  }),
  mapping: map(
    object({
      message: optional(str, 'Message; `${var}` interpolation, and `{}` placeholders filled from `vars` in order.'),
      vars: optional(list(identifier('variable name')), 'Variables whose values fill the `{}` placeholders of the message, in order.'),
    }, { what: 'log' }),
    (v, node, cx): Decoded<LogConfig> => {
      if (v.message === undefined) {
        cx.problem(node, 'log needs `message`');
        return INVALID;
      }
      let text = v.message;
      if (v.vars && v.vars.length > 0) {
        let out = '';
        let from = 0;
        for (const name of v.vars) {
          const at = text.indexOf('{}', from);
          if (at < 0) {
            cx.problem(valueNodeOf(node, 'message', cx) ?? node, `log: the message has no \`{}\` placeholder left for variable \`${name}\``);
            return INVALID;
          }
          out += `${text.slice(from, at)}\${${name}}`;
          from = at + 2;
        }
        text = out + text.slice(from);
      }
      const compiled = compilePattern(text);
      if (!compiled.ok) {
        cx.problem(valueNodeOf(node, 'message', cx) ?? node, compiled.message);
        return INVALID;
      }
      return { message: compiled.value };
    },
  ),
});
