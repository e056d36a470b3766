import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  always, atOnce, harness, phase, scenario, sequence, spec, steps, testRegistry,
} from './testing/index.js';
import type { Counter, TestLogEntry } from './testing/index.js';

const MS = 1e6;

test('a blocked step is re-invoked only after a wake-up; the waiter proceeds in the run that unblocks it', () => {
  const invocations: Counter = { value: 0 };
  const log: TestLogEntry[] = [];
  const h = harness([phase('p', atOnce(1), scenario([
    sequence('waiter', [spec('test.countingAwait', { var: 'x', atLeast: 1, invocations }), spec('test.record', { log })]),
    sequence('setter', [spec('test.delay', { durationMs: 10 }), spec('test.setInt', { var: 'x', value: 1 })]),
  ]))]);
  h.worker.command('p', 'RUN');
  h.clock.runDeferred();
  assert.equal(invocations.value, 1, 'one pass: both instances blocked, the loop stops');
  h.clock.advanceTo(5 * MS);
  assert.equal(invocations.value, 1, 'nothing wakes the session before the timer');
  h.clock.advanceTo(10 * MS);
  // The timer wakes the session: the setter completes, and in the same run the waiter passes (2 or 3
  // invocations depending on which instance the loop visits first).
  const after = invocations.value as number;
  assert.ok(after === 2 || after === 3, `invocations ${after}`);
  assert.equal(log.length, 1);
  assert.equal(log[0]!.nowNs, 10 * MS);
  assert.equal(h.worker.counters('p').finished, 1);
});

test('many wake-ups in one tick run the session loop once', () => {
  const invocations: Counter = { value: 0 };
  const h = harness([phase('p', atOnce(1), steps(spec('test.countingAwait', { var: 'never', atLeast: 1, invocations })))]);
  h.worker.command('p', 'RUN');
  h.clock.runDeferred();
  assert.equal(invocations.value, 1);
  const session = h.worker.sessionsOf('p')[0]!;
  const batches = h.worker.runQueue.batches;
  for (let i = 0; i < 100; i++) session.proceed();
  h.clock.runDeferred();
  assert.equal(invocations.value, 2, '100 proceed() calls → one more invocation');
  assert.equal(h.worker.runQueue.batches, batches + 1);
});

test('seq[N]: at most N concurrent instances with indices 0..N-1; WARN skips the extra starts', () => {
  const log: TestLogEntry[] = [];
  const newChild = spec('test.newSequence', { sequence: 'child', policy: 'WARN' });
  const h = harness([phase('p', atOnce(1), scenario(
    [sequence('main', [spec('test.array', { var: 'idx', size: 3, kind: 'int' }), newChild, newChild, newChild, newChild, newChild])],
    [sequence('child', [
      spec('test.storeIndex', { var: 'idx[.]' }),
      spec('test.delay', { durationMs: 5 }),
      spec('test.record', { log, var: 'idx[.]' }),
    ], 3)],
  ))]);
  h.worker.command('p', 'RUN');
  h.clock.advanceTo(10 * MS);
  assert.deepEqual(log.map((e) => e.index).sort(), [0, 1, 2]);
  // Each instance read back the element at its own index, although all three ran interleaved.
  for (const entry of log) assert.equal(entry.value, entry.index);
  assert.ok(log.every((e) => e.sequence === 'child' && e.nowNs === 5 * MS));
  const counters = h.worker.counters('p');
  assert.equal(counters.sequenceWarnings, 2);
  assert.equal(counters.failed, 0);
  assert.equal(counters.finished, 1);
});

test('seq[N]: with policy FAIL the extra start fails the session; forceSameIndex keeps the index', () => {
  const log: TestLogEntry[] = [];
  const newChild = spec('test.newSequence', { sequence: 'child' });
  const h = harness([phase('p', atOnce(1), scenario(
    [sequence('main', [newChild, newChild, spec('test.delay', { durationMs: 1 }), newChild])],
    [
      sequence('child', [spec('test.newSequence', { sequence: 'grandchild', forceSameIndex: true }), spec('test.delay', { durationMs: 5 })], 2),
      sequence('grandchild', [spec('test.record', { log })], 2),
    ],
  ))]);
  h.worker.command('p', 'RUN');
  h.clock.advanceTo(10 * MS);
  const counters = h.worker.counters('p');
  assert.equal(counters.failed, 1);
  assert.match(counters.firstError ?? '', /Cannot start sequence child: all 2 instances are running/);
  assert.equal(h.sink.errors.length, 1);
  // The third `newSequence` (the failing one) is the step the error is attributed to: ids are 1..4 in order.
  assert.equal(h.sink.errors[0]!.stepId, 4);
  // Grandchildren ran with their parents' indices before the failure ended the session.
  assert.deepEqual(log.map((e) => e.index).sort(), [0, 1]);
});

