import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Phase, PhaseModel, Scenario } from '../config/index.js';
import type { ForkDef, PhaseDef, PhaseRefDef, PhaseTypeDef } from './defs.js';
import { expandPhases } from './expand.js';

const scenario = (name: string): Scenario => ({ initialSequences: [{ name, concurrency: 0, steps: [] }], sequences: [], maxRequests: 1, maxSequences: 1 });
const constant = (base: number, increment = 0, maxSessions?: number): PhaseTypeDef => ({
  type: 'constantRate', usersPerSec: { base, increment }, variance: true, sessionLimitPolicy: 'FAIL', ...(maxSessions !== undefined ? { maxSessions } : {}),
});
const ref = (phase: string, extra: Partial<PhaseRefDef<string>> = {}): PhaseRefDef<string> => ({ phase, iteration: 'none', at: `ref:${phase}`, ...extra });
const fork = (name: string, weight: number): ForkDef<string> => ({ name, weight, scenario: scenario(name), at: `fork:${name}` });

function def(name: string, model: PhaseTypeDef, extra: Partial<PhaseDef<string>> = {}): PhaseDef<string> {
  return {
    name, at: `def:${name}`, model, startAfter: [], startAfterStrict: [], durationMs: 1000, maxIterations: 1, forceIterations: false,
    isWarmup: false, customSlas: [], forks: [], ...(model.type === 'noop' ? {} : { scenario: scenario(name) }), ...extra,
  };
}

function expand(...defs: Array<PhaseDef<string>>): Phase[] {
  const { phases, problems } = expandPhases(defs);
  assert.deepEqual(problems, []);
  return phases;
}

const byName = (phases: Phase[], name: string): Phase => {
  const found = phases.find((p) => p.name === name);
  assert.ok(found, `no phase ${name} in ${phases.map((p) => p.name).join(', ')}`);
  return found;
};
const rate = (model: PhaseModel): number => (model.type === 'constantRate' ? model.usersPerSec : Number.NaN);
const sessions = (model: PhaseModel): number => ('maxSessions' in model ? model.maxSessions : Number.NaN);

