/**
 * Waiting: `thinkTime`, `scheduleDelay`, `awaitDelay`, `awaitVar`, `awaitInt`.
 * Durations follow Hyperfoil: a whole number with `ms`, `s`, `m` or `h`; no unit means seconds.
 */
import type { Node as YNode } from 'yaml';
import { INVALID, map, object, oneOf, optional, parsed } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import type { DecodeContext } from '../context.js';
import { INT_COMPARISONS } from '../conditions.js';
import type { IntComparisons, IntComparisonOp } from '../conditions.js';
import { forms, inline, valueNodeOf } from '../forms.js';
import { intSource } from '../int-source.js';
import type { IntSource, VarRef } from '../model.js';
import { parseVarRef, varRef } from '../var-ref.js';
import { parseDurationMs } from '../../lib/index.js';
import { flag } from './common.js';

export type DelayRandom = 'CONSTANT' | 'LINEAR' | 'NEGATIVE_EXPONENTIAL';
/** FROM_NOW: the delay point is now + duration; FROM_LAST: the previous delay point (or now) + duration. */
export type DelayType = 'FROM_NOW' | 'FROM_LAST';

/**
 * How long to wait:
 * - CONSTANT: `durationMs` (> 0); `min`/`max` are not allowed.
 * - LINEAR: uniformly in [minMs, maxMs] (both given, max at most 24 h); no `duration`.
 * - NEGATIVE_EXPONENTIAL: exponentially distributed with mean `durationMs`, clamped to [minMs, maxMs].
 */
export interface DelaySpec {
  readonly random: DelayRandom;
  readonly type: DelayType;
  readonly durationMs: number;
  readonly minMs: number;
  /** Absent: no upper cap (NEGATIVE_EXPONENTIAL only). */
  readonly maxMs?: number;
}

/** `thinkTime`: blocks the sequence for the delay (measured from now, or from the last delay point). */
export type ThinkTimeConfig = DelaySpec;

/** `scheduleDelay`: sets the delay point `key` without waiting; `awaitDelay` with the same key waits for it. */
export interface ScheduleDelayConfig extends DelaySpec {
  readonly key: VarRef;
}

const duration = parsed('a duration such as `100ms`, `2s` or `1m` (no unit: seconds)', parseDurationMs, { type: ['string', 'integer'] });
const DAY_MS = 24 * 3600 * 1000;

const delayProps = {
  duration: optional(duration, 'Duration of the delay, e.g. `100ms`, `2s` (no unit: seconds).'),
  min: optional(duration, 'Lower cap (randomized delays).'),
  max: optional(duration, 'Upper cap (randomized delays).'),
  random: optional(oneOf(['CONSTANT', 'LINEAR', 'NEGATIVE_EXPONENTIAL'] as const), 'Randomize the duration. Default CONSTANT.'),
  type: optional(oneOf(['FROM_LAST', 'FROM_NOW'] as const), 'Reference point of the delay. Default FROM_NOW.'),
  fromNow: optional(flag, 'Measure the delay from now (no value).'),
  fromLast: optional(flag, 'Measure the delay from the previous delay point (no value).'),
  key: optional(varRef, 'Delay point name, awaited by `awaitDelay`.'),
};

interface DelayProps {
  duration?: number; min?: number; max?: number; random?: DelayRandom; type?: DelayType; fromNow?: true; fromLast?: true;
}

function delayOf(v: DelayProps, what: string, node: YNode, cx: DecodeContext): Decoded<DelaySpec> {
  const random = v.random ?? 'CONSTANT';
  const flagged = [v.type !== undefined, v.fromNow !== undefined, v.fromLast !== undefined].filter(Boolean).length;
  if (flagged > 1) {
    cx.problem(node, `${what} takes only one of \`type\`, \`fromNow\`, \`fromLast\``);
    return INVALID;
  }
  const type: DelayType = v.type ?? (v.fromLast ? 'FROM_LAST' : 'FROM_NOW');
  const at = (key: string) => valueNodeOf(node, key, cx) ?? node;
  switch (random) {
    case 'CONSTANT':
      if (v.min !== undefined || v.max !== undefined) {
        cx.problem(at(v.min !== undefined ? 'min' : 'max'), `${what}: \`min\` and \`max\` apply only to a randomized delay (\`random: LINEAR\` or \`NEGATIVE_EXPONENTIAL\`)`);
        return INVALID;
      }
      if (v.duration === undefined || v.duration <= 0) {
        cx.problem(v.duration === undefined ? node : at('duration'), `${what} needs a positive \`duration\``);
        return INVALID;
      }
      return { random, type, durationMs: v.duration, minMs: 0 };
    case 'LINEAR':
      if (v.duration !== undefined) {
        cx.problem(at('duration'), `${what}: a LINEAR delay is set by \`min\` and \`max\`, not \`duration\``);
        return INVALID;
      }
      if (v.max === undefined) {
        cx.problem(node, `${what}: a LINEAR delay needs \`max\` (and optionally \`min\`, default 0)`);
        return INVALID;
      }
      if ((v.min ?? 0) < 0 || v.max > DAY_MS || (v.min ?? 0) > v.max) {
        cx.problem(at('max'), `${what}: expected 0 ≤ min ≤ max ≤ 24h, got min ${v.min ?? 0} ms, max ${v.max} ms`);
        return INVALID;
      }
      return { random, type, durationMs: 0, minMs: v.min ?? 0, maxMs: v.max };
    case 'NEGATIVE_EXPONENTIAL':
      if (v.duration === undefined || v.duration <= 0) {
        cx.problem(v.duration === undefined ? node : at('duration'), `${what}: a NEGATIVE_EXPONENTIAL delay needs a positive \`duration\` (the mean)`);
        return INVALID;
      }
      if ((v.min ?? 0) < 0 || (v.max !== undefined && v.max < (v.min ?? 0))) {
        cx.problem(node, `${what}: expected 0 ≤ min ≤ max`);
        return INVALID;
      }
      return { random, type, durationMs: v.duration, minMs: v.min ?? 0, ...(v.max !== undefined ? { maxMs: v.max } : {}) };
  }
}

