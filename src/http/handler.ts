// The contract between the HTTP client and whoever issues requests (the engine's request contexts).
// The client knows nothing about statistics: it reports what happened through these callbacks.
// Implementations are meant to be pooled objects (one class, reused): no closure per request.

import type { EncodedRequest } from './request-encoder.js';

/**
 * Why a request ended without a complete response. Exactly one of `onComplete`/`onFailure` is
 * called per sent request.
 * - `connect`: the TCP connection could not be opened (refused, unreachable, DNS, connect timeout).
 * - `tls`: the TLS handshake failed or timed out (`sslHandshakeTimeout`).
 * - `reset`: the peer closed or reset the connection (or a socket error happened) before the
 *   response was complete, including requests pipelined behind a `Connection: close` response.
 * - `timeout`: the request's own timeout expired; the connection is then closed.
 * - `parse`: the response is not valid HTTP/1.x; the connection is then closed.
 * - `closed`: we closed the connection before the response came (another request on it timed out
 *   or failed, a handler threw, the pool shut down).
 * - `handler`: this request's handler threw from one of its callbacks; the connection is closed.
 *
 * Suggested mapping to Hyperfoil's counters: timeout → requestTimeouts; connect, tls, reset, closed →
 * connectionErrors; parse, handler → internalErrors.
 */
export type FailureKind = 'connect' | 'tls' | 'reset' | 'timeout' | 'parse' | 'closed' | 'handler';

/** Receives the outcome of one request. Times are `nowNs()` values (see clock.ts). */
export interface ResponseHandler {
  /** Read when the response starts: true → `onHeader` is called for every header (strings are allocated). */
  readonly wantsHeaders: boolean;
  /** Read for each body slice: true → `onBodyPart` is called with views of the received bytes. */
  readonly wantsBody: boolean;
  /** Status line of the final response arrived (1xx responses are skipped). `headAtNs`: when its bytes were read. */
  onStatus(status: number, headAtNs: number): void;
  /** One response header (only when `wantsHeaders`): name as sent by the server, value trimmed. */
  onHeader(name: string, value: string): void;
  /** All headers of the response have been seen. */
  onHeadersEnd(): void;
  /** Body bytes `buf[offset, offset+length)` (chunked framing removed). Valid only during the call: copy to keep. */
  onBodyPart(buf: Buffer, offset: number, length: number): void;
  /** The response is complete. `receivedBytes`: bytes of this response on the wire (head, framing, body). */
  onComplete(completedAtNs: number, receivedBytes: number): void;
  /** The request ended without a complete response. `error` describes the cause for logs. */
  onFailure(kind: FailureKind, error: Error): void;
}

/** What a caller does with a connection it got from `acquire` (HTTP/1.1 today; HTTP/2 can implement it too). */
export interface HttpConnection {
  /** `TLS + HTTP 1.x` vs `HTTP 1.x`. */
  readonly secure: boolean;
  /** Open and accepting requests. */
  readonly isOpen: boolean;
  /** Requests sent and not yet answered. */
  readonly inFlight: number;
  /**
   * Sends a request on the slot reserved by `acquire`; returns the send time (`nowNs()`, taken just
   * before the bytes go to the socket). The handler then gets exactly one of `onComplete`/`onFailure`,
   * never synchronously inside `send`. `timeoutMs` <= 0: no timeout.
   */
  send(request: EncodedRequest, handler: ResponseHandler, timeoutMs: number): number;
  /** Gives the reserved slot back without sending. */
  release(): void;
  /** Close the connection once the response being received completes (Hyperfoil's `closeConnection`). */
  closeAfterResponse(): void;
  /** Close now: in-flight requests fail with `closed`. */
  close(): void;
}

/**
 * A session waiting for a connection (`acquire` returned null). Exactly one of the two callbacks is
 * called later, never synchronously inside `acquire`.
 */
export interface PoolWaiter {
  /**
   * A connection with one request slot reserved for the waiter. Call `connection.send(...)` (or
   * `connection.release()` when the request is no longer wanted), preferably inside this callback.
   */
  onConnectionAvailable(connection: HttpConnection): void;
  /**
   * No connection can be provided: the target cannot be reached (`connect`/`tls`, with no open
   * connection left in the pool) or the pool was shut down (`closed`).
   */
  onConnectionFailed(kind: FailureKind, error: Error): void;
}
