/** Nested components run in order: a list of processors seen as one, and a list of actions seen as one. */
import type { ProcessorSpec, StepSpec } from '../../config/steps/index.js';
import type { Session } from '../session.js';
import type { Action, Processor } from '../step.js';

export class ProcessorChain implements Processor {
  constructor(readonly processors: readonly Processor[]) {}

  before(session: Session): void {
    const list = this.processors;
    for (let i = 0; i < list.length; i++) list[i]!.before(session);
  }

  process(session: Session, data: Buffer, offset: number, length: number, isLastPart: boolean): void {
    const list = this.processors;
    for (let i = 0; i < list.length; i++) list[i]!.process(session, data, offset, length, isLastPart);
  }

  after(session: Session): void {
    const list = this.processors;
    for (let i = 0; i < list.length; i++) list[i]!.after(session);
  }
}

export class ActionChain implements Action {
  constructor(readonly actions: readonly Action[]) {}

  run(session: Session): void {
    const list = this.actions;
    for (let i = 0; i < list.length; i++) list[i]!.run(session);
  }
}

/** Processors from several sources combined (json's shortcuts next to its `processor` list). */
export function chainOf(processors: readonly Processor[]): Processor {
  return processors.length === 1 ? processors[0]! : new ProcessorChain(processors);
}

/**
 * `CompileContext.processors` is typed with step specs, but processor lists hold processor specs (`json` and
 * `conditional` have other configurations there); the compiler dispatches on the name, so the list is passed as is.
 */
export function asSpecList(specs: readonly ProcessorSpec[]): readonly StepSpec[] {
  return specs as unknown as readonly StepSpec[];
}
