/**
 * A session is one virtual user: its variables, per-step state, sequence instances and request slots. Sessions are
 * created once per pool slot and reused: `start` resets them, nothing is allocated per start.
 *
 * The run loop (`runQueued`) walks the active sequence instances and invokes each one's current step until every
 * instance is blocked; the session completes when no instance is left, when a step stops it, or when it fails.
 * Wake-ups (`proceed`) are batched through the worker's run queue. A failure (a `SessionFailure` thrown by a step or
 * a variable read, any other exception, or `fail(message)`) ends the session and is reported to its owner as an
 * internal error; nothing is thrown out of the engine.
 */
import type { Clock } from './clock.js';
import { SessionFailure } from './errors.js';
import type { WorkerIdentity } from './identity.js';
import { RequestSlots } from './request-slots.js';
import type { Runnable, RunQueue } from './run-queue.js';
import type { Scheduler, TimerTarget } from './scheduler.js';
import { SequenceInstance } from './sequence.js';
import type { ConcurrencyPolicy, SequenceTemplate } from './sequence.js';
import type { SpecialSource, SpecialVar } from './specials.js';
import type { StateKey, StateSpec } from './state.js';
import { VAR_INT, VAR_OBJECT, VarTable, zeroSmall } from './vars.js';
import type { VarHolder } from './vars.js';

/** The compiled scenario as far as a session needs it (built by `compileScenario`). */
export interface SessionBlueprint {
  readonly initial: readonly SequenceTemplate[];
  readonly templateCount: number;
  /** Entries in the used-index table (sum of every template's slots). */
  readonly usedIndexSize: number;
  readonly varCount: number;
  readonly specials: ReadonlyArray<{ readonly slot: number; readonly special: SpecialVar }>;
  /** One entry per state slot (per-instance state has one entry per copy). */
  readonly states: ReadonlyArray<StateSpec<unknown>>;
  /** Indices of the state slots whose spec has `onSessionEnd`. */
  readonly endHooks: readonly number[];
  readonly maxRequests: number;
  readonly maxSequences: number;
}

/** What the worker gives every session. */
export interface SessionRuntime {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly runQueue: RunQueue;
  readonly identity: WorkerIdentity;
}

/** The phase a session currently runs for. */
export interface SessionOwner {
  readonly phaseName: string;
  readonly phaseId: number;
  readonly phaseIteration: number;
  readonly phaseStartWallMs: number;
  /** Monotonic ns of the phase's RUN (for 1-second statistics buckets counted from the phase start). */
  readonly phaseStartNs: number;
  /** The session completed (normally, stopped, failed or cancelled); it may be restarted from here. */
  sessionEnded(session: Session): void;
  /** The session failed; `stepId` is the statistics id of the step that failed (0 when unknown). */
  sessionFailed(session: Session, stepId: number, message: string): void;
  /** A sequence could not start and the policy was WARN. */
  sequenceWarning(session: Session, message: string): void;
}

export const SESSION_IDLE = 0;
export const SESSION_RUNNING = 1;
/** Stopped, failed or cancelled; completes at the end of the current (or next) run. */
export const SESSION_ENDING = 2;

/** Step invocations per run before the session yields to the event loop (guards loops that never block). */
const STEP_BUDGET = 10_000;

export class Session implements TimerTarget, VarHolder, SpecialSource, Runnable {
  readonly vars: VarTable;
  readonly requests: RequestSlots;
  /** Index of the current sequence instance, for `var[.]` and per-instance state. */
  sequenceIndex = 0;
  /** The sequence instance whose step is running (set by the run loop; HTTP callbacks set it with `setCurrentSequence`). */
  current: SequenceInstance | null = null;
  /** Changes every time the session ends: callbacks and timers from an earlier life compare it and drop themselves. */
  generation = 0;
  status = SESSION_IDLE;
  /** Scheduled start (open model: the arrival time, even when the start was late); closed model: the start. */
  scheduledStartNs = 0;
  startNs = 0;
  /** Started by an open (arrival-rate) model: its responses are also timed from their intended start. */
  openModel = false;
  /** First failure message of this life, or null. */
  failure: string | null = null;
  cancelled = false;
  owner: SessionOwner | null = null;
  /** Where the owner keeps this session in its list of running sessions (the owner's business; -1 when none). */
  ownerSlot = -1;

