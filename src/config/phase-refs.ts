/**
 * References from one phase to others: `startAfter`/`startAfterStrict` (a name, `{phase, iteration, fork}`, or a
 * list mixing both) and `startWith` (a name or `{phase, iteration, fork, delay}`). Each keeps its YAML node so that
 * a reference to an undefined phase is reported where it is written.
 */
import type { Node as YNode } from 'yaml';
import type { PhaseRefDef, RelativeIteration, StartWithDef } from '../plan/index.js';
import { byKind, listOrSingle, map, named, nonEmptyStr, object, oneOf, optional, required } from './codec.js';
import type { Codec } from './codec.js';
import { durationMs } from './time-values.js';

const phaseName = nonEmptyStr('a phase name');
const iteration = oneOf(['none', 'same', 'previous'], { ignoreCase: true });

const refProps = {
  phase: required(phaseName, 'Name of the referenced phase.'),
  iteration: optional(iteration, '`none` (default): the phase with all its iterations; `same`: the iteration with the same number; `previous`: the one before.'),
  fork: optional(nonEmptyStr('a fork name'), 'A fork of the referenced phase (or of its iteration).'),
};

function relative(value: string | undefined): RelativeIteration {
  return (value?.toLowerCase() ?? 'none') as RelativeIteration;
}

export const phaseRefCodec: Codec<PhaseRefDef<YNode>> = byKind('a phase name or `{phase, iteration, fork}`', {
  scalar: map(phaseName, (phase, node): PhaseRefDef<YNode> => ({ phase, iteration: 'none', at: node })),
  mapping: map(object(refProps, { what: 'a phase reference' }), (value, node) => ({
    phase: value.phase,
    iteration: relative(value.iteration),
    ...(value.fork !== undefined ? { fork: value.fork } : {}),
    at: node,
  })),
});

/** `startAfter` / `startAfterStrict`. */
export const phaseRefsCodec: Codec<Array<PhaseRefDef<YNode>>> = named('phaseReferences', () => listOrSingle(phaseRefCodec));

export const startWithCodec: Codec<StartWithDef<YNode>> = named('startWith', () => byKind('a phase name or `{phase, iteration, fork, delay}`', {
  scalar: map(phaseName, (phase, node): StartWithDef<YNode> => ({ phase, iteration: 'none', delayMs: 0, at: node })),
  mapping: map(object({ ...refProps, delay: optional(durationMs, 'Start this long after the referenced phase starts.') },
    { what: '`startWith`' }), (value, node) => ({
    phase: value.phase,
    iteration: relative(value.iteration),
    ...(value.fork !== undefined ? { fork: value.fork } : {}),
    delayMs: value.delay ?? 0,
    at: node,
  })),
}));