describe('expanding phases', () => {
  it('keeps a plain phase as written, with the default maxSessions of one second of arrivals', () => {
    const [phase] = expand(def('main', constant(2.5), { startTimeMs: 3000, maxDurationMs: 5000 }));
    assert.ok(phase);
    assert.equal(phase.id, 0);
    assert.equal(phase.name, 'main');
    assert.equal(phase.iteration, -1);
    assert.equal(phase.fork, '');
    assert.deepEqual(phase.model, { type: 'constantRate', usersPerSec: 2.5, maxSessions: 3, variance: true, sessionLimitPolicy: 'FAIL' });
    assert.equal(phase.startTimeMs, 3000);
    assert.equal(phase.maxDurationMs, 5000);
    assert.equal(phase.scenario?.initialSequences[0]?.name, 'main');
  });

  it('splits a phase among forks by normalised weight, drops forks of weight 0, and adds the umbrella noop', () => {
    const phases = expand(def('steady', constant(30), { forks: [fork('browse', 2), fork('buy', 1), fork('idle', 0)] }));
    assert.deepEqual(phases.map((p) => [p.id, p.name]), [[0, 'steady/browse'], [1, 'steady/buy'], [2, 'steady']]);
    const [browse, buy, umbrella] = phases as [Phase, Phase, Phase];
    assert.equal(rate(browse.model), 20);
    assert.equal(rate(buy.model), 10);
    assert.equal(sessions(browse.model), 20);
    assert.equal(sessions(buy.model), 10);
    assert.equal(browse.scenario?.initialSequences[0]?.name, 'browse');
    assert.equal(browse.sharedResources, 'steady/browse');
    assert.deepEqual(umbrella.model, { type: 'noop' });
    assert.deepEqual(umbrella.startAfter, ['steady/browse', 'steady/buy']);
    assert.deepEqual(umbrella.terminateAfterStrict, ['steady/browse', 'steady/buy']);
    assert.equal(umbrella.durationMs, 0);
    assert.equal(umbrella.maxDurationMs, undefined, 'an umbrella must wait for its forks, not be cut off');
  });

  it('scales a given maxSessions by the fork weight and users by weight with rounding', () => {
    const phases = expand(
      def('open', constant(9, 0, 90), { forks: [fork('a', 2), fork('b', 1)] }),
      def('closed', { type: 'always', users: { base: 10, increment: 0 }, usersPer: 'total' }, { forks: [fork('x', 1), fork('y', 2)] }),
    );
    assert.equal(sessions(byName(phases, 'open/a').model), 60);
    assert.equal(sessions(byName(phases, 'open/b').model), 30);
    assert.deepEqual(byName(phases, 'closed/x').model, { type: 'always', users: 3, usersPer: 'total' });
    assert.deepEqual(byName(phases, 'closed/y').model, { type: 'always', users: 7, usersPer: 'total' });
  });

  it('repeats a phase per iteration with growing values, strict ordering, startTime on the first only, and an umbrella', () => {
    const phases = expand(def('load', { type: 'atOnce', users: { base: 10, increment: 5 }, usersPer: 'agent' }, { maxIterations: 3, startTimeMs: 7000 }));
    assert.deepEqual(phases.map((p) => [p.id, p.name, p.iteration]), [[0, 'load/000', 0], [1, 'load/001', 1], [2, 'load/002', 2], [3, 'load', -1]]);
    assert.deepEqual(phases.slice(0, 3).map((p) => p.model), [10, 15, 20].map((users) => ({ type: 'atOnce', users, usersPer: 'agent' })));
    assert.deepEqual(phases.map((p) => p.startAfterStrict), [[], ['load/000'], ['load/001'], []]);
    assert.deepEqual(phases.map((p) => p.startTimeMs), [7000, 0, 0, 0]);
    assert.deepEqual((phases[3] as Phase).startAfter, ['load/002']);
    assert.deepEqual((phases[3] as Phase).terminateAfterStrict, ['load/002']);
    assert.ok(phases.slice(0, 3).every((p) => p.sharedResources === 'load'), 'iterations share one session pool');
  });

  it('sizes the default session pool for the busiest iteration, also when the rate decreases', () => {
    const up = expand(def('up', constant(10, 10), { maxIterations: 4 }));
    assert.deepEqual(up.slice(0, 4).map((p) => [rate(p.model), sessions(p.model)]), [[10, 40], [20, 40], [30, 40], [40, 40]]);
    const down = expand(def('down', constant(100, -10), { maxIterations: 5 }));
    assert.deepEqual(down.slice(0, 5).map((p) => sessions(p.model)), [100, 100, 100, 100, 100]);
  });

  it('combines iterations and forks: name/000/fork, an umbrella per iteration and one for the whole phase', () => {
    const phases = expand(def('s', constant(3, 3), { maxIterations: 2, forks: [fork('a', 1), fork('b', 2)] }));
    assert.deepEqual(phases.map((p) => `${p.id}:${p.name}`), ['0:s/000/a', '1:s/000/b', '2:s/001/a', '3:s/001/b', '4:s/000', '5:s/001', '6:s']);
    assert.deepEqual(byName(phases, 's/001/b').startAfterStrict, ['s/000'], 'the next iteration waits for the previous iteration\'s umbrella');
    assert.equal(rate(byName(phases, 's/001/b').model), 4);
    assert.deepEqual(byName(phases, 's/001').startAfter, ['s/001/a', 's/001/b']);
    assert.equal(byName(phases, 's/001').iteration, 1);
    assert.deepEqual(byName(phases, 's').startAfter, ['s/001']);
  });

  it('resolves `iteration: same|previous` and fork references per iteration', () => {
    const phases = expand(
      def('ramp', constant(1), { maxIterations: 3, startAfter: [ref('steady', { iteration: 'previous' })] }),
      def('steady', constant(1), { maxIterations: 3, startAfter: [ref('ramp', { iteration: 'same' })], forks: [fork('a', 1), fork('b', 1)] }),
      def('split', constant(1), { forks: [fork('a', 1), fork('b', 1)] }),
      def('after', constant(1), { startAfterStrict: [ref('split', { fork: 'a' }), ref('ramp')] }),
    );
    assert.deepEqual(['ramp/000', 'ramp/001', 'ramp/002'].map((n) => byName(phases, n).startAfter), [[], ['steady/000'], ['steady/001']]);
    assert.deepEqual(byName(phases, 'steady/002/b').startAfter, ['ramp/002']);
    assert.deepEqual(byName(phases, 'after').startAfterStrict, ['split/a', 'ramp']);
  });

  it('resolves startWith with its delay', () => {
    const phases = expand(def('a', constant(1)), def('b', constant(1), { startWith: { phase: 'a', iteration: 'none', delayMs: 1500, at: 'sw' } }));
    assert.deepEqual(byName(phases, 'b').startWith, { phase: 'a', delayMs: 1500 });
  });

  it('expands noop phases with iterations and gives them a duration of 0 unless one is set', () => {
    const phases = expand(def('pause', { type: 'noop' }, { maxIterations: 2, durationMs: 2000 }), def('mark', { type: 'noop' }, { durationMs: undefined as never }));
    assert.deepEqual(phases.map((p) => [p.name, p.durationMs]), [['pause/000', 2000], ['pause/001', 2000], ['pause', 0], ['mark', 0]]);
    assert.ok(phases.every((p) => p.scenario === undefined && p.model.type === 'noop'));
  });
});

