// Session-local connections for the SESSION_POOLS and OPEN_ON_REQUEST strategies: a session keeps
// the connections it used and tries them first. One instance per (session, authority), created
// once when the session is allocated and reused across its iterations.

import type { SlotOwner } from './connection.js';
import type { PooledConnection } from './pooled-connection.js';
import type { HttpConnection, PoolWaiter } from './handler.js';

/** What the engine holds per session and authority to get connections. */
export interface ConnectionSource {
  /**
   * A connection with one request slot reserved for the caller, or null when the caller must wait:
   * `waiter` is then queued and later gets exactly one of `onConnectionAvailable`/`onConnectionFailed`.
   */
  acquire(waiter: PoolWaiter): HttpConnection | null;
  /** Removes a waiting `waiter` (e.g. the session is stopped). True when it was waiting. */
  cancelWait(waiter: PoolWaiter): boolean;
  /** The session ended: give back (SESSION_POOLS) or close (OPEN_ON_REQUEST) the connections it kept. */
  releaseSession(): void;
}

/** The pool operations a session pool needs (implemented by HttpConnectionPool). */
export interface SessionPoolParent {
  /** Shared pool: an idle connection handed to `session` (now or later through the waiter). */
  acquireForSession(waiter: PoolWaiter, session: SessionConnections): PooledConnection | null;
  /** Opens a new connection for `session`; the waiter gets it when ready. */
  openForSession(waiter: PoolWaiter, session: SessionConnections): void;
  cancelWait(waiter: PoolWaiter): boolean;
  /** Takes back a connection the session no longer keeps. */
  returnConnection(connection: PooledConnection): void;
}

export class SessionConnections implements ConnectionSource, SlotOwner {
  private readonly parent: SessionPoolParent;
  /** true: OPEN_ON_REQUEST (new connections, closed at session end); false: SESSION_POOLS. */
  private readonly openOnRequest: boolean;
  private readonly held: PooledConnection[] = [];

  constructor(parent: SessionPoolParent, openOnRequest: boolean) {
    this.parent = parent;
    this.openOnRequest = openOnRequest;
  }

  /** Connections this session currently keeps (open or not yet noticed as closed). */
  get heldCount(): number {
    return this.held.length;
  }

  acquire(waiter: PoolWaiter): PooledConnection | null {
    const held = this.held;
    for (let i = 0; i < held.length; ) {
      const c = held[i]!;
      if (c.isClosed) {
        // Forget closed connections (swap-remove).
        held[i] = held[held.length - 1]!;
        held.pop();
        continue;
      }
      if (c.isOpen && c.busy < c.pipeliningLimit) {
        c.reserved++;
        return c;
      }
      i++;
    }
    if (this.openOnRequest) {
      this.parent.openForSession(waiter, this);
      return null;
    }
    return this.parent.acquireForSession(waiter, this);
  }

  cancelWait(waiter: PoolWaiter): boolean {
    return this.parent.cancelWait(waiter);
  }

  /** Called by the pool when it hands `connection` to this session. */
  adopt(connection: PooledConnection): void {
    connection.owner = this;
    this.held.push(connection);
  }

  onSlotFreed(): void {
    // The connection stays held; `acquire` finds it.
  }

  releaseSession(): void {
    const held = this.held;
    while (held.length > 0) {
      const c = held.pop()!;
      if (c.isClosed) continue;
      if (this.openOnRequest || c.busy > 0) {
        // OPEN_ON_REQUEST closes its connections; a connection still busy cannot be shared safely.
        c.close();
      } else {
        this.parent.returnConnection(c);
      }
    }
  }
}
