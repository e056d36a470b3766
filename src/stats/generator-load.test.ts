import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHistogram } from './hdr-encoding.js';
import { countAbove, GeneratorLoad, MIN_LATE_SAMPLES } from './generator-load.js';
import { StatsSnapshot } from './snapshot.js';

const MS = 1e6;

function histogram(values: ReadonlyArray<[number, number]>): Uint8Array {
  const snapshot = new StatsSnapshot('int32');
  for (const [valueNs, count] of values) for (let i = 0; i < count; i++) snapshot.recordResponse(valueNs);
  return encodeHistogram(snapshot.histogram);
}

const NONE = histogram([]);

describe('GeneratorLoad', () => {
  it('flags a phase whose p99 lateness is above 10 ms with enough late starts, merging every thread', () => {
    const load = new GeneratorLoad();
    // Two threads: 980 on-time starts and 20 starts 50 ms late → 2 % late, p99 = 50 ms.
    load.add('test', { lateness: histogram([[0.2 * MS, 490], [50 * MS, 10]]), loopLag: NONE, throttledStarts: 0, droppedStarts: 0 });
    load.add('test', { lateness: histogram([[0.2 * MS, 490], [50 * MS, 10]]), loopLag: NONE, throttledStarts: 0, droppedStarts: 0 });
    const summary = load.summary('test')!;
    assert.equal(summary.scheduledStarts, 1000);
    assert.equal(summary.lateStarts, 20);
    assert.ok(Math.abs(summary.latenessP99 - 50 * MS) < 0.01 * 50 * MS);
    assert.equal(summary.saturated, true);
    assert.match(summary.reasons.join(), /p99 lateness of scheduled starts 50\.\d ms > 10\.0 ms \(20 late starts\)/);
    assert.equal(load.saturated(), true);
  });

  it('does not condemn a short phase for one hiccup: the p99 criterion needs MIN_LATE_SAMPLES late starts', () => {
    const load = new GeneratorLoad();
    load.add('short', { lateness: histogram([[0.5 * MS, 20], [15 * MS, MIN_LATE_SAMPLES - 1]]), loopLag: NONE, throttledStarts: 0, droppedStarts: 0 });
    const summary = load.summary('short')!;
    assert.ok(summary.latenessP99 > 10 * MS, 'p99 is over the limit…');
    assert.equal(summary.saturated, false, '…but with too few late starts to mean anything');
  });

  it('flags throttled or dropped starts and event-loop lag, and leaves warm-up phases out of the verdict', () => {
    const load = new GeneratorLoad();
    load.add('warmup', { lateness: NONE, loopLag: NONE, throttledStarts: 3, droppedStarts: 0 });
    load.add('steady', { lateness: histogram([[0.1 * MS, 100]]), loopLag: histogram([[1 * MS, 500], [40 * MS, 12]]), throttledStarts: 0, droppedStarts: 0 });
    load.add('ok', { lateness: histogram([[0.1 * MS, 100]]), loopLag: histogram([[1 * MS, 500]]), throttledStarts: 0, droppedStarts: 0 });
    assert.deepEqual(load.summary('warmup')!.reasons, ['3 starts waited for a free session']);
    assert.match(load.summary('steady')!.reasons.join(), /p99 event-loop lag of the load threads 40\.\d ms > 10\.0 ms \(12 samples\)/);
    assert.equal(load.summary('ok')!.saturated, false);
    const json = load.json((phase) => phase === 'warmup') as { saturated: boolean; phases: Array<{ phase: string; isWarmup: boolean }> };
    assert.equal(json.saturated, true, 'steady is saturated');
    assert.equal(load.saturated((phase) => phase === 'ok'), false);
    assert.deepEqual(json.phases.map((p) => [p.phase, p.isWarmup]), [['warmup', true], ['steady', false], ['ok', false]]);
  });

  it('counts samples above a limit bucket by bucket', () => {
    const snapshot = new StatsSnapshot('int32');
    for (let i = 0; i < 7; i++) snapshot.recordResponse(9 * MS);
    for (let i = 0; i < 3; i++) snapshot.recordResponse(11 * MS);
    assert.equal(countAbove(snapshot, 10 * MS), 3);
    assert.equal(countAbove(snapshot, 20 * MS), 0);
    assert.equal(countAbove(new StatsSnapshot('int32'), 0), 0);
  });
});
