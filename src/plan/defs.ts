/**
 * Phase definitions as written in the benchmark, before iterations and forks are expanded. The config layer decodes
 * YAML into these; `expandPhases` turns them into the `Phase[]` the controller and agents run.
 *
 * `At` is an opaque handle on where something was written (the config layer passes YAML nodes), so that problems
 * found while expanding point at the YAML. Nothing here reads it.
 */
import type { Scenario, SessionLimitPolicy, SlaSpec } from '../config/index.js';

/** A value that grows with the iteration: `base + increment * iteration`. A plain number has increment 0. */
export interface Incrementable {
  readonly base: number;
  readonly increment: number;
}

export type RelativeIteration = 'none' | 'same' | 'previous';

/** `startAfter: name` or `startAfter: {phase, iteration, fork}`. */
export interface PhaseRefDef<At> {
  readonly phase: string;
  readonly iteration: RelativeIteration;
  readonly fork?: string;
  readonly at: At;
}

export interface StartWithDef<At> extends PhaseRefDef<At> {
  readonly delayMs: number;
}

export interface ForkDef<At> {
  readonly name: string;
  /** As written; normalised (and forks with weight ≤ 0 dropped) during expansion. */
  readonly weight: number;
  readonly scenario: Scenario;
  readonly at: At;
}

export type UsersPer = 'total' | 'agent' | 'thread';

export type PhaseTypeDef =
  | { readonly type: 'noop' }
  | { readonly type: 'atOnce' | 'always'; readonly users: Incrementable; readonly usersPer: UsersPer }
  | {
    readonly type: 'constantRate';
    readonly usersPerSec: Incrementable;
    /** Absent: enough sessions for the highest rate over the iterations (1 second of arrivals). */
    readonly maxSessions?: number;
    readonly variance: boolean;
    readonly sessionLimitPolicy: SessionLimitPolicy;
  }
  | {
    readonly type: 'increasingRate' | 'decreasingRate';
    readonly initialUsersPerSec: Incrementable;
    readonly targetUsersPerSec: Incrementable;
    readonly maxSessions?: number;
    readonly variance: boolean;
    readonly sessionLimitPolicy: SessionLimitPolicy;
  };

export type PhaseType = PhaseTypeDef['type'];

export interface CustomSla {
  readonly metric: string;
  readonly slas: readonly SlaSpec[];
}

export interface PhaseDef<At> {
  readonly name: string;
  /** Where the phase is defined (its name). */
  readonly at: At;
  readonly model: PhaseTypeDef;
  readonly startTimeMs?: number;
  readonly startAfter: ReadonlyArray<PhaseRefDef<At>>;
  readonly startAfterStrict: ReadonlyArray<PhaseRefDef<At>>;
  readonly startWith?: StartWithDef<At>;
  readonly durationMs?: number;
  readonly maxDurationMs?: number;
  /** 1 = no iterations. */
  readonly maxIterations: number;
  /** Name the phases `name/000…` even with a single iteration (the staircase's ramp-ups do). */
  readonly forceIterations: boolean;
  readonly isWarmup: boolean;
  readonly customSlas: readonly CustomSla[];
  /** Exactly one of `scenario` and `forks` (two or more) for every type but noop, which has neither. */
  readonly scenario?: Scenario;
  readonly forks: ReadonlyArray<ForkDef<At>>;
}

/** A problem found while expanding, at the place it comes from. */
export interface PlanProblem<At> {
  readonly at: At;
  readonly message: string;
}
