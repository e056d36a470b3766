/**
 * Data shared between sessions: counters and maps shared by the sessions of one executor (worker thread), data
 * published to every session of an agent, and counters published to all agents.
 */
import { entries, INVALID, list, map, object, oneOf, optional, str } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { exactlyOne, fail, forms, inline, ok } from '../forms.js';
import { javaInt } from '../int-source.js';
import type { IntSource, VarRef } from '../model.js';
import { identifier, parseVarRef, varRef } from '../var-ref.js';
import type { Parsed } from '../../lib/index.js';
import { parseAddToIntInline } from './variables.js';

const key = identifier('counter key');

/** `addToSharedCounter`: adds (or subtracts) `amount` to the executor-wide counter `key`. */
export interface AddToSharedCounterConfig {
  readonly key: string;
  readonly operator: 'ADD' | 'SUBTRACT';
  readonly amount: IntSource;
}

export const addToSharedCounterCodec: Codec<AddToSharedCounterConfig> = forms<AddToSharedCounterConfig>('addToSharedCounter', {
  inline: inline('`counter++`, `counter--`, `counter += value` or `counter -= value`', (text): Parsed<AddToSharedCounterConfig> => {
    const parsed = parseAddToIntInline(text);
    if (!parsed.ok) return fail(parsed.message.replace(/var/g, 'counter'));
    const { name, value } = parsed.value;
    if (value === 0) return fail('addToSharedCounter: adding 0 does nothing');
    return ok({ key: name, operator: value < 0 ? 'SUBTRACT' : 'ADD', amount: { value: Math.abs(value) } });
  }),
  mapping: map(
    object({
      key: optional(key, 'Counter identifier.'),
      value: optional(javaInt, 'Amount.'),
      fromVar: optional(varRef, 'Read the amount from this int variable.'),
      operator: optional(oneOf(['ADD', 'SUBTRACT'] as const), 'ADD (default) or SUBTRACT.'),
    }, { what: 'addToSharedCounter' }),
    (v, node, cx): Decoded<AddToSharedCounterConfig> => {
      if (v.key === undefined) {
        cx.problem(node, 'addToSharedCounter needs `key`');
        return INVALID;
      }
      const which = exactlyOne(v, ['value', 'fromVar'], 'addToSharedCounter', node, cx);
      if (which === undefined) return INVALID;
      const amount: IntSource = which === 'value' ? { value: v.value as number } : { fromVar: v.fromVar as VarRef };
      return { key: v.key, operator: v.operator ?? 'ADD', amount };
    },
  ),
});

/** `setSharedCounter`: sets the executor-wide counter `key`. */
export interface SetSharedCounterConfig {
  readonly key: string;
  readonly value: IntSource;
}

function bothFromOne<C>(what: string, make: (name: string, ref: VarRef) => C): Codec<C> {
  return inline(`a name used both as the ${what} and as the variable`, (text): Parsed<C> => {
    const ref = parseVarRef(text);
    return ref.ok ? ok(make(text, ref.value)) : ref;
  });
}

export const setSharedCounterCodec: Codec<SetSharedCounterConfig> = forms<SetSharedCounterConfig>('setSharedCounter', {
  inline: bothFromOne('counter key', (name, ref) => ({ key: name, value: { fromVar: ref } })),
  mapping: map(
    object({
      key: optional(key, 'Counter identifier.'),
      value: optional(javaInt, 'New value.'),
      fromVar: optional(varRef, 'Read the new value from this int variable.'),
    }, { what: 'setSharedCounter' }),
    (v, node, cx): Decoded<SetSharedCounterConfig> => {
      if (v.key === undefined) {
        cx.problem(node, 'setSharedCounter needs `key`');
        return INVALID;
      }
      const which = exactlyOne(v, ['value', 'fromVar'], 'setSharedCounter', node, cx);
      if (which === undefined) return INVALID;
      return { key: v.key, value: which === 'value' ? { value: v.value as number } : { fromVar: v.fromVar as VarRef } };
    },
  ),
});

/** `getSharedCounter`: copies the executor-wide counter `key` into the int variable `toVar` (capped to the int range). */
export interface GetSharedCounterConfig {
  readonly key: string;
  readonly toVar: VarRef;
}

export const getSharedCounterCodec: Codec<GetSharedCounterConfig> = forms<GetSharedCounterConfig>('getSharedCounter', {
  inline: bothFromOne('counter key', (name, ref) => ({ key: name, toVar: ref })),
  mapping: map(object({ key: optional(key, 'Counter identifier.'), toVar: optional(varRef, 'Target int variable.') }, { what: 'getSharedCounter' }),
    (v, node, cx): Decoded<GetSharedCounterConfig> => {
      if (v.key === undefined || v.toVar === undefined) {
        cx.problem(node, `getSharedCounter needs ${v.key === undefined ? '`key`' : '`toVar`'}`);
        return INVALID;
      }
      return { key: v.key, toVar: v.toVar };
    }),
});

const dataName = identifier('data name');

/** `publishAgentData`: makes the value of `fromVar` readable under `name` by every session of this agent (write once). */
export interface PublishAgentDataConfig {
  readonly name: string;
  readonly fromVar: VarRef;
}

