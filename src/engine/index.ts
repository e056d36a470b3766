/**
 * The engine: runs compiled scenarios in pre-allocated sessions inside one worker thread, starting sessions as
 * each phase's load model says and obeying the controller's phase commands. Step catalogues plug in through the
 * registry (`registerStep`/`registerAction`/`registerProcessor`); statistics through `EngineStatsSink`.
 */
import { defaultRegistry } from './registry.js';
import { registerCoreSteps } from './steps/core.js';

registerCoreSteps(defaultRegistry);

// Hosting
export { EngineWorker } from './worker.js';
export type { EngineBenchmark, EngineWorkerOptions, PoolInfo } from './worker.js';
export { PHASE_COMMANDS } from './phase-runner.js';
export type { PhaseCommand, PhaseStatus, PhaseStatusEvent, PhaseStatusListener } from './phase-runner.js';
export type { PhaseCountersSnapshot } from './phase-counters.js';
export type { EngineStatsSink } from './stats-sink.js';
export { NULL_STATS_SINK } from './stats-sink.js';
export type { WorkerIdentity } from './identity.js';
export { SOLO_WORKER } from './identity.js';
export { SystemClock } from './clock.js';
export type { Clock } from './clock.js';
export { EngineCompileError, EngineCommandError, SessionFailure } from './errors.js';

// Writing steps
export type { Step, Action, Processor } from './step.js';
export { ActionStep, ActionProcessor } from './step.js';
export { EngineRegistry, defaultRegistry, registerStep, registerAction, registerProcessor } from './registry.js';
export type { StepFactory, ActionFactory, ProcessorFactory } from './registry.js';
export type { CompileContext, IntValue, VarKind } from './compile-context.js';
export { compileScenario } from './compile.js';
export type { CompileEnv, CompiledScenario } from './compile.js';
export { Session, SESSION_IDLE, SESSION_RUNNING, SESSION_ENDING } from './session.js';
export type { SessionRuntime, SessionOwner } from './session.js';
export { SequenceTemplate, SequenceInstance } from './sequence.js';
export type { ConcurrencyPolicy } from './sequence.js';
export { RequestSlots } from './request-slots.js';
export type { StateKey, StateSpec } from './state.js';
export { serviceKey, Services } from './services.js';
export type { ServiceKey } from './services.js';
export { IntArrayVar, ObjectArrayVar, VAR_UNSET, VAR_INT, VAR_OBJECT } from './vars.js';
export type { ReadAccess, WriteAccess, VarHolder } from './vars.js';
export { specialNames } from './specials.js';
export type { CompiledPattern, PatternEncoding } from './pattern.js';
export { compilePattern, valueToString } from './pattern.js';
export { urlEncodeJava, formatInt, compileIntFormat, compileReplace } from './pattern-format.js';
export { NOOP_STEP, STOP_STEP } from './steps/core.js';
export { WORKER_DATA, WorkerData, STATS_RECORDERS, type StepLogger } from './steps/services.js';

// Time and load models (pure, for the plan and for reports)
export { Scheduler } from './scheduler.js';
export type { TimerTarget } from './scheduler.js';
export {
  ArrivalSchedule, uniformStartOffsetNs, rampCumulativeStarts, rampTimeOfCumulativeSec, rampStartOffsetNs, exponentialUnit,
} from './arrivals.js';
export type { ArrivalShape } from './arrivals.js';
export { Xoshiro128, randomSeed } from './rng.js';
export type { Random } from './rng.js';
export { compileCondition, compileStringMatcher, StringMatcher } from './steps/conditions.js';
export type { Predicate } from './steps/conditions.js';
