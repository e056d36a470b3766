/**
 * Statistics recorders of one step: one per (phase, metric), resolved on the first request of that pair and then
 * kept. A step is compiled once per session pool and a pool may serve several phases (iterations), so the phase
 * is known only when a request runs. A recorder created after its phase started is aligned to the phase start the
 * session saw, so its buckets match those of the recorders the worker started.
 */
import type { Session } from '../../engine/index.js';
import type { StatsRecorder, StatsRecorderRegistry } from '../../stats/index.js';

export class StepRecorders {
  private lastPhaseId = -1;
  private lastMetric = '';
  private lastRecorder: StatsRecorder | null = null;
  private readonly byPhase = new Map<number, Map<string, StatsRecorder>>();

  constructor(private readonly registry: StatsRecorderRegistry, readonly stepId: number) {}

  get(session: Session, metric: string): StatsRecorder {
    const phaseId = session.phaseId;
    if (phaseId === this.lastPhaseId && metric === this.lastMetric && this.lastRecorder !== null) return this.lastRecorder;
    let byMetric = this.byPhase.get(phaseId);
    if (byMetric === undefined) {
      byMetric = new Map();
      this.byPhase.set(phaseId, byMetric);
    }
    let recorder = byMetric.get(metric);
    if (recorder === undefined) {
      recorder = this.registry.recorder(phaseId, session.phaseName, this.stepId, metric);
      if (!recorder.started) recorder.start(session.phaseStartWallMs);
      byMetric.set(metric, recorder);
    }
    this.lastPhaseId = phaseId;
    this.lastMetric = metric;
    this.lastRecorder = recorder;
    return recorder;
  }
}

/** Epoch ms of a monotonic `atNs` within the session's phase (statistics buckets are keyed by epoch ms). */
export function epochMsOf(session: Session, atNs: number): number {
  return session.phaseStartWallMs + (atNs - session.phaseStartNs) / 1e6;
}
