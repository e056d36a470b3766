/**
 * Compiles a `Scenario` into sequence templates of runtime steps, once per session pool: resolves every variable
 * name to a slot, every sequence name to its template, and collects the per-session state steps reserve.
 * Compiling is control plane: problems throw `EngineCompileError` naming the step's position.
 */
import type { Ergonomics, HttpTarget, IntSource, Pattern, Scenario, VarRef } from '../config/model.js';
import type { StepSpec } from '../config/steps/index.js';
import { didYouMean } from '../lib/index.js';
import type { CompileContext, IntValue, VarKind } from './compile-context.js';
import { EngineCompileError } from './errors.js';
import type { WorkerIdentity } from './identity.js';
import { compilePattern } from './pattern.js';
import type { CompiledPattern } from './pattern.js';
import type { EngineRegistry } from './registry.js';
import { SequenceTemplate } from './sequence.js';
import type { ServiceKey, Services } from './services.js';
import type { SessionBlueprint } from './session.js';
import { SPECIAL_PREFIX, specialNames, specialVar } from './specials.js';
import type { SpecialVar } from './specials.js';
import type { StateKey, StateSpec } from './state.js';
import { ActionProcessor, ActionStep } from './step.js';
import type { Action, Processor, Step } from './step.js';
import { ElementAccess, parseVarName, SlotAccess } from './vars.js';
import type { ReadAccess, VarHolder, WriteAccess } from './vars.js';

export interface CompileEnv {
  readonly registry: EngineRegistry;
  readonly ergonomics: Ergonomics;
  readonly http: readonly HttpTarget[];
  readonly files: ReadonlyMap<string, Buffer>;
  readonly identity: WorkerIdentity;
  readonly services: Services;
  /** Shared across the scenarios of one benchmark so step ids are unique; start at { next: 1 }. */
  readonly stepIds: { next: number };
}

export interface CompiledScenario extends SessionBlueprint {
  readonly scenario: Scenario;
  readonly templates: readonly SequenceTemplate[];
  /** Variable names by slot. */
  readonly varNames: readonly string[];
  readonly warnings: readonly string[];
}

class ConstantInt implements IntValue {
  constructor(readonly value: number) {}

  get(): number {
    return this.value;
  }
}

class VarInt implements IntValue {
  constructor(readonly access: ReadAccess) {}

  get(session: VarHolder): number {
    return this.access.getInt(session);
  }
}

class ScenarioCompiler implements CompileContext {
  at = '';
  stepId = 0;
  sequence: SequenceTemplate;
  readonly ergonomics: Ergonomics;
  readonly http: readonly HttpTarget[];
  readonly identity: WorkerIdentity;
  readonly templates: SequenceTemplate[] = [];
  readonly varNames: string[] = [];
  readonly specials: Array<{ slot: number; special: SpecialVar }> = [];
  readonly states: Array<StateSpec<unknown>> = [];
  readonly warnings: string[] = [];
  private readonly byName = new Map<string, SequenceTemplate>();
  private readonly slots = new Map<string, number>();
  private readonly writtenKinds = new Map<string, VarKind>();
  private readonly written = new Set<string>();
  private readonly read = new Map<string, string>();

  constructor(readonly scenario: Scenario, private readonly env: CompileEnv) {
    this.ergonomics = env.ergonomics;
    this.http = env.http;
    this.identity = env.identity;
    let indexOffset = 0;
    for (const def of [...scenario.initialSequences, ...scenario.sequences]) {
      if (this.byName.has(def.name)) {
        throw new EngineCompileError(`sequence \`${def.name}\` is defined twice in the scenario; rename one of them`, def.steps[0]?.at ?? '');
      }
      const template = new SequenceTemplate(this.templates.length, def.name, def.concurrency, indexOffset);
      indexOffset += template.slots;
      this.templates.push(template);
      this.byName.set(def.name, template);
    }
    this.sequence = this.templates[0] ?? new SequenceTemplate(-1, '', 0, 0);
  }

