/**
 * The compile-time registry: step, action and processor names → factories that build runtime objects from a
 * decoded configuration. One spec may compile to several steps (a synchronous request = send + await).
 * Wherever a step or processor is expected, a registered action is accepted too (Hyperfoil's rule).
 */
import type { CompileContext } from './compile-context.js';
import type { Action, Processor, Step } from './step.js';

export type StepFactory<C = unknown> = (config: C, cx: CompileContext) => Step | readonly Step[];
export type ActionFactory<C = unknown> = (config: C, cx: CompileContext) => Action;
export type ProcessorFactory<C = unknown> = (config: C, cx: CompileContext) => Processor;

export class EngineRegistry {
  private readonly steps = new Map<string, StepFactory>();
  private readonly actions = new Map<string, ActionFactory>();
  private readonly processors = new Map<string, ProcessorFactory>();

  registerStep<C>(name: string, factory: StepFactory<C>): this {
    add(this.steps, 'step', name, factory as StepFactory);
    return this;
  }

  registerAction<C>(name: string, factory: ActionFactory<C>): this {
    add(this.actions, 'action', name, factory as ActionFactory);
    return this;
  }

  registerProcessor<C>(name: string, factory: ProcessorFactory<C>): this {
    add(this.processors, 'processor', name, factory as ProcessorFactory);
    return this;
  }

  step(name: string): StepFactory | undefined {
    return this.steps.get(name);
  }

  action(name: string): ActionFactory | undefined {
    return this.actions.get(name);
  }

  processor(name: string): ProcessorFactory | undefined {
    return this.processors.get(name);
  }

  /** Names usable where a step is expected (steps and actions). */
  stepNames(): string[] {
    return [...new Set([...this.steps.keys(), ...this.actions.keys()])].sort();
  }

  actionNames(): string[] {
    return [...this.actions.keys()].sort();
  }

  processorNames(): string[] {
    return [...new Set([...this.processors.keys(), ...this.actions.keys()])].sort();
  }

  /** A registry holding everything this one holds (to add test fixtures without touching the shared one). */
  copy(): EngineRegistry {
    const copy = new EngineRegistry();
    for (const [name, f] of this.steps) copy.steps.set(name, f);
    for (const [name, f] of this.actions) copy.actions.set(name, f);
    for (const [name, f] of this.processors) copy.processors.set(name, f);
    return copy;
  }
}

function add<F>(map: Map<string, F>, what: string, name: string, factory: F): void {
  if (map.has(name)) throw new Error(`${what} \`${name}\` is registered twice`);
  map.set(name, factory);
}

/** The registry the engine uses unless told otherwise; the step catalogues register into it at import. */
export const defaultRegistry = new EngineRegistry();

export function registerStep<C>(name: string, factory: StepFactory<C>): void {
  defaultRegistry.registerStep(name, factory);
}

export function registerAction<C>(name: string, factory: ActionFactory<C>): void {
  defaultRegistry.registerAction(name, factory);
}

export function registerProcessor<C>(name: string, factory: ProcessorFactory<C>): void {
  defaultRegistry.registerProcessor(name, factory);
}
