// Connection pool for one authority (one per worker thread and `http` entry).
//
// SHARED_POOL / SESSION_POOLS: `core` connections are opened at start and kept open; the pool grows
// towards `max` to keep `buffer` free connections; idle ones are closed after `keepAliveTime`.
// A caller gets a connection with a reserved request slot, or waits in a FIFO and is called back.
// OPEN_ON_REQUEST / ALWAYS_NEW: a connection is opened for the caller (ALWAYS_NEW closes it after the
// response; OPEN_ON_REQUEST keeps it for the session until the session ends).
//
// Connect failures: the pool retries with exponential backoff (50 ms doubling up to 1 s), so a dead
// target costs at most a few attempts per second. While no connection is open, each failed attempt
// fails every waiting session with the failure kind, so requests for a dead target end as
// connection errors instead of waiting forever.

import { nowMs } from './clock.js';
import type tls from 'node:tls';
import { Http1Connection, type ConnectTarget, type SlotOwner, type TlsMaterial } from './connection.js';
import { H2Connection, type Http2Lifecycle } from './h2/connection.js';
import { chooseProtocol, type ProtocolChoice } from './h2/protocol-choice.js';
import type { PooledConnection } from './pooled-connection.js';
import { ConnectionList } from './connection-list.js';
import type { FailureKind, PoolWaiter } from './handler.js';
import type { ConnectAddress, ConnectionStrategy, PoolSize } from './pool-config.js';
import { SessionConnections, type ConnectionSource, type SessionPoolParent } from './session-connections.js';
import { ConnectionPoolStats } from './stats.js';
import { WaiterQueue } from './waiter-queue.js';

export interface PoolOptions {
  /** `host:port` as used in the Host header and in statistics. */
  authority: string;
  /** The benchmark's host: TLS server name, and where to connect when `addresses` is empty. */
  host: string;
  port: number;
  secure: boolean;
  /** Connect to these instead of `host:port` (connections are spread evenly). */
  addresses?: readonly ConnectAddress[];
  size: PoolSize;
  strategy?: ConnectionStrategy;
  /** Requests in flight per connection (HTTP/1.1 pipelining). Default 1. */
  pipeliningLimit?: number;
  /** TLS handshake timeout (`sslHandshakeTimeout`), default 10 s; <= 0 for none. */
  tlsHandshakeTimeoutMs?: number;
  /** TCP connect timeout, default 30 s; <= 0 for none. */
  connectTimeoutMs?: number;
  tls?: TlsMaterial;
  maxHeadBytes?: number;
  /** Consecutive connect failures after which `start` reports failure. Default max(10, core). */
  startFailureLimit?: number;
  /** First retry delay after a connect failure (doubles per consecutive failure). Default 50 ms. */
  retryInitialMs?: number;
  /** Longest retry delay. Default 1000 ms. */
  retryMaxMs?: number;
  /** Protocols allowed (default: HTTP/1.1 only); see h2/protocol-choice.ts for how they are chosen. */
  allowHttp1x?: boolean;
  allowHttp2?: boolean;
  /** Concurrent streams per HTTP/2 connection. Default 100. */
  maxHttp2Streams?: number;
}

const LIST_IDLE = 1;
const LIST_PARTIAL = 2;

interface PendingOpen {
  waiter: PoolWaiter | null;
  session: SessionConnections | null;
}

function failWaiterLater(waiter: PoolWaiter, kind: FailureKind, error: Error): void {
  waiter.onConnectionFailed(kind, error);
}

export class HttpConnectionPool implements Http2Lifecycle, SlotOwner, ConnectionSource, SessionPoolParent {
  readonly authority: string;
  readonly strategy: ConnectionStrategy;
  readonly stats: ConnectionPoolStats;
  readonly pipeliningLimit: number;
  readonly size: PoolSize;

  private readonly targets: ConnectTarget[];
  private readonly addressLoad: Int32Array;
  private readonly maxHeadBytes: number | undefined;
  private readonly maxHttp2Streams: number;
  /** Becomes `http1` when a server answers an `alpn` handshake with http/1.1. */
  private protocol: ProtocolChoice;
  private readonly allocator: boolean;
  private readonly startFailureLimit: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;

