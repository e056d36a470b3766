/**
 * Phase expansion (Hyperfoil's PhaseBuilder matrix): every definition becomes one phase per iteration × fork, plus
 * no-op "umbrella" phases so that other phases can keep referring to the name as written.
 *
 * - Without iterations or forks: one phase, named as written.
 * - Forks: `name/fork` each, users, rates and maxSessions multiplied by the fork's normalised weight (weights ≤ 0 are
 *   dropped), and a noop `name` that starts when every fork has finished and terminates once they have terminated.
 * - Iterations (`maxIterations` > 1): `name/000`, `name/001`… (`name/000/fork` with forks); values are
 *   `base + increment × i`; iteration i > 0 starts only after iteration i-1 has terminated; with forks a noop
 *   `name/00i` covers the forks of each iteration, and a noop `name` covers the last iteration.
 * - `startTime` applies to the first iteration only; `iteration: same|previous` references resolve per iteration.
 * - Ids are assigned in build order: per definition, its phases (iteration-major, fork-minor), then the
 *   per-iteration umbrellas, then the top umbrella.
 * Then every referenced phase must exist, and dependencies must not form a cycle.
 */
import type { Phase, PhaseModel } from '../config/index.js';
import type { PhaseDef, PhaseRefDef, PhaseTypeDef, PlanProblem } from './defs.js';
import { findCycles } from './graph.js';
import { maxOverIterations, valueAt } from './values.js';
import { didYouMean } from '../lib/index.js';

export interface Expansion<At> {
  readonly phases: Phase[];
  readonly problems: Array<PlanProblem<At>>;
}

/** More phases than this is a mistake (`maxIterations: 1000000`), not a benchmark: refuse before allocating them. */
export const MAX_PHASES = 100_000;

/** Float noise (`15 × 1/3 = 5.000000000000001`) must not add a session. */
const CEIL_SLACK = 1e-9;

export function iterationName(name: string, iteration: number): string {
  return `${name}/${String(iteration).padStart(3, '0')}`;
}

function modelFor(def: PhaseTypeDef, iteration: number, iterations: number, weight: number): PhaseModel {
  switch (def.type) {
    case 'noop':
      return { type: 'noop' };
    case 'atOnce':
    case 'always':
      return { type: def.type, users: Math.round(valueAt(def.users, iteration) * weight), usersPer: def.usersPer };
    case 'constantRate': {
      const highest = maxOverIterations(def.usersPerSec, iterations);
      return {
        type: 'constantRate',
        usersPerSec: valueAt(def.usersPerSec, iteration) * weight,
        maxSessions: maxSessionsFor(def.maxSessions, highest, weight),
        variance: def.variance,
        sessionLimitPolicy: def.sessionLimitPolicy,
      };
    }
    case 'increasingRate':
    case 'decreasingRate': {
      const highest = Math.max(maxOverIterations(def.initialUsersPerSec, iterations), maxOverIterations(def.targetUsersPerSec, iterations));
      return {
        type: def.type,
        initialUsersPerSec: valueAt(def.initialUsersPerSec, iteration) * weight,
        targetUsersPerSec: valueAt(def.targetUsersPerSec, iteration) * weight,
        maxSessions: maxSessionsFor(def.maxSessions, highest, weight),
        variance: def.variance,
        sessionLimitPolicy: def.sessionLimitPolicy,
      };
    }
  }
}

/** Given: scaled by the fork's weight. Default: enough for one second at the highest rate of any iteration. */
function maxSessionsFor(given: number | undefined, highestRate: number, weight: number): number {
  if (given !== undefined) return Math.max(1, Math.round(given * weight));
  return Math.max(1, Math.ceil(highestRate * weight - CEIL_SLACK));
}

interface Edge<At> {
  readonly from: string;
  readonly to: string;
  readonly at: At;
}

