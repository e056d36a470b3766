/** Builders of the frozen config model for tests: phases, scenarios and step specs with sensible defaults. */
import type { Ergonomics, Pattern, PatternFormat, Phase, PhaseModel, Scenario, SequenceDef, VarRef } from '../../config/model.js';
import type { StepSpec } from '../../config/steps/index.js';
import type { EngineBenchmark } from '../worker.js';

let specCounter = 0;

/** A step spec of any name (test fixtures register names the config catalogue does not know). */
export function spec(name: string, config: unknown = {}): StepSpec {
  return { name, config, at: `test.hf.yaml:${++specCounter}:1` } as unknown as StepSpec;
}

export function sequence(name: string, steps: readonly StepSpec[], concurrency = 0): SequenceDef {
  return { name, concurrency, steps };
}

export function scenario(
  initial: readonly SequenceDef[],
  more: readonly SequenceDef[] = [],
  limits: { maxRequests?: number; maxSequences?: number } = {},
): Scenario {
  return { initialSequences: initial, sequences: more, maxRequests: limits.maxRequests ?? 16, maxSequences: limits.maxSequences ?? 16 };
}

/** A one-sequence scenario. */
export function steps(...specs: StepSpec[]): Scenario {
  return scenario([sequence('main', specs)]);
}

let phaseIds = 0;

export function phase(name: string, model: PhaseModel, scenarioDef: Scenario | undefined, extra: Partial<Phase> = {}): Phase {
  return {
    id: phaseIds++,
    name,
    baseName: name,
    iteration: -1,
    fork: '',
    model,
    ...(scenarioDef !== undefined ? { scenario: scenarioDef } : {}),
    startTimeMs: 0,
    startAfter: [],
    startAfterStrict: [],
    terminateAfterStrict: [],
    isWarmup: false,
    customSlas: [],
    sharedResources: name,
    ...extra,
  };
}

export const atOnce = (users: number): PhaseModel => ({ type: 'atOnce', users, usersPer: 'thread' });
export const always = (users: number): PhaseModel => ({ type: 'always', users, usersPer: 'thread' });
export const constantRate = (usersPerSec: number, maxSessions: number, variance = false): PhaseModel => ({
  type: 'constantRate', usersPerSec, maxSessions, variance, sessionLimitPolicy: 'FAIL',
});
export const ramp = (initialUsersPerSec: number, targetUsersPerSec: number, maxSessions: number, variance = false): PhaseModel => ({
  type: initialUsersPerSec <= targetUsersPerSec ? 'increasingRate' : 'decreasingRate',
  initialUsersPerSec, targetUsersPerSec, maxSessions, variance, sessionLimitPolicy: 'FAIL',
});

export const TEST_ERGONOMICS: Ergonomics = {
  repeatCookies: true, userAgentFromSession: true, autoRangeCheck: true, stopOnInvalid: true,
  followRedirect: 'NEVER', compensateInternalLatency: false,
};

export function benchmark(phases: readonly Phase[]): EngineBenchmark {
  return { phases, ergonomics: TEST_ERGONOMICS, http: [], files: new Map() };
}

export function varRef(text: string): VarRef {
  return text.endsWith('[.]') ? { name: text.slice(0, -3), indexed: true } : { name: text, indexed: false };
}

/** A pattern from parts: strings are literals, `{ v: 'name', f?: format }` are variables. */
export function pattern(...parts: Array<string | { v: string; f?: PatternFormat }>): Pattern {
  return {
    source: parts.map((p) => (typeof p === 'string' ? p : `\${${p.v}}`)).join(''),
    parts: parts.map((p) => (typeof p === 'string'
      ? { kind: 'literal' as const, text: p }
      : { kind: 'var' as const, ref: varRef(p.v), format: p.f ?? { kind: 'plain' as const } })),
  };
}