  /** Connections with every slot free, most recently used first. */
  private readonly idle = new ConnectionList(LIST_IDLE);
  /** Connections with some (not all) slots free, least recently given out first. */
  private readonly partial = new ConnectionList(LIST_PARTIAL);
  private readonly waiters = new WaiterQueue();
  private readonly all = new Set<PooledConnection>();
  private readonly pending = new Map<PooledConnection, PendingOpen>();

  private openCount = 0;
  private connectingCount = 0;
  private consecutiveFailures = 0;
  private lastFailure: Error | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private startCallback: ((error: Error | null) => void) | null = null;
  private shutDown = false;

  constructor(options: PoolOptions) {
    this.authority = options.authority;
    this.strategy = options.strategy ?? 'SHARED_POOL';
    this.allocator = this.strategy === 'OPEN_ON_REQUEST' || this.strategy === 'ALWAYS_NEW';
    this.size = options.size;
    this.pipeliningLimit = Math.max(1, options.pipeliningLimit ?? 1);
    this.maxHeadBytes = options.maxHeadBytes;
    this.protocol = chooseProtocol(options.secure, options.allowHttp1x ?? true, options.allowHttp2 ?? false);
    this.maxHttp2Streams = Math.max(1, options.maxHttp2Streams ?? 100);
    const http2 = this.protocol !== 'http1';
    this.stats = new ConnectionPoolStats(options.authority, options.secure ? (http2 ? 'TLS + HTTP 2' : 'TLS + HTTP 1.x') : http2 ? 'HTTP 2' : 'HTTP 1.x');
    this.startFailureLimit = options.startFailureLimit ?? Math.max(10, options.size.core);
    this.retryInitialMs = options.retryInitialMs ?? 50;
    this.retryMaxMs = options.retryMaxMs ?? 1000;
    const addresses = options.addresses !== undefined && options.addresses.length > 0 ? options.addresses : [{ host: options.host, port: options.port }];
    this.targets = addresses.map((a) => ({
      host: a.host,
      port: a.port,
      secure: options.secure,
      servername: options.host,
      tls: options.tls,
      connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
      tlsHandshakeTimeoutMs: options.tlsHandshakeTimeoutMs ?? 10_000,
    }));
    this.addressLoad = new Int32Array(this.targets.length);
  }

  /** One line per connection (for `GET /run/{id}/connections`): address, state and requests in flight. */
  describeConnections(): string[] {
    const lines: string[] = [];
    for (const c of this.all) {
      const address = this.targets[c.addressIndex];
      const remote = address === undefined ? '?' : `${address.host}:${address.port}`;
      const state = this.pending.has(c) ? 'connecting' : c.isOpen ? (c.inFlight > 0 ? 'in use' : 'idle') : 'closed';
      lines.push(`${this.authority} ${remote} ${state}, ${c.inFlight} request${c.inFlight === 1 ? '' : 's'} in flight`);
    }
    return lines;
  }

  /** Open connections. */

  get openConnections(): number {
    return this.openCount;
  }

  /** Connections being opened. */
  get connectingConnections(): number {
    return this.connectingCount;
  }

  /** Sessions waiting in `acquire`. */
  get waitingSessions(): number {
    return this.waiters.size + this.pending.size;
  }

  /** Open connections per address (same order as `addresses`). */
  connectionsPerAddress(): number[] {
    const counts = new Array<number>(this.targets.length).fill(0);
    for (const c of this.all) if (c.isOpen) counts[c.addressIndex]!++;
    return counts;
  }

  /**
   * Opens the `core` connections. `callback(null)` once they are all open, or `callback(error)` when
   * `startFailureLimit` consecutive attempts failed (the pool keeps retrying in the background).
   */
  start(callback: (error: Error | null) => void): void {
    if (this.allocator || this.size.core === 0) {
      process.nextTick(callback, null);
      return;
    }
    this.startCallback = callback;
    this.checkCreate();
    if (this.size.keepAliveTimeMs > 0 && this.keepAliveTimer === null) {
      const periodMs = Math.max(10, Math.min(1000, Math.floor(this.size.keepAliveTimeMs / 2)));
      this.keepAliveTimer = setInterval(this.closeIdleConnections, periodMs);
      this.keepAliveTimer.unref();
    }
  }

