// An intrusive doubly-linked list of connections (uses the connection's listPrev/listNext/listId):
// O(1) push, pop and removal from the middle, no allocation.

import type { PooledConnection } from './pooled-connection.js';

export class ConnectionList {
  readonly id: number;
  size = 0;
  private head: PooledConnection | null = null;
  private tail: PooledConnection | null = null;

  /** `id` must be unique among the lists a connection can be in (0 means "in no list"). */
  constructor(id: number) {
    this.id = id;
  }

  pushFront(c: PooledConnection): void {
    c.listId = this.id;
    c.listPrev = null;
    c.listNext = this.head;
    if (this.head !== null) this.head.listPrev = c;
    else this.tail = c;
    this.head = c;
    this.size++;
  }

  pushBack(c: PooledConnection): void {
    c.listId = this.id;
    c.listNext = null;
    c.listPrev = this.tail;
    if (this.tail !== null) this.tail.listNext = c;
    else this.head = c;
    this.tail = c;
    this.size++;
  }

  popFront(): PooledConnection | null {
    const c = this.head;
    if (c !== null) this.remove(c);
    return c;
  }

  /** Removes `c`, which must be in this list. */
  remove(c: PooledConnection): void {
    const prev = c.listPrev;
    const next = c.listNext;
    if (prev !== null) prev.listNext = next;
    else this.head = next;
    if (next !== null) next.listPrev = prev;
    else this.tail = prev;
    c.listPrev = null;
    c.listNext = null;
    c.listId = 0;
    this.size--;
  }

  /** Calls `fn` for each connection (the list must not change meanwhile). */
  forEach(fn: (c: PooledConnection) => void): void {
    for (let c = this.head; c !== null; c = c.listNext) fn(c);
  }
}
