import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sliceForAgent, sliceInt, sliceMaxSessions, sliceRate, sliceSharedConnections } from './slice.js';

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const parts = (total: number, weights: number[], f = sliceInt): number[] => weights.map((_, i) => f(total, i, weights));

describe('slicing among agents and threads', () => {
  it('splits whole numbers so that the parts add up exactly and each is within 1 of its proportional share', () => {
    const weightSets = [[1], [1, 1], [1, 1, 1], [1, 2, 3], [4, 1], [2, 2, 2, 2, 2, 2, 2], [16, 1, 7]];
    for (const weights of weightSets) {
      for (let total = 0; total <= 200; total++) {
        const split = parts(total, weights);
        assert.equal(sum(split), total, `total ${total} over [${weights}]`);
        split.forEach((part, i) => {
          const exact = (total * (weights[i] as number)) / sum(weights);
          assert.ok(Math.abs(part - exact) < 1, `part ${i} of ${total} over [${weights}] is ${part}, exact ${exact}`);
        });
      }
    }
  });

  it('gives agents with more threads proportionally more, like Hyperfoil: 10 over three equal agents is 3, 3, 4', () => {
    assert.deepEqual(parts(10, [1, 1, 1], sliceForAgent), [3, 3, 4]);
    assert.deepEqual(parts(12, [1, 2, 3], sliceForAgent), [2, 4, 6]);
  });

  it('splits rates in exact proportion', () => {
    const rates = [1, 2, 3].map((_, i) => sliceRate(100, i, [1, 2, 3]));
    assert.ok(Math.abs(sum(rates) - 100) < 1e-9);
    assert.ok(Math.abs((rates[2] as number) - 50) < 1e-9);
  });

  it('keeps at least one session per agent even when there are fewer sessions than agents', () => {
    assert.deepEqual(parts(1, [1, 1, 1], sliceMaxSessions), [1, 1, 1]);
    assert.deepEqual(parts(9, [1, 1, 1], sliceMaxSessions), [3, 3, 3]);
  });

  it('splits connections per executor with at least one each; zero core and buffer stay zero', () => {
    const pool = { core: 10, max: 10, buffer: 0, keepAliveTimeMs: 5000 };
    const split = [0, 1, 2, 3].map((i) => sliceSharedConnections(pool, i, [1, 1, 1, 1]));
    assert.equal(sum(split.map((p) => p.max)), 10);
    assert.equal(sum(split.map((p) => p.core)), 10);
    assert.ok(split.every((p) => p.buffer === 0 && p.keepAliveTimeMs === 5000));
    const scarce = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => sliceSharedConnections({ ...pool, core: 3, max: 5, buffer: 2 }, i, new Array(8).fill(1)));
    assert.ok(scarce.every((p) => p.max === 1 && p.core <= p.max && p.buffer <= p.max && p.core >= 0));
    // An agent with 4 threads gets at least 4 connections, one per thread.
    assert.equal(sliceSharedConnections({ ...pool, max: 2, core: 2 }, 0, [4, 4], 4).max, 4);
  });

  it('rejects an index outside the weights and weights that are not whole numbers ≥ 1', () => {
    assert.throws(() => sliceInt(10, 3, [1, 1]), RangeError);
    assert.throws(() => sliceInt(10, 0, [0, 1]), RangeError);
    assert.throws(() => sliceRate(10, -1, [1]), RangeError);
  });
});
