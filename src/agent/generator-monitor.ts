/**
 * A worker thread's view of its own health, per phase: the lateness of every open-model session start (from the
 * engine's `EngineStatsSink.sessionStarted`), throttled and dropped starts, and the lag of this thread's event loop
 * (a 10 ms timer that measures how late it fires). When a phase terminates, `take` hands the phase's figures over
 * (encoded histograms) for the controller, which merges every thread and decides whether the generator saturated.
 *
 * `sessionStarted` runs on the hot path once per session: an array lookup and, for open-model phases, one
 * histogram record.
 */
import type { EngineStatsSink } from '../engine/index.js';
import { encodeHistogram, StatsSnapshot } from '../stats/index.js';

/** How often the event-loop lag is sampled. */
export const LOOP_LAG_INTERVAL_MS = 10;

class PhaseMonitor {
  readonly lateness = new StatsSnapshot('int32');
  readonly loopLag = new StatsSnapshot('int32');
  throttled = 0;
  dropped = 0;
  running = false;

  constructor(readonly open: boolean) {}
}

export interface PhaseLoadReport {
  readonly lateness: Uint8Array;
  readonly loopLag: Uint8Array;
  readonly throttledStarts: number;
  readonly droppedStarts: number;
}

export class GeneratorMonitor implements EngineStatsSink {
  private readonly phases: Array<PhaseMonitor | undefined> = [];
  private timer: NodeJS.Timeout | null = null;
  private expectedAtNs = 0;
  private running = 0;

  /** `phases`: every phase this worker may run, with whether its model schedules starts (open model). */
  constructor(phases: ReadonlyArray<{ readonly id: number; readonly open: boolean }>) {
    for (const phase of phases) this.phases[phase.id] = new PhaseMonitor(phase.open);
  }

  // ---- EngineStatsSink ----

  sessionStarted(phaseId: number, _activeSessions: number, latenessNs: number, throttled: boolean): void {
    const phase = this.phases[phaseId];
    if (phase === undefined || !phase.open) return;
    phase.lateness.recordResponse(latenessNs);
    if (throttled) phase.throttled++;
  }

  sessionFinished(): void {}

  internalError(): void {}

  startsDropped(phaseId: number, count: number): void {
    const phase = this.phases[phaseId];
    if (phase !== undefined) phase.dropped += count;
  }

  // ---- phases ----

  phaseRunning(phaseId: number): void {
    const phase = this.phases[phaseId];
    if (phase === undefined || phase.running) return;
    phase.running = true;
    if (this.running++ === 0) this.startSampling();
  }

  /** The phase terminated: its figures, encoded; the phase's histograms are cleared. */
  take(phaseId: number): PhaseLoadReport | undefined {
    const phase = this.phases[phaseId];
    if (phase === undefined) return undefined;
    if (phase.running) {
      phase.running = false;
      if (--this.running === 0) this.stopSampling();
    }
    const report: PhaseLoadReport = {
      lateness: encodeHistogram(phase.lateness.histogram),
      loopLag: encodeHistogram(phase.loopLag.histogram),
      throttledStarts: phase.throttled,
      droppedStarts: phase.dropped,
    };
    phase.lateness.reset();
    phase.loopLag.reset();
    phase.throttled = 0;
    phase.dropped = 0;
    return report;
  }

  close(): void {
    this.stopSampling();
  }

  // ---- event-loop lag ----

  private startSampling(): void {
    this.expectedAtNs = Number(process.hrtime.bigint()) + LOOP_LAG_INTERVAL_MS * 1e6;
    this.timer = setTimeout(this.sample, LOOP_LAG_INTERVAL_MS);
    this.timer.unref();
  }

  private stopSampling(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly sample = (): void => {
    const nowNs = Number(process.hrtime.bigint());
    // Node's timers have millisecond granularity: up to ~1 ms of lag is the timer, not the load.
    const lagNs = Math.max(0, nowNs - this.expectedAtNs);
    const phases = this.phases;
    for (let i = 0; i < phases.length; i++) {
      const phase = phases[i];
      if (phase !== undefined && phase.running) phase.loopLag.recordResponse(lagNs);
    }
    this.expectedAtNs = nowNs + LOOP_LAG_INTERVAL_MS * 1e6;
    this.timer = setTimeout(this.sample, LOOP_LAG_INTERVAL_MS);
    this.timer.unref();
  };
}
