import { test } from 'node:test';
import assert from 'node:assert/strict';
import { steadyStateAllocation } from '../testing/index.js';
import { runScenario } from './test-support.js';

// The stopwatch is left out: its steps allocate nothing, but recording into the statistics layer
// (StatsRecorder.recordResponse) currently costs ~16 B per call.
test('variable, random, condition, timing and shared-counter steps allocate next to nothing per session lifecycle', () => {
  const run = runScenario(`
- main:
  - set: label <- constant
  - setInt: n <- 1
  - addToInt: n += 2
  - randomInt: r <- 1 .. 100
  - conditional:
      intCondition: r > 50
      actions:
      - addToInt: { var: high, value: 1, orElseSetTo: 1 }
  - addToSharedCounter: starts++
  - getSharedCounter: starts
  - breakSequence:
      intCondition: n > 100
  - scheduleDelay:
      key: wake
      duration: 1ms
  - awaitDelay: wake
  - awaitInt:
      var: n
      equalTo: 3
  - unset: label
`, { model: 'always', users: 1000 });
  run.advanceMs(100); // warm up: pools, the scheduler's heap and the statistics bucket reach their working size
  const { bytes, units: lifecycles } = steadyStateAllocation(() => {
    const finishedBefore = run.worker.counters(run.phaseName).finished;
    run.advanceMs(20);
    return run.worker.counters(run.phaseName).finished - finishedBefore;
  }, 8);
  run.worker.close();
  assert.deepEqual(run.errors(), []);
  assert.equal(lifecycles, 20_000);
  // One object, closure or string per lifecycle would cost >= 16 B; 8 B catches any of them
  // (20 000 x 16 B = 320 KB stays below one semi-space, so no scavenge hides it).
  assert.ok(bytes / lifecycles < 8, `${(bytes / lifecycles).toFixed(1)} B per session lifecycle`);
});