  /** What a session uses to get connections: itself for SHARED_POOL/ALWAYS_NEW, a session-local pool otherwise. */
  forSession(): ConnectionSource {
    if (this.strategy === 'SESSION_POOLS') return new SessionConnections(this, false);
    if (this.strategy === 'OPEN_ON_REQUEST') return new SessionConnections(this, true);
    return this;
  }

  acquire(waiter: PoolWaiter): PooledConnection | null {
    if (this.allocator) {
      this.openForSession(waiter, null);
      return null;
    }
    return this.acquireShared(waiter, null);
  }

  acquireForSession(waiter: PoolWaiter, session: SessionConnections): PooledConnection | null {
    const c = this.acquireShared(waiter, session);
    if (c !== null) session.adopt(c);
    return c;
  }

  cancelWait(waiter: PoolWaiter): boolean {
    const n = this.waiters.indexOf(waiter);
    if (n >= 0) {
      this.waiters.removeAt(n);
      this.stats.blockedSessions.decrement();
      return true;
    }
    for (const entry of this.pending.values()) {
      if (entry.waiter === waiter) {
        entry.waiter = null; // the connection is closed when it opens
        this.stats.blockedSessions.decrement();
        return true;
      }
    }
    return false;
  }

  releaseSession(): void {
    // Pool-wide strategies keep nothing per session.
  }

  returnConnection(connection: PooledConnection): void {
    connection.owner = this;
    if (connection.isOpen) this.onSlotFreed(connection);
  }

  openForSession(waiter: PoolWaiter, session: SessionConnections | null): void {
    if (this.shutDown) {
      process.nextTick(failWaiterLater, waiter, 'closed', new Error(`connection pool for ${this.authority} is shut down`));
      return;
    }
    this.stats.blockedSessions.increment();
    const c = this.openConnection();
    this.pending.set(c, { waiter, session });
  }