  compile(): CompiledScenario {
    const scenario = this.scenario;
    if (scenario.initialSequences.length === 0) {
      throw new EngineCompileError('the scenario has no initial sequence, so sessions would do nothing; add one');
    }
    if (scenario.initialSequences.length > scenario.maxSequences) {
      throw new EngineCompileError(`the scenario starts ${scenario.initialSequences.length} initial sequences but maxSequences is ${scenario.maxSequences}; raise maxSequences`);
    }
    if (scenario.maxRequests < 0 || scenario.maxSequences < 1) {
      throw new EngineCompileError(`maxRequests must be ≥ 0 and maxSequences ≥ 1 (got ${scenario.maxRequests} and ${scenario.maxSequences})`);
    }
    const defs = [...scenario.initialSequences, ...scenario.sequences];
    defs.forEach((def, i) => {
      const template = this.templates[i]!;
      this.sequence = template;
      for (const spec of def.steps) {
        this.withSpec(spec, () => {
          for (const step of this.compileStep(spec)) {
            template.steps.push(step);
            template.stepIds.push(this.stepId);
            template.stepAt.push(spec.at);
          }
        });
      }
    });
    for (const [name, at] of this.read) {
      if (!this.written.has(name)) {
        this.warnings.push(`${at ? `${at}: ` : ''}variable \`${name}\` is read but never written; reading it will fail the session`);
      }
    }
    return {
      scenario,
      templates: this.templates,
      initial: this.templates.slice(0, scenario.initialSequences.length),
      templateCount: this.templates.length,
      usedIndexSize: this.templates.reduce((sum, t) => sum + t.slots, 0),
      varCount: this.varNames.length,
      varNames: this.varNames,
      specials: this.specials,
      states: this.states,
      endHooks: this.states.flatMap((spec, index) => (spec.onSessionEnd !== undefined ? [index] : [])),
      maxRequests: scenario.maxRequests,
      maxSequences: scenario.maxSequences,
      warnings: this.warnings,
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // CompileContext

  readVar(ref: VarRef | string): ReadAccess {
    const { name, indexed } = normalize(ref);
    if (name.startsWith(SPECIAL_PREFIX)) {
      const special = specialVar(name);
      if (special === undefined) {
        this.error(`unknown read-only variable \`${name}\`.${didYouMean(name, specialNames())}`.replace(/\.$/, ''));
      }
      if (indexed) this.error(`\`${name}\` is not an array, so \`${name}[.]\` cannot be read`);
      const slot = this.slotOf(name);
      if (!this.specials.some((s) => s.slot === slot)) this.specials.push({ slot, special });
      return new SlotAccess(name, slot);
    }
    if (!this.read.has(name)) this.read.set(name, this.at);
    const slot = this.slotOf(name);
    return indexed ? new ElementAccess(name, slot) : new SlotAccess(name, slot);
  }

  writeVar(ref: VarRef | string, kind: VarKind): WriteAccess {
    const { name, indexed } = normalize(ref);
    if (name === '') this.error('a variable name is empty');
    if (name.startsWith(SPECIAL_PREFIX)) this.error(`\`${name}\` is read-only; write to a variable not starting with \`hyperfoil.\``);
    const baseKind: VarKind = indexed ? 'object' : kind;
    if (baseKind !== 'any') {
      const previous = this.writtenKinds.get(name);
      if (previous !== undefined && previous !== baseKind) {
        this.warn(`variable \`${name}\` is written both as ${previous === 'int' ? 'an integer' : 'an object'} and as ${baseKind === 'int' ? 'an integer' : 'an object'}${indexed ? ' (array)' : ''}`);
      }
      this.writtenKinds.set(name, baseKind);
    }
    this.written.add(name);
    const slot = this.slotOf(name);
    return indexed ? new ElementAccess(name, slot) : new SlotAccess(name, slot);
  }

  pattern(pattern: Pattern): CompiledPattern {
    return compilePattern(pattern, (ref) => this.readVar(ref), this.at);
  }

  intValue(source: IntSource): IntValue {
    return 'value' in source ? new ConstantInt(source.value) : new VarInt(this.readVar(source.fromVar));
  }

  sequenceTemplate(name: string): SequenceTemplate {
    const template = this.byName.get(name);
    if (template === undefined) {
      this.error(`there is no sequence \`${name}\` in this scenario.${didYouMean(name, this.byName.keys())}`.replace(/\.$/, ''));
    }
    return template;
  }

  reserveState<T>(spec: StateSpec<T>): StateKey<T> {
    const perSequenceInstance = spec.perSequenceInstance === true;
    const copies = perSequenceInstance ? this.sequence.slots : 1;
    const base = this.states.length;
    for (let i = 0; i < copies; i++) this.states.push(spec as StateSpec<unknown>);
    if (perSequenceInstance) this.sequence.instanceStates.push({ base, copies, spec: spec as StateSpec<unknown> });
    return { base, copies, perSequenceInstance };
  }

  steps(specs: readonly StepSpec[]): Step[] {
    const out: Step[] = [];
    for (const spec of specs) this.withSpec(spec, () => out.push(...this.compileStep(spec)));
    return out;
  }

  actions(specs: readonly StepSpec[]): Action[] {
    const out: Action[] = [];
    for (const spec of specs) {
      this.withSpec(spec, () => {
        const factory = this.env.registry.action(spec.name);
        if (factory === undefined) this.unknown('action', spec.name, this.env.registry.actionNames());
        out.push(this.build(spec, () => factory(spec.config, this)));
      });
    }
    return out;
  }

  processors(specs: readonly StepSpec[]): Processor[] {
    const out: Processor[] = [];
    for (const spec of specs) {
      this.withSpec(spec, () => {
        const registry = this.env.registry;
        const factory = registry.processor(spec.name);
        if (factory !== undefined) {
          out.push(this.build(spec, () => factory(spec.config, this)));
          return;
        }
        const action = registry.action(spec.name);
        if (action === undefined) this.unknown('processor', spec.name, registry.processorNames());
        out.push(new ActionProcessor(this.build(spec, () => action(spec.config, this))));
      });
    }
    return out;
  }

  file(name: string): Buffer {
    const data = this.env.files.get(name);
    if (data === undefined) this.error(`the data file \`${name}\` was not supplied with the benchmark; upload it with the benchmark`);
    return data;
  }

  service<T>(key: ServiceKey<T>): T {
    const value = this.env.services.get(key);
    if (value === undefined) this.error(`this step needs the \`${key.name}\` service, which this engine host does not provide`);
    return value;
  }

  optionalService<T>(key: ServiceKey<T>): T | undefined {
    return this.env.services.get(key);
  }

  error(message: string): never {
    throw new EngineCompileError(message, this.at);
  }

  warn(message: string): void {
    this.warnings.push(this.at ? `${this.at}: ${message}` : message);
  }

  // -------------------------------------------------------------------------------------------------------------

  private slotOf(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.varNames.length;
      this.varNames.push(name);
      this.slots.set(name, slot);
    }
    return slot;
  }

  private withSpec(spec: StepSpec, body: () => void): void {
    const at = this.at;
    const stepId = this.stepId;
    this.at = spec.at;
    this.stepId = this.env.stepIds.next++;
    try {
      body();
    } finally {
      this.at = at;
      this.stepId = stepId;
    }
  }

  private compileStep(spec: StepSpec): readonly Step[] {
    const registry = this.env.registry;
    const factory = registry.step(spec.name);
    if (factory !== undefined) {
      const built = this.build(spec, () => factory(spec.config, this));
      return isStepList(built) ? built : [built];
    }
    const action = registry.action(spec.name);
    if (action === undefined) this.unknown('step', spec.name, registry.stepNames());
    return [new ActionStep(this.build(spec, () => action(spec.config, this)))];
  }

  private build<T>(spec: StepSpec, make: () => T): T {
    try {
      return make();
    } catch (error) {
      if (error instanceof EngineCompileError) throw error;
      throw new EngineCompileError(`\`${spec.name}\`: ${error instanceof Error ? error.message : String(error)}`, spec.at);
    }
  }

  private unknown(what: string, name: string, known: readonly string[]): never {
    this.error(`unknown ${what} \`${name}\` (the engine has no implementation for it).${didYouMean(name, known)}`.replace(/\.$/, ''));
  }
}

function isStepList(value: Step | readonly Step[]): value is readonly Step[] {
  return Array.isArray(value);
}

function normalize(ref: VarRef | string): { name: string; indexed: boolean } {
  return typeof ref === 'string' ? parseVarName(ref) : { name: ref.name, indexed: ref.indexed };
}

/** Compiles one scenario for one session pool. */
export function compileScenario(scenario: Scenario, env: CompileEnv): CompiledScenario {
  return new ScenarioCompiler(scenario, env).compile();
}
