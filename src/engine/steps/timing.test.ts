import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recorded, runScenario } from './test-support.js';

const MS = 1e6;
/** The histogram keeps 2 significant digits: a recorded value comes back within 1 % of itself. */
const HISTOGRAM_RELATIVE_ERROR = 0.01;
const within = (valueNs: number, lowMs: number, highMs: number): boolean =>
  valueNs >= lowMs * MS * (1 - HISTOGRAM_RELATIVE_ERROR) && valueNs <= highMs * MS * (1 + HISTOGRAM_RELATIVE_ERROR);

describe('thinkTime', () => {
  it('blocks the sequence for exactly the duration on the manual clock', () => {
    const run = runScenario(`
- main:
  - timestamp: t0
  - thinkTime: 1s
  - timestamp: t1
`);
    const t0 = Number(run.value('t0'));
    assert.equal(run.value('t1'), undefined);
    run.advanceMs(999);
    assert.equal(run.value('t1'), undefined, 'not before 1 s');
    assert.equal(run.session().activeSequences, 1);
    run.advanceMs(1);
    assert.equal(Number(run.value('t1')) - t0, 1000);
  });

  it('fromLast keeps a cadence: each delay point is the previous one + duration', () => {
    const yaml = (flag: string) => `
- start:
  - timestamp: t0
- main:
  - loop:
      counterVar: i
      repeats: 3
      steps:
      - thinkTime:
          duration: 100ms
          ${flag}:
      - thinkTime: 30ms
  - timestamp: tEnd
`;
    const fromLast = runScenario(yaml('fromLast'));
    fromLast.advanceMs(1000);
    // Delay points at 100, 200, 300 ms; each iteration also waits 30 ms after its point: the loop ends at 330 ms.
    assert.equal(Number(fromLast.value('tEnd')) - Number(fromLast.value('t0')), 330);
    const fromNow = runScenario(yaml('fromNow'));
    fromNow.advanceMs(1000);
    // From now: 3 * (100 + 30) ms.
    assert.equal(Number(fromNow.value('tEnd')) - Number(fromNow.value('t0')), 390);
  });

  it('LINEAR: whole milliseconds uniformly in [min, max]', () => {
    const n = 500;
    const run = runScenario(`
- main:
  - loop:
      counterVar: i
      repeats: ${n}
      steps:
      - stopwatch:
        - thinkTime:
            random: LINEAR
            min: 10ms
            max: 20ms
`);
    run.advanceMs(n * 20 + 10);
    assert.equal(run.value('i'), n);
    const snapshot = recorded(run, 'main');
    assert.equal(snapshot.responseCount, n);
    assert.ok(within(snapshot.minNs(), 10, 20) && within(snapshot.maxNs(), 10, 20), `range ${snapshot.minNs()}..${snapshot.maxNs()}`);
    // Uniform on the 11 integers 10..20: mean 15 ms, variance (11^2 - 1) / 12 = 10 ms^2; the mean of 500 draws has
    // sigma sqrt(10 / 500) = 0.14 ms; 5 sigma = 0.71 ms, plus the histogram's 1 % at 15 ms (0.15 ms) = 0.86 ms.
    assert.ok(Math.abs(snapshot.meanNs() / MS - 15) < 0.86, `mean ${snapshot.meanNs() / MS} ms`);
  });

  it('NEGATIVE_EXPONENTIAL: the mean is the duration; min and max cap it', () => {
    const n = 2000;
    const run = runScenario(`
- main:
  - loop:
      counterVar: i
      repeats: ${n}
      steps:
      - stopwatch:
        - thinkTime:
            random: NEGATIVE_EXPONENTIAL
            duration: 50ms
`, { seed: 21 });
    run.advanceMs(n * 50 * 3);
    assert.equal(run.value('i'), n, 'every iteration ended');
    const snapshot = recorded(run, 'main');
    // trunc(50 ms * Exp(1)) has mean 50 - ~0.5 ms (truncation to whole ms) and sigma 50 ms; the mean of 2000 draws
    // has sigma 50 / sqrt(2000) = 1.12 ms; 5 sigma = 5.6 ms, plus the histogram's 1 % (0.5 ms) = 6.1 ms.
    assert.ok(Math.abs(snapshot.meanNs() / MS - 49.5) < 6.1, `mean ${snapshot.meanNs() / MS} ms`);
    const capped = runScenario(`
- main:
  - loop:
      counterVar: i
      repeats: 300
      steps:
      - stopwatch:
        - thinkTime:
            random: NEGATIVE_EXPONENTIAL
            duration: 50ms
            min: 40ms
            max: 60ms
`, { seed: 22 });
    capped.advanceMs(300 * 60 + 10);
    const c = recorded(capped, 'main');
    assert.equal(c.responseCount, 300);
    assert.ok(within(c.minNs(), 40, 60) && within(c.maxNs(), 40, 60), `range ${c.minNs() / MS}..${c.maxNs() / MS} ms`);
  });
});

describe('scheduleDelay and awaitDelay', () => {
  it('another sequence waits for the delay point; an unscheduled point blocks without failing', () => {
    const run = runScenario(`
initialSequences:
- waiter:
  - awaitDelay: point
  - timestamp: reached
- scheduler:
  - timestamp: t0
  - scheduleDelay:
      key: point
      duration: 500ms
- neverScheduled:
  - awaitDelay: other
  - set: never <- x
`);
    const t0 = Number(run.value('t0'));
    run.advanceMs(499);
    assert.equal(run.value('reached'), undefined);
    run.advanceMs(1);
    assert.equal(Number(run.value('reached')) - t0, 500);
    run.advanceMs(10_000);
    assert.equal(run.value('never'), undefined);
    assert.equal(run.session().activeSequences, 1, 'neverScheduled is still blocked');
    assert.deepEqual(run.errors(), []);
  });
});

describe('awaitVar and awaitInt', () => {
  it('awaitVar waits until set; `!var` until unset', () => {
    const run = runScenario(`
initialSequences:
- setter:
  - set: lock <- held
  - thinkTime: 1s
  - set: flag <- up
  - thinkTime: 1s
  - unset: lock
- waitSet:
  - awaitVar: flag
  - set: sawFlag <- yes
- waitUnset:
  - thinkTime: 1ms
  - awaitVar: "!lock"
  - set: sawUnlock <- yes
`);
    run.advanceMs(999);
    assert.equal(run.value('sawFlag'), undefined);
    run.advanceMs(1);
    assert.equal(run.value('sawFlag'), 'yes');
    assert.equal(run.value('sawUnlock'), undefined, 'lock is still held');
    run.advanceMs(1000);
    assert.equal(run.value('sawUnlock'), 'yes');
  });

  it('awaitInt waits until every comparison holds', () => {
    const run = runScenario(`
initialSequences:
- counter:
  - loop:
      counterVar: i
      repeats: 5
      steps:
      - thinkTime: 100ms
      - addToInt:
          var: n
          value: 1
          orElseSetTo: 1
- waiter:
  - awaitInt:
      var: n
      greaterOrEqualTo: 3
      lessThan: 10
  - timestamp: at
  - timestamp: t0
`);
    const start = run.clock.wallMs();
    run.advanceMs(299);
    assert.equal(run.value('at'), undefined);
    run.advanceMs(1);
    assert.equal(Number(run.value('at')) - start, 300);
    assert.equal(run.value('n'), 3);
  });
});
