/**
 * `stopwatch`: times its nested steps and records the time as one response under the metric of its sequence name
 * (the statistics of the stopwatch's step id, in the phase the session runs for).
 *
 * Compiled as [begin, ...steps, end]. `begin` keeps the start of a measurement still running, so a restart that
 * jumps back into the stopwatch measures from the first entry (Hyperfoil's behaviour). Recording needs the
 * `STATS_RECORDERS` service; without it the stopwatch runs its steps and records nothing (a build warning says so).
 */
import type { StopwatchConfig } from '../../config/steps/index.js';
import type { StatsRecorder, StatsRecorderRegistry } from '../../stats/index.js';
import type { CompileContext } from '../compile-context.js';
import type { EngineRegistry } from '../registry.js';
import type { Session } from '../session.js';
import type { StateKey } from '../state.js';
import type { Step } from '../step.js';
import { STATS_RECORDERS } from './services.js';

interface StopwatchState {
  running: boolean;
  startNs: number;
}

class StopwatchBeginStep implements Step {
  constructor(private readonly key: StateKey<StopwatchState>) {}

  invoke(session: Session): boolean {
    const state = session.state(this.key);
    if (!state.running) {
      state.running = true;
      state.startNs = session.nowNs();
    }
    return true;
  }
}

/** Recorders of one (step, metric), one per phase the pool serves, created on first use. */
class PhaseRecorders {
  private readonly byPhase: Array<StatsRecorder | undefined> = [];

  constructor(private readonly registry: StatsRecorderRegistry, private readonly stepId: number, private readonly metric: string) {}

  of(session: Session): StatsRecorder {
    const phaseId = session.phaseId;
    let recorder = this.byPhase[phaseId];
    if (recorder === undefined) {
      recorder = this.registry.recorder(phaseId, session.phaseName, this.stepId, this.metric);
      // Created after the phase started: align its buckets to the phase start as the others are.
      if (!recorder.started) recorder.start(session.phaseStartWallMs);
      this.byPhase[phaseId] = recorder;
    }
    return recorder;
  }
}

class StopwatchEndStep implements Step {
  constructor(private readonly key: StateKey<StopwatchState>, private readonly recorders: PhaseRecorders | null) {}

  invoke(session: Session): boolean {
    const state = session.state(this.key);
    if (!state.running) return true;
    state.running = false;
    const recorders = this.recorders;
    if (recorders !== null && session.phaseId >= 0) {
      const latencyNs = session.nowNs() - state.startNs;
      const startMs = session.phaseStartWallMs + (state.startNs - session.phaseStartNs) / 1e6;
      recorders.of(session).recordResponse(startMs, latencyNs);
    }
    return true;
  }
}

function compileStopwatch(config: StopwatchConfig, cx: CompileContext): Step[] {
  const key = cx.reserveState<StopwatchState>({
    create: () => ({ running: false, startNs: 0 }),
    reset: (s) => { s.running = false; },
    perSequenceInstance: true,
  });
  const registry = cx.optionalService(STATS_RECORDERS);
  if (registry === undefined) cx.warn('stopwatch: this host records no statistics, so the time of the stopwatch is not recorded');
  const metric = config.metric === '' ? cx.sequence.name : config.metric;
  const recorders = registry === undefined ? null : new PhaseRecorders(registry, cx.stepId, metric);
  return [new StopwatchBeginStep(key), ...cx.steps(config.steps), new StopwatchEndStep(key, recorders)];
}

export function registerStopwatch(registry: EngineRegistry): void {
  registry.registerStep<StopwatchConfig>('stopwatch', compileStopwatch);
}