  private queued = false;
  private inRun = false;
  private readonly states: unknown[];
  private readonly active: SequenceInstance[];
  private activeCount = 0;
  /** Instances ready for reuse; more are created on demand up to `maxSequences` (then reused in every later life). */
  private readonly freeInstances: SequenceInstance[];
  private createdInstances: number;
  private readonly usedIndex: Uint8Array;

  constructor(
    /** `hyperfoil.session.id`: unique across the run. */
    readonly sessionId: number,
    private readonly blueprint: SessionBlueprint,
    /** The worker's clock, scheduler and run queue (HTTP uses the scheduler for timeouts). */
    readonly runtime: SessionRuntime,
  ) {
    this.vars = new VarTable(blueprint.varCount);
    this.requests = new RequestSlots(blueprint.maxRequests, this);
    this.states = blueprint.states.map((spec) => spec.create());
    this.active = [];
    this.freeInstances = [];
    // Only the initial sequences' instances up front: `maxSequences` (16 by default) for each of 10,000 users was
    // 9 MB of instances that most scenarios never use.
    this.createdInstances = Math.min(blueprint.maxSequences, blueprint.initial.length);
    for (let i = 0; i < this.createdInstances; i++) this.freeInstances.push(new SequenceInstance());
    this.usedIndex = new Uint8Array(blueprint.usedIndexSize);
  }

  // -------------------------------------------------------------------------------------------------------------
  // SpecialSource

  get agentId(): number { return this.runtime.identity.agentId; }
  get agents(): number { return this.runtime.identity.agents; }
  get agentThreadId(): number { return this.runtime.identity.agentThreadId; }
  get agentThreads(): number { return this.runtime.identity.agentThreads; }
  get globalThreadId(): number { return this.runtime.identity.globalThreadId; }
  get globalThreads(): number { return this.runtime.identity.globalThreads; }
  get runId(): string { return this.runtime.identity.runId; }
  get phaseName(): string { return this.owner?.phaseName ?? ''; }
  get phaseId(): number { return this.owner?.phaseId ?? -1; }
  get phaseIteration(): number { return this.owner?.phaseIteration ?? 0; }
  get phaseStartWallMs(): number { return this.owner?.phaseStartWallMs ?? 0; }
  get phaseStartNs(): number { return this.owner?.phaseStartNs ?? 0; }

  // -------------------------------------------------------------------------------------------------------------
  // Life cycle (called by the phase runner)

  get isRunning(): boolean {
    return this.status === SESSION_RUNNING;
  }

  /** Sequence instances still active. */
  get activeSequences(): number {
    return this.activeCount;
  }

