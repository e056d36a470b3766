import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineWorker } from './worker.js';
import { SOLO_WORKER } from './identity.js';
import { always, benchmark, ManualClock, phase, spec, steadyStateAllocation, steps, testRegistry } from './testing/index.js';

test('session lifecycles allocate next to nothing (bytes allocated in new space per start-run-complete)', () => {
  // Real-clock-sized timestamps (> 2^31 ns), so ns values are not small integers.
  const clock = new ManualClock(5e12);
  const worker = new EngineWorker({
    benchmark: benchmark([phase('p', always(1000), steps(spec('test.delay', { durationMs: 1 }), spec('noop')))]),
    identity: SOLO_WORKER, onStatus: () => {}, clock, registry: testRegistry(),
  });
  worker.command('p', 'RUN');
  clock.advanceBy(100e6); // warm up: pools, queues and the heap of the scheduler reach their working size
  const { bytes, units: lifecycles } = steadyStateAllocation(() => {
    const finishedBefore = worker.counters('p').finished;
    clock.advanceBy(20e6);
    return worker.counters('p').finished - finishedBefore;
  }, 8);
  worker.close();
  assert.equal(lifecycles, 20_000);
  // Measured ≈ 1 B per lifecycle (the virtual clock's own per-tick arrays). One object, closure or array growth
  // per session start would cost ≥ 16 B each; 8 B catches any of them (20 000 × 16 B = 320 KB stays far below
  // one semi-space, so no scavenge hides it).
  assert.ok(bytes / lifecycles < 8, `${(bytes / lifecycles).toFixed(1)} B per session lifecycle`);
});
