/**
 * One phase on one worker. It obeys the controller's commands and reports its status; it decides nothing about
 * timing (Hyperfoil's split: the controller finishes phases at `duration` and terminates them at `maxDuration`).
 *
 *   RUN            NOT_STARTED → RUNNING: the load model starts sessions
 *   FINISH         → FINISHED: no new sessions; running ones go on
 *   TRY_TERMINATE  → TERMINATED once no session is active (TERMINATING while some are)
 *   TERMINATE      → TERMINATED now: running sessions are cancelled
 *
 * Statuses are reported in order and each once: RUNNING, FINISHED, [TERMINATING,] TERMINATED (a command that skips
 * ahead still reports FINISHED before TERMINATED).
 */
import type { Phase } from '../config/model.js';
import { EngineCommandError } from './errors.js';
import { createLoadModel } from './load-models.js';
import type { LoadModel, ModelHost } from './load-models.js';
import { PhaseCounters } from './phase-counters.js';
import type { Random } from './rng.js';
import type { Scheduler } from './scheduler.js';
import type { Session, SessionOwner, SessionRuntime } from './session.js';
import type { SessionPool } from './session-pool.js';
import type { EngineStatsSink } from './stats-sink.js';

export type PhaseCommand = 'RUN' | 'FINISH' | 'TRY_TERMINATE' | 'TERMINATE';
export type PhaseStatus = 'NOT_STARTED' | 'RUNNING' | 'FINISHED' | 'TERMINATING' | 'TERMINATED';

export const PHASE_COMMANDS: readonly PhaseCommand[] = ['RUN', 'FINISH', 'TRY_TERMINATE', 'TERMINATE'];

export interface PhaseStatusEvent {
  readonly phase: string;
  readonly phaseId: number;
  readonly status: PhaseStatus;
  /**
   * Hyperfoil's sessionLimitExceeded: some open-model start waited for, or never got, a free session, and the
   * phase's `sessionLimitPolicy` is FAIL (with CONTINUE only the counts below tell).
   */
  readonly sessionLimitExceeded: boolean;
  readonly throttledStarts: number;
  readonly droppedStarts: number;
  /** Sessions that ended with an internal error so far, and the first error's message. */
  readonly failedSessions: number;
  readonly error?: string;
}

export type PhaseStatusListener = (event: PhaseStatusEvent) => void;

export class PhaseRunner implements SessionOwner, ModelHost {
  readonly counters = new PhaseCounters();
  readonly phaseName: string;
  readonly phaseId: number;
  readonly phaseIteration: number;
  phaseStartWallMs = 0;
  /** Monotonic ns of RUN (0 before). */
  phaseStartNs = 0;
  private statusValue: PhaseStatus = 'NOT_STARTED';
  private terminateRequested = false;
  private shutDown = false;
  private readonly model: LoadModel;
  /**
   * The sessions this phase is running (swap-removed as they end, each knowing its index in `ownerSlot`), so that
   * TERMINATE visits those rather than the whole pool: with tens of thousands of pooled sessions, a walk over all
   * of them touched cold memory and stalled the worker for ~70 ms at the end of every open-model phase.
   */
  private readonly running: Session[] = [];
  /** Open model with sessionLimitPolicy FAIL. */
  private readonly limitFails: boolean;
  readonly scheduler: Scheduler;

  constructor(
    readonly phase: Phase,
    private readonly poolOrNull: SessionPool | null,
    private readonly runtime: SessionRuntime,
    private readonly sink: EngineStatsSink,
    private readonly onStatus: PhaseStatusListener,
    random: Random,
  ) {
    this.phaseName = phase.name;
    this.phaseId = phase.id;
    this.phaseIteration = Math.max(0, phase.iteration);
    this.scheduler = runtime.scheduler;
    const model = phase.model;
    this.limitFails = 'sessionLimitPolicy' in model && model.sessionLimitPolicy === 'FAIL';
    this.model = createLoadModel(phase.model, phase.durationMs, poolOrNull === null ? undefined : this, random);
  }

  get status(): PhaseStatus {
    return this.statusValue;
  }

  get pool(): SessionPool {
    if (this.poolOrNull === null) throw new Error(`phase ${this.phaseName} has no session pool`);
    return this.poolOrNull;
  }