  /** Names of the active sequence instances (`name[index]`), for listings; allocates. */
  activeSequenceNames(): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.activeCount; i++) {
      const instance = this.active[i]!;
      names.push(`${instance.template.name}[${instance.index}]`);
    }
    return names;
  }

  /** Resets the session and starts its initial sequences; the steps run on the next run-queue batch. */
  start(owner: SessionOwner, scheduledStartNs: number, nowNs: number): void {
    this.owner = owner;
    this.status = SESSION_RUNNING;
    this.failure = null;
    this.cancelled = false;
    this.scheduledStartNs = scheduledStartNs;
    this.startNs = nowNs;
    this.vars.reset();
    const specials = this.blueprint.specials;
    for (let i = 0; i < specials.length; i++) {
      const { slot, special } = specials[i]!;
      const value = special.value(this);
      if (special.kind === 'int') {
        this.vars.kinds[slot] = VAR_INT;
        this.vars.ints[slot] = value as number;
      } else {
        this.vars.kinds[slot] = VAR_OBJECT;
        this.vars.objects[slot] = value;
      }
    }
    const specs = this.blueprint.states;
    for (let i = 0; i < specs.length; i++) specs[i]!.reset?.(this.states[i]);
    zeroSmall(this.usedIndex);
    this.requests.reset();
    const initial = this.blueprint.initial;
    try {
      for (let i = 0; i < initial.length; i++) this.startSequence(initial[i]!, false, 'FAIL');
    } catch (error) {
      this.failWith(error);
    }
    this.proceed();
  }

  /** Ends the session now without running more steps (TERMINATE). Not an error. */
  cancel(): void {
    if (this.status === SESSION_IDLE) return;
    this.cancelled = true;
    this.status = SESSION_ENDING;
    if (this.inRun) return;
    this.complete();
  }

  // -------------------------------------------------------------------------------------------------------------
  // For steps

  nowNs(): number {
    return this.runtime.clock.nowNs();
  }

  /** Wakes the session: its loop runs in the next run-queue batch (several wake-ups, one run). */
  proceed(): void {
    if (this.queued || this.status === SESSION_IDLE) return;
    this.queued = true;
    this.runtime.runQueue.push(this);
  }

  /** Wakes the session at `atNs` (a think time, a delay). Stale wake-ups from an earlier life are dropped. */
  wakeAt(atNs: number): void {
    this.runtime.scheduler.schedule(atNs, this, this.generation);
  }

  onTimer(tag: number): void {
    if (tag === this.generation) this.proceed();
  }

  /** Ends the session after the current step (Hyperfoil's `stop`): not an error. */
  stop(): void {
    if (this.status !== SESSION_RUNNING) return;
    this.status = SESSION_ENDING;
    if (!this.inRun) this.proceed();
  }

  /** Ends the session with an internal error. Safe to call from anywhere (steps, HTTP callbacks). */
  fail(message: string): void {
    if (this.status !== SESSION_RUNNING) return;
    this.failure = message;
    this.status = SESSION_ENDING;
    const owner = this.owner;
    if (owner !== null) owner.sessionFailed(this, this.currentStepId(), message);
    if (!this.inRun) this.proceed();
  }

  /**
   * Ends the session because `error` was thrown by a step, action or processor. Code that invokes those outside
   * the run loop (HTTP response handlers) must catch and pass here, so nothing escapes to the event loop.
   */
  failWith(error: unknown): void {
    if (error instanceof SessionFailure) this.fail(error.message);
    else this.fail(`Internal error at ${this.currentStepAt() || 'unknown step'}: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Per-session (or per-instance) state reserved at compile time. */
  state<T>(key: StateKey<T>): T {
    if (!key.perSequenceInstance) return this.states[key.base] as T;
    const index = this.sequenceIndex;
    if (index >= key.copies) {
      throw new SessionFailure(`sequence-scoped state used from sequence index ${index}, beyond the ${key.copies} reserved`);
    }
    return this.states[key.base + index] as T;
  }

  get currentSequence(): SequenceInstance | null {
    return this.current;
  }

  /** Makes `instance` current (for handlers running outside the loop); pass null to clear. */
  setCurrentSequence(instance: SequenceInstance | null): void {
    this.current = instance;
    this.sequenceIndex = instance === null ? 0 : instance.index;
  }

  /**
   * Starts an instance of `template`. With `forceSameIndex` it takes the current instance's index. When every
   * allowed instance is running, policy FAIL fails the session and WARN counts a warning and returns null.
   */
  startSequence(template: SequenceTemplate, forceSameIndex: boolean, policy: ConcurrencyPolicy): SequenceInstance | null {
    let index = 0;
    const slots = template.slots;
    if (forceSameIndex) {
      const current = this.current;
      if (current === null) throw new SessionFailure(`Cannot start sequence ${template.name} with the same index: no sequence is running`);
      if (current.template.concurrency !== template.concurrency) {
        throw new SessionFailure(`Cannot start sequence ${template.name} with the same index as ${current.template.name}: their concurrency differs`);
      }
      index = current.index;
      if (this.usedIndex[template.indexOffset + index] === 1) {
        return this.sequenceUnavailable(policy, `Cannot start sequence ${template.name}[${index}]: that instance is still running`);
      }
    } else {
      while (index < slots && this.usedIndex[template.indexOffset + index] === 1) index++;
      if (index === slots) {
        return this.sequenceUnavailable(policy, template.concurrency > 0
          ? `Cannot start sequence ${template.name}: all ${template.concurrency} instances are running (raise the number in \`${template.name}[N]\`)`
          : `Cannot start sequence ${template.name}: it is already running (declare it as \`${template.name}[N]\` to run instances concurrently)`);
      }
    }
    const instance = this.freeInstances.pop() ?? this.newInstance();
    if (instance === undefined) {
      throw new SessionFailure(`Cannot start sequence ${template.name}: ${this.blueprint.maxSequences} sequence instances are already running; raise the scenario's maxSequences`);
    }
    instance.init(template, index);
    this.usedIndex[template.indexOffset + index] = 1;
    const states = template.instanceStates;
    for (let i = 0; i < states.length; i++) {
      const state = states[i]!;
      if (index < state.copies) state.spec.reset?.(this.states[state.base + index]);
    }
    this.active[this.activeCount++] = instance;
    if (this.status === SESSION_RUNNING && !this.inRun) this.proceed();
    return instance;
  }

  // -------------------------------------------------------------------------------------------------------------
  // The run loop

  /** Called by the run queue. */
  runQueued(): void {
    this.queued = false;
    if (this.status === SESSION_IDLE) return;
    this.inRun = true;
    let budget = STEP_BUDGET;
    let yielded = false;
    try {
      let progressed = true;
      passes: while (progressed && this.status === SESSION_RUNNING) {
        progressed = false;
        let i = 0;
        while (i < this.activeCount) {
          const instance = this.active[i]!;
          this.current = instance;
          this.sequenceIndex = instance.index;
          const steps = instance.template.steps;
          while (instance.stepIndex < steps.length) {
            instance.jumped = false;
            const done = steps[instance.stepIndex]!.invoke(this);
            if (this.status !== SESSION_RUNNING) break passes;
            if (!done) break;
            if (!instance.jumped) instance.stepIndex++;
            progressed = true;
            if (--budget === 0) {
              yielded = true;
              break passes;
            }
          }
          if (instance.stepIndex >= steps.length) {
            this.removeInstance(i);
            progressed = true;
          } else {
            i++;
          }
        }
      }
    } catch (error) {
      this.failWith(error);
    }
    this.inRun = false;
    this.current = null;
    this.sequenceIndex = 0;
    if (this.status !== SESSION_RUNNING || this.activeCount === 0) {
      this.complete();
    } else if (yielded) {
      this.proceed();
    }
  }

  private removeInstance(i: number): void {
    const instance = this.active[i]!;
    const last = --this.activeCount;
    this.active[i] = this.active[last]!;
    this.active[last] = instance;
    this.usedIndex[instance.template.indexOffset + instance.index] = 0;
    instance.clear();
    this.freeInstances.push(instance);
  }

  private complete(): void {
    while (this.activeCount > 0) this.removeInstance(this.activeCount - 1);
    const hooks = this.blueprint.endHooks;
    for (let i = 0; i < hooks.length; i++) {
      const index = hooks[i]!;
      try {
        this.blueprint.states[index]!.onSessionEnd!(this.states[index]);
      } catch {
        // A hook must not throw; the session ends regardless.
      }
    }
    this.current = null;
    this.sequenceIndex = 0;
    this.status = SESSION_IDLE;
    this.generation++;
    const owner = this.owner;
    this.owner = null;
    if (owner !== null) owner.sessionEnded(this);
  }

  /** A new instance while fewer than `maxSequences` exist (a session's first lives only), else undefined. */
  private newInstance(): SequenceInstance | undefined {
    if (this.createdInstances >= this.blueprint.maxSequences) return undefined;
    this.createdInstances++;
    return new SequenceInstance();
  }

  private sequenceUnavailable(policy: ConcurrencyPolicy, message: string): null {
    if (policy === 'FAIL') throw new SessionFailure(message);
    this.owner?.sequenceWarning(this, message);
    return null;
  }

  private currentStepId(): number {
    const current = this.current;
    if (current === null) return 0;
    return current.template.stepIds[current.stepIndex] ?? 0;
  }

  private currentStepAt(): string {
    const current = this.current;
    if (current === null) return '';
    return current.template.stepAt[current.stepIndex] ?? '';
  }
}
