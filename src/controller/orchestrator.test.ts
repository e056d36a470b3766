import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Phase } from '../config/index.js';
import { createOrchestrator } from './orchestrator.js';

let nextId = 0;
function phase(name: string, extra: Partial<Phase> = {}): Phase {
  return {
    id: nextId++, name, baseName: name, iteration: -1, fork: '', model: { type: 'atOnce', users: 1, usersPer: 'total' },
    startTimeMs: 0, startAfter: [], startAfterStrict: [], terminateAfterStrict: [], isWarmup: false, customSlas: [],
    sharedResources: name, ...extra,
  };
}

const T0 = 1_000_000;

describe('phase orchestration', () => {
  it('starts independent phases at once and dependent ones after their dependency finishes or terminates', () => {
    const o = createOrchestrator({
      phases: [phase('a', { durationMs: 1000 }), phase('b', { startAfter: ['a'] }), phase('c', { startAfterStrict: ['a'] })],
      agents: ['x'], failurePolicy: 'CANCEL', runStartMs: T0,
    });
    assert.deepEqual(o.step(T0), [{ phase: 'a', command: 'RUN' }]);
    o.report('x', 'a', 'RUNNING', T0 + 10);
    assert.deepEqual(o.step(T0 + 500), [], 'nothing is due before a finishes');
    assert.deepEqual(o.step(T0 + 1000), [{ phase: 'a', command: 'FINISH' }]);
    assert.deepEqual(o.step(T0 + 1001), [], 'b waits for the agent to confirm that a finished');
    o.report('x', 'a', 'FINISHED', T0 + 1002);
    assert.deepEqual(o.step(T0 + 1003), [{ phase: 'a', command: 'TRY_TERMINATE' }, { phase: 'b', command: 'RUN' }]);
    o.report('x', 'a', 'TERMINATED', T0 + 1500);
    assert.deepEqual(o.step(T0 + 1501), [{ phase: 'c', command: 'RUN' }]);
  });

  it('takes the least advanced agent as the phase status', () => {
    const o = createOrchestrator({ phases: [phase('a'), phase('b', { startAfter: ['a'] })], agents: ['x', 'y'], failurePolicy: 'CANCEL', runStartMs: T0 });
    o.step(T0);
    o.report('x', 'a', 'FINISHED', T0 + 1);
    assert.equal(o.states.get('a')?.status, 'STARTING', 'one agent is not enough');
    o.report('y', 'a', 'RUNNING', T0 + 2);
    assert.equal(o.states.get('a')?.status, 'RUNNING');
    o.report('y', 'a', 'FINISHED', T0 + 3);
    assert.equal(o.states.get('a')?.status, 'FINISHED');
  });

  it('honours startTime and startWith with a delay', () => {
    const o = createOrchestrator({
      phases: [phase('a', { startTimeMs: 2000 }), phase('b', { startWith: { phase: 'a', delayMs: 500 } })],
      agents: ['x'], failurePolicy: 'CANCEL', runStartMs: T0,
    });
    assert.deepEqual(o.step(T0 + 1999), []);
    assert.deepEqual(o.step(T0 + 2000), [{ phase: 'a', command: 'RUN' }]);
    assert.deepEqual(o.step(T0 + 2499), []);
    assert.deepEqual(o.step(T0 + 2500), [{ phase: 'b', command: 'RUN' }]);
  });

  it('terminates a phase that outlives maxDuration and waits for terminateAfterStrict phases', () => {
    const o = createOrchestrator({
      phases: [phase('child', { durationMs: 100, maxDurationMs: 300 }), phase('umbrella', { model: { type: 'noop' }, terminateAfterStrict: ['child'] })],
      agents: ['x'], failurePolicy: 'CANCEL', runStartMs: T0,
    });
    o.step(T0);
    o.report('x', 'child', 'RUNNING', T0);
    o.report('x', 'umbrella', 'FINISHED', T0);
    assert.deepEqual(o.step(T0 + 100), [{ phase: 'child', command: 'FINISH' }]);
    o.report('x', 'child', 'FINISHED', T0 + 110);
    assert.deepEqual(o.step(T0 + 120), [{ phase: 'child', command: 'TRY_TERMINATE' }]);
    // sessions are stuck: maxDuration kills them
    assert.deepEqual(o.step(T0 + 300), [{ phase: 'child', command: 'TERMINATE' }]);
    o.report('x', 'child', 'TERMINATED', T0 + 301);
    assert.deepEqual(o.step(T0 + 302), [{ phase: 'umbrella', command: 'TRY_TERMINATE' }]);
    o.report('x', 'umbrella', 'TERMINATED', T0 + 303);
    assert.ok(o.complete);
  });

  it('cancels phases not yet started when one fails under CANCEL, and keeps them under CONTINUE', () => {
    for (const failurePolicy of ['CANCEL', 'CONTINUE'] as const) {
      const o = createOrchestrator({ phases: [phase('a'), phase('b', { startAfter: ['a'] })], agents: ['x'], failurePolicy, runStartMs: T0 });
      o.step(T0);
      o.fail('a');
      assert.equal(o.states.get('b')?.status, failurePolicy === 'CANCEL' ? 'CANCELLED' : 'NOT_STARTED');
    }
  });

  it('aborts: cancels what did not start and terminates the rest', () => {
    const o = createOrchestrator({ phases: [phase('a'), phase('b', { startAfter: ['a'] })], agents: ['x'], failurePolicy: 'CONTINUE', runStartMs: T0 });
    o.step(T0);
    assert.deepEqual(o.abort(T0), [{ phase: 'a', command: 'TERMINATE' }]);
    assert.equal(o.states.get('b')?.status, 'CANCELLED');
    o.report('x', 'a', 'TERMINATED', T0 + 5);
    assert.ok(o.complete);
  });

  it('names the agents that did not obey RUN, FINISH or TERMINATE in time, but never bounds TRY_TERMINATE', () => {
    const o = createOrchestrator({ phases: [phase('a', { durationMs: 100 })], agents: ['x', 'y'], failurePolicy: 'CONTINUE', runStartMs: T0 });
    o.step(T0);
    assert.deepEqual(o.overdue(T0 + 50, 50), [], 'exactly at the timeout is still in time');
    o.report('x', 'a', 'RUNNING', T0 + 10);
    assert.deepEqual(o.overdue(T0 + 51, 50), [{ agent: 'y', phase: 'a', status: 'RUNNING' }]);
    o.report('y', 'a', 'TERMINATED', T0 + 60);
    assert.deepEqual(o.overdue(T0 + 99, 50), [], 'a more advanced status satisfies the command');
    o.step(T0 + 100); // FINISH
    o.report('y', 'a', 'TERMINATED', T0 + 100);
    assert.deepEqual(o.overdue(T0 + 151, 50), [{ agent: 'x', phase: 'a', status: 'FINISHED' }]);
    o.report('x', 'a', 'FINISHED', T0 + 160);
    o.step(T0 + 160); // TRY_TERMINATE: sessions may take as long as they need
    assert.equal(o.states.get('a')?.status, 'TERMINATING');
    assert.deepEqual(o.overdue(T0 + 100_000, 50), []);
    o.abort(T0 + 100_000); // a kill turns it into TERMINATE, which is bounded again
    assert.deepEqual(o.overdue(T0 + 100_051, 50), [{ agent: 'x', phase: 'a', status: 'TERMINATED' }]);
  });
});