test('reading an unset variable fails the session with "Variable foo is not set!", counted and reported', () => {
  const h = harness([phase('p', atOnce(3), steps(spec('noop'), spec('test.record', { log: [], var: 'foo' })))]);
  assert.ok(h.worker.warnings.some((w) => /variable `foo` is read but never written/.test(w)), h.worker.warnings.join('\n'));
  h.worker.command('p', 'RUN');
  h.clock.runDeferred();
  assert.equal(h.sink.errors.length, 3);
  assert.deepEqual(new Set(h.sink.errors.map((e) => e.message)), new Set(['Variable foo is not set!']));
  const counters = h.worker.counters('p');
  assert.equal(counters.failed, 3);
  assert.equal(counters.finished, 3, 'failed sessions still end and go back to the pool');
  assert.equal(counters.activeSessions, 0);
  h.worker.command('p', 'FINISH');
  h.worker.command('p', 'TRY_TERMINATE');
  assert.deepEqual(h.statuses('p'), ['RUNNING', 'FINISHED', 'TERMINATED']);
  const last = h.events.at(-1)!;
  assert.equal(last.failedSessions, 3);
  assert.equal(last.error, 'Variable foo is not set!');
});

test('an exception from a step is an internal error naming the step, not a crash', () => {
  const h = harness([phase('p', atOnce(1), steps(spec('test.throw')))]);
  h.worker.command('p', 'RUN');
  h.clock.runDeferred();
  assert.equal(h.sink.errors.length, 1);
  assert.match(h.sink.errors[0]!.message, /^Internal error at test\.hf\.yaml:\d+:1: fixture bug$/);
});

test('sessions and sequence instances are reused, never allocated per start', () => {
  const seen = new Set<unknown>();
  const h = harness([phase('p', always(4), steps(spec('test.delay', { durationMs: 1 }), spec('test.collectInstance', { seen })))]);
  const sessions = [...h.worker.sessionsOf('p')];
  assert.equal(sessions.length, 4);
  h.worker.command('p', 'RUN');
  h.clock.advanceTo(1000 * MS);
  const counters = h.worker.counters('p');
  // Each session lives exactly 1 ms and is restarted at once: 4 users × 1000 ms.
  assert.ok(counters.finished >= 3996 && counters.finished <= 4000, `finished ${counters.finished}`);
  assert.deepEqual([...h.worker.sessionsOf('p')], sessions, 'the pool holds the same session objects');
  assert.equal(seen.size, 4, 'one sequence-instance object per session, reused on every start');
  assert.ok(sessions.every((s) => s.generation >= 999));
  h.worker.command('p', 'FINISH');
  h.clock.advanceBy(1 * MS);
  h.worker.command('p', 'TRY_TERMINATE');
  assert.equal(h.worker.status('p'), 'TERMINATED');
});

test('a timer set by an earlier user of a pooled session does not wake the next user', () => {
  const invocations: Counter = { value: 0 };
  const shared = scenario([
    sequence('sleeper', [spec('test.delay', { durationMs: 100 })]),
    sequence('waiter', [spec('test.countingAwait', { var: 'never', atLeast: 1, invocations })]),
  ]);
  const h = harness([
    phase('a/000', atOnce(1), shared, { sharedResources: 'a' }),
    phase('a/001', atOnce(1), shared, { sharedResources: 'a' }),
  ]);
  assert.equal(h.worker.poolInfo().length, 1, 'iterations share one pool');
  h.worker.command('a/000', 'RUN');
  h.clock.runDeferred();
  assert.equal(invocations.value, 1);
  h.clock.advanceTo(10 * MS);
  h.worker.command('a/000', 'TERMINATE');
  assert.equal(h.worker.counters('a/000').cancelled, 1);
  h.clock.advanceTo(20 * MS);
  h.worker.command('a/001', 'RUN');
  h.clock.runDeferred();
  assert.equal(invocations.value, 2);
  h.clock.advanceTo(100 * MS); // the first user's timer fires: dropped
  assert.equal(invocations.value, 2);
  h.clock.advanceTo(120 * MS); // the second user's own timer wakes it
  assert.ok((invocations.value as number) > 2);
});

test('request slots: a step blocks without side effects when all maxRequests slots are in flight', () => {
  const log: TestLogEntry[] = [];
  const completed: Counter = { value: 0 };
  const request = spec('test.request', { durationMs: 10, completed });
  const h = harness([phase('p', atOnce(1), scenario(
    [sequence('main', [request, request, request, spec('test.awaitRequests'), spec('test.record', { log })])],
    [],
    { maxRequests: 2 },
  ))]);
  h.worker.command('p', 'RUN');
  h.clock.runDeferred();
  const session = h.worker.sessionsOf('p')[0]!;
  assert.equal(session.requests.inFlight, 2, 'the third request waits for a slot');
  h.clock.advanceTo(10 * MS);
  assert.equal(completed.value, 2);
  assert.equal(session.requests.inFlight, 1, 'the third one was sent when a slot came back');
  h.clock.advanceTo(20 * MS);
  assert.equal(completed.value, 3);
  assert.equal(log.length, 1);
  assert.equal(log[0]!.nowNs, 20 * MS);
});