  /** Closes every connection (in-flight requests fail with `closed`) and fails waiting sessions with `closed`. */
  shutdown(): void {
    if (this.shutDown) return;
    this.shutDown = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.keepAliveTimer !== null) clearInterval(this.keepAliveTimer);
    this.retryTimer = null;
    this.keepAliveTimer = null;
    const error = new Error(`connection pool for ${this.authority} is shut down`);
    this.failWaiters('closed', error);
    for (const c of [...this.all]) c.close();
    if (this.startCallback !== null) {
      const callback = this.startCallback;
      this.startCallback = null;
      callback(error);
    }
  }

  // ---- shared pool ----

  private acquireShared(waiter: PoolWaiter, session: SessionConnections | null): PooledConnection | null {
    if (this.shutDown) {
      process.nextTick(failWaiterLater, waiter, 'closed', new Error(`connection pool for ${this.authority} is shut down`));
      return null;
    }
    // Sessions already waiting go first.
    if (this.waiters.size === 0) {
      const c = this.takeFree(session !== null);
      if (c !== null) {
        c.reserved++;
        // A shared connection with slots left stays available (at the back: spread the load).
        if (session === null && c.busy < c.pipeliningLimit) this.partial.pushBack(c);
        this.checkCreate();
        return c;
      }
    }
    this.waiters.push(waiter, session, session !== null);
    this.stats.blockedSessions.increment();
    this.checkCreate();
    return null;
  }

  // An open connection with a free slot (fully idle when `exclusive`), removed from its list.
  private takeFree(exclusive: boolean): PooledConnection | null {
    for (;;) {
      const c = this.idle.popFront();
      if (c === null) break;
      if (c.isOpen) return c;
    }
    if (exclusive) return null;
    for (;;) {
      const c = this.partial.popFront();
      if (c === null) return null;
      if (c.isOpen) return c;
    }
  }

  onSlotFreed(connection: PooledConnection): void {
    if (this.allocator) {
      // ALWAYS_NEW (and OPEN_ON_REQUEST used without a session pool): one request per connection.
      connection.close();
      return;
    }
    // Hand the connection to waiting sessions first (FIFO), as long as it has free slots.
    while (this.waiters.size > 0 && connection.isOpen && connection.owner === this && connection.busy < connection.pipeliningLimit) {
      const n = this.waiters.firstEligible(connection.busy === 0);
      if (n < 0) break;
      const waiter = this.waiters.waiterAt(n);
      const session = this.waiters.sessionAt(n);
      this.waiters.removeAt(n);
      this.stats.blockedSessions.decrement();
      if (connection.listId === LIST_IDLE) this.idle.remove(connection);
      else if (connection.listId === LIST_PARTIAL) this.partial.remove(connection);
      connection.reserved++;
      if (session !== null) session.adopt(connection);
      waiter.onConnectionAvailable(connection);
    }
    this.relist(connection);
  }

  // Puts an open, pool-owned connection in the list matching its free slots.
  private relist(c: PooledConnection): void {
    if (c.listId === LIST_IDLE) this.idle.remove(c);
    else if (c.listId === LIST_PARTIAL) this.partial.remove(c);
    if (!c.isOpen || c.owner !== this) return;
    const busy = c.busy;
    if (busy === 0) this.idle.pushFront(c);
    else if (busy < c.pipeliningLimit) this.partial.pushBack(c);
  }

  private checkCreate(): void {
    if (this.shutDown || this.allocator || this.retryTimer !== null) return;
    const { core, max, buffer } = this.size;
    const total = this.openCount + this.connectingCount;
    let wanted = core - total;
    if (wanted < 0) wanted = 0;
    if (buffer > 0) {
      const free = this.idle.size + this.partial.size + this.connectingCount + wanted;
      if (free < buffer) wanted += buffer - free;
    }
    if (total + wanted > max) wanted = max - total;
    for (let i = 0; i < wanted; i++) this.openConnection();
  }

  private openConnection(): PooledConnection {
    // Least-loaded address, so connections are spread evenly over `addresses`.
    let index = 0;
    for (let i = 1; i < this.addressLoad.length; i++) if (this.addressLoad[i]! < this.addressLoad[index]!) index = i;
    this.addressLoad[index]!++;
    this.connectingCount++;
    const target = this.targets[index]!;
    const c: PooledConnection =
      this.protocol === 'http1'
        ? this.http1Connection(target, undefined)
        : new H2Connection(target, this, this, this.stats, {
            maxStreams: this.maxHttp2Streams,
            offerHttp1: this.protocol === 'alpn',
            ...(this.maxHeadBytes === undefined ? {} : { maxHeaderListBytes: this.maxHeadBytes }),
          });
    c.addressIndex = index;
    this.all.add(c);
    return c;
  }

  private http1Connection(target: ConnectTarget, socket: tls.TLSSocket | undefined): Http1Connection {
    return new Http1Connection(target, this, this, this.stats, {
      pipeliningLimit: this.pipeliningLimit,
      ...(this.maxHeadBytes === undefined ? {} : { maxHeadBytes: this.maxHeadBytes }),
      ...(socket === undefined ? {} : { socket }),
    });
  }

  onHttp1Selected(connection: H2Connection, socket: tls.TLSSocket): void {
    // The server speaks HTTP/1.1: this pool does from now on, starting on the socket just secured.
    this.protocol = 'http1';
    this.stats.kind = 'TLS + HTTP 1.x';
    const c = this.http1Connection(this.targets[connection.addressIndex]!, socket);
    c.addressIndex = connection.addressIndex;
    connection.forwardReadsTo(c.onRead);
    this.all.delete(connection);
    this.all.add(c);
    const pending = this.pending.get(connection);
    if (pending !== undefined) {
      this.pending.delete(connection);
      this.pending.set(c, pending);
    }
  }

  // ---- connection life cycle ----

  onConnectionReady(connection: PooledConnection): void {
    this.connectingCount--;
    this.openCount++;
    this.stats.openConnections.increment();
    this.stats.connectionsOpened++;
    this.consecutiveFailures = 0;
    const pending = this.pending.get(connection);
    if (pending !== undefined) {
      this.pending.delete(connection);
      const waiter = pending.waiter;
      if (waiter === null || this.shutDown) {
        connection.close();
        return;
      }
      this.stats.blockedSessions.decrement();
      connection.reserved++;
      if (pending.session !== null) pending.session.adopt(connection);
      waiter.onConnectionAvailable(connection);
      return;
    }
    if (this.shutDown) {
      connection.close();
      return;
    }
    this.onSlotFreed(connection);
    if (this.startCallback !== null && this.openCount >= this.size.core) {
      const callback = this.startCallback;
      this.startCallback = null;
      callback(null);
    }
    this.checkCreate();
  }

  onConnectionFailed(connection: PooledConnection, kind: FailureKind, error: Error): void {
    this.connectingCount--;
    this.addressLoad[connection.addressIndex]!--;
    this.all.delete(connection);
    if (!this.shutDown) {
      this.stats.connectFailures++;
      this.consecutiveFailures++;
      this.lastFailure = error;
    }
    const pending = this.pending.get(connection);
    if (pending !== undefined) {
      // A connection opened for one request: that request gets the failure.
      this.pending.delete(connection);
      if (pending.waiter !== null) {
        this.stats.blockedSessions.decrement();
        pending.waiter.onConnectionFailed(kind, error);
      }
      return;
    }
    if (this.shutDown) return;
    if (this.startCallback !== null && this.consecutiveFailures >= this.startFailureLimit) {
      const callback = this.startCallback;
      this.startCallback = null;
      let message = `Cannot connect to ${this.authority}: ${this.openCount} connections open, ${this.consecutiveFailures} consecutive failures (last: ${error.message}).`;
      if (this.openCount > 0) message += ' Hint: either configure the server to accept more connections or reduce http.sharedConnections.';
      callback(new Error(message, { cause: error }));
    }
    // Nothing open to serve the waiting sessions: they fail now rather than wait for a recovery.
    if (this.openCount === 0) this.failWaiters(kind, error);
    this.scheduleRetry();
  }

  onConnectionClosed(connection: PooledConnection): void {
    this.openCount--;
    this.stats.openConnections.decrement();
    this.addressLoad[connection.addressIndex]!--;
    this.all.delete(connection);
    if (connection.listId === LIST_IDLE) this.idle.remove(connection);
    else if (connection.listId === LIST_PARTIAL) this.partial.remove(connection);
    if (!this.shutDown) this.checkCreate();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null || this.shutDown) return;
    const exponent = Math.min(this.consecutiveFailures - 1, 20);
    const delayMs = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** exponent);
    // Not unref'd: a pool that is still trying to connect must keep the process alive.
    this.retryTimer = setTimeout(this.onRetry, delayMs);
  }

  private readonly onRetry = (): void => {
    this.retryTimer = null;
    this.checkCreate();
  };

  private failWaiters(kind: FailureKind, error: Error): void {
    // Only those waiting now: a waiter may queue again from inside its callback.
    let count = this.waiters.size;
    while (count-- > 0 && this.waiters.size > 0) {
      const waiter = this.waiters.waiterAt(0);
      this.waiters.removeAt(0);
      this.stats.blockedSessions.decrement();
      try {
        waiter.onConnectionFailed(kind, error);
      } catch {
        // A waiter that throws is not our concern; the others must still be told.
      }
    }
  }

  private readonly closeIdleConnections = (): void => {
    const limitMs = this.size.keepAliveTimeMs;
    const now = nowMs();
    const expired: PooledConnection[] = [];
    this.idle.forEach((c) => {
      if (c.busy === 0 && now - c.lastUsedMs > limitMs) expired.push(c);
    });
    for (const c of expired) c.close();
  };

  /** The last connect failure, for diagnostics. */
  get lastConnectFailure(): Error | null {
    return this.lastFailure;
  }
}
