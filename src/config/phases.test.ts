import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeBenchmarkCodec } from './benchmark.js';
import { decodeYaml, stubScenario, valueOf } from './decode-testing.js';
import type { Phase } from './model.js';

const codec = makeBenchmarkCodec(stubScenario);
const withPhases = (lines: string[]): string => `name: x\nphases:\n${lines.join('\n')}\n`;
const phases = (lines: string[]): readonly Phase[] => valueOf(decodeYaml(codec, withPhases(lines))).phases;
const decode = (lines: string[]): { problems: string[]; warnings: string[] } => decodeYaml(codec, withPhases(lines));
const named = (list: readonly Phase[], name: string): Phase => list.find((p) => p.name === name) ?? assert.fail(`no phase ${name}`);

describe('phase types', () => {
  it('reads closed-model phases with users, usersPerAgent or usersPerThread, growing with iterations', () => {
    const list = phases([
      '- a:', '    atOnce:', '      users: 5', '      scenario: s',
      '- b:', '    always:', '      usersPerAgent: 2', '      duration: 1m', '      scenario: s',
      '- c:', '    always:', '      usersPerThread: {base: 1, increment: 2}', '      maxIterations: 2', '      duration: 1s', '      scenario: s',
    ]);
    assert.deepEqual(named(list, 'a').model, { type: 'atOnce', users: 5, usersPer: 'total' });
    assert.deepEqual(named(list, 'b').model, { type: 'always', users: 2, usersPer: 'agent' });
    assert.equal(named(list, 'b').durationMs, 60_000);
    assert.deepEqual([named(list, 'c/000').model, named(list, 'c/001').model],
      [{ type: 'always', users: 1, usersPer: 'thread' }, { type: 'always', users: 3, usersPer: 'thread' }]);
  });

  it('reads open-model phases with their options', () => {
    const list = phases([
      '- c:', '    constantRate:', '      usersPerSec: 12.5', '      variance: false', '      sessionLimitPolicy: continue', '      duration: 5s', '      scenario: s',
      '- up:', '    increasingRate:', '      initialUsersPerSec: 0', '      targetUsersPerSec: 10', '      maxSessions: 3', '      duration: 5s', '      scenario: s',
      '- down:', '    decreasingRate:', '      initialUsersPerSec: 10', '      targetUsersPerSec: 1', '      duration: 5s', '      scenario: s',
    ]);
    assert.deepEqual(named(list, 'c').model, { type: 'constantRate', usersPerSec: 12.5, maxSessions: 13, variance: false, sessionLimitPolicy: 'CONTINUE' });
    assert.deepEqual(named(list, 'up').model, { type: 'increasingRate', initialUsersPerSec: 0, targetUsersPerSec: 10, maxSessions: 3, variance: true, sessionLimitPolicy: 'FAIL' });
    assert.equal(named(list, 'down').model.type, 'decreasingRate');
  });

  it('accepts the deprecated constantPerSec and rampPerSec with a warning', () => {
    const { warnings } = decode([
      '- a:', '    constantPerSec:', '      usersPerSec: 1', '      duration: 1s', '      scenario: s',
      '- b:', '    rampPerSec:', '      initialUsersPerSec: 5', '      targetUsersPerSec: 1', '      duration: 1s', '      scenario: s',
    ]);
    assert.deepEqual(warnings, [
      '4:5 phase type `constantPerSec` is deprecated: use `constantRate`',
      '9:5 phase type `rampPerSec` is deprecated: use `increasingRate` or `decreasingRate`',
    ]);
    const list = phases(['- b:', '    rampPerSec:', '      initialUsersPerSec: 5', '      targetUsersPerSec: 1', '      duration: 1s', '      scenario: s']);
    assert.equal(list[0]?.model.type, 'decreasingRate');
  });

  it('reads common properties: startTime, maxDuration, isWarmup, customSla and mixed startAfter lists', () => {
    const list = phases([
      '- w:', '    noop:', '      duration: 1s',
      '- it:', '    constantRate:', '      usersPerSec: 1', '      duration: 1s', '      maxIterations: 2', '      scenario: s',
      '- p:', '    constantRate:', '      usersPerSec: 1', '      duration: 1s', '      maxIterations: 2', '      startTime: 2s', '      maxDuration: 3s',
      '      isWarmup: true', '      customSla:', '        m:', '          meanResponseTime: 1ms', '      scenario: s',
      '      startAfter:', '      - w', '      - phase: it', '        iteration: SAME', '      startAfterStrict: {phase: it, iteration: previous}',
    ]);
    const first = named(list, 'p/000');
    const second = named(list, 'p/001');
    assert.equal(first.startTimeMs, 2000);
    assert.equal(second.startTimeMs, 0);
    assert.equal(first.maxDurationMs, 3000);
    assert.equal(first.isWarmup, true);
    assert.equal(first.customSlas[0]?.metric, 'm');
    assert.deepEqual(first.startAfter, ['w', 'it/000']);
    assert.deepEqual(second.startAfter, ['w', 'it/001']);
    assert.deepEqual(first.startAfterStrict, []);
    assert.deepEqual(second.startAfterStrict, ['it/000', 'p/000']);
  });

  it('reads startWith as a name or with a delay', () => {
    const list = phases(['- a:', '    noop: {}', '- b:', '    noop:', '      startWith: a', '- c:', '    noop:', '      startWith: {phase: a, delay: 500ms}']);
    assert.deepEqual(named(list, 'b').startWith, { phase: 'a', delayMs: 0 });
    assert.deepEqual(named(list, 'c').startWith, { phase: 'a', delayMs: 500 });
  });

  it('reads forks as a mapping or a list, with weights defaulting to 1', () => {
    const asMap = phases(['- p:', '    always:', '      users: 9', '      duration: 1s', '      forks:', '        a:', '          weight: 2', '          scenario: A', '        b:', '          scenario: B']);
    assert.deepEqual(asMap.map((p) => [p.name, p.model.type === 'always' ? p.model.users : 0, p.scenario?.initialSequences[0]?.name]),
      [['p/a', 6, 'A'], ['p/b', 3, 'B'], ['p', 0, undefined]]);
    const asList = phases(['- p:', '    always:', '      users: 4', '      duration: 1s', '      forks:', '      - a: {scenario: A}', '      - b: {scenario: B}']);
    assert.deepEqual(asList.map((p) => p.name), ['p/a', 'p/b', 'p']);
  });
});

