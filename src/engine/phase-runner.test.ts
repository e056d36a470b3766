import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineCommandError } from './errors.js';
import { always, atOnce, constantRate, harness, phase, ramp, spec, steps } from './testing/index.js';
import type { TestLogEntry } from './testing/index.js';
import { rampStartOffsetNs } from './arrivals.js';

const MS = 1e6;

test('RUN → FINISH → TRY_TERMINATE with active sessions: TERMINATING, then TERMINATED when the last ends', () => {
  const h = harness([phase('p', atOnce(3), steps(spec('test.delay', { durationMs: 50 })))]);
  assert.equal(h.worker.status('p'), 'NOT_STARTED');
  h.worker.command('p', 'RUN');
  h.clock.runDeferred();
  assert.equal(h.worker.counters('p').activeSessions, 3);
  h.worker.command('p', 'FINISH');
  h.worker.command('p', 'TRY_TERMINATE');
  assert.deepEqual(h.statuses('p'), ['RUNNING', 'FINISHED', 'TERMINATING']);
  h.clock.advanceTo(50 * MS);
  assert.deepEqual(h.statuses('p'), ['RUNNING', 'FINISHED', 'TERMINATING', 'TERMINATED']);
  assert.equal(h.worker.counters('p').finished, 3);
});

test('the engine does not terminate a finished phase on its own: it waits for TRY_TERMINATE', () => {
  const h = harness([phase('p', atOnce(1), steps(spec('noop')))]);
  h.worker.command('p', 'RUN');
  h.clock.runDeferred();
  h.worker.command('p', 'FINISH');
  h.clock.advanceTo(1000 * MS);
  assert.equal(h.worker.status('p'), 'FINISHED');
  h.worker.command('p', 'TRY_TERMINATE');
  assert.equal(h.worker.status('p'), 'TERMINATED');
});

test('TERMINATE cancels running sessions at once; they run no further step', () => {
  const log: TestLogEntry[] = [];
  const h = harness([phase('p', always(5), steps(spec('test.delay', { durationMs: 100 }), spec('test.record', { log })))]);
  h.worker.command('p', 'RUN');
  h.clock.advanceTo(10 * MS);
  h.worker.command('p', 'TERMINATE');
  assert.deepEqual(h.statuses('p'), ['RUNNING', 'FINISHED', 'TERMINATED']);
  const counters = h.worker.counters('p');
  assert.equal(counters.cancelled, 5);
  assert.equal(counters.activeSessions, 0);
  h.clock.advanceTo(500 * MS);
  assert.equal(log.length, 0, 'cancelled sessions are not woken by their old timers');
  assert.equal(h.worker.counters('p').started, 5, 'an always phase does not restart cancelled sessions');
});

test('noop phases and commands out of order', () => {
  const h = harness([phase('n', { type: 'noop' }, undefined), phase('p', atOnce(1), steps(spec('noop')))]);
  h.worker.command('n', 'RUN');
  h.worker.command('n', 'FINISH');
  h.worker.command('n', 'TRY_TERMINATE');
  assert.deepEqual(h.statuses('n'), ['RUNNING', 'FINISHED', 'TERMINATED']);
  assert.throws(() => h.worker.command('n', 'RUN'), EngineCommandError);
  assert.throws(() => h.worker.command('nope', 'RUN'), /this worker has no phase `nope`/);
  // A phase never run can be terminated (a cancelled phase): FINISHED then TERMINATED are reported.
  h.worker.command('p', 'TERMINATE');
  assert.deepEqual(h.statuses('p'), ['FINISHED', 'TERMINATED']);
  // Repeated commands after TERMINATED are ignored.
  h.worker.command('p', 'TERMINATE');
  h.worker.command('p', 'FINISH');
  assert.deepEqual(h.statuses('p'), ['FINISHED', 'TERMINATED']);
});

test('atOnce starts N users once; always restarts them until FINISH', () => {
  const h = harness([
    phase('once', atOnce(7), steps(spec('test.delay', { durationMs: 10 }))),
    phase('loop', always(3), steps(spec('test.delay', { durationMs: 10 }))),
  ]);
  h.worker.command('once', 'RUN');
  h.worker.command('loop', 'RUN');
  h.clock.advanceTo(95 * MS);
  assert.equal(h.worker.counters('once').started, 7);
  assert.equal(h.worker.counters('once').finished, 7);
  // 3 users each restarted every 10 ms: starts at 0, 10, …, 90 ms.
  assert.equal(h.worker.counters('loop').started, 30);
  h.worker.command('loop', 'FINISH');
  h.clock.advanceTo(200 * MS);
  assert.equal(h.worker.counters('loop').started, 30);
  assert.equal(h.worker.counters('loop').finished, 30);
});

test('open model: starts at absolute scheduled times, lateness measured against them (timer 300 µs late)', () => {
  const log: TestLogEntry[] = [];
  const h = harness([phase('p', constantRate(2000, 10), steps(spec('test.record', { log })))]);
  h.clock.timerLatenessNs = 300_000;
  h.worker.command('p', 'RUN');
  const startNs = h.clock.nowNs();
  h.clock.advanceTo(startNs + 1000 * MS - 1);
  h.worker.command('p', 'FINISH');
  // Uniform 2000/s: starts at i × 500 µs for i = 0..1999 in [0, 1 s).
  assert.equal(log.length, 2000);
  log.forEach((entry, i) => assert.equal(entry.scheduledStartNs, startNs + i * 500_000));
  // A 300 µs late timer makes each start at most 300 µs late and never shifts the schedule (no drift): the
  // last start is still scheduled at 999.5 ms.
  const counters = h.worker.counters('p');
  assert.equal(counters.throttled, 0);
  assert.ok(counters.maxLatenessNs <= 300_000 && counters.maxLatenessNs > 0, `max lateness ${counters.maxLatenessNs}`);
  assert.ok(h.sink.latenessNs.every((l) => l >= 0 && l <= 300_000));
  assert.equal(counters.sessionLimitExceeded, false);
});

