export type {
  CustomSla, ForkDef, Incrementable, PhaseDef, PhaseRefDef, PhaseType, PhaseTypeDef, PlanProblem, RelativeIteration, StartWithDef, UsersPer,
} from './defs.js';
export { expandPhases, iterationName, MAX_PHASES } from './expand.js';
export type { Expansion } from './expand.js';
export { findCycles, startDependencies } from './graph.js';
export { staircasePhases } from './staircase.js';
export type { StaircasePhases, StaircaseSpec } from './staircase.js';
export { checkPhaseValues, maxOverIterations, valueAt } from './values.js';
export type { ValueProblem } from './values.js';
export { sliceForAgent, sliceInt, sliceMaxSessions, sliceRate, sliceSharedConnections } from './slice.js';
export { agentShare, agentThreadCounts, threadShare } from './share.js';
export type { Share } from './share.js';
