/** A stats sink that keeps what it is told, for tests. */
import type { EngineStatsSink } from '../stats-sink.js';

export class RecordingStatsSink implements EngineStatsSink {
  started = 0;
  finished = 0;
  throttled = 0;
  dropped = 0;
  maxActive = 0;
  readonly latenessNs: number[] = [];
  readonly errors: Array<{ phaseId: number; stepId: number; message: string }> = [];

  sessionStarted(_phaseId: number, activeSessions: number, latenessNs: number, throttled: boolean): void {
    this.started++;
    if (throttled) this.throttled++;
    if (activeSessions > this.maxActive) this.maxActive = activeSessions;
    this.latenessNs.push(latenessNs);
  }

  sessionFinished(): void {
    this.finished++;
  }

  internalError(phaseId: number, stepId: number, message: string): void {
    this.errors.push({ phaseId, stepId, message });
  }

  startsDropped(_phaseId: number, count: number): void {
    this.dropped += count;
  }
}
