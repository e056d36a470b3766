import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { SOLO_WORKER } from './identity.js';
import type { PhaseStatusEvent } from './phase-runner.js';
import { EngineWorker } from './worker.js';
import { benchmark, constantRate, phase, RecordingStatsSink, spec, steps, testRegistry } from './testing/index.js';

test('real time: an open-model phase at 2000 starts/s for 1 s achieves the scheduled count', async (t) => {
  const events: PhaseStatusEvent[] = [];
  let terminated: () => void = () => {};
  const done = new Promise<void>((resolve) => { terminated = resolve; });
  const sink = new RecordingStatsSink();
  const worker = new EngineWorker({
    benchmark: benchmark([phase('p', constantRate(2000, 200), steps(spec('noop')))]),
    identity: SOLO_WORKER,
    onStatus: (event) => {
      events.push(event);
      if (event.status === 'TERMINATED') terminated();
    },
    stats: sink,
    registry: testRegistry(),
  });
  // Lateness has two causes: the scheduler, and the process not running at all (the OS gave the core to another
  // process, a GC pause). The second is measured independently, so the bounds below hold the scheduler to account
  // for its own part only.
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  stalls.enable();
  try {
    const t0 = worker.clock.nowNs();
    worker.command('p', 'RUN');
    await sleep(1000);
    const t1 = worker.clock.nowNs();
    worker.command('p', 'FINISH');
    worker.command('p', 'TRY_TERMINATE');
    const timeout = new AbortController();
    await Promise.race([done, sleep(2000, undefined, { signal: timeout.signal }).then(() => assert.fail('phase did not terminate'))]);
    timeout.abort();
    stalls.disable();
    const counters = worker.counters('p');
    // The longest time the event loop could not run (ns), from the monitor, which itself ticks every 1 ms.
    const stallNs = stalls.max;
    // Uniform arrivals at 2000/s: start i is due at i × 0.5 ms after RUN (≥ t0), so at most ⌊2000·(t1 − t0)⌋ + 1
    // are due by FINISH. Every start due more than L before FINISH has happened if the scheduler is at most L
    // late, with L = 10 ms of scheduler slack (Node's 1 ms timer granularity and batching) plus the longest stall
    // measured: at most 2000 × L due starts may be missing.
    const slackNs = 10e6 + stallNs;
    const dueByFinish = Math.floor((2000 * (t1 - t0)) / 1e9) + 1;
    assert.ok(counters.started <= dueByFinish, `started ${counters.started} > due ${dueByFinish}`);
    const mayMiss = Math.ceil((2000 * slackNs) / 1e9);
    assert.ok(counters.started >= dueByFinish - mayMiss, `started ${counters.started}, due ${dueByFinish}, stall ${stallNs / 1e6} ms`);
    assert.equal(counters.finished, counters.started);
    assert.equal(counters.throttled, 0, '200 sessions are plenty for sessions that end at once');
    assert.ok(counters.maxLatenessNs < slackNs, `max lateness ${counters.maxLatenessNs / 1e6} ms, longest stall ${stallNs / 1e6} ms`);
    assert.ok(sink.latenessNs.every((l) => l >= 0));
    assert.deepEqual(events.map((e) => e.status), ['RUNNING', 'FINISHED', ...(events.length === 4 ? ['TERMINATING'] : []), 'TERMINATED']);
    const sorted = [...sink.latenessNs].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
    // A figure, not an assertion: how late the generator was on this machine.
    t.diagnostic(`2000/s for ${((t1 - t0) / 1e9).toFixed(3)} s: started ${counters.started} of ${dueByFinish} due; `
      + `lateness mean ${(counters.meanLatenessNs / 1e6).toFixed(3)} ms, p99 ${(p99 / 1e6).toFixed(3)} ms, max ${(counters.maxLatenessNs / 1e6).toFixed(3)} ms`);
  } finally {
    stalls.disable();
    worker.close();
  }
});