test('state end hooks run when a session ends, whatever the reason (HTTP cancels in-flight requests there)', () => {
  const ended: Counter = { value: 0 };
  const registry = testRegistry();
  registry.registerStep('test.hooked', (_config, cx) => {
    cx.reserveState({ create: () => ({}), onSessionEnd: () => void ended.value++ });
    return { invoke: () => true };
  });
  const h = harness([
    phase('ok', atOnce(2), steps(spec('test.hooked'))),
    phase('failing', atOnce(1), steps(spec('test.hooked'), spec('test.fail', { message: 'no' }))),
    phase('cancelled', atOnce(1), steps(spec('test.hooked'), spec('test.delay', { durationMs: 100 }))),
  ], { registry });
  for (const name of ['ok', 'failing', 'cancelled']) h.worker.command(name, 'RUN');
  h.clock.runDeferred();
  assert.equal(ended.value, 3);
  h.worker.command('cancelled', 'TERMINATE');
  assert.equal(ended.value, 4);
});

test('a loop that never blocks yields to the event loop every 10000 steps', () => {
  const h = harness([phase('p', atOnce(1), steps(spec('test.repeat', { times: 25_000 })))]);
  h.worker.command('p', 'RUN');
  const before = h.worker.runQueue.batches;
  h.clock.runDeferred();
  assert.equal(h.worker.counters('p').finished, 1);
  assert.equal(h.worker.runQueue.batches - before, 3, '25000 invocations in runs of 10000');
});

test('maxSequences bounds the instances of a session', () => {
  const h = harness([phase('p', atOnce(1), scenario(
    [sequence('main', [spec('test.newSequence', { sequence: 'a' }), spec('test.newSequence', { sequence: 'b' })])],
    [sequence('a', [spec('test.delay', { durationMs: 1 })]), sequence('b', [spec('test.delay', { durationMs: 1 })])],
    { maxSequences: 2 },
  ))]);
  h.worker.command('p', 'RUN');
  h.clock.advanceTo(5 * MS);
  assert.match(h.worker.counters('p').firstError ?? '', /2 sequence instances are already running; raise the scenario's maxSequences/);
});

test('stop ends the session without an error and runs no further step', () => {
  const count: Counter = { value: 0 };
  const h = harness([phase('p', atOnce(2), steps(spec('stop'), spec('test.count', { counter: count })))]);
  h.worker.command('p', 'RUN');
  h.clock.runDeferred();
  assert.equal(count.value, 0);
  const counters = h.worker.counters('p');
  assert.equal(counters.finished, 2);
  assert.equal(counters.failed, 0);
});

test('the hyperfoil.* variables carry the worker, phase and session identity', () => {
  const log: TestLogEntry[] = [];
  const names = ['hyperfoil.agent.id', 'hyperfoil.agents', 'hyperfoil.agent.thread.id', 'hyperfoil.agent.threads',
    'hyperfoil.global.thread.id', 'hyperfoil.global.threads', 'hyperfoil.phase.name', 'hyperfoil.phase.id',
    'hyperfoil.phase.iteration', 'hyperfoil.run.id', 'hyperfoil.session.id', 'hyperfoil.phase.start.time.as.string'];
  const p = phase('rampUp/002', atOnce(2), steps(...names.map((name) => spec('test.record', { log, var: name }))), { iteration: 2 });
  const h = harness([p], {
    identity: { runId: '00A1', agentId: 1, agents: 2, agentThreadId: 1, agentThreads: 2, globalThreadId: 3, globalThreads: 4 },
  });
  h.worker.command('rampUp/002', 'RUN');
  h.clock.runDeferred();
  const bySession = new Map<number, unknown[]>();
  for (const e of log) bySession.set(e.sessionId, [...(bySession.get(e.sessionId) ?? []), e.value]);
  // Session ids are unique across the run: ordinal × globalThreads + globalThreadId.
  assert.deepEqual([...bySession.keys()].sort(), [3, 7]);
  for (const [sessionId, values] of bySession) {
    assert.deepEqual(values.slice(0, 11), [1, 2, 1, 2, 3, 4, 'rampUp/002', p.id, 2, '00A1', sessionId]);
    assert.match(String(values[11]), /^\d{4}-\d\d-\d\dT/);
  }
});
