// What the pool needs from a connection, whatever protocol it speaks (Http1Connection, H2Connection):
// request slots (pipelined requests for HTTP/1.1, concurrent streams for HTTP/2), the owner that
// gets freed slots, and the pool's intrusive list and address bookkeeping.

import type { HttpConnection } from './handler.js';
import type { SlotOwner } from './connection.js';

export interface PooledConnection extends HttpConnection {
  /** Receives freed request slots; the pool, or a session-local pool that holds this connection. */
  owner: SlotOwner;
  /** Request slots handed out by `acquire` and not yet used by `send`/`release`. */
  reserved: number;
  /** `nowMs()` of the last request sent or response completed. */
  lastUsedMs: number;
  /** Requests that may be in flight at once (pipelining limit, or concurrent HTTP/2 streams). */
  readonly pipeliningLimit: number;
  /** Request slots in use (in flight + reserved). */
  readonly busy: number;
  readonly isClosed: boolean;
  // Pool bookkeeping (intrusive list membership and address index), owned by pool.ts.
  listPrev: PooledConnection | null;
  listNext: PooledConnection | null;
  listId: number;
  addressIndex: number;
}
