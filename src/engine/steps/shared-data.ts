/**
 * Data shared between the sessions of one worker: counters (`addToSharedCounter`, `setSharedCounter`,
 * `getSharedCounter`), map pools (`pushSharedMap`, `pullSharedMap`), and agent data (`publishAgentData`,
 * `readAgentData`).
 *
 * Agent data is kept per worker here: Hyperfoil shares it between the executors of an agent; with several worker
 * threads, data published in one is not readable in another. `publishGlobalCounters` adds to the worker's sums of
 * the phase; the agent adds up its threads' sums and the controller those of all agents when the phase terminates
 * (all.json `globalCounters`).
 */
import type {
  AddToSharedCounterConfig, GetSharedCounterConfig, PublishAgentDataConfig, PublishGlobalCountersConfig,
  PullSharedMapConfig, PushSharedMapConfig, ReadAgentDataConfig, SetSharedCounterConfig,
} from '../../config/steps/index.js';
import type { VarRef } from '../../config/model.js';
import type { CompileContext, IntValue } from '../compile-context.js';
import { SessionFailure } from '../errors.js';
import type { EngineRegistry } from '../registry.js';
import type { Session } from '../session.js';
import type { Action, Step } from '../step.js';
import { IntArrayVar, ObjectArrayVar } from '../vars.js';
import type { ReadAccess, WriteAccess } from '../vars.js';
import type { SharedMapPool } from './shared-maps.js';
import { workerDataOf } from './worker-data.js';
import type { SharedCounter, WorkerData } from './worker-data.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

class AddToSharedCounterAction implements Action {
  constructor(private readonly counter: SharedCounter, private readonly amount: IntValue, private readonly sign: number) {}

  run(session: Session): void {
    this.counter.value += this.sign * this.amount.get(session);
  }
}

class SetSharedCounterAction implements Action {
  constructor(private readonly counter: SharedCounter, private readonly value: IntValue) {}

  run(session: Session): void {
    this.counter.value = this.value.get(session);
  }
}

/** Copies the counter into an int variable, capped to the int range (Hyperfoil's counters are longs). */
class GetSharedCounterAction implements Action {
  constructor(private readonly counter: SharedCounter, private readonly to: WriteAccess) {}

  run(session: Session): void {
    this.to.setInt(session, Math.max(INT_MIN, Math.min(INT_MAX, this.counter.value)));
  }
}

/** A copy of a value that may outlive the session that held it (arrays are copied; texts and bytes are immutable). */
function detached(value: unknown): unknown {
  if (value instanceof ObjectArrayVar) {
    const copy = new ObjectArrayVar(value.length);
    copy.set.set(value.set);
    for (let i = 0; i < value.length; i++) copy.values[i] = value.values[i];
    return copy;
  }
  if (value instanceof IntArrayVar) {
    const copy = new IntArrayVar(value.length);
    copy.set.set(value.set);
    copy.values.set(value.values);
    return copy;
  }
  if (Array.isArray(value)) return value.slice();
  return value;
}

function store(to: WriteAccess, session: Session, value: unknown): void {
  if (typeof value === 'number') to.setInt(session, value);
  else to.setObject(session, value);
}

function refName(ref: VarRef): string {
  return ref.indexed ? `${ref.name}[.]` : ref.name;
}

// ---------------------------------------------------------------------------------------------------------------

class PushSharedMapStep implements Step {
  constructor(private readonly pool: SharedMapPool, private readonly names: readonly string[], private readonly vars: readonly ReadAccess[]) {}

  invoke(session: Session): boolean {
    const entry = this.pool.acquire();
    const vars = this.vars;
    entry.names = this.names;
    entry.values.length = vars.length;
    try {
      for (let i = 0; i < vars.length; i++) entry.values[i] = detached(vars[i]!.getObject(session));
    } catch (error) {
      this.pool.release(entry);
      throw error;
    }
    this.pool.insert(entry);
    return true;
  }
}

/** Moves an entry into the session's variables; with no (matching) entry the variables are left alone. */
class PullSharedMapStep implements Step {
  constructor(
    private readonly pool: SharedMapPool,
    private readonly match: ReadAccess | null,
    private readonly matchIndex: number,
    private readonly names: readonly string[],
    private readonly vars: readonly WriteAccess[],
  ) {}

  invoke(session: Session): boolean {
    const pool = this.pool;
    const entry = this.match === null ? pool.takeRandom() : pool.takeMatching(this.matchIndex, this.match.getObject(session));
    if (entry === null) return true;
    try {
      const names = this.names;
      for (let i = 0; i < names.length; i++) {
        const at = entry.indexOfName(names[i]!);
        if (at < 0) {
          throw new SessionFailure(`pullSharedMap: the entry of shared map ${pool.key} has no variable ${names[i]} (it has ${entry.names.join(', ')})`);
        }
        store(this.vars[i]!, session, entry.values[at]);
      }
    } finally {
      pool.release(entry);
    }
    return true;
  }
}

