import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClockEstimate } from './clock-estimate.js';

describe('agent clock estimate', () => {
  it('is the least delayed message plus half the shortest round trip, whatever the delays of the others', () => {
    // The agent's clock is 250 ms ahead; one-way trips take 0.5 ms at best, round trips 1 ms at best.
    const clock = new ClockEstimate();
    const offsetMs = 250;
    const send = (controllerMs: number, delayMs: number): void => clock.stamped(controllerMs + offsetMs, controllerMs + delayMs);
    send(1000, 111); // a hello handled late on a busy controller
    clock.roundTrip(40); // a slow first ping
    assert.equal(clock.offsetMs, 250 - 111 + 20);
    send(2000, 0.5); // a heartbeat that arrived at once
    send(3000, 30);
    clock.roundTrip(1);
    clock.roundTrip(7);
    assert.equal(clock.offsetMs, 250 - 0.5 + 0.5);
    assert.equal(clock.roundTripMs, 1);
  });

  it('says 0 before anything was measured', () => {
    assert.equal(new ClockEstimate().offsetMs, 0);
    assert.equal(new ClockEstimate().roundTripMs, 0);
  });
});
