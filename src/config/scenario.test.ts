import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID } from './codec.js';
import { child, decodeYaml, valueOf } from './decode-testing.js';
import type { Scenario, SequenceDef } from './model.js';
import { scenarioCodec } from './scenario.js';
import type { HttpRequestConfig, StepSpec } from './steps/index.js';

function scenario(yaml: string): { value: Scenario; warnings: string[] } {
  const result = decodeYaml(scenarioCodec, yaml, { select: child('scenario') });
  assert.deepEqual(result.problems, []);
  return { value: valueOf(result), warnings: result.warnings };
}

function problems(yaml: string): string[] {
  const result = decodeYaml(scenarioCodec, yaml, { select: child('scenario') });
  assert.equal(result.value, INVALID);
  return result.problems;
}

const names = (sequences: readonly SequenceDef[]) => sequences.map((s) => s.name);
const stepNames = (sequence: SequenceDef | undefined) => sequence?.steps.map((s) => s.name);
const request = (step: StepSpec | undefined): HttpRequestConfig => {
  assert.equal(step?.name, 'httpRequest');
  return step.config as HttpRequestConfig;
};

describe('scenario forms', () => {
  it('a plain list is ordered: the first is initial, each but the last ends with nextSequence to the following one', () => {
    const { value } = scenario([
      'scenario:',
      '- login:',
      '  - httpRequest: {POST: /login}',
      '- wait:',
      '  - thinkTime: 5s',
      '- logout:',
      '  - httpRequest: {POST: /logout}',
    ].join('\n'));
    assert.deepEqual(names(value.initialSequences), ['login']);
    assert.deepEqual(names(value.sequences), ['wait', 'logout']);
    assert.deepEqual(stepNames(value.initialSequences[0]), ['httpRequest', 'nextSequence']);
    assert.deepEqual(value.initialSequences[0]?.steps[1], { name: 'nextSequence', config: { sequence: 'wait' }, at: 't.yaml:4:3' });
    assert.deepEqual(value.sequences[0]?.steps[1]?.config, { sequence: 'logout' });
    assert.deepEqual(stepNames(value.sequences[1]), ['httpRequest'], 'the last sequence has no implicit nextSequence');
    assert.equal(value.maxRequests, 16);
    assert.equal(value.maxSequences, 16);
  });

  it('orderedSequences behaves like the plain list', () => {
    const { value } = scenario('scenario:\n  orderedSequences:\n  - a: [noop]\n  - b: [noop]\n');
    assert.deepEqual(names(value.initialSequences), ['a']);
    assert.deepEqual(names(value.sequences), ['b']);
    assert.deepEqual(value.initialSequences[0]?.steps.map((s) => [s.name, s.config]), [['noop', {}], ['nextSequence', { sequence: 'b' }]]);
  });

  it('initialSequences / sequences with limits and `name[N]` concurrency', () => {
    const { value } = scenario([
      'scenario:',
      '  maxRequests: 4',
      '  initialSequences:',
      '  - home:',
      '    - foreach: {fromVar: items, sequence: item}',
      '  sequences:',
      '  - item[20]:',
      '    - noop',
      '  - other [ 3 ]:',
      '    - newSequence: home',
    ].join('\n'));
    assert.deepEqual(value.initialSequences.map((s) => [s.name, s.concurrency]), [['home', 0]]);
    assert.deepEqual(value.sequences.map((s) => [s.name, s.concurrency]), [['item', 20], ['other', 3]]);
    assert.equal(value.maxRequests, 4);
    assert.equal(value.maxSequences, 24, 'one slot for home, 20 for item, 3 for other');
    assert.deepEqual(stepNames(value.initialSequences[0]), ['foreach'], 'no implicit nextSequence outside orderedSequences');
  });

  it('maxSequences may be given; lower than needed is a warning', () => {
    const { value, warnings } = scenario('scenario:\n  maxSequences: 2\n  initialSequences:\n  - a[4]: [noop]\n');
    assert.equal(value.maxSequences, 2);
    assert.deepEqual(warnings, ['2:17 maxSequences (2) is lower than the 4 sequence instances this scenario can run at once']);
  });

  it('the default metric of a request is its sequence name, also inside loops; explicit metrics are kept', () => {
    const { value } = scenario([
      'scenario:',
      '- browse:',
      '  - httpRequest: {GET: /a}',
      '  - httpRequest: {GET: /b, metric: special}',
      '- buy:',
      '  - loop:',
      '      counterVar: i',
      '      repeats: 2',
      '      steps:',
      '      - httpRequest: {POST: /buy}',
      '  - stopwatch:',
      '    - httpRequest: {GET: /c}',
    ].join('\n'));
    const [browse, buy] = [value.initialSequences[0], value.sequences[0]];
    assert.deepEqual(request(browse?.steps[0]).metric, { kind: 'name', name: 'browse' });
    assert.deepEqual(request(browse?.steps[1]).metric, { kind: 'name', name: 'special' });
    const loop = buy?.steps[0];
    assert.equal(loop?.name, 'loop');
    assert.deepEqual(request((loop.config as { steps: readonly StepSpec[] }).steps[0]).metric, { kind: 'name', name: 'buy' });
    const stopwatch = buy?.steps[1];
    assert.equal(stopwatch?.name, 'stopwatch');
    assert.equal(stopwatch.config.metric, 'buy');
    assert.deepEqual(request(stopwatch.config.steps[0]).metric, { kind: 'name', name: 'buy' });
  });

  it('aliased steps get the metric of the sequence they are used in', () => {
    const { value } = scenario([
      'scenario:',
      '- first: &steps',
      '  - httpRequest: {GET: /}',
      '- second: *steps',
    ].join('\n'));
    assert.deepEqual(request(value.initialSequences[0]?.steps[0]).metric, { kind: 'name', name: 'first' });
    assert.deepEqual(request(value.sequences[0]?.steps[0]).metric, { kind: 'name', name: 'second' });
  });

  it('warns about a loop that is not the first step', () => {
    const { warnings } = scenario('scenario:\n- s:\n  - noop\n  - loop: {counterVar: i, repeats: 2, steps: [noop]}\n');
    assert.deepEqual(warnings, ['4:5 loop restarts its sequence from the first step: make it the first step of the sequence']);
  });

  it('describes itself as JSON Schema with named step lists', () => {
    const defs = new Map();
    const schema = scenarioCodec.schema(defs);
    assert.ok(Array.isArray((schema as { anyOf: unknown[] }).anyOf));
    for (const name of ['sequence', 'steps', 'actions', 'processors']) assert.ok(defs.has(name), `missing $defs/${name}`);
    const steps = defs.get('steps') as { items: { anyOf: Array<{ enum?: string[] }> } };
    assert.ok(steps.items.anyOf[0]?.enum?.includes('awaitAllResponses'));
  });
});

