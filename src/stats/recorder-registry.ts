// All the recorders of one worker (or agent): the engine asks for a recorder per (phase, step, metric) once,
// when it compiles the benchmark, and keeps the object; the worker's timer drains every recorder once per
// collection period and sends the closed buckets.
import type { StatsSnapshot } from './snapshot.js';
import { SnapshotPool } from './snapshot-pool.js';
import { DEFAULT_COLLECTION_PERIOD_MS, StatsRecorder, type DrainedBucket } from './recorder.js';

export interface DrainedRecorderBucket extends DrainedBucket {
  readonly recorder: StatsRecorder;
}

export class StatsRecorderRegistry {
  private readonly byKey = new Map<string, StatsRecorder>();
  private readonly byPhase = new Map<number, StatsRecorder[]>();
  private readonly pool = new SnapshotPool('int32');

  constructor(readonly periodMs: number = DEFAULT_COLLECTION_PERIOD_MS) {}

  /** The recorder for (phase, step, metric), created on first request. Call at compile time, not per request. */
  recorder(phaseId: number, phaseName: string, stepId: number, metric: string): StatsRecorder {
    const key = `${phaseId}\u0000${stepId}\u0000${metric}`;
    let recorder = this.byKey.get(key);
    if (recorder === undefined) {
      recorder = new StatsRecorder(phaseId, phaseName, stepId, metric, this.periodMs, this.pool);
      this.byKey.set(key, recorder);
      let list = this.byPhase.get(phaseId);
      if (list === undefined) {
        list = [];
        this.byPhase.set(phaseId, list);
      }
      list.push(recorder);
    }
    return recorder;
  }

  /** Start every recorder of the phase, aligned to `phaseStartMs`. */
  startPhase(phaseId: number, phaseStartMs: number): void {
    for (const recorder of this.byPhase.get(phaseId) ?? []) recorder.start(phaseStartMs);
  }

  endPhase(phaseId: number, phaseEndMs: number): void {
    for (const recorder of this.byPhase.get(phaseId) ?? []) recorder.end(phaseEndMs);
  }

  /** Closed buckets of every started recorder. */
  drainClosed(nowMs: number): DrainedRecorderBucket[] {
    const out: DrainedRecorderBucket[] = [];
    const scratch: DrainedBucket[] = [];
    for (const recorder of this.byKey.values()) {
      scratch.length = 0;
      recorder.drainClosed(nowMs, scratch);
      for (const { sequenceId, snapshot } of scratch) out.push({ recorder, sequenceId, snapshot });
    }
    return out;
  }

  /** Every remaining bucket of the phase's recorders (call when the phase has completed). */
  drainPhase(phaseId: number): DrainedRecorderBucket[] {
    const out: DrainedRecorderBucket[] = [];
    const scratch: DrainedBucket[] = [];
    for (const recorder of this.byPhase.get(phaseId) ?? []) {
      scratch.length = 0;
      recorder.drainAll(scratch);
      for (const { sequenceId, snapshot } of scratch) out.push({ recorder, sequenceId, snapshot });
    }
    return out;
  }

  /** Give a drained snapshot back for reuse once it has been encoded. */
  release(snapshot: StatsSnapshot): void {
    this.pool.release(snapshot);
  }

  recorders(): IterableIterator<StatsRecorder> {
    return this.byKey.values();
  }
}
