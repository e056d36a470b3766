// Session-pool usage per phase and agent: each agent reports, every period, the lowest and highest number of
// active sessions it saw. These feed the MinSessions/MaxSessions columns, `<phase>.sessions.csv` and the
// REST /sessions endpoints.

export interface LowHigh {
  readonly min: number;
  readonly max: number;
}

export interface SessionRecord extends LowHigh {
  readonly timestampMs: number;
}

export class SessionStats {
  /** phase -> agent -> records in arrival order. */
  private readonly byPhase = new Map<string, Map<string, SessionRecord[]>>();

  record(agent: string, phase: string, timestampMs: number, min: number, max: number): void {
    let byAgent = this.byPhase.get(phase);
    if (byAgent === undefined) {
      byAgent = new Map();
      this.byPhase.set(phase, byAgent);
    }
    let records = byAgent.get(agent);
    if (records === undefined) {
      records = [];
      byAgent.set(agent, records);
    }
    records.push({ timestampMs, min, max });
  }

  phases(): string[] {
    return [...this.byPhase.keys()];
  }

  /** Records of a phase per agent (arrival order). */
  records(phase: string): ReadonlyMap<string, readonly SessionRecord[]> {
    return this.byPhase.get(phase) ?? new Map();
  }

  /**
   * Cluster-wide low/high of a phase: the agents' n-th records are summed (they cover the same period), and the
   * lowest and highest of those sums are taken, as Hyperfoil does. Undefined when nothing was recorded.
   */
  total(phase: string): LowHigh | undefined {
    const lists = [...this.records(phase).values()];
    const longest = Math.max(0, ...lists.map((records) => records.length));
    if (longest === 0) return undefined;
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (let i = 0; i < longest; i++) {
      let low = 0;
      let high = 0;
      for (const records of lists) {
        const record = records[i];
        if (record !== undefined) {
          low += record.min;
          high += record.max;
        }
      }
      min = Math.min(min, low);
      max = Math.max(max, high);
    }
    return { min, max };
  }

  /** One agent's lowest min and highest max over the phase; undefined when it recorded nothing. */
  forAgent(phase: string, agent: string): LowHigh | undefined {
    const records = this.records(phase).get(agent);
    if (records === undefined || records.length === 0) return undefined;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const record of records) {
      min = Math.min(min, record.min);
      max = Math.max(max, record.max);
    }
    return { min, max };
  }

  /** REST /sessions/total: {phase: {agent: {min, max}}}. */
  totalByAgent(): Record<string, Record<string, LowHigh>> {
    const result: Record<string, Record<string, LowHigh>> = {};
    for (const [phase, byAgent] of this.byPhase) {
      const perAgent: Record<string, LowHigh> = {};
      for (const agent of byAgent.keys()) {
        const lowHigh = this.forAgent(phase, agent);
        if (lowHigh !== undefined) perAgent[agent] = lowHigh;
      }
      if (Object.keys(perAgent).length > 0) result[phase] = perAgent;
    }
    return result;
  }

  /** REST /sessions/recent: each agent's last record, if it is not older than `minTimestampMs`. */
  recentByAgent(minTimestampMs: number): Record<string, Record<string, LowHigh>> {
    const result: Record<string, Record<string, LowHigh>> = {};
    for (const [phase, byAgent] of this.byPhase) {
      const perAgent: Record<string, LowHigh> = {};
      for (const [agent, records] of byAgent) {
        const last = records[records.length - 1];
        if (last !== undefined && last.timestampMs >= minTimestampMs) perAgent[agent] = { min: last.min, max: last.max };
      }
      if (Object.keys(perAgent).length > 0) result[phase] = perAgent;
    }
    return result;
  }
}