export function expandPhases<At>(defs: ReadonlyArray<PhaseDef<At>>): Expansion<At> {
  const phases: Phase[] = [];
  const problems: Array<PlanProblem<At>> = [];
  const edges: Array<Edge<At>> = [];
  const defByName = new Map<string, PhaseDef<At>>();
  const defOfPhase = new Map<string, PhaseDef<At>>();
  const badRefs = new Set<PhaseRefDef<At>>();
  /** Definitions refused as a whole: references to them are not reported again. */
  const refused = new Set<string>();
  let nextId = 0;

  const push = (def: PhaseDef<At>, phase: Omit<Phase, 'id'>): void => {
    if (defOfPhase.has(phase.name)) {
      const other = defOfPhase.get(phase.name) as PhaseDef<At>;
      problems.push({
        at: def.at,
        message: other === def || other.name === def.name
          ? `phase \`${def.name}\` is defined twice: phase names must be unique`
          : `phase \`${def.name}\` generates the phase name \`${phase.name}\`, which \`${other.name}\` already uses: rename one of them`,
      });
      return;
    }
    defOfPhase.set(phase.name, def);
    phases.push({ id: nextId++, ...phase });
  };

  for (const def of defs) {
    if (defByName.has(def.name)) {
      problems.push({ at: def.at, message: `phase \`${def.name}\` is defined twice: phase names must be unique` });
      continue;
    }
    defByName.set(def.name, def);
    const iterations = Math.max(1, def.maxIterations);
    const iterated = iterations > 1 || def.forceIterations;
    const generated = iterations * (def.forks.length + 1) + 1;
    if (phases.length + generated > MAX_PHASES) {
      problems.push({ at: def.at, message: `phase \`${def.name}\` would expand to ${generated} phases (${iterations} iterations × ${Math.max(1, def.forks.length)} forks); a benchmark may have at most ${MAX_PHASES}` });
      refused.add(def.name);
      continue;
    }
    const nameOf = (i: number): string => (iterated ? iterationName(def.name, i) : def.name);

    const resolve = (ref: PhaseRefDef<At>, i: number): string | undefined => {
      if (ref.iteration !== 'none' && !iterated) {
        if (!badRefs.has(ref)) {
          badRefs.add(ref);
          problems.push({
            at: ref.at,
            message: `\`iteration: ${ref.iteration}\` needs iterations, but phase \`${def.name}\` has none (set \`maxIterations\` above 1, or drop \`iteration\`)`,
          });
        }
        return undefined;
      }
      const fork = ref.fork !== undefined && ref.fork !== '' ? `/${ref.fork}` : '';
      if (ref.iteration === 'none') return `${ref.phase}${fork}`;
      if (ref.iteration === 'same') return `${iterationName(ref.phase, i)}${fork}`;
      return i > 0 ? `${iterationName(ref.phase, i - 1)}${fork}` : undefined;
    };
    const resolveAll = (from: string, refs: ReadonlyArray<PhaseRefDef<At>>, i: number): string[] => {
      const names: string[] = [];
      for (const ref of refs) {
        const name = resolve(ref, i);
        if (name === undefined) continue;
        edges.push({ from, to: name, at: ref.at });
        if (!names.includes(name)) names.push(name);
      }
      return names;
    };

    const forks = def.model.type === 'noop' ? [] : weightedForks(def, problems);
    const hasForks = def.forks.length > 1;
    const runs = def.model.type === 'noop' ? [{ name: '', weight: 1, scenario: undefined }] : forks;

    for (let i = 0; i < iterations; i++) {
      for (const fork of runs) {
        const name = fork.name ? `${nameOf(i)}/${fork.name}` : nameOf(i);
        const startWithName = def.startWith ? resolve(def.startWith, i) : undefined;
        if (def.startWith && startWithName !== undefined) edges.push({ from: name, to: startWithName, at: def.startWith.at });
        const strict = resolveAll(name, def.startAfterStrict, i);
        if (i > 0 && !strict.includes(nameOf(i - 1))) strict.push(nameOf(i - 1));
        const isNoop = def.model.type === 'noop';
        push(def, {
          name,
          baseName: def.name,
          iteration: iterated ? i : -1,
          fork: fork.name,
          model: modelFor(def.model, i, iterations, fork.weight),
          ...(fork.scenario ? { scenario: fork.scenario } : {}),
          startTimeMs: i === 0 ? def.startTimeMs ?? 0 : 0,
          startAfter: resolveAll(name, def.startAfter, i),
          startAfterStrict: strict,
          terminateAfterStrict: [],
          ...(def.startWith && startWithName !== undefined ? { startWith: { phase: startWithName, delayMs: def.startWith.delayMs } } : {}),
          ...(def.durationMs !== undefined ? { durationMs: def.durationMs } : isNoop ? { durationMs: 0 } : {}),
          ...(def.maxDurationMs !== undefined ? { maxDurationMs: def.maxDurationMs } : {}),
          // Hyperfoil flags no-op phases as warm-up so that reports hide them.
          isWarmup: isNoop ? true : def.isWarmup,
          customSlas: isNoop ? [] : def.customSlas,
          sharedResources: fork.name ? `${def.name}/${fork.name}` : def.name,
        });
      }
    }
    if (iterated && hasForks) {
      for (let i = 0; i < iterations; i++) {
        push(def, umbrella(def.name, nameOf(i), i, forks.map((f) => `${nameOf(i)}/${f.name}`)));
      }
    }
    if (iterated) push(def, umbrella(def.name, def.name, -1, [nameOf(iterations - 1)]));
    else if (hasForks) push(def, umbrella(def.name, def.name, -1, forks.map((f) => `${def.name}/${f.name}`)));
  }

  checkReferences(edges.filter((e) => !refused.has(e.to.split('/')[0] ?? e.to)), defOfPhase, defByName, problems);
  for (const cycle of findCycles(phases)) {
    const first = defOfPhase.get(cycle[0] as string);
    if (first) {
      problems.push({ at: first.at, message: `phases wait for each other in a cycle, so none of them would ever start: ${cycle.join(' → ')}` });
    }
  }
  return { phases, problems };
}

