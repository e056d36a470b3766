import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FIRST_BLOCK_MS, FREE_FAILURES, GuessThrottle, MAX_BLOCK_MS } from './guess-throttle.js';
import { HttpError } from './http-error.js';

/** The status and Retry-After `admit` answers at this moment (200: admitted). */
function admitted(throttle: GuessThrottle, address: string): { status: number; retryAfter?: string } {
  try {
    throttle.admit(address);
    return { status: 200 };
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return { status: error.status, ...(error.headers['Retry-After'] !== undefined ? { retryAfter: error.headers['Retry-After'] } : {}) };
  }
}

describe('password guess throttle (a clock under test control)', () => {
  it('lets the first failures through, then blocks for doubling times up to the cap', () => {
    let nowMs = 1_000_000;
    const throttle = new GuessThrottle(() => nowMs);
    for (let i = 0; i < FREE_FAILURES - 1; i++) {
      assert.equal(admitted(throttle, 'a').status, 200);
      throttle.failed('a');
    }
    assert.equal(admitted(throttle, 'a').status, 200);
    const blocks: number[] = [];
    for (let i = 0; i < 10; i++) {
      throttle.failed('a');
      const blocked = admitted(throttle, 'a');
      assert.equal(blocked.status, 429);
      let waitedMs = 0;
      while (admitted(throttle, 'a').status === 429) {
        nowMs += 100;
        waitedMs += 100;
      }
      blocks.push(waitedMs);
    }
    assert.deepEqual(blocks, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60].map((s) => Math.min(MAX_BLOCK_MS, s * FIRST_BLOCK_MS)));
  });

  it('answers Retry-After in whole seconds, forgets an address on success, and keeps addresses apart', () => {
    let nowMs = 0;
    const throttle = new GuessThrottle(() => nowMs);
    for (let i = 0; i < FREE_FAILURES + 1; i++) throttle.failed('a');
    nowMs += 300;
    assert.deepEqual(admitted(throttle, 'a'), { status: 429, retryAfter: '2' }); // 2 s block, 1.7 s left → 2
    assert.equal(admitted(throttle, 'b').status, 200, 'another address is not affected');
    nowMs += 2000;
    throttle.succeeded('a');
    throttle.failed('a');
    assert.equal(admitted(throttle, 'a').status, 200, 'a success starts the count again');
  });

  it('keeps a bounded number of addresses', () => {
    const throttle = new GuessThrottle(() => 0);
    for (let i = 0; i < 12_000; i++) throttle.failed(`10.0.${i >> 8}.${i & 255}`);
    assert.equal(throttle.trackedAddresses, 10_000);
  });
});
