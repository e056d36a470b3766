import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeHistogramInto, StatsSnapshot } from '../stats/index.js';
import { GeneratorMonitor, LOOP_LAG_INTERVAL_MS } from './generator-monitor.js';

function decoded(bytes: Uint8Array): StatsSnapshot {
  const snapshot = new StatsSnapshot('int32');
  decodeHistogramInto(bytes, snapshot.histogram);
  return snapshot;
}

describe('GeneratorMonitor', () => {
  it('records the lateness of open-model starts only, with throttled and dropped starts, and hands them over once', () => {
    const monitor = new GeneratorMonitor([{ id: 0, open: false }, { id: 1, open: true }]);
    monitor.sessionStarted(0, 1, 0, false);
    monitor.sessionStarted(1, 1, 2e6, false);
    monitor.sessionStarted(1, 2, 30e6, true);
    monitor.startsDropped(1, 4);
    const closed = monitor.take(0)!;
    assert.equal(decoded(closed.lateness).histogram.totalCount, 0, 'closed-model starts have no schedule');
    const open = monitor.take(1)!;
    const lateness = decoded(open.lateness);
    assert.equal(lateness.histogram.totalCount, 2);
    assert.ok(Math.abs(lateness.maxNs() - 30e6) <= 30e6 * 0.01);
    assert.equal(open.throttledStarts, 1);
    assert.equal(open.droppedStarts, 4);
    const again = monitor.take(1)!;
    assert.equal(decoded(again.lateness).histogram.totalCount, 0, 'figures are handed over once');
    assert.equal(again.throttledStarts, 0);
    monitor.close();
  });

  it('samples the event-loop lag while a phase runs: a 60 ms block shows up as one sample of about 50 ms', async () => {
    const monitor = new GeneratorMonitor([{ id: 0, open: false }]);
    monitor.phaseRunning(0);
    await sleep(3 * LOOP_LAG_INTERVAL_MS);
    const blockStart = Date.now();
    while (Date.now() - blockStart < 60) { /* block the loop */ }
    await sleep(3 * LOOP_LAG_INTERVAL_MS);
    const lag = decoded(monitor.take(0)!.loopLag);
    monitor.close();
    assert.ok(lag.histogram.totalCount >= 3, `${lag.histogram.totalCount} samples`);
    // The timer due at most 10 ms into the 60 ms block fires at its end: at least 50 ms late.
    assert.ok(lag.maxNs() >= 49e6, `max lag ${lag.maxNs() / 1e6} ms`);
  });
});
