/**
 * What a step/action/processor factory receives besides its configuration: name resolution (variables to slots,
 * sequence names to templates, patterns to renderers), per-session state reservation, the benchmark's
 * ergonomics, HTTP targets and data files, and services injected by the host (HTTP pools, stats recorders).
 *
 * A context is valid only during the factory call: keep what it returns, not the context.
 */
import type { Ergonomics, HttpTarget, IntSource, Pattern, Scenario, VarRef } from '../config/model.js';
import type { StepSpec } from '../config/steps/index.js';
import type { WorkerIdentity } from './identity.js';
import type { CompiledPattern } from './pattern.js';
import type { SequenceTemplate } from './sequence.js';
import type { ServiceKey } from './services.js';
import type { StateKey, StateSpec } from './state.js';
import type { Action, Processor, Step } from './step.js';
import type { ReadAccess, VarHolder, WriteAccess } from './vars.js';

/** An int read from a constant or a variable. */
export interface IntValue {
  get(session: VarHolder): number;
}

/** How a step writes a variable: decides the kind recorded for the name (a name cannot be both). */
export type VarKind = 'int' | 'object' | 'any';

export interface CompileContext {
  /** `file:line:column` of the spec being compiled (for messages). */
  readonly at: string;
  /** Statistics id of the spec being compiled (≥ 1; unique within the worker's benchmark, same on every worker). */
  readonly stepId: number;
  /** The sequence whose steps are being compiled. */
  readonly sequence: SequenceTemplate;
  readonly scenario: Scenario;
  readonly ergonomics: Ergonomics;
  readonly http: readonly HttpTarget[];
  readonly identity: WorkerIdentity;

  /** Read access to `name` or `name[.]` (also the read-only `hyperfoil.*` variables). */
  readVar(ref: VarRef | string): ReadAccess;
  /** Write access; writing a `hyperfoil.*` variable, or one name both as int and object, is a compile error. */
  writeVar(ref: VarRef | string, kind: VarKind): WriteAccess;
  pattern(pattern: Pattern): CompiledPattern;
  intValue(source: IntSource): IntValue;
  /** The template of a sequence of this scenario; unknown names are a compile error. */
  sequenceTemplate(name: string): SequenceTemplate;
  /** Reserves state created once per pooled session and reset at every start (or per sequence instance). */
  reserveState<T>(spec: StateSpec<T>): StateKey<T>;
  /** Compiles nested components (each gets its own step id). */
  steps(specs: readonly StepSpec[]): Step[];
  actions(specs: readonly StepSpec[]): Action[];
  processors(specs: readonly StepSpec[]): Processor[];
  /** A data file named in the benchmark; a missing one is a compile error. */
  file(name: string): Buffer;
  /** A host-provided service; a missing one is a compile error naming the step that needs it. */
  service<T>(key: ServiceKey<T>): T;
  optionalService<T>(key: ServiceKey<T>): T | undefined;
  /** Throws an EngineCompileError at the current spec. */
  error(message: string): never;
  /** Records a warning shown before the run (e.g. a variable read but never written). */
  warn(message: string): void;
}
