/**
 * An agent's clock offset (agent clock − controller clock) on one connection, refined by every message the agent
 * stamps with its clock. A message cannot arrive before it was sent, so `agentTimeMs − receivedMs` bounds the offset
 * from below, short by the message's one-way delay: the least delayed message gives the tightest bound. Half the
 * shortest round trip seen (ping/pong) is added for the quickest one-way trip. Both are minimum filters, so a busy
 * machine, which only ever delays messages, cannot drag the estimate off (a single hello handled 100 ms late did).
 * Clock drift over a run is ignored: NTP-disciplined clocks drift microseconds per second.
 */
export class ClockEstimate {
  private bestLowerBoundMs = -Infinity;
  private shortestRoundTripMs = Infinity;

  /** A message the agent stamped with `agentTimeMs`, received at `receivedMs` on the controller's clock. */
  stamped(agentTimeMs: number, receivedMs: number): void {
    const lowerBoundMs = agentTimeMs - receivedMs;
    if (lowerBoundMs > this.bestLowerBoundMs) this.bestLowerBoundMs = lowerBoundMs;
  }

  roundTrip(durationMs: number): void {
    if (durationMs >= 0 && durationMs < this.shortestRoundTripMs) this.shortestRoundTripMs = durationMs;
  }

  /** The shortest round trip seen (0 before any). */
  get roundTripMs(): number {
    return Number.isFinite(this.shortestRoundTripMs) ? this.shortestRoundTripMs : 0;
  }

  /** The estimated offset (0 before any stamped message). */
  get offsetMs(): number {
    return Number.isFinite(this.bestLowerBoundMs) ? this.bestLowerBoundMs + this.roundTripMs / 2 : 0;
  }
}
