import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scheduler } from './scheduler.js';
import type { TimerTarget } from './scheduler.js';
import { ManualClock } from './testing/manual-clock.js';
import { Xoshiro128 } from './rng.js';

class Recorder implements TimerTarget {
  readonly fired: Array<{ tag: number; nowNs: number }> = [];

  onTimer(tag: number, nowNs: number): void {
    this.fired.push({ tag, nowNs });
  }
}

test('fires in due-time order, ties in scheduling order, with one underlying timer', () => {
  const clock = new ManualClock(0);
  const scheduler = new Scheduler(clock);
  const recorder = new Recorder();
  const random = new Xoshiro128(5);
  const entries: Array<{ dueNs: number; tag: number }> = [];
  for (let tag = 0; tag < 2000; tag++) {
    // Few distinct times, so many ties.
    const dueNs = 1000 * Math.floor(random.nextDouble() * 50);
    entries.push({ dueNs, tag });
    scheduler.schedule(dueNs, recorder, tag);
  }
  assert.equal(scheduler.size, 2000);
  assert.equal(clock.armedAtNs, Math.min(...entries.map((e) => e.dueNs)));
  clock.advanceTo(1_000_000);
  const expected = [...entries].sort((a, b) => a.dueNs - b.dueNs || a.tag - b.tag);
  assert.deepEqual(recorder.fired.map((f) => f.tag), expected.map((e) => e.tag));
  // Each entry fires when the clock reaches its due time, never before.
  recorder.fired.forEach((f, i) => assert.equal(f.nowNs, expected[i]!.dueNs));
  // One clock timer per distinct due time, not one per entry.
  assert.equal(clock.timerFires, new Set(entries.map((e) => e.dueNs)).size);
  assert.equal(scheduler.size, 0);
  assert.equal(clock.armedAtNs, Infinity);
});

test('an earlier entry re-arms the timer; entries scheduled while firing run in the same pass when due', () => {
  const clock = new ManualClock(0);
  const scheduler = new Scheduler(clock);
  const order: string[] = [];
  const late: TimerTarget = { onTimer: () => void order.push('late') };
  const chained: TimerTarget = { onTimer: () => void order.push('chained') };
  const early: TimerTarget = {
    onTimer(_tag, nowNs) {
      order.push('early');
      scheduler.schedule(nowNs, chained, 0); // due now: fires in this pass
    },
  };
  scheduler.schedule(5000, late, 0);
  assert.equal(clock.armedAtNs, 5000);
  scheduler.schedule(2000, early, 0);
  assert.equal(clock.armedAtNs, 2000);
  clock.advanceTo(3000);
  assert.deepEqual(order, ['early', 'chained']);
  assert.equal(clock.armedAtNs, 5000);
  clock.advanceTo(5000);
  assert.deepEqual(order, ['early', 'chained', 'late']);
});

test('a timer that fires early by the fine clock fires nothing and re-arms', () => {
  const clock = new ManualClock(0);
  const scheduler = new Scheduler(clock);
  const recorder = new Recorder();
  scheduler.schedule(10_000, recorder, 1);
  assert.equal(scheduler.runDue(9_999), 0);
  assert.equal(recorder.fired.length, 0);
  assert.equal(clock.armedAtNs, 10_000);
  assert.equal(scheduler.runDue(10_000), 1);
});

test('close drops every entry and disarms', () => {
  const clock = new ManualClock(0);
  const scheduler = new Scheduler(clock);
  const recorder = new Recorder();
  scheduler.schedule(10, recorder, 1);
  scheduler.close();
  scheduler.schedule(20, recorder, 2);
  clock.advanceTo(100);
  assert.equal(recorder.fired.length, 0);
  assert.equal(clock.armedAtNs, Infinity);
});
