import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PoolWaiter } from './handler.js';
import { WaiterQueue } from './waiter-queue.js';

const waiter = (name: string): PoolWaiter => ({ name, onConnectionAvailable() {}, onConnectionFailed() {} }) as PoolWaiter & { name: string };
const nameOf = (w: PoolWaiter): string => (w as PoolWaiter & { name: string }).name;

function drain(queue: WaiterQueue): string[] {
  const out: string[] = [];
  while (queue.size > 0) {
    const n = queue.firstEligible(true);
    out.push(nameOf(queue.waiterAt(n)));
    queue.removeAt(n);
  }
  return out;
}

describe('WaiterQueue', () => {
  it('keeps FIFO order when entries are removed from the middle, the ends and across growth', () => {
    const queue = new WaiterQueue(4);
    const all = 'abcdefghij'.split('').map(waiter);
    for (const w of all.slice(0, 6)) queue.push(w, null, false);
    queue.removeAt(queue.indexOf(all[2]!)); // c: a hole in the middle
    queue.removeAt(queue.indexOf(all[5]!)); // f: the last one
    queue.removeAt(queue.indexOf(all[0]!)); // a: the first one
    assert.equal(queue.size, 3);
    assert.equal(nameOf(queue.waiterAt(0)), 'b', 'position 0 is always a live entry');
    for (const w of all.slice(6)) queue.push(w, null, false); // grows past 4 with a hole inside
    assert.equal(queue.indexOf(all[2]!), -1);
    assert.deepEqual(drain(queue), ['b', 'd', 'e', 'g', 'h', 'i', 'j']);
    assert.equal(queue.firstEligible(true), -1);
  });

  it('skips holes and exclusive waiters when the connection is busy', () => {
    const queue = new WaiterQueue(8);
    const [a, b, c] = ['a', 'b', 'c'].map(waiter) as [PoolWaiter, PoolWaiter, PoolWaiter];
    queue.push(a, null, true);
    queue.push(b, null, false);
    queue.push(c, null, false);
    queue.removeAt(queue.indexOf(b));
    assert.equal(nameOf(queue.waiterAt(queue.firstEligible(false))), 'c', 'a is exclusive and b is gone');
    assert.equal(nameOf(queue.waiterAt(queue.firstEligible(true))), 'a');
  });

  it('cancels 50,000 waiters in any order and is empty and reusable afterwards', () => {
    const queue = new WaiterQueue();
    const waiters = Array.from({ length: 50_000 }, (_, i) => waiter(String(i)));
    for (const w of waiters) queue.push(w, null, false);
    // Every other one first, then the rest from the back: holes everywhere, each removal O(1).
    for (let i = 1; i < waiters.length; i += 2) queue.removeAt(queue.indexOf(waiters[i]!));
    assert.equal(queue.size, 25_000);
    for (let i = waiters.length - 2; i >= 0; i -= 2) queue.removeAt(queue.indexOf(waiters[i]!));
    assert.equal(queue.size, 0);
    queue.push(waiters[7]!, null, false);
    assert.deepEqual(drain(queue), ['7']);
  });
});
