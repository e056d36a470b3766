/**
 * `httpRequest.compensation` (Hyperfoil's coordinated-omission compensation for closed `always` phases): new users
 * are paced at `targetRate` per second (`base`, plus `increment` per phase iteration), split evenly over every
 * worker thread of every agent as the phase's users are; a session waits at the request until its scheduled start,
 * and its first request of each session life is also recorded, under the compensated metric (`compensated-` +
 * the request's metric unless `metric` says otherwise), with its latency measured from that scheduled start, so
 * a user that could only start late (every user busy) counts the wait. A user still waiting for its start when
 * the phase finishes never starts.
 */
import type { CompensationConfig } from '../../config/steps/index.js';
import type { CompileContext, Session, StateKey } from '../../engine/index.js';
import type { MetricSelect } from './metric.js';
import type { StatsRecorderRegistry } from '../../stats/index.js';
import { StepRecorders } from './request-stats.js';

const NS_PER_S = 1e9;

/** The schedule of one worker thread: the next start, from the phase's start. */
class Pacing {
  private phaseStartNs = -1;
  private nextNs = 0;

  constructor(private readonly base: number, private readonly increment: number, private readonly threads: number) {}

  /** The next scheduled start; a rate of 0 or less schedules every start at once (no pacing). */
  next(session: Session): number {
    const ratePerThread = (this.base + this.increment * session.phaseIteration) / this.threads;
    if (ratePerThread <= 0) return session.nowNs();
    if (this.phaseStartNs !== session.phaseStartNs) {
      this.phaseStartNs = session.phaseStartNs;
      this.nextNs = session.phaseStartNs;
    }
    const at = this.nextNs;
    this.nextNs += NS_PER_S / ratePerThread;
    return at;
  }
}

/** The owner of a session is its phase runner, whose status says whether new users may still start. */
function phaseFinished(session: Session): boolean {
  const status = (session.owner as { readonly status?: string } | null)?.status;
  return status === 'FINISHED' || status === 'TERMINATING' || status === 'TERMINATED';
}

/** Per session life: its scheduled start, and whether its compensated request has been sent. */
export class CompensationState {
  scheduledNs = -1;
  used = false;

  reset(): void {
    this.scheduledNs = -1;
    this.used = false;
  }
}

export class Compensation {
  private readonly pacing: Pacing;
  readonly recorders: StepRecorders;
  private readonly names = new Map<string, string>();

  constructor(config: CompensationConfig, cx: CompileContext, recorders: StatsRecorderRegistry, private readonly metric: MetricSelect | null) {
    this.pacing = new Pacing(config.targetRate.base, config.targetRate.increment, Math.max(1, cx.identity.globalThreads));
    this.recorders = new StepRecorders(recorders, cx.stepId);
    this.stateKey = cx.reserveState<CompensationState>({ create: () => new CompensationState(), reset: (s) => s.reset() });
  }

  readonly stateKey: StateKey<CompensationState>;

  /**
   * False (and a wake-up at the scheduled start) while the session must wait for its scheduled start. A user not
   * started yet when its phase has finished never starts: the session stops.
   */
  ready(session: Session): boolean {
    const state = session.state(this.stateKey);
    if (!state.used && phaseFinished(session)) {
      session.stop();
      return false;
    }
    if (state.scheduledNs < 0) state.scheduledNs = this.pacing.next(session);
    if (session.nowNs() >= state.scheduledNs) return true;
    session.wakeAt(state.scheduledNs);
    return false;
  }

  /** The scheduled start for the first request of the session's life (once), else -1. */
  take(session: Session): number {
    const state = session.state(this.stateKey);
    if (state.used || state.scheduledNs < 0) return -1;
    state.used = true;
    return state.scheduledNs;
  }

  /** The compensated metric of a request recorded under `requestMetric`, to `authority` and `path`. */
  metricFor(requestMetric: string | null, authority: string, path: string): string | null {
    if (this.metric !== null) return this.metric.isConstant ? this.metric.select('', '') : this.metric.select(authority, path);
    if (requestMetric === null) return null; // the request itself is not recorded
    let name = this.names.get(requestMetric);
    if (name === undefined) {
      name = `compensated-${requestMetric}`;
      this.names.set(requestMetric, name);
    }
    return name;
  }
}
