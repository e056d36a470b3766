import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestSlots } from './request-slots.js';

test('slots are handed out lowest first, released once, and a release from an earlier life is ignored', () => {
  const owner = { generation: 1, woken: 0, proceed() { this.woken++; } };
  const slots = new RequestSlots(3, owner);
  assert.deepEqual([slots.tryAcquire(), slots.tryAcquire(), slots.tryAcquire(), slots.tryAcquire()], [0, 1, 2, -1]);
  assert.equal(slots.inFlight, 3);
  slots.release(1, 1);
  assert.equal(owner.woken, 1);
  slots.release(1, 1); // already free
  assert.equal(owner.woken, 1);
  owner.generation = 2; // the session ended and was restarted; a late response of the old user arrives
  slots.release(0, 1);
  assert.equal(slots.inFlight, 2);
  assert.equal(slots.tryAcquire(), 1);
  slots.reset();
  assert.equal(slots.available, 3);
});
