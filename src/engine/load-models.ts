/**
 * How a phase starts sessions (Hyperfoil's phase types):
 * - `atOnce`: `users` sessions at RUN, never restarted;
 * - `always`: `users` sessions at RUN, each restarted as soon as it completes, until FINISH;
 * - open models (`constantRate`, `increasingRate`, `decreasingRate`): starts at absolute scheduled times from an
 *   `ArrivalSchedule`; when no pooled session is free the start waits (throttled, counted) and happens as soon as
 *   one frees, keeping its scheduled time so the delay shows up in latency and in the lateness figures.
 */
import type { PhaseModel } from '../config/model.js';
import { ArrivalSchedule, rampCumulativeStarts } from './arrivals.js';
import type { ArrivalShape } from './arrivals.js';
import type { Random } from './rng.js';
import type { Scheduler, TimerTarget } from './scheduler.js';
import type { Session } from './session.js';
import type { SessionPool } from './session-pool.js';

/** What a load model drives (implemented by the phase runner). */
export interface ModelHost {
  readonly pool: SessionPool;
  readonly scheduler: Scheduler;
  /** Starts `session` (taken from the pool) for the phase. */
  startSession(session: Session, scheduledNs: number, nowNs: number, throttled: boolean, open: boolean): void;
  /** Open-model starts that never happened. */
  startsDropped(count: number): void;
}

export interface LoadModel {
  /** RUN: start what starts at once, schedule the rest. */
  begin(nowNs: number): void;
  /** FINISH: start nothing more. */
  end(nowNs: number): void;
  /** A session went back to the pool while the phase runs. */
  sessionFreed(nowNs: number): void;
}

export class NoopModel implements LoadModel {
  begin(): void {}
  end(): void {}
  sessionFreed(): void {}
}

export class ClosedModel implements LoadModel {
  private running = false;

  constructor(private readonly host: ModelHost, private readonly users: number, private readonly restart: boolean) {}

  begin(nowNs: number): void {
    this.running = true;
    for (let i = 0; i < this.users; i++) {
      const session = this.host.pool.acquire();
      if (session === undefined) break;
      this.host.startSession(session, nowNs, nowNs, false, false);
    }
  }

  end(): void {
    this.running = false;
  }

  sessionFreed(nowNs: number): void {
    if (!this.running || !this.restart) return;
    const session = this.host.pool.acquire();
    if (session !== undefined) this.host.startSession(session, nowNs, nowNs, false, false);
  }
}

export class OpenModel implements LoadModel, TimerTarget {
  private readonly schedule: ArrivalSchedule;
  private phaseStartNs = 0;
  private running = false;
  /** A due start found no free session; starts stay throttled until the backlog is gone. */
  private blocked = false;
  /** Due time of the outstanding scheduler entry, or Infinity. */
  private armedForNs = Infinity;
  /** Distinguishes timer entries of different runs. */
  private epoch = 0;

  constructor(private readonly host: ModelHost, private readonly shape: ArrivalShape, random: Random | undefined) {
    this.schedule = new ArrivalSchedule(shape, random);
  }

  begin(nowNs: number): void {
    this.epoch++;
    this.schedule.reset();
    this.phaseStartNs = nowNs;
    this.running = true;
    this.blocked = false;
    this.armedForNs = Infinity;
    this.pump(nowNs);
  }

  end(nowNs: number): void {
    if (!this.running) return;
    this.running = false;
    this.epoch++;
    this.armedForNs = Infinity;
    if (!this.blocked) return;
    // Starts due by now that never found a session. Exact for uniform arrivals (index = cumulative units); the
    // expected value for Poisson arrivals, computed rather than drawn so a large backlog costs nothing.
    const dueNs = this.phaseStartNs + this.schedule.peekOffsetNs();
    if (dueNs > nowNs) return;
    const elapsedSec = (nowNs - this.phaseStartNs) / 1e9;
    const unitsByNow = this.shape.kind === 'constant'
      ? this.shape.ratePerSec * elapsedSec
      : rampCumulativeStarts(elapsedSec, this.shape.initialPerSec, this.shape.targetPerSec, this.shape.durationSec);
    const dropped = Math.max(1, Math.floor(unitsByNow) - this.schedule.consumed + 1);
    this.host.startsDropped(dropped);
  }

  sessionFreed(nowNs: number): void {
    if (this.running && this.blocked) this.pump(nowNs);
  }

  onTimer(tag: number, nowNs: number): void {
    if (tag !== this.epoch) return;
    this.armedForNs = Infinity;
    this.pump(nowNs);
  }

  /** Due time of the next start (absolute ns), for tests and status. */
  get nextStartNs(): number {
    return this.phaseStartNs + this.schedule.peekOffsetNs();
  }

  private pump(nowNs: number): void {
    while (this.running) {
      const dueNs = this.phaseStartNs + this.schedule.peekOffsetNs();
      if (dueNs > nowNs) {
        this.blocked = false;
        if (dueNs !== Infinity && this.armedForNs === Infinity) {
          this.armedForNs = dueNs;
          this.host.scheduler.schedule(dueNs, this, this.epoch);
        }
        return;
      }
      const session = this.host.pool.acquire();
      if (session === undefined) {
        this.blocked = true;
        return;
      }
      this.schedule.advance();
      this.host.startSession(session, dueNs, nowNs, this.blocked, true);
    }
  }
}

/** The load model of a phase; `durationMs` is needed by ramps. */
export function createLoadModel(model: PhaseModel, durationMs: number | undefined, host: ModelHost | undefined, random: Random): LoadModel {
  if (model.type === 'noop' || host === undefined) return new NoopModel();
  switch (model.type) {
    case 'atOnce': return new ClosedModel(host, model.users, false);
    case 'always': return new ClosedModel(host, model.users, true);
    case 'constantRate':
      return new OpenModel(host, { kind: 'constant', ratePerSec: model.usersPerSec }, model.variance ? random : undefined);
    case 'increasingRate':
    case 'decreasingRate':
      return new OpenModel(host, {
        kind: 'ramp',
        initialPerSec: model.initialUsersPerSec,
        targetPerSec: model.targetUsersPerSec,
        durationSec: (durationMs ?? 0) / 1000,
      }, model.variance ? random : undefined);
  }
}
