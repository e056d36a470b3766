/**
 * Nested lists of steps, actions and processors (`loop.steps`, `conditional.actions`, `json.processor` …).
 * The registries that decode them live in `./index.ts`, which also imports every family of decoders; binding them
 * late here breaks that import cycle. `./index.ts` binds them when it is loaded, so import decoders through it.
 */
import { named } from '../codec.js';
import type { Codec } from '../codec.js';
import type { ActionSpec, ProcessorSpec, StepSpec } from './index.js';

export interface ComponentLists {
  readonly steps: Codec<StepSpec[]>;
  readonly actions: Codec<ActionSpec[]>;
  readonly processors: Codec<ProcessorSpec[]>;
}

let bound: ComponentLists | undefined;

export function bindComponentLists(lists: ComponentLists): void {
  bound = lists;
}

function late<T>(name: string, expected: string, pick: (lists: ComponentLists) => Codec<T>): Codec<T> {
  const codec = named(name, () => {
    if (!bound) throw new Error('the step registries are not loaded: import decoders through src/config/steps/index.ts');
    return pick(bound);
  });
  // `expected` is read while modules load (by combinators), before the registries are bound
  return { expected, decode: (node, cx) => codec.decode(node, cx), schema: (defs) => codec.schema(defs) };
}

/** A list of steps (`- step`, `- step: inline`, `- step: {props}`); actions are steps too. */
export const stepList: Codec<StepSpec[]> = late('steps', 'a list of steps', (l) => l.steps);
/** Actions: a list, or a mapping `{action: cfg, action2: cfg}`. */
export const actionList: Codec<ActionSpec[]> = late('actions', 'a list of actions or a mapping of actions', (l) => l.actions);
/** Processors (actions are processors too): a list, or a mapping `{processor: cfg, …}`. */
export const processorList: Codec<ProcessorSpec[]> = late('processors', 'a list of processors or a mapping of processors', (l) => l.processors);
