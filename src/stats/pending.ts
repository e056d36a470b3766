/**
 * Requests that got neither a response nor an error by the end of their phase: sent and unanswered, or still
 * waiting for a connection, when the phase was terminated (its `maxDuration`, or the default bound of duration +
 * request timeout) and their sessions were cancelled. They are in `requestCount` but in no latency and no error
 * figure, so a run that ended this way says so.
 */
import type { RequestStats } from './store.js';

export interface PendingRequests {
  readonly phase: string;
  readonly pending: number;
}

/** Phases with requests still pending at their end, and how many. */
export function pendingRequests(totals: readonly RequestStats[]): PendingRequests[] {
  const byPhase = new Map<string, number>();
  for (const { phase, summary } of totals) {
    const settled = summary.responseCount + summary.connectionErrors + summary.requestTimeouts + summary.internalErrors;
    // A handler error after its response counts twice in `settled`: never report a negative figure.
    const pending = Math.max(0, summary.requestCount - settled);
    if (pending > 0) byPhase.set(phase, (byPhase.get(phase) ?? 0) + pending);
  }
  return [...byPhase].map(([phase, pending]) => ({ phase, pending }));
}