describe('phase problems', () => {
  it('an unknown or unsupported phase type, and properties written without a type', () => {
    assert.match(decode(['- a:', '    constantRat: {}']).problems[0] ?? '', /^4:5 unknown phase type `constantRat`\. Did you mean `constantRate`\?/);
    assert.match(decode(['- a:', '    rampRate: {}']).problems[0] ?? '', /^4:5 phase type `rampRate` is not supported: .*increasingRate/);
    assert.match(decode(['- a:', '    duration: 1s']).problems[0] ?? '', /^4:5 unknown phase type `duration`\. `duration` is a phase property: write the phase type first/);
    assert.match(decode(['- a:', '    atOnce:', '      users: 1', '      scenario: s', '    duration: 1s']).problems[0] ?? '',
      /^4:5 the phase properties \(`duration`\) belong inside the phase type/);
  });

  it('users: none, or more than one kind', () => {
    assert.deepEqual(decode(['- a:', '    atOnce:', '      scenario: s']).problems,
      ['4:5 atOnce needs exactly one of `users`, `usersPerAgent` and `usersPerThread`']);
    assert.deepEqual(decode(['- a:', '    atOnce:', '      users: 1', '      usersPerAgent: 1', '      scenario: s']).problems,
      ['6:7 atOnce needs exactly one of `users`, `usersPerAgent` and `usersPerThread`, got users and usersPerAgent']);
  });

  it('values that go wrong only in a later iteration', () => {
    assert.deepEqual(decode(['- a:', '    always:', '      users: {base: 10, increment: -5}', '      maxIterations: 3', '      duration: 1s', '      scenario: s']).problems,
      ['5:14 `users` must be positive, got 0 in iteration 2']);
    assert.deepEqual(decode(['- a:', '    constantRate:', '      usersPerSec: 0', '      duration: 1s', '      scenario: s']).problems,
      ['5:20 `usersPerSec` must be positive, got 0']);
    assert.deepEqual(decode(['- a:', '    decreasingRate:', '      initialUsersPerSec: 1', '      targetUsersPerSec: 1', '      duration: 1s', '      scenario: s']).problems,
      ['6:26 a decreasingRate phase needs `initialUsersPerSec` > `targetUsersPerSec`, got 1 → 1: use constantRate for a steady rate']);
  });

  it('a missing duration in an open model, a warning for a duration an atOnce phase ignores', () => {
    assert.deepEqual(decode(['- a:', '    increasingRate:', '      initialUsersPerSec: 1', '      targetUsersPerSec: 2', '      scenario: s']).problems,
      ['4:5 an increasingRate phase needs a `duration`: how long to keep starting users']);
    assert.deepEqual(decode(['- a:', '    atOnce:', '      users: 1', '      duration: 5s', '      scenario: s']).warnings,
      ['6:7 `duration` is ignored by atOnce phases: the users are started once and run to their end']);
    assert.deepEqual(decode(['- a:', '    always:', '      users: 1', '      scenario: s']).warnings,
      ['4:5 an always phase without `duration` (or `maxDuration`) restarts its users until the run is killed']);
  });

  it('scenario and forks: neither, both, a single fork, and either one on a noop', () => {
    assert.deepEqual(decode(['- a:', '    atOnce:', '      users: 1']).problems, ['4:5 the phase needs a `scenario` (or `forks` with one scenario each)']);
    assert.deepEqual(decode(['- a:', '    atOnce:', '      users: 1', '      scenario: s', '      forks:', '        f: {scenario: s}', '        g: {scenario: s}']).problems,
      ['7:7 a phase has either `scenario` or `forks`, not both']);
    assert.deepEqual(decode(['- a:', '    atOnce:', '      users: 1', '      forks:', '        only: {scenario: s}']).problems,
      ['6:7 the phase has a single fork `only`: define `scenario` directly (forks split a phase among two or more scenarios)']);
    assert.deepEqual(decode(['- a:', '    noop:', '      scenario: s']).problems, ['5:7 a noop phase runs nothing: remove `scenario`']);
  });

  it('startWith combined with startAfter or startTime', () => {
    assert.deepEqual(decode(['- a:', '    noop: {}', '- b:', '    noop:', '      startTime: 1s', '      startWith: a']).problems,
      ['8:7 `startWith` cannot be combined with `startTime`']);
  });

  it('`iteration: same` in a phase without iterations, at the reference', () => {
    assert.deepEqual(decode(['- a:', '    noop: {maxIterations: 2}', '- b:', '    noop:', '      startAfter: {phase: a, iteration: same}']).problems,
      ['7:19 `iteration: same` needs iterations, but phase `b` has none (set `maxIterations` above 1, or drop `iteration`)']);
  });

  it('duplicate phase names, at the second definition', () => {
    assert.deepEqual(decode(['- a:', '    noop: {}', '- a:', '    noop: {}']).problems, ['5:3 phase `a` is defined twice: phase names must be unique']);
  });

  it('an empty phase list', () => {
    assert.deepEqual(decodeYaml(codec, 'name: x\nphases: []\n').problems, ['2:9 expected at least 1 phase']);
  });
});