function compilePull(config: PullSharedMapConfig, cx: CompileContext): Step {
  const pool = workerDataOf(cx).mapPool(config.key);
  const matchIndex = config.match ? pool.ensureIndex(refName(config.match)) : -1;
  return new PullSharedMapStep(
    pool, config.match ? cx.readVar(config.match) : null, matchIndex,
    config.vars.map(refName), config.vars.map((ref) => cx.writeVar(ref, 'any')),
  );
}

// ---------------------------------------------------------------------------------------------------------------

class PublishAgentDataAction implements Action {
  constructor(private readonly data: Map<string, unknown>, private readonly name: string, private readonly from: ReadAccess) {}

  run(session: Session): void {
    if (this.data.has(this.name)) throw new SessionFailure(`Agent data ${this.name} is already published; it can be published only once`);
    this.data.set(this.name, detached(this.from.getObject(session)));
  }
}

class ReadAgentDataAction implements Action {
  constructor(private readonly data: Map<string, unknown>, private readonly name: string, private readonly to: WriteAccess) {}

  run(session: Session): void {
    if (!this.data.has(this.name)) {
      throw new SessionFailure(`Agent data ${this.name} is not published yet; publish it in a phase that terminates before this one starts (startAfterStrict)`);
    }
    // Each reader gets its own copy of an array, so one session's changes do not reach the others.
    store(this.to, session, detached(this.data.get(this.name)));
  }
}

/** Adds each variable (an int, or a text holding an integer) to its counter of the global record `key`. */
class PublishGlobalCountersAction implements Action {
  constructor(
    private readonly data: WorkerData,
    private readonly key: string,
    private readonly names: readonly string[],
    private readonly vars: readonly ReadAccess[],
  ) {}

  run(session: Session): void {
    for (let i = 0; i < this.vars.length; i++) {
      const value = integerOf(this.vars[i]!, session);
      if (value === undefined) {
        throw new SessionFailure(`publishGlobalCounters (key \`${this.key}\`): variable for counter \`${this.names[i]}\` is not set or not an integer`);
      }
      this.data.addGlobalCounter(session.phaseName, this.key, this.names[i]!, value);
    }
  }
}

function integerOf(access: ReadAccess, session: Session): number | undefined {
  if (!access.isSet(session)) return undefined;
  const value = access.getObject(session);
  // Sums travel to the controller and into all.json: only integers that add up exactly (no 1e20 from 20 digits).
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(number) ? number : undefined;
}

export function registerSharedDataSteps(registry: EngineRegistry): void {
  registry.registerAction<AddToSharedCounterConfig>('addToSharedCounter', (config, cx) => new AddToSharedCounterAction(
    workerDataOf(cx).counter(config.key), cx.intValue(config.amount), config.operator === 'SUBTRACT' ? -1 : 1,
  ));
  registry.registerAction<SetSharedCounterConfig>('setSharedCounter', (config, cx) => new SetSharedCounterAction(workerDataOf(cx).counter(config.key), cx.intValue(config.value)));
  registry.registerAction<GetSharedCounterConfig>('getSharedCounter', (config, cx) => new GetSharedCounterAction(workerDataOf(cx).counter(config.key), cx.writeVar(config.toVar, 'int')));
  registry.registerStep<PushSharedMapConfig>('pushSharedMap', (config, cx) => new PushSharedMapStep(
    workerDataOf(cx).mapPool(config.key), config.vars.map(refName), config.vars.map((ref) => cx.readVar(ref)),
  ));
  registry.registerStep<PullSharedMapConfig>('pullSharedMap', compilePull);
  registry.registerAction<PublishAgentDataConfig>('publishAgentData', (config, cx) => new PublishAgentDataAction(workerDataOf(cx).agentData, config.name, cx.readVar(config.fromVar)));
  registry.registerAction<ReadAgentDataConfig>('readAgentData', (config, cx) => new ReadAgentDataAction(workerDataOf(cx).agentData, config.name, cx.writeVar(config.toVar, 'any')));
  registry.registerAction<PublishGlobalCountersConfig>('publishGlobalCounters', (config, cx) => new PublishGlobalCountersAction(
    workerDataOf(cx), config.key, config.counters.map((c) => c.name), config.counters.map((c) => cx.readVar(c.fromVar)),
  ));
}
