/**
 * What the engine tells the statistics layer. The engine knows nothing of histograms or buckets: `src/stats`
 * (or the agent) implements this interface and turns the calls into Hyperfoil's figures:
 * - `sessionStarted`/`sessionFinished` carry the phase's active-session count after the change, from which the
 *   min/max sessions per collection period (`<phase>.sessions.csv`, MinSessions/MaxSessions) are tracked;
 * - `latenessNs` of each open-model start (actual start − scheduled start) is histogram-worthy: it shows when the
 *   generator itself cannot keep up (saturation), and `throttled` marks starts that waited for a free session
 *   (Hyperfoil's "Exceeded session limit");
 * - `internalError` is one failed session (Hyperfoil's internalErrors), attributed to the step that failed;
 * - `startsDropped` counts open-model starts that were due but never happened because the phase finished while
 *   no session was free.
 * Every method is called on the worker's thread, synchronously, on the hot path: keep them cheap, never throw.
 */
export interface EngineStatsSink {
  sessionStarted(phaseId: number, activeSessions: number, latenessNs: number, throttled: boolean): void;
  sessionFinished(phaseId: number, activeSessions: number): void;
  internalError(phaseId: number, stepId: number, message: string): void;
  startsDropped(phaseId: number, count: number): void;
}

/** Discards everything (tests, or when only the engine's own counters are wanted). */
export const NULL_STATS_SINK: EngineStatsSink = {
  sessionStarted() {},
  sessionFinished() {},
  internalError() {},
  startsDropped() {},
};