export const thinkTimeCodec: Codec<ThinkTimeConfig> = forms<ThinkTimeConfig>('thinkTime', {
  inline: map(duration, (durationMs, node, cx): Decoded<ThinkTimeConfig> => {
    if (durationMs <= 0) {
      cx.problem(node, 'thinkTime needs a positive duration');
      return INVALID;
    }
    return { random: 'CONSTANT', type: 'FROM_NOW', durationMs, minMs: 0 };
  }),
  mapping: map(object(delayProps, { what: 'thinkTime' }), (v, node, cx) => {
    if (v.key !== undefined) cx.warn(valueNodeOf(node, 'key', cx) ?? node, 'thinkTime ignores `key` (it uses a delay point of its own); use scheduleDelay + awaitDelay to share one');
    return delayOf(v, 'thinkTime', node, cx);
  }),
});

export const scheduleDelayCodec: Codec<ScheduleDelayConfig> = forms<ScheduleDelayConfig>('scheduleDelay', {
  mapping: map(object(delayProps, { what: 'scheduleDelay' }), (v, node, cx): Decoded<ScheduleDelayConfig> => {
    if (v.key === undefined) {
      cx.problem(node, 'scheduleDelay needs `key`, the delay point that awaitDelay waits for');
      return INVALID;
    }
    const delay = delayOf(v, 'scheduleDelay', node, cx);
    return delay === INVALID ? INVALID : { ...delay, key: v.key };
  }),
});

/** `awaitDelay`: blocks until the delay point `key` (set by scheduleDelay) has passed. */
export interface AwaitDelayConfig {
  readonly key: VarRef;
}

export const awaitDelayCodec: Codec<AwaitDelayConfig> = forms<AwaitDelayConfig>('awaitDelay', {
  inline: map(varRef, (key) => ({ key })),
  mapping: map(object({ key: optional(varRef, 'Delay point set by scheduleDelay.') }, { what: 'awaitDelay' }), (v, node, cx): Decoded<AwaitDelayConfig> => {
    if (v.key === undefined) {
      cx.problem(node, 'awaitDelay needs `key`');
      return INVALID;
    }
    return { key: v.key };
  }),
});

/** `awaitVar`: blocks until the variable is set (or, with `unset`, until it is not). */
export interface AwaitVarConfig {
  readonly var: VarRef;
  /** Written `!var`: wait until the variable is unset. */
  readonly unset: boolean;
}

function parseAwaitVar(text: string) {
  const unset = text.startsWith('!');
  const ref = parseVarRef(unset ? text.slice(1) : text);
  return ref.ok ? { ok: true as const, value: { var: ref.value, unset } } : ref;
}

const awaitVarInline = inline('a variable name, or `!name` to wait until it is unset', parseAwaitVar);

export const awaitVarCodec: Codec<AwaitVarConfig> = forms<AwaitVarConfig>('awaitVar', {
  inline: awaitVarInline,
  mapping: map(object({ var: optional(awaitVarInline, 'Variable name, or `!name` to wait until it is unset.') }, { what: 'awaitVar' }), (v, node, cx): Decoded<AwaitVarConfig> => {
    if (v.var === undefined) {
      cx.problem(node, 'awaitVar needs `var`');
      return INVALID;
    }
    return v.var;
  }),
});

/** `awaitInt`: blocks until the int variable is set and passes every comparison. */
export interface AwaitIntConfig {
  readonly var: VarRef;
  readonly comparisons: IntComparisons;
}

const comparisonProps = Object.fromEntries(INT_COMPARISONS.map((op) => [op, optional(intSource)])) as Record<IntComparisonOp, ReturnType<typeof optional<IntSource>>>;

export const awaitIntCodec: Codec<AwaitIntConfig> = forms<AwaitIntConfig>('awaitInt', {
  mapping: map(object({ var: optional(varRef, 'Variable compared.'), ...comparisonProps }, { what: 'awaitInt' }), (v, node, cx): Decoded<AwaitIntConfig> => {
    if (v.var === undefined) {
      cx.problem(node, 'awaitInt needs `var`');
      return INVALID;
    }
    const comparisons: Array<{ op: IntComparisonOp; than: IntSource }> = [];
    for (const op of INT_COMPARISONS) {
      const than = (v as Partial<Record<IntComparisonOp, IntSource>>)[op];
      if (than !== undefined) comparisons.push({ op, than });
    }
    return { var: v.var, comparisons };
  }),
});