describe('scenario errors', () => {
  it('an empty sequence', () => {
    assert.deepEqual(problems('scenario:\n- a:\n- b: []\n- c: [noop]\n'), [
      '2:3 sequence `a` is empty: a sequence needs at least one step',
      '3:6 sequence `b` is empty: a sequence needs at least one step',
    ]);
  });

  it('a sequence that is not a list of steps', () => {
    assert.deepEqual(problems('scenario:\n- a: noop\n'), ['2:6 sequence `a`: expected a list of steps, got `noop`']);
    assert.deepEqual(problems('scenario:\n- a: [noop]\n  b: [noop]\n'), ['2:3 expected one sequence per list item (`- name: [steps]`), got 2 keys: are you missing a `-`?']);
  });

  it('duplicate sequence names', () => {
    assert.deepEqual(problems('scenario:\n  initialSequences:\n  - a: [noop]\n  sequences:\n  - a[2]: [noop]\n'),
      ['5:5 sequence `a` is defined twice (first at t.yaml:3:5)']);
  });

  it('malformed concurrency', () => {
    assert.deepEqual(problems('scenario:\n- a[x]: [noop]\n- b[2: [noop]\n'), [
      '2:3 malformed sequence name `a[x]`: write `name`, or `name[N]` for up to N concurrent instances',
      '3:3 malformed sequence name `b[2`: write `name`, or `name[N]` for up to N concurrent instances',
    ]);
  });

  it('references to undefined sequences, wherever they are written, with suggestions', () => {
    assert.deepEqual(problems([
      'scenario:',
      '  initialSequences:',
      '  - home:',
      '    - newSequence: watchMovei',
      '    - foreach: {fromVar: m, sequence: addComent}',
      '    - httpRequest:',
      '        GET: /',
      '        handler:',
      '          onCompletion: [{newSequence: {sequence: nowhere}}]',
      '          body: {queue: {var: q, maxSize: 4, concurrency: 2, sequence: addComment}}',
      '    - nextSequence: {name: watchMovie}',
      '  sequences:',
      '  - watchMovie: [noop]',
      '  - addComment[4]: [noop]',
    ].join('\n')), [
      '4:20 no sequence `watchMovei` in this scenario. Did you mean `watchMovie`?',
      '5:39 no sequence `addComent` in this scenario. Did you mean `addComment`?',
      '9:51 no sequence `nowhere` in this scenario. Sequences: `home`, `watchMovie`, `addComment`',
    ]);
  });

  it('forceSameIndex needs the same concurrency', () => {
    assert.deepEqual(problems([
      'scenario:',
      '  initialSequences:',
      '  - a[4]:',
      '    - newSequence: {sequence: b, forceSameIndex: true}',
      '  sequences:',
      '  - b[2]: [noop]',
    ].join('\n')), ['4:31 newSequence.forceSameIndex needs `b` to have the concurrency of `a` (4), but it has 2']);
  });

  it('no initial sequence, unknown keys, wrong shapes', () => {
    assert.deepEqual(problems('scenario:\n  sequences:\n  - a: [noop]\n'), ['2:3 the scenario has no initial sequence: add `initialSequences` (or use `orderedSequences`, or a plain list of sequences)']);
    assert.deepEqual(problems('scenario:\n  initialSequence:\n  - a: [noop]\n'), [
      '2:3 unknown property `initialSequence` in the scenario. Did you mean `initialSequences`? Expected one of: initialSequences, sequences, orderedSequences, maxRequests, maxSequences',
    ]);
    assert.deepEqual(problems('scenario: hello\n'), ['1:11 expected a scenario: a list of sequences (`- name: [steps]`) or a mapping with `initialSequences`/`sequences`/`orderedSequences`, got a single value']);
    assert.deepEqual(problems('scenario:\n  maxRequests: 0\n  initialSequences: [{a: [noop]}]\n'), ['2:16 expected a whole number between 1 and 2147483647, got 0']);
  });

  it('reports problems of several sequences and steps together, in file order, references included', () => {
    assert.deepEqual(problems([
      'scenario:',
      '- one:',
      '  - randomInt: x <- 1 -- 5',
      '  - newSequence: three',
      '- two:',
      '  - awaitVar:',
      '  - httpRequest: {GET: "/${id"}',
    ].join('\n')), [
      '3:16 expected `variable <- min .. max` such as `id <- 1 .. 999`, got `x <- 1 -- 5`',
      '4:18 no sequence `three` in this scenario. Sequences: `one`, `two`',
      '6:14 awaitVar needs a value: a mapping of properties or the inline form (a variable name, or `!name` to wait until it is unset)',
      '7:24 `${id` has no closing `}` (write `$${` for a literal `${`)',
    ]);
  });
});
