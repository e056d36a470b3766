import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from './test-support.js';

/** A scenario that sets `hit_<name>` for every condition that holds. */
function conditions(setup: string, cases: Readonly<Record<string, string>>): string {
  const steps = Object.entries(cases).map(([name, condition]) => `
  - conditional:
${condition.split('\n').map((line) => `      ${line}`).join('\n')}
      actions:
      - set: hit_${name} <- yes`).join('');
  return `
- main:
${setup.split('\n').filter((l) => l.trim() !== '').map((l) => `  ${l}`).join('\n')}${steps}
`;
}

function hits(run: ReturnType<typeof runScenario>, names: readonly string[]): string[] {
  return names.filter((name) => run.value(`hit_${name}`) === 'yes');
}

describe('conditions (through conditional)', () => {
  it('intCondition: inline operators, comparisons, isSet, text holding an int', () => {
    const cases = {
      eq: 'intCondition: n == 5',
      ne: 'intCondition: n != 5',
      gt: 'intCondition: n > 4',
      le: 'intCondition: n <= 4',
      range: 'intCondition:\n  fromVar: n\n  greaterOrEqualTo: 5\n  lessThan: { fromVar: limit }',
      outside: 'intCondition:\n  fromVar: n\n  greaterThan: { fromVar: limit }',
      text: 'intCondition: t == 12',
      unsetHolds: 'intCondition:\n  fromVar: missing\n  isSet: false',
      unsetFails: 'intCondition: missing == 0',
      setNotUnset: 'intCondition:\n  fromVar: n\n  isSet: false',
    };
    const run = runScenario(conditions(`
- setInt: n <- 5
- setInt: limit <- 6
- set: t <- 12
- set: missing <- x
- unset: missing`, cases));
    assert.deepEqual(run.errors(), []);
    assert.deepEqual(hits(run, Object.keys(cases)), ['eq', 'gt', 'range', 'text', 'unsetHolds']);
  });

  it('intCondition on a text that is not an integer fails the session', () => {
    const run = runScenario(conditions('- set: t <- abc', { x: 'intCondition: t == 1' }));
    assert.deepEqual(run.errors(), ['Variable t holds `abc`, which is not an integer']);
  });

  it('stringCondition: equality, prefix, suffix, case, length, negate, matchVar', () => {
    const cases = {
      equal: 'stringCondition:\n  fromVar: s\n  value: Hello World',
      equalTo: 'stringCondition:\n  fromVar: s\n  equalTo: hello world',
      noCase: 'stringCondition:\n  fromVar: s\n  equalTo: hello world\n  caseSensitive: false',
      prefix: 'stringCondition:\n  fromVar: s\n  startsWith: Hello',
      suffix: 'stringCondition:\n  fromVar: s\n  endsWith: World',
      wrongSuffix: 'stringCondition:\n  fromVar: s\n  endsWith: Hello',
      notEqual: 'stringCondition:\n  fromVar: s\n  notEqualTo: other',
      negated: 'stringCondition:\n  fromVar: s\n  startsWith: Hello\n  negate: true',
      length: 'stringCondition:\n  fromVar: s\n  length: 11',
      lengthRange: 'stringCondition:\n  fromVar: s\n  length:\n    greaterThan: 20',
      matchVar: 'stringCondition:\n  fromVar: s\n  matchVar: copy',
      bytes: 'stringCondition:\n  fromVar: b\n  value: Hello World',
      unsetOnly: 'stringCondition:\n  fromVar: nothing\n  isSet: false',
    };
    const run = runScenario(conditions(`
- set: s <- Hello World
- template:
    pattern: \${s}
    toVar: copy
- randomFile:
    toVar: b
    files: [ hello.txt ]
- set: nothing <- x
- unset: nothing`, cases), { files: { 'hello.txt': 'Hello World' } });
    assert.deepEqual(hits(run, Object.keys(cases)), ['equal', 'noCase', 'prefix', 'suffix', 'notEqual', 'length', 'matchVar', 'bytes', 'unsetOnly']);
  });

  it('boolCondition and allConditions', () => {
    const cases = {
      textTrue: 'boolCondition:\n  fromVar: yes\n  value: true',
      textFalse: 'boolCondition:\n  fromVar: no\n  value: false',
      defaultTrue: 'boolCondition:\n  fromVar: no',
      intTrue: 'boolCondition:\n  fromVar: one',
      all: 'allConditions:\n- intCondition: one == 1\n- boolCondition:\n    fromVar: yes',
      notAll: 'allConditions:\n- intCondition: one == 1\n- boolCondition:\n    fromVar: no',
    };
    const run = runScenario(conditions(`
- set: yes <- TRUE
- set: no <- false
- setInt: one <- 1`, cases));
    assert.deepEqual(hits(run, Object.keys(cases)), ['textTrue', 'textFalse', 'intTrue', 'all']);
  });
});

describe('fail and log', () => {
  it('fail ends the session with its message (the phase reports it); with a condition only when it holds', () => {
    const run = runScenario(`
- main:
  - setInt: n <- 1
  - fail:
      message: never
      intCondition: n > 1
  - set: between <- yes
  - fail: Too many errors
  - set: after <- yes
`);
    assert.equal(run.value('between'), 'yes');
    assert.equal(run.value('after'), undefined);
    assert.deepEqual(run.errors(), ['Too many errors']);
    assert.equal(run.worker.counters(run.phaseName).failed, 1);
    assert.equal(run.worker.counters(run.phaseName).firstError, 'Too many errors');
  });

  it('log: `{}` placeholders take `vars` in order, and the inline form is a pattern', () => {
    const run = runScenario(`
- test:
  - setInt: foo <- 11
  - log:
      message: Foo is {}
      vars:
      - foo
  - log: inline \${foo}
`);
    assert.deepEqual(run.logs, ['INFO Foo is 11', 'INFO inline 11']);
  });
});