function weightedForks<At>(def: PhaseDef<At>, problems: Array<PlanProblem<At>>): Array<{ name: string; weight: number; scenario: Phase['scenario'] }> {
  if (def.forks.length === 0) return [{ name: '', weight: 1, scenario: def.scenario }];
  if (def.forks.length === 1) {
    const [only] = def.forks;
    return [{ name: '', weight: 1, scenario: only?.scenario }];
  }
  const kept = def.forks.filter((f) => f.weight > 0);
  const total = kept.reduce((sum, f) => sum + f.weight, 0);
  if (kept.length === 0) {
    problems.push({ at: def.at, message: `every fork of phase \`${def.name}\` has a weight of 0 or less: nothing would run` });
    return [];
  }
  return kept.map((f) => ({ name: f.name, weight: f.weight / total, scenario: f.scenario }));
}

function umbrella(baseName: string, name: string, iteration: number, covered: string[]): Omit<Phase, 'id'> {
  return {
    name,
    baseName,
    iteration,
    fork: '',
    model: { type: 'noop' },
    startTimeMs: 0,
    startAfter: covered,
    startAfterStrict: [],
    terminateAfterStrict: covered,
    durationMs: 0,
    isWarmup: true,
    customSlas: [],
    sharedResources: '',
  };
}

function checkReferences<At>(
  edges: ReadonlyArray<Edge<At>>,
  defOfPhase: ReadonlyMap<string, PhaseDef<At>>,
  defByName: ReadonlyMap<string, PhaseDef<At>>,
  problems: Array<PlanProblem<At>>,
): void {
  const reported = new Set<At>();
  const names = [...defOfPhase.keys()];
  for (const edge of edges) {
    if (defOfPhase.has(edge.to) || reported.has(edge.at)) continue;
    reported.add(edge.at);
    const base = edge.to.split('/')[0] ?? edge.to;
    const hint = defByName.has(base) && base !== edge.to
      ? ` Phase \`${base}\` defines: ${names.filter((n) => n === base || n.startsWith(`${base}/`)).map((n) => `\`${n}\``).join(', ')}.`
      : didYouMean(edge.to, names);
    problems.push({ at: edge.at, message: `phase \`${edge.to}\` referenced from \`${edge.from}\` is not defined.${hint}` });
  }
}
