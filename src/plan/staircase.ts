/**
 * The `staircase` shortcut (Hyperfoil's StaircaseParser): alternating ramp-ups and steady states generated from a
 * few numbers, all running the same scenario (or forks).
 *
 * - `steadyState`: constantRate at `initial + increment × i`, `maxIterations` iterations of `steadyStateDuration`.
 * - `initialRampUp` (when `initialRampUpDuration`, or else `rampUpDuration`, is set): increasingRate 0 → initial;
 *   `steadyState` starts after it.
 * - `rampUp` (when `rampUpDuration` is set and there are at least 2 steady states): `maxIterations - 1` iterations,
 *   always named `rampUp/000…`, ramping `initial + increment × i` → `initial + increment × (i+1)`; iteration i starts
 *   after `steadyState` iteration i, and `steadyState` iteration i starts after `rampUp` iteration i-1.
 * Definitions come out in Hyperfoil's build order (steadyState, initialRampUp, rampUp), which sets the phase ids.
 */
import type { Scenario } from '../config/index.js';
import type { CustomSla, ForkDef, PhaseDef, PhaseRefDef } from './defs.js';

export interface StaircaseSpec<At> {
  readonly at: At;
  readonly initialRampUpDurationMs?: number;
  readonly steadyStateDurationMs: number;
  readonly rampUpDurationMs?: number;
  /** Default: the increment. */
  readonly initialUsersPerSec?: number;
  readonly incrementUsersPerSec: number;
  readonly maxIterations: number;
  readonly maxSessions?: number;
  readonly scenario?: Scenario;
  readonly forks: ReadonlyArray<ForkDef<At>>;
  readonly customSlas: readonly CustomSla[];
}

export interface StaircasePhases<At> {
  readonly defs: Array<PhaseDef<At>>;
  readonly warnings: string[];
}

export function staircasePhases<At>(spec: StaircaseSpec<At>): StaircasePhases<At> {
  const initial = spec.initialUsersPerSec !== undefined && spec.initialUsersPerSec > 0 ? spec.initialUsersPerSec : spec.incrementUsersPerSec;
  const increment = spec.incrementUsersPerSec;
  const ref = (phase: string, iteration: PhaseRefDef<At>['iteration']): PhaseRefDef<At> => ({ phase, iteration, at: spec.at });
  const common = {
    at: spec.at,
    startAfterStrict: [],
    forceIterations: false,
    isWarmup: false,
    forks: spec.forks,
    ...(spec.scenario ? { scenario: spec.scenario } : {}),
  };
  const open = {
    ...(spec.maxSessions !== undefined ? { maxSessions: spec.maxSessions } : {}),
    variance: true,
    sessionLimitPolicy: 'FAIL' as const,
  };

  const initialRampUpMs = spec.initialRampUpDurationMs !== undefined && spec.initialRampUpDurationMs > 0
    ? spec.initialRampUpDurationMs : spec.rampUpDurationMs;
  const hasInitialRampUp = initialRampUpMs !== undefined && initialRampUpMs > 0;
  const hasRampUps = spec.rampUpDurationMs !== undefined && spec.rampUpDurationMs > 0;
  const warnings = hasRampUps ? [] : ['without `rampUpDuration` the steady states follow each other without ramps: there won\'t be continuous load'];

  const steadyAfter: Array<PhaseRefDef<At>> = [];
  if (hasInitialRampUp) steadyAfter.push(ref('initialRampUp', 'none'));
  if (hasRampUps && spec.maxIterations > 1) steadyAfter.push(ref('rampUp', 'previous'));

  const defs: Array<PhaseDef<At>> = [{
    ...common,
    name: 'steadyState',
    model: { type: 'constantRate', usersPerSec: { base: initial, increment }, ...open },
    startAfter: steadyAfter,
    durationMs: spec.steadyStateDurationMs,
    maxIterations: spec.maxIterations,
    customSlas: spec.customSlas,
  }];
  if (hasInitialRampUp) {
    defs.push({
      ...common,
      name: 'initialRampUp',
      model: { type: 'increasingRate', initialUsersPerSec: { base: 0, increment: 0 }, targetUsersPerSec: { base: initial, increment: 0 }, ...open },
      startAfter: [],
      durationMs: initialRampUpMs,
      maxIterations: 1,
      customSlas: [],
    });
  }
  if (hasRampUps && spec.maxIterations > 1) {
    defs.push({
      ...common,
      name: 'rampUp',
      model: {
        type: 'increasingRate',
        initialUsersPerSec: { base: initial, increment },
        targetUsersPerSec: { base: initial + increment, increment },
        ...open,
      },
      startAfter: [ref('steadyState', 'same')],
      durationMs: spec.rampUpDurationMs as number,
      maxIterations: spec.maxIterations - 1,
      forceIterations: true,
      customSlas: [],
    });
  }
  return { defs, warnings };
}
