// FIFO of sessions waiting for a connection, as a growable ring of parallel arrays (no per-entry objects).
//
// Removing an entry from the middle (a cancelled wait, or a waiter skipped by firstEligible) leaves a hole (a null
// waiter) instead of shifting the entries behind it: when a phase ends with tens of thousands of sessions waiting,
// cancelling them one by one was quadratic. Holes are skipped by every scan and dropped when they reach either end.
// Positions (`n`) are physical: 0 is always a live entry while the queue is not empty; `size` counts live entries.
// `indexOf` is a map lookup: each entry keeps its absolute number (pushes so far), and growing keeps the holes, so
// position = absolute number − absolute number of the head.

import type { PoolWaiter } from './handler.js';
import type { SessionConnections } from './session-connections.js';

export class WaiterQueue {
  private waiters: (PoolWaiter | null)[];
  private sessions: (SessionConnections | null)[];
  private exclusive: Uint8Array;
  private first = 0;
  /** Live entries plus holes, from `first`. */
  private used = 0;
  /** Waiting entries (holes excluded). */
  size = 0;
  /** Absolute number of the entry at `first`. */
  private headNumber = 0;
  private readonly numbers = new Map<PoolWaiter, number>();

  constructor(initialCapacity = 16) {
    this.waiters = new Array<PoolWaiter | null>(initialCapacity).fill(null);
    this.sessions = new Array<SessionConnections | null>(initialCapacity).fill(null);
    this.exclusive = new Uint8Array(initialCapacity);
  }

  push(waiter: PoolWaiter, session: SessionConnections | null, exclusive: boolean): void {
    if (this.used === this.waiters.length) this.grow();
    let i = this.first + this.used;
    if (i >= this.waiters.length) i -= this.waiters.length;
    this.waiters[i] = waiter;
    this.sessions[i] = session;
    this.exclusive[i] = exclusive ? 1 : 0;
    this.numbers.set(waiter, this.headNumber + this.used);
    this.used++;
    this.size++;
  }

  /**
   * Index (0 = oldest) of the first waiter that can use a connection: any waiter when the connection
   * is idle, otherwise the first non-exclusive one. -1 when none.
   */
  firstEligible(connectionIdle: boolean): number {
    const capacity = this.waiters.length;
    for (let n = 0; n < this.used; n++) {
      let i = this.first + n;
      if (i >= capacity) i -= capacity;
      if (this.waiters[i] !== null && (connectionIdle || this.exclusive[i] === 0)) return n;
    }
    return -1;
  }

  waiterAt(n: number): PoolWaiter {
    return this.waiters[this.slot(n)]!;
  }

  sessionAt(n: number): SessionConnections | null {
    return this.sessions[this.slot(n)]!;
  }

  /** Removes the live entry at position `n` (from firstEligible or indexOf), keeping the order of the others. */
  removeAt(n: number): void {
    const i = this.slot(n);
    const waiter = this.waiters[i];
    if (waiter === null || waiter === undefined) return;
    this.numbers.delete(waiter);
    this.waiters[i] = null;
    this.sessions[i] = null;
    this.size--;
    if (this.size === 0) {
      this.headNumber += this.used;
      this.first = 0;
      this.used = 0;
      return;
    }
    // Drop holes at both ends so that position 0 is live and scans stay short.
    const capacity = this.waiters.length;
    while (this.waiters[this.first] === null) {
      this.first = this.first + 1 === capacity ? 0 : this.first + 1;
      this.used--;
      this.headNumber++;
    }
    while (this.waiters[this.slot(this.used - 1)] === null) this.used--;
  }

  indexOf(waiter: PoolWaiter): number {
    const number = this.numbers.get(waiter);
    if (number === undefined) return -1;
    const n = number - this.headNumber;
    return n >= 0 && n < this.used && this.waiters[this.slot(n)] === waiter ? n : -1;
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
    // Holes are copied too: positions (and so the absolute numbers) stay valid.
    for (let n = 0; n < this.used; n++) {
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
