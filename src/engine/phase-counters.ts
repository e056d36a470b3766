/**
 * The engine's own per-phase counters on one worker (cheap numbers, no histograms): what tests, status output and
 * the agent's session-range messages read. Histograms belong to `src/stats` via `EngineStatsSink`.
 */

export interface PhaseCountersSnapshot {
  readonly started: number;
  readonly finished: number;
  /** Sessions that ended with an internal error. */
  readonly failed: number;
  /** Sessions ended by TERMINATE. */
  readonly cancelled: number;
  /** Open-model starts performed late because no pooled session was free. */
  readonly throttled: number;
  /** Open-model starts that were due but never performed (phase finished while no session was free). */
  readonly dropped: number;
  /** Some start was throttled or dropped, whatever the phase's sessionLimitPolicy. */
  readonly sessionLimitExceeded: boolean;
  readonly activeSessions: number;
  /** Lateness (actual − scheduled) of open-model starts. */
  readonly lateStarts: number;
  readonly maxLatenessNs: number;
  readonly meanLatenessNs: number;
  readonly sequenceWarnings: number;
  readonly firstError: string | null;
}

export class PhaseCounters {
  started = 0;
  finished = 0;
  failed = 0;
  cancelled = 0;
  throttled = 0;
  dropped = 0;
  active = 0;
  rangeMin = 0;
  rangeMax = 0;
  openStarts = 0;
  maxLatenessNs = 0;
  sumLatenessNs = 0;
  sequenceWarnings = 0;
  firstError: string | null = null;

  onStart(latenessNs: number, open: boolean): void {
    this.started++;
    this.active++;
    if (this.active > this.rangeMax) this.rangeMax = this.active;
    if (open) {
      this.openStarts++;
      this.sumLatenessNs += latenessNs;
      if (latenessNs > this.maxLatenessNs) this.maxLatenessNs = latenessNs;
    }
  }

  onEnd(): void {
    this.active--;
    if (this.active < this.rangeMin) this.rangeMin = this.active;
  }

  /** Min and max active sessions since the previous call; the range restarts from the current count. */
  takeSessionRange(): { min: number; max: number } {
    const range = { min: this.rangeMin, max: this.rangeMax };
    this.rangeMin = this.active;
    this.rangeMax = this.active;
    return range;
  }

  snapshot(): PhaseCountersSnapshot {
    return {
      started: this.started,
      finished: this.finished,
      failed: this.failed,
      cancelled: this.cancelled,
      throttled: this.throttled,
      dropped: this.dropped,
      sessionLimitExceeded: this.throttled > 0 || this.dropped > 0,
      activeSessions: this.active,
      lateStarts: this.openStarts,
      maxLatenessNs: this.maxLatenessNs,
      meanLatenessNs: this.openStarts > 0 ? this.sumLatenessNs / this.openStarts : 0,
      sequenceWarnings: this.sequenceWarnings,
      firstError: this.firstError,
    };
  }
}
