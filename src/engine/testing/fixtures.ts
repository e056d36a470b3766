/**
 * Test fixtures: steps that exercise the engine end to end without HTTP. Their configurations are plain objects
 * (sometimes holding test-owned objects such as counters), so they are registered under `test.*` names in a
 * registry the test owns (`testRegistry()`), never in the default one.
 */
import type { Pattern } from '../../config/model.js';
import type { ConcurrencyPolicy } from '../sequence.js';
import { EngineRegistry } from '../registry.js';
import { registerCoreSteps } from '../steps/core.js';
import type { Session } from '../session.js';
import type { Action, Step } from '../step.js';
import { IntArrayVar, ObjectArrayVar } from '../vars.js';
import type { TimerTarget } from '../scheduler.js';

/** A counter owned by the test. */
export interface Counter {
  value: number;
}

export interface TestLogEntry {
  readonly sessionId: number;
  readonly sequence: string;
  readonly index: number;
  readonly nowNs: number;
  readonly scheduledStartNs: number;
  readonly value: unknown;
}

export function testRegistry(): EngineRegistry {
  const registry = new EngineRegistry();
  registerCoreSteps(registry);

  // Blocks until `durationMs` after its first invocation (a think time): one timer per sequence instance.
  registry.registerStep<{ durationMs: number }>('test.delay', (config, cx) => {
    const delayNs = config.durationMs * 1e6;
    const key = cx.reserveState({ create: () => ({ dueNs: -1 }), reset: (s) => { s.dueNs = -1; }, perSequenceInstance: true });
    return {
      invoke(session: Session): boolean {
        const state = session.state(key);
        const now = session.nowNs();
        if (state.dueNs < 0) {
          state.dueNs = now + delayNs;
          session.wakeAt(state.dueNs);
          return false;
        }
        if (now < state.dueNs) return false;
        state.dueNs = -1;
        return true;
      },
    };
  });

  registry.registerAction<{ counter: Counter }>('test.count', (config): Action => ({
    run(): void {
      config.counter.value++;
    },
  }));

  registry.registerAction<{ var: string; value: number }>('test.setInt', (config, cx): Action => {
    const access = cx.writeVar(config.var, 'int');
    return { run: (session) => access.setInt(session, config.value) };
  });

  registry.registerAction<{ var: string; value: unknown }>('test.setObject', (config, cx): Action => {
    const access = cx.writeVar(config.var, 'object');
    return { run: (session) => access.setObject(session, config.value) };
  });

  registry.registerAction<{ var: string; delta: number }>('test.addInt', (config, cx): Action => {
    const read = cx.readVar(config.var);
    const write = cx.writeVar(config.var, 'int');
    return { run: (session) => write.setInt(session, read.getInt(session) + config.delta) };
  });

  // Creates an int or object array of `size` in `var` (pre-allocated per session, cleared at each start).
  registry.registerAction<{ var: string; size: number; kind: 'int' | 'object' }>('test.array', (config, cx): Action => {
    const access = cx.writeVar(config.var, 'object');
    const key = cx.reserveState({
      create: () => (config.kind === 'int' ? new IntArrayVar(config.size) : new ObjectArrayVar(config.size)),
      reset: (array) => array.reset(),
    });
    return {
      run(session: Session): void {
        const array = session.state(key);
        array.reset();
        access.setObject(session, array);
      },
    };
  });

  // Writes the sequence instance index into `var` (use `name[.]` to fill an array element).
  registry.registerAction<{ var: string }>('test.storeIndex', (config, cx): Action => {
    const access = cx.writeVar(config.var, 'int');
    return { run: (session) => access.setInt(session, session.sequenceIndex) };
  });

  // Appends what `var` holds (or, without `var`, nothing) to the test's log, with timing data.
  registry.registerAction<{ log: TestLogEntry[]; var?: string }>('test.record', (config, cx): Action => {
    const access = config.var === undefined ? undefined : cx.readVar(config.var);
    return {
      run(session: Session): void {
        config.log.push({
          sessionId: session.sessionId,
          sequence: session.currentSequence?.name ?? '',
          index: session.sequenceIndex,
          nowNs: session.nowNs(),
          scheduledStartNs: session.scheduledStartNs,
          value: access?.getObject(session),
        });
      },
    };
  });

  // Renders a pattern into the log (to check patterns against session variables end to end).
  registry.registerAction<{ log: string[]; pattern: Pattern }>('test.render', (config, cx): Action => {
    const pattern = cx.pattern(config.pattern);
    return { run: (session) => void config.log.push(pattern.render(session)) };
  });

  registry.registerAction<{ sequence: string; forceSameIndex?: boolean; policy?: ConcurrencyPolicy }>('test.newSequence', (config, cx): Action => {
    const template = cx.sequenceTemplate(config.sequence);
    const forceSameIndex = config.forceSameIndex ?? false;
    const policy = config.policy ?? 'FAIL';
    return { run: (session) => void session.startSequence(template, forceSameIndex, policy) };
  });

  // Blocks until int `var` is set and ≥ `atLeast` (a step that waits for another sequence).
  registry.registerStep<{ var: string; atLeast: number }>('test.awaitInt', (config, cx): Step => {
    const access = cx.readVar(config.var);
    return { invoke: (session) => access.isSet(session) && access.getInt(session) >= config.atLeast };
  });

  // Counts its invocations (blocked or not) into `counter`, then behaves like `test.awaitInt`.
  registry.registerStep<{ var: string; atLeast: number; invocations: Counter }>('test.countingAwait', (config, cx): Step => {
    const access = cx.readVar(config.var);
    return {
      invoke(session: Session): boolean {
        config.invocations.value++;
        return access.isSet(session) && access.getInt(session) >= config.atLeast;
      },
    };
  });

  // Adds the current sequence instance object to `seen` (to check that instances are reused, not allocated).
  registry.registerAction<{ seen: Set<unknown> }>('test.collectInstance', (config): Action => ({
    run: (session) => void config.seen.add(session.currentSequence),
  }));

  registry.registerAction<{ message: string }>('test.fail', (config): Action => ({ run: (session) => session.fail(config.message) }));

  registry.registerAction('test.throw', (): Action => ({
    run(): void {
      throw new TypeError('fixture bug');
    },
  }));

  // Restarts its sequence `times` times per session without ever blocking (a busy loop).
  registry.registerStep<{ times: number }>('test.repeat', (config, cx): Step => {
    const key = cx.reserveState({ create: () => ({ n: 0 }), reset: (s) => { s.n = 0; }, perSequenceInstance: true });
    return {
      invoke(session: Session): boolean {
        const state = session.state(key);
        if (++state.n < config.times) session.currentSequence!.restart();
        return true;
      },
    };
  });

  // Takes a request slot and gives it back `durationMs` later (a request in flight without HTTP); blocks when
  // every slot is taken, like an HTTP step would.
  registry.registerStep<{ durationMs: number; completed?: Counter }>('test.request', (config, cx): Step => {
    const durationNs = config.durationMs * 1e6;
    const key = cx.reserveState({
      create: () => new FakeRequests(),
      reset: (requests) => requests.clear(),
      onSessionEnd: (requests) => requests.clear(),
    });
    return {
      invoke(session: Session): boolean {
        const slot = session.requests.tryAcquire();
        if (slot < 0) return false;
        session.state(key).send(session, slot, session.nowNs() + durationNs, config.completed);
        return true;
      },
    };
  });

  // Blocks until the session has no request in flight (like `awaitAllResponses`).
  registry.registerStep('test.awaitRequests', (): Step => ({ invoke: (session) => session.requests.inFlight === 0 }));

  return registry;
}

/** Per-session in-flight fake requests: a timer per request slot, tagged with the session's generation. */
class FakeRequests implements TimerTarget {
  private session: Session | null = null;
  private completed: Counter | undefined;

  clear(): void {
    this.session = null;
  }

  send(session: Session, slot: number, dueNs: number, completed: Counter | undefined): void {
    this.session = session;
    this.completed = completed;
    // Tag = generation * 1024 + slot, so a timer from a previous life of the session is dropped.
    session.runtime.scheduler.schedule(dueNs, this, session.generation * 1024 + slot);
  }

  onTimer(tag: number): void {
    const session = this.session;
    if (session === null || Math.floor(tag / 1024) !== session.generation) return;
    if (this.completed) this.completed.value++;
    session.requests.release(tag % 1024, session.generation);
  }
}