describe('expansion problems', () => {
  it('reports a reference to an undefined phase at the reference, with the closest names, once for all iterations', () => {
    const { problems } = expandPhases([def('rampUp', constant(1)), def('steady', constant(1), { maxIterations: 3, startAfter: [ref('rampUpp')] })]);
    assert.deepEqual(problems, [{ at: 'ref:rampUpp', message: 'phase `rampUpp` referenced from `steady/000` is not defined. Did you mean `rampUp`?' }]);
  });

  it('names the iterations a phase really has when a relative reference misses', () => {
    const { problems } = expandPhases([def('a', constant(1)), def('b', constant(1), { maxIterations: 2, startAfter: [ref('a', { iteration: 'same' })] })]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.at, 'ref:a');
    assert.match(problems[0]?.message ?? '', /phase `a\/000` referenced from `b\/000` is not defined\. Phase `a` defines: `a`\./);
  });

  it('rejects `iteration: same|previous` in a phase without iterations', () => {
    const { problems } = expandPhases([def('a', constant(1), { maxIterations: 2 }), def('b', constant(1), { startAfter: [ref('a', { iteration: 'previous' })] })]);
    assert.deepEqual(problems.map((p) => p.at), ['ref:a']);
    assert.match(problems[0]?.message ?? '', /`iteration: previous` needs iterations, but phase `b` has none/);
  });

  it('rejects cycles and names them, including a phase waiting for itself and startWith loops', () => {
    const { problems } = expandPhases([
      def('a', constant(1), { startAfter: [ref('c')] }),
      def('b', constant(1), { startAfterStrict: [ref('a')] }),
      def('c', constant(1), { startAfter: [ref('b')] }),
      def('self', constant(1), { startAfter: [ref('self')] }),
      def('x', constant(1), { startWith: { phase: 'y', iteration: 'none', delayMs: 0, at: 'sw' } }),
      def('y', constant(1), { startAfter: [ref('x')] }),
      def('free', constant(1), { startAfter: [ref('a')] }),
    ]);
    assert.deepEqual(problems.map((p) => [p.at, p.message.replace(/^.*: /, '')]), [
      ['def:a', 'a → c → b → a'],
      ['def:self', 'self → self'],
      ['def:x', 'x → y → x'],
    ]);
  });

  it('rejects duplicate names, also when a fork or iteration generates a name another phase has', () => {
    const duplicate = expandPhases([def('a', constant(1)), def('a', constant(2))]).problems;
    assert.deepEqual(duplicate, [{ at: 'def:a', message: 'phase `a` is defined twice: phase names must be unique' }]);
    const clash = expandPhases([def('p/x', constant(1)), def('p', constant(1), { forks: [fork('x', 1), fork('y', 1)] })]).problems;
    assert.equal(clash.length, 1);
    assert.match(clash[0]?.message ?? '', /phase `p` generates the phase name `p\/x`, which `p\/x` already uses/);
  });

  it('refuses to expand an absurd number of iterations instead of allocating them', () => {
    const started = Date.now();
    const { phases, problems } = expandPhases([def('huge', constant(1), { maxIterations: 1_000_000_000 })]);
    assert.equal(phases.length, 0);
    assert.match(problems[0]?.message ?? '', /would expand to 1000000001 phases/);
    assert.ok(Date.now() - started < 1000);
  });

  it('rejects forks whose weights are all 0 or less', () => {
    const { problems } = expandPhases([def('p', constant(1), { forks: [fork('a', 0), fork('b', -1)] })]);
    assert.match(problems[0]?.message ?? '', /every fork of phase `p` has a weight of 0 or less/);
  });
});
