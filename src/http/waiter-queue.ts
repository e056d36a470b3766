// FIFO of sessions waiting for a connection, as a growable ring of parallel arrays (no per-entry objects).

import type { PoolWaiter } from './handler.js';
import type { SessionConnections } from './session-connections.js';

export class WaiterQueue {
  private waiters: (PoolWaiter | null)[];
  private sessions: (SessionConnections | null)[];
  private exclusive: Uint8Array;
  private first = 0;
  size = 0;

  constructor(initialCapacity = 16) {
    this.waiters = new Array<PoolWaiter | null>(initialCapacity).fill(null);
    this.sessions = new Array<SessionConnections | null>(initialCapacity).fill(null);
    this.exclusive = new Uint8Array(initialCapacity);
  }

  push(waiter: PoolWaiter, session: SessionConnections | null, exclusive: boolean): void {
    if (this.size === this.waiters.length) this.grow();
    let i = this.first + this.size;
    if (i >= this.waiters.length) i -= this.waiters.length;
    this.waiters[i] = waiter;
    this.sessions[i] = session;
    this.exclusive[i] = exclusive ? 1 : 0;
    this.size++;
  }

  /**
   * Index (0 = oldest) of the first waiter that can use a connection: any waiter when the connection
   * is idle, otherwise the first non-exclusive one. -1 when none.
   */
  firstEligible(connectionIdle: boolean): number {
    const capacity = this.waiters.length;
    for (let n = 0; n < this.size; n++) {
      let i = this.first + n;
      if (i >= capacity) i -= capacity;
      if (connectionIdle || this.exclusive[i] === 0) return n;
    }
    return -1;
  }

  waiterAt(n: number): PoolWaiter {
    return this.waiters[this.slot(n)]!;
  }

  sessionAt(n: number): SessionConnections | null {
    return this.sessions[this.slot(n)]!;
  }

  /** Removes the n-th oldest entry, keeping the order of the others. */
  removeAt(n: number): void {
    const capacity = this.waiters.length;
    if (n === 0) {
      this.waiters[this.first] = null;
      this.sessions[this.first] = null;
      this.first = this.first + 1 === capacity ? 0 : this.first + 1;
      this.size--;
      return;
    }
    for (let k = n; k < this.size - 1; k++) {
      const to = this.slot(k);
      const from = this.slot(k + 1);
      this.waiters[to] = this.waiters[from]!;
      this.sessions[to] = this.sessions[from]!;
      this.exclusive[to] = this.exclusive[from]!;
    }
    const last = this.slot(this.size - 1);
    this.waiters[last] = null;
    this.sessions[last] = null;
    this.size--;
  }

  indexOf(waiter: PoolWaiter): number {
    for (let n = 0; n < this.size; n++) if (this.waiters[this.slot(n)] === waiter) return n;
    return -1;
  }

  private slot(n: number): number {
    const i = this.first + n;
    return i >= this.waiters.length ? i - this.waiters.length : i;
  }

  private grow(): void {
    const capacity = this.waiters.length * 2;
    const waiters = new Array<PoolWaiter | null>(capacity).fill(null);
    const sessions = new Array<SessionConnections | null>(capacity).fill(null);
    const exclusive = new Uint8Array(capacity);
    for (let n = 0; n < this.size; n++) {
      const i = this.slot(n);
      waiters[n] = this.waiters[i]!;
      sessions[n] = this.sessions[i]!;
      exclusive[n] = this.exclusive[i]!;
    }
    this.waiters = waiters;
    this.sessions = sessions;
    this.exclusive = exclusive;
    this.first = 0;
  }
}