export const publishAgentDataCodec: Codec<PublishAgentDataConfig> = forms<PublishAgentDataConfig>('publishAgentData', {
  inline: bothFromOne('data name', (name, ref) => ({ name, fromVar: ref })),
  mapping: map(object({ name: optional(dataName, 'Identifier of the data.'), fromVar: optional(varRef, 'Source variable.') }, { what: 'publishAgentData' }),
    (v, node, cx): Decoded<PublishAgentDataConfig> => {
      if (v.name === undefined || v.fromVar === undefined) {
        cx.problem(node, `publishAgentData needs ${v.name === undefined ? '`name`' : '`fromVar`'}`);
        return INVALID;
      }
      return { name: v.name, fromVar: v.fromVar };
    }),
});

/** `readAgentData`: reads agent-wide data `name` (published by a phase that terminated before) into `toVar`. */
export interface ReadAgentDataConfig {
  readonly name: string;
  readonly toVar: VarRef;
}

export const readAgentDataCodec: Codec<ReadAgentDataConfig> = forms<ReadAgentDataConfig>('readAgentData', {
  inline: bothFromOne('data name', (name, ref) => ({ name, toVar: ref })),
  mapping: map(object({ name: optional(dataName, 'Identifier of the data.'), toVar: optional(varRef, 'Target variable.') }, { what: 'readAgentData' }),
    (v, node, cx): Decoded<ReadAgentDataConfig> => {
      if (v.name === undefined || v.toVar === undefined) {
        cx.problem(node, `readAgentData needs ${v.name === undefined ? '`name`' : '`toVar`'}`);
        return INVALID;
      }
      return { name: v.name, toVar: v.toVar };
    }),
});

/** `publishGlobalCounters`: publishes variables (ints, or texts holding integers) to all agents under `key`. */
export interface PublishGlobalCountersConfig {
  readonly key: string;
  /** Counter name → variable; `vars: [a, b]` uses the variable names as counter names. */
  readonly counters: ReadonlyArray<{ readonly name: string; readonly fromVar: VarRef }>;
}

const globalVars = entries(str, { forms: 'both', what: 'counter' });

export const publishGlobalCountersCodec: Codec<PublishGlobalCountersConfig> = forms<PublishGlobalCountersConfig>('publishGlobalCounters', {
  mapping: map(
    object({ key: optional(identifier('key'), 'Identifier of the global record.'), vars: optional(globalVars, 'Variables: `[a, b]`, or `counterName: variable` pairs.') }, { what: 'publishGlobalCounters' }),
    (v, node, cx): Decoded<PublishGlobalCountersConfig> => {
      if (v.key === undefined || v.vars === undefined || v.vars.length === 0) {
        cx.problem(node, `publishGlobalCounters needs ${v.key === undefined ? '`key`' : '`vars`'}`);
        return INVALID;
      }
      const counters: Array<{ name: string; fromVar: VarRef }> = [];
      for (const entry of v.vars) {
        const variable = entry.value.trim() === '' ? entry.key : entry.value;
        const ref = parseVarRef(variable);
        if (!ref.ok) {
          cx.problem(entry.keyNode, ref.message);
          return INVALID;
        }
        counters.push({ name: entry.key, fromVar: ref.value });
      }
      return { key: v.key, counters };
    },
  ),
});

/** `pushSharedMap`: copies `vars` into a new entry of the executor-wide map pool `key`. */
export interface PushSharedMapConfig {
  readonly key: string;
  readonly vars: readonly VarRef[];
}

/** `pullSharedMap`: moves an entry of map pool `key` (a random one, or the one whose `match` variable equals ours) into `vars`. */
export interface PullSharedMapConfig {
  readonly key: string;
  readonly match?: VarRef;
  readonly vars: readonly VarRef[];
}

const varList = list(varRef, { minItems: 1 });

export const pushSharedMapCodec: Codec<PushSharedMapConfig> = forms<PushSharedMapConfig>('pushSharedMap', {
  mapping: map(object({ key: optional(identifier('map key'), 'Identifier of the shared map.'), vars: optional(varList, 'Variables stored in the entry.') }, { what: 'pushSharedMap' }),
    (v, node, cx): Decoded<PushSharedMapConfig> => {
      if (v.key === undefined || v.vars === undefined) {
        cx.problem(node, `pushSharedMap needs ${v.key === undefined ? '`key`' : '`vars`'}`);
        return INVALID;
      }
      return { key: v.key, vars: v.vars };
    }),
});

export const pullSharedMapCodec: Codec<PullSharedMapConfig> = forms<PullSharedMapConfig>('pullSharedMap', {
  mapping: map(object({
    key: optional(identifier('map key'), 'Identifier of the shared map.'),
    match: optional(varRef, 'Pull the entry whose value of this variable equals the session\'s.'),
    vars: optional(varList, 'Variables the entry is moved into.'),
  }, { what: 'pullSharedMap' }),
  (v, node, cx): Decoded<PullSharedMapConfig> => {
    if (v.key === undefined || v.vars === undefined) {
      cx.problem(node, `pullSharedMap needs ${v.key === undefined ? '`key`' : '`vars`'}`);
      return INVALID;
    }
    return { key: v.key, ...(v.match ? { match: v.match } : {}), vars: v.vars };
  }),
});
