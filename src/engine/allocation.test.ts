import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EngineWorker } from './worker.js';
import { SOLO_WORKER } from './identity.js';
import { always, benchmark, ManualClock, phase, spec, steps, testRegistry } from './testing/index.js';

test('session lifecycles allocate next to nothing (bytes allocated in new space per start-run-complete)', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const newSpaceUsed = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
  // Real-clock-sized timestamps (> 2^31 ns), so ns values are not small integers.
  const clock = new ManualClock(5e12);
  const worker = new EngineWorker({
    benchmark: benchmark([phase('p', always(1000), steps(spec('test.delay', { durationMs: 1 }), spec('noop')))]),
    identity: SOLO_WORKER, onStatus: () => {}, clock, registry: testRegistry(),
  });
  worker.command('p', 'RUN');
  clock.advanceBy(100e6); // warm up: pools, queues and the heap of the scheduler reach their working size
  // Until V8 has optimised the hot functions (on a background thread: later when the machine is busy), unoptimised
  // code boxes doubles such as ns timestamps. The steady state is what matters, so measure a few rounds and keep
  // the best; an allocation in the code itself shows in every round.
  let bytes = Number.POSITIVE_INFINITY;
  let lifecycles = 0;
  for (let round = 0; round < 5 && bytes / Math.max(1, lifecycles) >= 8; round++) {
    gc();
    const before = newSpaceUsed();
    const finishedBefore = worker.counters('p').finished;
    clock.advanceBy(20e6);
    bytes = newSpaceUsed() - before;
    lifecycles = worker.counters('p').finished - finishedBefore;
  }
  worker.close();
  assert.equal(lifecycles, 20_000);
  // Measured ≈ 1 B per lifecycle (the virtual clock's own per-tick arrays). One object, closure or array growth
  // per session start would cost ≥ 16 B each; 8 B catches any of them (20 000 × 16 B = 320 KB stays far below
  // one semi-space, so no scavenge hides it).
  assert.ok(bytes / lifecycles < 8, `${(bytes / lifecycles).toFixed(1)} B per session lifecycle`);
});
