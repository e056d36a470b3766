/**
 * The lines of `GET /run/{id}/sessions` (Hyperfoil: a plain-text dump for debugging), one per session of a worker
 * thread; the connections' lines come from the pools (`HttpConnectionPool.describeConnections`).
 */
import type { Session } from '../engine/index.js';

export function describeSession(session: Session, phase: string, thread: string): string {
  if (!session.isRunning) return `${thread}: #${session.sessionId} ${phase} idle`;
  const sequences = session.activeSequenceNames();
  const inFlight = session.requests.inFlight;
  return `${thread}: #${session.sessionId} ${phase} running, sequences: ${sequences.length > 0 ? sequences.join(', ') : 'none'}`
    + `, ${inFlight} request${inFlight === 1 ? '' : 's'} in flight`;
}
