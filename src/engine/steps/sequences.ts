/**
 * Sequence control: `newSequence`, `nextSequence`, `restartSequence`, `loop`, `foreach`, `breakSequence`,
 * `breakIfFinished`. (`stop` and `noop` are in `core.ts`, `stopwatch` in `stopwatch.ts`.)
 */
import type {
  BreakSequenceConfig, ForeachConfig, LoopConfig, NewSequenceConfig, NextSequenceConfig, NoConfig,
} from '../../config/steps/index.js';
import type { CompileContext } from '../compile-context.js';
import { SessionFailure } from '../errors.js';
import type { EngineRegistry } from '../registry.js';
import type { ConcurrencyPolicy, SequenceInstance, SequenceTemplate } from '../sequence.js';
import type { Session } from '../session.js';
import type { Action, Step } from '../step.js';
import { IntArrayVar, ObjectArrayVar } from '../vars.js';
import type { ReadAccess, WriteAccess } from '../vars.js';
import { ActionChain } from './chains.js';
import { compileCondition } from './conditions.js';
import type { Predicate } from './conditions.js';

function currentOf(session: Session, what: string): SequenceInstance {
  const current = session.currentSequence;
  if (current === null) throw new SessionFailure(`${what}: no sequence is running`);
  return current;
}

class NewSequenceAction implements Action {
  constructor(private readonly template: SequenceTemplate, private readonly forceSameIndex: boolean, private readonly policy: ConcurrencyPolicy) {}

  run(session: Session): void {
    session.startSequence(this.template, this.forceSameIndex, this.policy);
  }
}

/** Starts the next sequence of `orderedSequences` (and the deprecated `nextSequence` step). */
class NextSequenceStep implements Step {
  constructor(private readonly template: SequenceTemplate) {}

  invoke(session: Session): boolean {
    session.startSequence(this.template, false, 'FAIL');
    return true;
  }
}

/**
 * Restarts the current sequence instance from its first step. Run by a step (or by the processors of a step) the
 * sequence goes on from its first step once that step completes; run by a response handler, the instance goes on
 * from its first step when its session next runs.
 */
class RestartSequenceAction implements Action {
  run(session: Session): void {
    currentOf(session, 'restartSequence').restart();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// loop: [counter := 0 unless set] + steps + [counter++; restart while counter < repeats]

class LoopInitStep implements Step {
  constructor(private readonly counter: WriteAccess) {}

  invoke(session: Session): boolean {
    if (!this.counter.isSet(session)) this.counter.setInt(session, 0);
    return true;
  }
}

class LoopEndStep implements Step {
  constructor(private readonly counter: WriteAccess, private readonly repeats: number) {}

  invoke(session: Session): boolean {
    const value = this.counter.getInt(session) + 1;
    this.counter.setInt(session, value);
    if (value < this.repeats) currentOf(session, 'loop').restart();
    return true;
  }
}

function compileLoop(config: LoopConfig, cx: CompileContext): Step[] {
  if (cx.sequence.steps.length > 0) {
    cx.error(`loop must be the first step of sequence \`${cx.sequence.name}\` (each iteration restarts the sequence); move the steps before it into another sequence`);
  }
  if (cx.sequence.concurrency > 0 && !config.counterVar.indexed) {
    cx.error(`in the concurrent sequence \`${cx.sequence.name}\` the loop counter must be sequence-scoped: write \`${config.counterVar.name}[.]\``);
  }
  const counter = cx.writeVar(config.counterVar, 'int');
  return [new LoopInitStep(counter), ...cx.steps(config.steps), new LoopEndStep(counter, config.repeats)];
}

// ---------------------------------------------------------------------------------------------------------------
// foreach

class ForeachStep implements Step {
  constructor(
    private readonly from: ReadAccess,
    private readonly dependency: ReadAccess | null,
    private readonly template: SequenceTemplate,
    private readonly counter: WriteAccess | null,
  ) {}

  invoke(session: Session): boolean {
    const from = this.from;
    if (!from.isSet(session) || (this.dependency !== null && !this.dependency.isSet(session))) return false;
    const value = from.getObject(session);
    let count: number;
    if (value instanceof ObjectArrayVar || value instanceof IntArrayVar) {
      count = 0;
      while (count < value.length && value.set[count] === 1) count++;
    } else if (Array.isArray(value)) {
      count = value.length;
    } else {
      throw new SessionFailure(`foreach: variable ${from.name} holds no array`);
    }
    for (let i = 0; i < count; i++) {
      const instance = session.startSequence(this.template, false, 'FAIL');
      if (instance !== null && instance.index !== i) {
        throw new SessionFailure(`foreach: instance ${i} of sequence ${this.template.name} is still running, so element ${i} of ${from.name} cannot be given to it`);
      }
    }
    this.counter?.setInt(session, count);
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// breakSequence, breakIfFinished

class BreakSequenceStep implements Step {
  constructor(private readonly dependency: ReadAccess | null, private readonly condition: Predicate, private readonly onBreak: Action | null) {}

  invoke(session: Session): boolean {
    if (this.dependency !== null && !this.dependency.isSet(session)) return false;
    if (this.condition.test(session)) {
      this.onBreak?.run(session);
      currentOf(session, 'breakSequence').finish();
    }
    return true;
  }
}

function compileBreakSequence(config: BreakSequenceConfig, cx: CompileContext): Step {
  if (config.onBreak.some((spec) => spec.name === 'restartSequence')) {
    cx.error('breakSequence ends the sequence, so `restartSequence` in its `onBreak` would be undone; use `conditional` with `restartSequence` instead');
  }
  const onBreak = config.onBreak.length === 0 ? null : new ActionChain(cx.actions(config.onBreak));
  return new BreakSequenceStep(config.dependency ? cx.readVar(config.dependency) : null, compileCondition(cx, config.condition), onBreak);
}

/** The owner of a session is its phase; the phase runner exposes its status (FINISHED once no new sessions start). */
interface StatusOwner {
  readonly status?: string;
}

const BREAK_IF_FINISHED: Step = {
  invoke(session: Session): boolean {
    const status = (session.owner as StatusOwner | null)?.status;
    if (status === 'FINISHED' || status === 'TERMINATING' || status === 'TERMINATED') currentOf(session, 'breakIfFinished').finish();
    return true;
  },
};

export function registerSequenceSteps(registry: EngineRegistry): void {
  registry.registerAction<NewSequenceConfig>('newSequence', (config, cx) => new NewSequenceAction(
    cx.sequenceTemplate(config.sequence), config.forceSameIndex, config.concurrencyPolicy,
  ));
  registry.registerStep<NextSequenceConfig>('nextSequence', (config, cx) => new NextSequenceStep(cx.sequenceTemplate(config.sequence)));
  registry.registerAction<NoConfig>('restartSequence', () => new RestartSequenceAction());
  registry.registerStep<LoopConfig>('loop', compileLoop);
  registry.registerStep<ForeachConfig>('foreach', (config, cx) => new ForeachStep(
    cx.readVar(config.fromVar), config.dependency ? cx.readVar(config.dependency) : null, cx.sequenceTemplate(config.sequence),
    config.counterVar ? cx.writeVar(config.counterVar, 'int') : null,
  ));
  registry.registerStep<BreakSequenceConfig>('breakSequence', compileBreakSequence);
  registry.registerStep<NoConfig>('breakIfFinished', () => BREAK_IF_FINISHED);
}

