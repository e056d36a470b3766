/** A worker on a virtual clock with the test fixtures, recording statuses and stats. */
import type { Phase } from '../../config/model.js';
import { SOLO_WORKER } from '../identity.js';
import type { WorkerIdentity } from '../identity.js';
import type { PhaseStatusEvent } from '../phase-runner.js';
import type { EngineRegistry } from '../registry.js';
import { EngineWorker } from '../worker.js';
import { benchmark } from './builders.js';
import { testRegistry } from './fixtures.js';
import { ManualClock } from './manual-clock.js';
import { RecordingStatsSink } from './recording-sink.js';

export interface Harness {
  readonly clock: ManualClock;
  readonly worker: EngineWorker;
  readonly sink: RecordingStatsSink;
  readonly events: PhaseStatusEvent[];
  /** Statuses reported for one phase, in order. */
  statuses(phase: string): string[];
}

export function harness(phases: readonly Phase[], options: { identity?: WorkerIdentity; registry?: EngineRegistry; seed?: number } = {}): Harness {
  const clock = new ManualClock(0);
  const sink = new RecordingStatsSink();
  const events: PhaseStatusEvent[] = [];
  const worker = new EngineWorker({
    benchmark: benchmark(phases),
    identity: options.identity ?? SOLO_WORKER,
    onStatus: (event) => events.push(event),
    stats: sink,
    clock,
    registry: options.registry ?? testRegistry(),
    seed: options.seed ?? 1,
  });
  return {
    clock, worker, sink, events,
    statuses: (phase) => events.filter((e) => e.phase === phase).map((e) => e.status),
  };
}
