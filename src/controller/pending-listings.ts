/**
 * `list` requests sent to a run's agents and their `listing` answers: each request waits for every agent it was
 * sent to, or for LISTING_TIMEOUT_MS, and resolves with the agents' lines prefixed with their names (an agent that
 * did not answer in time gets one line saying so).
 */

export const LISTING_TIMEOUT_MS = 2000;

interface Pending {
  readonly lines: string[];
  readonly waiting: Set<string>;
  readonly resolve: (lines: string[]) => void;
  readonly timer: NodeJS.Timeout;
}

export class PendingListings {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  /** Sends a request (through `send`, with its id) to `agents` and resolves when all have answered. */
  ask(agents: readonly string[], send: (requestId: number) => void): Promise<string[]> {
    if (agents.length === 0) return Promise.resolve([]);
    const requestId = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const entry = this.pending.get(requestId);
        if (entry === undefined) return;
        this.pending.delete(requestId);
        for (const agent of entry.waiting) entry.lines.push(`${agent}: no answer within ${LISTING_TIMEOUT_MS} ms`);
        resolve(entry.lines);
      }, LISTING_TIMEOUT_MS);
      timer.unref();
      this.pending.set(requestId, { lines: [], waiting: new Set(agents), resolve, timer });
      send(requestId);
    });
  }

  /** An agent's answer; unknown or repeated answers are ignored. */
  answer(agent: string, requestId: number, lines: readonly string[]): void {
    const entry = this.pending.get(requestId);
    if (entry === undefined || !entry.waiting.delete(agent)) return;
    for (const line of lines) entry.lines.push(`${agent} ${line}`);
    if (entry.waiting.size > 0) return;
    this.pending.delete(requestId);
    clearTimeout(entry.timer);
    entry.resolve(entry.lines);
  }
}
