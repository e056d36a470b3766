// Connection statistics of a pool, sampled by the agent once per period (Hyperfoil §4.5):
// each gauge keeps its current value and the min/max it reached since the last sample.

/** A gauge with the lowest and highest value since the last `sampleAndReset`. */
export class Watermark {
  current = 0;
  min = 0;
  max = 0;

  increment(): void {
    const v = ++this.current;
    if (v > this.max) this.max = v;
  }

  decrement(): void {
    const v = --this.current;
    if (v < this.min) this.min = v;
  }

  /** Starts a new period: min and max restart from the current value. */
  resetPeriod(): void {
    this.min = this.current;
    this.max = this.current;
  }
}

/** One row of connection statistics, as Hyperfoil reports them (`<authority>.<type>.connections.csv`). */
export interface ConnectionStatsSample {
  authority: string;
  /** `in-flight requests`, `used connections`, `blocked sessions`, or the connection kind (`HTTP 1.x`, `TLS + HTTP 1.x`). */
  type: string;
  min: number;
  max: number;
  current: number;
}

export type ConnectionKind = 'HTTP 1.x' | 'TLS + HTTP 1.x' | 'HTTP 2' | 'TLS + HTTP 2';

export class ConnectionPoolStats {
  readonly authority: string;
  /** The protocol the pool's connections speak (it changes when ALPN settles on HTTP/1.1). */
  kind: ConnectionKind;
  /** Requests sent and not yet answered (or failed). */
  readonly inFlight = new Watermark();
  /** Connections with at least one request in flight. */
  readonly usedConnections = new Watermark();
  /** Sessions waiting for a connection (including those waiting for a connection being opened for them). */
  readonly blockedSessions = new Watermark();
  /** Open connections (reported under the connection kind). */
  readonly openConnections = new Watermark();
  /** Connection attempts that failed, since the pool was created. */
  connectFailures = 0;
  /** Connections opened, since the pool was created. */
  connectionsOpened = 0;

  constructor(authority: string, kind: ConnectionKind) {
    this.authority = authority;
    this.kind = kind;
  }

  /** Returns the min/max of every gauge for the period that just ended and starts a new period. */
  sampleAndReset(): ConnectionStatsSample[] {
    const rows: ConnectionStatsSample[] = [
      row(this.authority, 'in-flight requests', this.inFlight),
      row(this.authority, 'used connections', this.usedConnections),
      row(this.authority, 'blocked sessions', this.blockedSessions),
      row(this.authority, this.kind, this.openConnections),
    ];
    this.inFlight.resetPeriod();
    this.usedConnections.resetPeriod();
    this.blockedSessions.resetPeriod();
    this.openConnections.resetPeriod();
    return rows;
  }
}

function row(authority: string, type: string, w: Watermark): ConnectionStatsSample {
  return { authority, type, min: w.min, max: w.max, current: w.current };
}