  command(command: PhaseCommand): void {
    const nowNs = this.runtime.clock.nowNs();
    switch (command) {
      case 'RUN':
        if (this.statusValue !== 'NOT_STARTED') {
          throw new EngineCommandError(`phase ${this.phaseName} cannot RUN: it is already ${this.statusValue}`);
        }
        this.phaseStartNs = nowNs;
        this.phaseStartWallMs = this.runtime.clock.wallMs();
        this.setStatus('RUNNING');
        this.model.begin(nowNs);
        return;
      case 'FINISH':
        this.finish(nowNs);
        return;
      case 'TRY_TERMINATE':
        this.finish(nowNs);
        if (this.statusValue === 'TERMINATED') return;
        this.terminateRequested = true;
        if (this.counters.active === 0) this.setStatus('TERMINATED');
        else if (this.statusValue !== 'TERMINATING') this.setStatus('TERMINATING');
        return;
      case 'TERMINATE':
        this.finish(nowNs);
        if (this.statusValue === 'TERMINATED') return;
        this.terminateRequested = true;
        this.cancelAll();
        // Cancelling the last session may already have reported TERMINATED.
        if (!this.isTerminated()) this.setStatus('TERMINATED');
        return;
      default: {
        const never: never = command;
        throw new EngineCommandError(`unknown phase command ${String(never)}`);
      }
    }
  }

  /** Cancels every running session of this phase (TERMINATE, or the worker closing). */
  cancelAll(): void {
    const running = this.running;
    // Backwards: a session that ends during its cancel() is swap-removed, which only moves entries already visited.
    for (let i = running.length - 1; i >= 0; i--) {
      const session = running[i];
      if (session !== undefined && session.owner === this) session.cancel();
    }
  }

  /** The worker is closing: stop starting, cancel sessions, report nothing more. */
  shutdown(): void {
    if (this.statusValue === 'RUNNING') this.model.end(this.runtime.clock.nowNs());
    this.shutDown = true;
    this.cancelAll();
  }

  // -------------------------------------------------------------------------------------------------------------
  // ModelHost

  startSession(session: Session, scheduledNs: number, nowNs: number, throttled: boolean, open: boolean): void {
    const latenessNs = nowNs - scheduledNs;
    this.counters.onStart(latenessNs, open);
    if (throttled) this.counters.throttled++;
    this.sink.sessionStarted(this.phaseId, this.counters.active, latenessNs, throttled);
    session.ownerSlot = this.running.length;
    this.running.push(session);
    session.openModel = open;
    session.start(this, scheduledNs, nowNs);
  }

  startsDropped(count: number): void {
    this.counters.dropped += count;
    this.sink.startsDropped(this.phaseId, count);
  }

  // -------------------------------------------------------------------------------------------------------------
  // SessionOwner

  sessionEnded(session: Session): void {
    const running = this.running;
    const slot = session.ownerSlot;
    if (slot >= 0 && slot < running.length && running[slot] === session) {
      const last = running.pop()!;
      if (last !== session) {
        running[slot] = last;
        last.ownerSlot = slot;
      }
    }
    session.ownerSlot = -1;
    const counters = this.counters;
    counters.onEnd();
    if (session.cancelled) counters.cancelled++;
    else counters.finished++;
    this.sink.sessionFinished(this.phaseId, counters.active);
    this.pool.release(session);
    if (this.shutDown) return;
    if (this.statusValue === 'RUNNING') {
      this.model.sessionFreed(this.runtime.clock.nowNs());
    } else if (this.terminateRequested && counters.active === 0 && this.statusValue !== 'TERMINATED') {
      this.setStatus('TERMINATED');
    }
  }

  sessionFailed(_session: Session, stepId: number, message: string): void {
    this.counters.failed++;
    if (this.counters.firstError === null) this.counters.firstError = message;
    this.sink.internalError(this.phaseId, stepId, message);
  }

  sequenceWarning(): void {
    this.counters.sequenceWarnings++;
  }

  // -------------------------------------------------------------------------------------------------------------

  private isTerminated(): boolean {
    return this.statusValue === 'TERMINATED';
  }

  private finish(nowNs: number): void {
    if (this.statusValue === 'RUNNING') this.model.end(nowNs);
    if (this.statusValue === 'NOT_STARTED' || this.statusValue === 'RUNNING') this.setStatus('FINISHED');
  }

  private setStatus(status: PhaseStatus): void {
    this.statusValue = status;
    const counters = this.counters;
    const event: PhaseStatusEvent = {
      phase: this.phaseName,
      phaseId: this.phaseId,
      status,
      sessionLimitExceeded: this.limitFails && (counters.throttled > 0 || counters.dropped > 0),
      throttledStarts: counters.throttled,
      droppedStarts: counters.dropped,
      failedSessions: counters.failed,
      ...(counters.firstError !== null ? { error: counters.firstError } : {}),
    };
    this.onStatus(event);
  }
}