test('open model, pool exhausted: starts are throttled, counted, performed when a session frees, lateness measured', () => {
  // 1000/s (start i due at i ms), 5 sessions, each lives 20 ms: capacity 250/s. Derivation:
  // starts 0..4 happen on time; start k ≥ 5 reuses the session of start k−5 when it ends, 20 ms after that one
  // started, so it happens at k + 15·⌊k/5⌋ ms and is 15·⌊k/5⌋ ms late. By 100 ms: k + 15·⌊k/5⌋ ≤ 100 → k ≤ 25.
  const log: TestLogEntry[] = [];
  const h = harness([phase('p', constantRate(1000, 5), steps(spec('test.record', { log }), spec('test.delay', { durationMs: 20 })))]);
  h.worker.command('p', 'RUN');
  const t0 = h.clock.nowNs();
  h.clock.advanceTo(t0 + 100 * MS);
  assert.equal(log.length, 26);
  log.forEach((entry, k) => {
    assert.equal(entry.scheduledStartNs, t0 + k * MS, `start ${k} keeps its scheduled time`);
    assert.equal(entry.nowNs - entry.scheduledStartNs, 15 * Math.floor(k / 5) * MS, `lateness of start ${k}`);
  });
  const counters = h.worker.counters('p');
  assert.equal(counters.throttled, 21);
  assert.equal(counters.maxLatenessNs, 75 * MS);
  assert.equal(h.sink.throttled, 21);
  assert.equal(h.sink.maxActive, 5);
  h.worker.command('p', 'FINISH');
  // Due by 100 ms: starts 0..100 (101); performed 26; so 75 were never performed.
  assert.equal(h.worker.counters('p').dropped, 75);
  assert.equal(h.sink.dropped, 75);
  assert.equal(h.events.at(-1)!.sessionLimitExceeded, true);
  assert.equal(h.events.at(-1)!.throttledStarts, 21);
  assert.equal(h.events.at(-1)!.droppedStarts, 75);
  h.clock.advanceTo(t0 + 200 * MS);
  assert.equal(log.length, 26, 'no start after FINISH, even when sessions free up');
  h.worker.command('p', 'TRY_TERMINATE');
  assert.equal(h.worker.status('p'), 'TERMINATED');
});

test('sessionLimitPolicy CONTINUE: throttling is counted but not reported as the session limit being exceeded', () => {
  const model = { ...constantRate(1000, 1), sessionLimitPolicy: 'CONTINUE' as const };
  const h = harness([phase('p', model, steps(spec('test.delay', { durationMs: 5 })))]);
  h.worker.command('p', 'RUN');
  h.clock.advanceBy(20 * MS);
  h.worker.command('p', 'FINISH');
  const event = h.events.at(-1)!;
  assert.equal(event.status, 'FINISHED');
  assert.equal(event.sessionLimitExceeded, false);
  assert.ok(event.throttledStarts > 0 && event.droppedStarts > 0, JSON.stringify(event));
});

test('open model ramp: start times follow the closed form of the ramp', () => {
  const log: TestLogEntry[] = [];
  const h = harness([phase('p', ramp(0, 1000, 10), steps(spec('test.record', { log })), { durationMs: 2000 })]);
  h.worker.command('p', 'RUN');
  const t0 = h.clock.nowNs();
  h.clock.advanceTo(t0 + 2000 * MS - 1);
  // 0 → 1000/s over 2 s: N(2 s) = 1000, so indices 0..999 fall in [0, 2 s).
  assert.equal(log.length, 1000);
  log.forEach((entry, i) => assert.equal(entry.scheduledStartNs, t0 + rampStartOffsetNs(i, 0, 1000, 2)));
});

test('open model with variance: a seeded Poisson stream, count within 5 sd', () => {
  const h = harness([phase('p', constantRate(500, 50, true), steps(spec('noop')))], { seed: 77 });
  h.worker.command('p', 'RUN');
  h.clock.advanceBy(10_000 * MS);
  h.worker.command('p', 'FINISH');
  // Poisson(5000): sd ≈ 70.7.
  const started = h.worker.counters('p').started;
  assert.ok(Math.abs(started - 5000) < 5 * Math.sqrt(5000), `started ${started}`);
});

test('session ranges: min and max active sessions per period', () => {
  const h = harness([phase('p', atOnce(4), steps(spec('test.delay', { durationMs: 10 })))]);
  h.worker.command('p', 'RUN');
  h.clock.runDeferred();
  assert.deepEqual(h.worker.takeSessionRanges(), [{ phase: 'p', phaseId: h.events[0]!.phaseId, min: 0, max: 4 }]);
  h.clock.advanceTo(10 * MS);
  assert.deepEqual(h.worker.takeSessionRanges().map((r) => [r.min, r.max]), [[0, 4]]);
  assert.deepEqual(h.worker.takeSessionRanges().map((r) => [r.min, r.max]), [[0, 0]]);
});
