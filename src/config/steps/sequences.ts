/**
 * Sequence control: `newSequence`, `nextSequence`, `restartSequence`, `loop`, `foreach`, `breakSequence`,
 * `breakIfFinished`, `stop`, `stopwatch`. Sequence names are checked against the scenario (see `./scope.ts`).
 */
import { bool, INVALID, int, map, object, oneOf, optional } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { conditionOf, conditionPropsCodecs } from '../conditions.js';
import type { Condition } from '../conditions.js';
import { forms, valueNodeOf } from '../forms.js';
import type { VarRef } from '../model.js';
import { varRef } from '../var-ref.js';
import { identifier } from '../var-ref.js';
import type { ActionSpec, StepSpec } from './index.js';
import { actionList, stepList } from './lists.js';
import { currentSequence, noteSequenceReference, sequenceRef } from './scope.js';

/** `newSequence`: starts a new instance of `sequence`. */
export interface NewSequenceConfig {
  readonly sequence: string;
  /** What to do when every instance slot of the sequence is busy: FAIL the session (default) or WARN and skip. */
  readonly concurrencyPolicy: 'FAIL' | 'WARN';
  /** Give the new instance the index of the current one (both sequences must have the same concurrency). */
  readonly forceSameIndex: boolean;
}

export const newSequenceCodec: Codec<NewSequenceConfig> = forms<NewSequenceConfig>('newSequence', {
  inline: map(sequenceRef, (sequence) => ({ sequence, concurrencyPolicy: 'FAIL' as const, forceSameIndex: false })),
  mapping: map(
    object({
      sequence: optional(identifier('sequence name'), 'Name of the sequence to start.'),
      concurrencyPolicy: optional(oneOf(['FAIL', 'WARN'] as const), 'When no instance slot is free: FAIL (default) or WARN.'),
      forceSameIndex: optional(bool, 'Start the instance with the index of the current sequence instance.'),
    }, { what: 'newSequence' }),
    (v, node, cx): Decoded<NewSequenceConfig> => {
      if (v.sequence === undefined) {
        cx.problem(node, 'newSequence needs `sequence`');
        return INVALID;
      }
      noteSequenceReference(cx, v.sequence, valueNodeOf(node, 'sequence', cx) ?? node, v.forceSameIndex ?? false);
      return { sequence: v.sequence, concurrencyPolicy: v.concurrencyPolicy ?? 'FAIL', forceSameIndex: v.forceSameIndex ?? false };
    },
  ),
});

/** `nextSequence` (deprecated, and what orderedSequences appends): starts `sequence` when reached. */
export interface NextSequenceConfig {
  readonly sequence: string;
}

export const nextSequenceCodec: Codec<NextSequenceConfig> = forms<NextSequenceConfig>('nextSequence', {
  inline: map(sequenceRef, (sequence) => ({ sequence })),
  mapping: map(object({ name: optional(identifier('sequence name'), 'Name of the sequence to start.') }, { what: 'nextSequence' }), (v, node, cx): Decoded<NextSequenceConfig> => {
    if (v.name === undefined) {
      cx.problem(node, 'nextSequence needs `name`');
      return INVALID;
    }
    noteSequenceReference(cx, v.name, valueNodeOf(node, 'name', cx) ?? node);
    return { sequence: v.name };
  }),
});

/** `loop`: runs `steps` `repeats` times, counting in `counterVar` (from 0); it must be the first step of its sequence. */
export interface LoopConfig {
  readonly counterVar: VarRef;
  readonly repeats: number;
  readonly steps: readonly StepSpec[];
}

export const loopCodec: Codec<LoopConfig> = forms<LoopConfig>('loop', {
  mapping: map(
    object({
      counterVar: optional(varRef, 'Int variable counting the iterations (from 0).'),
      repeats: optional(int({ min: 1, max: 2147483647 }), 'Number of iterations.'),
      steps: optional(stepList, 'The steps repeated.'),
    }, { what: 'loop' }),
    (v, node, cx): Decoded<LoopConfig> => {
      const missing = (['counterVar', 'repeats', 'steps'] as const).filter((k) => v[k] === undefined);
      if (missing.length > 0) {
        cx.problem(node, `loop needs ${missing.map((k) => `\`${k}\``).join(', ')}`);
        return INVALID;
      }
      if ((v.steps as StepSpec[]).length === 0) {
        cx.problem(valueNodeOf(node, 'steps', cx) ?? node, 'loop.steps is empty');
        return INVALID;
      }
      return { counterVar: v.counterVar as VarRef, repeats: v.repeats as number, steps: v.steps as StepSpec[] };
    },
  ),
});

/** `foreach`: starts one instance of `sequence` per set element of the array in `fromVar` (instance i gets index i). */
export interface ForeachConfig {
  readonly fromVar: VarRef;
  readonly sequence: string;
  /** Receives the number of instances started. */
  readonly counterVar?: VarRef;
  /** The step blocks until this variable is set. */
  readonly dependency?: VarRef;
}

export const foreachCodec: Codec<ForeachConfig> = forms<ForeachConfig>('foreach', {
  mapping: map(
    object({
      fromVar: optional(varRef, 'Variable holding the array.'),
      sequence: optional(sequenceRef, 'Sequence started for each element.'),
      counterVar: optional(varRef, 'Receives the number of started sequences.'),
      dependency: optional(varRef, 'Block until this variable is set.'),
    }, { what: 'foreach' }),
    (v, node, cx): Decoded<ForeachConfig> => {
      if (v.fromVar === undefined || v.sequence === undefined) {
        cx.problem(node, `foreach needs ${v.fromVar === undefined ? '`fromVar`' : '`sequence`'}`);
        return INVALID;
      }
      return {
        fromVar: v.fromVar, sequence: v.sequence,
        ...(v.counterVar ? { counterVar: v.counterVar } : {}), ...(v.dependency ? { dependency: v.dependency } : {}),
      };
    },
  ),
});

/** `breakSequence`: ends the current sequence instance when `condition` holds, running `onBreak` first. */
export interface BreakSequenceConfig {
  readonly condition: Condition;
  /** The step blocks until this variable is set. */
  readonly dependency?: VarRef;
  readonly onBreak: readonly ActionSpec[];
}

export const breakSequenceCodec: Codec<BreakSequenceConfig> = forms<BreakSequenceConfig>('breakSequence', {
  mapping: map(
    object({
      ...conditionPropsCodecs(),
      dependency: optional(varRef, 'Block until this variable is set.'),
      onBreak: optional(actionList, 'Actions run before the sequence ends.'),
    }, { what: 'breakSequence' }),
    (v, node, cx): Decoded<BreakSequenceConfig> => {
      const condition = conditionOf(v, 'breakSequence', node, cx, true);
      if (!condition) return INVALID;
      return { condition, ...(v.dependency ? { dependency: v.dependency } : {}), onBreak: v.onBreak ?? [] };
    },
  ),
});

/** `stopwatch`: runs the nested steps and records their total time under `metric` (the sequence name). */
export interface StopwatchConfig {
  readonly steps: readonly StepSpec[];
  readonly metric: string;
}

export const stopwatchCodec: Codec<StopwatchConfig> = forms<StopwatchConfig>('stopwatch', {
  list: map(stepList, (steps, node, cx): Decoded<StopwatchConfig> => {
    if (steps.length === 0) {
      cx.problem(node, 'stopwatch has no steps');
      return INVALID;
    }
    return { steps, metric: currentSequence(cx)?.name ?? '' };
  }),
});
