import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID } from '../codec.js';
import { decodeYaml, valueOf } from '../decode-testing.js';
import { processorList, stepList, stepRegistry, actionRegistry, processorRegistry } from './index.js';
import type { StepSpec, ProcessorSpec } from './index.js';

/** Decodes a step list and returns the configs by position; fails with the problems when invalid. */
function steps(yaml: string, files?: Record<string, string>): StepSpec[] {
  const result = decodeYaml(stepList, yaml, files ? { files: (name) => (name in files ? Buffer.from(files[name] as string) : undefined) } : {});
  assert.deepEqual(result.problems, [], 'expected no problems');
  return valueOf(result);
}

type ConfigOf<N extends StepSpec['name']> = Extract<StepSpec, { name: N }>['config'];

function config<N extends StepSpec['name']>(step: StepSpec | undefined, name: N): ConfigOf<N> {
  assert.ok(step, `no step ${name}`);
  assert.equal(step.name, name);
  return step.config as unknown as ConfigOf<N>;
}

function problems(yaml: string): string[] {
  const result = decodeYaml(stepList, yaml);
  assert.equal(result.value, INVALID, 'expected the list to be refused');
  return result.problems;
}

const ref = (name: string, indexed = false) => ({ name, indexed });

describe('step inline forms', () => {
  it('randomInt: `var <- min .. max`', () => {
    const [step] = steps('- randomInt: itemId <- 1 .. 999\n');
    assert.deepEqual(config(step, 'randomInt'), { toVar: ref('itemId'), min: { value: 1 }, max: { value: 999 } });
    const [negative] = steps('- randomInt: x[.] <- -5..5\n');
    assert.deepEqual(config(negative, 'randomInt'), { toVar: ref('x', true), min: { value: -5 }, max: { value: 5 } });
  });

  it('randomInt: defaults, IntSource forms and bad ranges', () => {
    const [a, b] = steps('- randomInt: {toVar: x}\n- randomInt: {toVar: y, min: {fromVar: lo}, max: {value: 7}}\n');
    assert.deepEqual(config(a, 'randomInt'), { toVar: ref('x'), min: { value: 0 }, max: { value: 2147483647 } });
    assert.deepEqual(config(b, 'randomInt'), { toVar: ref('y'), min: { fromVar: ref('lo') }, max: { value: 7 } });
    assert.deepEqual(problems('- randomInt: x <- 9 .. 1\n'), ['1:14 randomInt: min (9) is greater than max (1)']);
    assert.deepEqual(problems('- randomInt: x <- 1 - 9\n'), ['1:14 expected `variable <- min .. max` such as `id <- 1 .. 999`, got `x <- 1 - 9`']);
  });

  it('set: `var <- value`, and arrays', () => {
    const [a, b, c] = steps('- set: commented <- true\n- set: etag <- "quoted text"\n- set: {var: quality, objectArray: {size: 10}}\n');
    assert.deepEqual(config(a, 'set'), { var: ref('commented'), value: { kind: 'text', text: 'true' } });
    assert.deepEqual(config(b, 'set'), { var: ref('etag'), value: { kind: 'text', text: '"quoted text"' } });
    assert.deepEqual(config(c, 'set'), { var: ref('quality'), value: { kind: 'objectArray', size: 10 } });
    assert.deepEqual(problems('- set: novalue\n'), ['1:8 expected `variable <- value`, got `novalue`']);
    assert.deepEqual(problems('- set: {var: x, value: a, intArray: {size: 2}}\n'), ['1:8 set takes only one of `value`, `objectArray`, `intArray`, got `value`, `intArray`']);
  });

  it('setInt: `var <- 33`, fromVar, min/max lists and intCondition', () => {
    const [a, b, c] = steps([
      '- setInt: foo <- 33',
      '- setInt: {var: x, max: [1, {fromVar: y}], onlyIfNotSet: true}',
      '- setInt: {var: z, value: -4, intCondition: {lessThan: 10}}',
    ].join('\n'));
    assert.deepEqual(config(a, 'setInt'), { var: ref('foo'), value: { kind: 'value', value: 33 }, onlyIfNotSet: false, intCondition: [] });
    assert.deepEqual(config(b, 'setInt'), { var: ref('x'), value: { kind: 'max', of: [{ value: 1 }, { fromVar: ref('y') }] }, onlyIfNotSet: true, intCondition: [] });
    assert.deepEqual(config(c, 'setInt'), { var: ref('z'), value: { kind: 'value', value: -4 }, onlyIfNotSet: false, intCondition: [{ op: 'lessThan', than: { value: 10 } }] });
    assert.deepEqual(problems('- setInt: foo <- bar\n'), ['1:11 expected `variable <- value` with a whole number as the value, got `foo <- bar`']);
  });

  it('addToInt: `v++`, `v--`, `v += n`, `v -= n`', () => {
    const list = steps('- addToInt: a++\n- addToInt: b--\n- addToInt: c += 5\n- addToInt: d -= 2\n- addToInt: {var: e, value: 3, orElseSetTo: 0}\n');
    assert.deepEqual(list.map((s) => s.config), [
      { var: ref('a'), value: 1 }, { var: ref('b'), value: -1 }, { var: ref('c'), value: 5 }, { var: ref('d'), value: -2 },
      { var: ref('e'), value: 3, orElseSetTo: 0 },
    ]);
    assert.deepEqual(problems('- addToInt: c += 0\n'), ['1:13 addToInt: adding 0 does nothing; use a non-zero `value`']);
    assert.deepEqual(problems('- addToInt: c * 2\n'), ['1:13 expected `var++`, `var--`, `var += value` or `var -= value`, got `c * 2`']);
  });

  it('stringToInt, unset, randomUUID, timestamp, template', () => {
    const list = steps([
      '- stringToInt: a -> b',
      '- unset: c',
      '- randomUUID: id',
      '- timestamp: now',
      '- template: {pattern: "${u}:${p}", toVar: t}',
    ].join('\n'));
    assert.deepEqual(config(list[0], 'stringToInt'), { fromVar: ref('a'), toVar: ref('b') });
    assert.deepEqual(config(list[1], 'unset'), { var: ref('c') });
    assert.deepEqual(config(list[2], 'randomUUID'), { toVar: ref('id') });
    assert.deepEqual(config(list[3], 'timestamp'), { toVar: ref('now'), localeCountry: 'US' });
    assert.deepEqual(config(list[4], 'template').pattern.parts.map((p) => p.kind), ['var', 'literal', 'var']);
    assert.deepEqual(problems('- stringToInt: a b\n'), ['1:16 expected `fromVar -> toVar`, got `a b`']);
  });

  it('randomItem: `to <- from`, plain and weighted lists, files', () => {
    const list = steps([
      '- randomItem: selected <- movies',
      '- randomItem: {toVar: a, list: [x, y]}',
      '- randomItem: {toVar: b, list: [{x: 2}, {y: 1}]}',
      '- randomItem: {toVar: c, list: {x: 0.5, y: 1.5}}',
      '- randomItem: {toVar: d, file: names.txt}',
    ].join('\n'), { 'names.txt': 'ann\r\n\nbob\n' });
    assert.deepEqual(config(list[0], 'randomItem'), { toVar: ref('selected'), source: { kind: 'fromVar', fromVar: ref('movies') } });
    assert.deepEqual(config(list[1], 'randomItem').source, { kind: 'items', items: ['x', 'y'] });
    assert.deepEqual(config(list[2], 'randomItem').source, { kind: 'items', items: ['x', 'y'], weights: [2, 1] });
    assert.deepEqual(config(list[3], 'randomItem').source, { kind: 'items', items: ['x', 'y'], weights: [0.5, 1.5] });
    assert.deepEqual(config(list[4], 'randomItem').source, { kind: 'items', file: 'names.txt', items: ['ann', 'bob'] });
  });

  it('randomItem: refuses mixed, duplicate and missing sources', () => {
    assert.deepEqual(problems('- randomItem: {toVar: a, list: [x, {y: 1}]}\n'), ['1:33 randomItem.list: cannot mix plain items and weighted items (`item: weight`)']);
    assert.deepEqual(problems('- randomItem: {toVar: a, list: {x: 1, y: 2, x2: 1}, fromVar: z}\n'), ['1:15 randomItem takes only one of `list`, `file`, `fromVar`, got `list`, `fromVar`']);
    assert.deepEqual(problems('- randomItem: {toVar: a}\n'), ['1:15 randomItem needs one of `list`, `file`, `fromVar`']);
    const missing = problems('- randomItem: {toVar: a, file: nope.txt}\n');
    assert.equal(missing.length, 1);
    assert.match(missing[0] as string, /^1:32 cannot read data file `nope.txt`/);
  });

  it('randomCsvRow: columns by index, quotes removed, short rows give null', () => {
    const [step] = steps('- randomCsvRow: {file: c.csv, columns: {2: c, 0: a}}\n', { 'c.csv': 'x,"y, ""q""",z\nonly\n' });
    assert.deepEqual(config(step, 'randomCsvRow'), {
      file: 'c.csv', columns: [{ index: 0, toVar: ref('a') }, { index: 2, toVar: ref('c') }],
      rows: [['x', 'z'], ['only', null]], separator: ',', skipComments: false,
    });
    assert.deepEqual(decodeYaml(stepList, '- randomCsvRow: {file: c.csv, columns: {x: a}}\n', { files: () => Buffer.from('') }).problems,
      ['1:41 randomCsvRow.columns: `x` is not a column index (0, 1, 2 …)']);
  });

  it('thinkTime: inline duration (no unit = seconds) and randomized forms', () => {
    const list = steps([
      '- thinkTime: 100ms',
      '- thinkTime: 2',
      '- thinkTime: {duration: 3s}',
      '- thinkTime: {random: LINEAR, min: 1s, max: 2s}',
      '- thinkTime: {random: NEGATIVE_EXPONENTIAL, duration: 500ms, max: 5s, fromLast: }',
    ].join('\n'));
    assert.deepEqual(list.map((s) => s.config), [
      { random: 'CONSTANT', type: 'FROM_NOW', durationMs: 100, minMs: 0 },
      { random: 'CONSTANT', type: 'FROM_NOW', durationMs: 2000, minMs: 0 },
      { random: 'CONSTANT', type: 'FROM_NOW', durationMs: 3000, minMs: 0 },
      { random: 'LINEAR', type: 'FROM_NOW', durationMs: 0, minMs: 1000, maxMs: 2000 },
      { random: 'NEGATIVE_EXPONENTIAL', type: 'FROM_LAST', durationMs: 500, minMs: 0, maxMs: 5000 },
    ]);
    assert.deepEqual(problems('- thinkTime: {duration: 1s, max: 2s}\n'), ['1:34 thinkTime: `min` and `max` apply only to a randomized delay (`random: LINEAR` or `NEGATIVE_EXPONENTIAL`)']);
    assert.deepEqual(problems('- thinkTime: {random: linear}\n'), ['1:23 expected one of `CONSTANT`, `LINEAR`, `NEGATIVE_EXPONENTIAL`, got `linear`. Did you mean `LINEAR`?']);
  });

  it('scheduleDelay + awaitDelay, awaitVar `v` / `!v`, awaitInt', () => {
    const list = steps([
      '- scheduleDelay: {key: k, duration: 1s, fromNow: }',
      '- awaitDelay: k',
      '- awaitVar: done',
      '- awaitVar: "!busy"',
      '- awaitInt: {var: n, greaterOrEqualTo: 3, lessThan: {fromVar: max}}',
    ].join('\n'));
    assert.deepEqual(config(list[0], 'scheduleDelay'), { random: 'CONSTANT', type: 'FROM_NOW', durationMs: 1000, minMs: 0, key: ref('k') });
    assert.deepEqual(config(list[1], 'awaitDelay'), { key: ref('k') });
    assert.deepEqual(config(list[2], 'awaitVar'), { var: ref('done'), unset: false });
    assert.deepEqual(config(list[3], 'awaitVar'), { var: ref('busy'), unset: true });
    assert.deepEqual(config(list[4], 'awaitInt'), {
      var: ref('n'), comparisons: [{ op: 'greaterOrEqualTo', than: { value: 3 } }, { op: 'lessThan', than: { fromVar: ref('max') } }],
    });
    assert.deepEqual(problems('- scheduleDelay: {duration: 1s}\n'), ['1:18 scheduleDelay needs `key`, the delay point that awaitDelay waits for']);
  });

  it('newSequence / nextSequence inline, log with `{}` placeholders, fail', () => {
    const list = steps([
      '- newSequence: watchMovie',
      '- nextSequence: {name: other}',
      '- log: "hello ${who}"',
      '- log: {message: "Foo is {} and {}", vars: [foo, "bar[.]"]}',
      '- fail: {message: too many, intCondition: errors > 3}',
    ].join('\n'));
    assert.deepEqual(config(list[0], 'newSequence'), { sequence: 'watchMovie', concurrencyPolicy: 'FAIL', forceSameIndex: false });
    assert.deepEqual(config(list[1], 'nextSequence'), { sequence: 'other' });
    assert.equal(config(list[2], 'log').message.source, 'hello ${who}');
    assert.equal(config(list[3], 'log').message.source, 'Foo is ${foo} and ${bar[.]}');
    assert.deepEqual(config(list[3], 'log').message.parts[3], { kind: 'var', ref: ref('bar', true), format: { kind: 'plain' } });
    assert.deepEqual(config(list[4], 'fail'), {
      message: 'too many', condition: { kind: 'int', fromVar: ref('errors'), isSet: true, comparisons: [{ op: 'greaterThan', than: { value: 3 } }] },
    });
    assert.deepEqual(problems('- log: {message: "only {}", vars: [a, b]}\n'), ['1:18 log: the message has no `{}` placeholder left for variable `b`']);
    // `message` is optional, as in Hyperfoil: the failure then names where the action is written.
    assert.deepEqual(config(steps('- noop\n- fail:\n    intCondition: errors > 3\n')[1], 'fail').message, 'fail action at t.yaml:3:5');
  });

  it('json replace as a list of transformers (repeated invocations), one transformer at most', () => {
    const result = decodeYaml(processorList, [
      '- json:',
      '    query: .name',
      '    replace:',
      '    - actions:',
      '        var: name',
      '        actions: [{unset: other}]',
      '        pattern: \'"${name}"\'',
      '    processor: {store: whole}',
    ].join('\n'));
    assert.deepEqual(result.problems, []);
    const replace = (valueOf(result)[0]?.config as { replace: { kind: string; var: unknown } }).replace;
    assert.equal(replace.kind, 'actions');
    assert.deepEqual(replace.var, ref('name'));
    const two = decodeYaml(processorList, '- json: {query: .a, replace: [{pattern: \'"x"\'}, {actions: {var: v, pattern: \'"y"\'}}]}\n');
    assert.deepEqual(two.problems, ['1:30 replace takes one of `pattern` or `actions`']);
  });

  it('intCondition inline operators, including `<>`', () => {
    const ops = ['==', '!=', '<>', '>=', '>', '<=', '<'].map((op) => `- breakSequence: {intCondition: "n ${op} 2"}`).join('\n');
    const list = steps(ops);
    assert.deepEqual(list.map((s) => (config(s, 'breakSequence').condition as unknown as { comparisons: Array<{ op: string }> }).comparisons[0]?.op),
      ['equalTo', 'notEqualTo', 'notEqualTo', 'greaterOrEqualTo', 'greaterThan', 'lessOrEqualTo', 'lessThan']);
    assert.deepEqual(problems('- breakSequence: {intCondition: n ~ 2}\n'), ['1:33 expected `variable <operator> value` with one of ==, !=, <>, >=, >, <=, < (e.g. `counter >= 3`), got `n ~ 2`']);
    assert.deepEqual(problems('- breakSequence: {onBreak: [{set: x <- 1}]}\n'), ['1:18 breakSequence needs a condition: `intCondition`, `stringCondition`, `boolCondition` or `allConditions`']);
  });

  it('conditions: string, bool, allConditions (nested) and one-condition rule', () => {
    const [step] = steps([
      '- conditional:',
      '    allConditions:',
      '    - stringCondition: {fromVar: s, startsWith: ab, caseSensitive: false}',
      '    - boolCondition: {fromVar: flag}',
      '    - allConditions: [{intCondition: "n < 3"}]',
      '    actions:',
      '    - set: hit <- 1',
    ].join('\n'));
    assert.deepEqual(config(step, 'conditional').condition, {
      kind: 'all', conditions: [
        { kind: 'string', fromVar: ref('s'), isSet: true, content: { kind: 'prefix', text: 'ab' }, length: [], caseSensitive: false, negate: false },
        { kind: 'bool', fromVar: ref('flag'), value: true },
        { kind: 'all', conditions: [{ kind: 'int', fromVar: ref('n'), isSet: true, comparisons: [{ op: 'lessThan', than: { value: 3 } }] }] },
      ],
    });
    assert.deepEqual(problems('- conditional: {intCondition: "a > 1", boolCondition: {fromVar: b}, actions: [markRequestInvalid]}\n'),
      ['1:16 conditional takes one condition, got `intCondition`, `boolCondition`: combine them with `allConditions`']);
    assert.deepEqual(problems('- conditional: {stringCondition: {fromVar: s}, actions: [markRequestInvalid]}\n'),
      ['1:34 stringCondition needs one of `value`/`equalTo`, `notEqualTo`, `startsWith`, `endsWith`, `matchVar` or `length`']);
  });

  it('shared data: counters inline and mapping', () => {
    const list = steps([
      '- addToSharedCounter: c++',
      '- addToSharedCounter: c -= 3',
      '- addToSharedCounter: {key: c, fromVar: n, operator: SUBTRACT}',
      '- setSharedCounter: c',
      '- getSharedCounter: {key: c, toVar: v}',
      '- publishGlobalCounters: {key: k, vars: [a, {b: bb}]}',
    ].join('\n'));
    assert.deepEqual(list.map((s) => s.config), [
      { key: 'c', operator: 'ADD', amount: { value: 1 } },
      { key: 'c', operator: 'SUBTRACT', amount: { value: 3 } },
      { key: 'c', operator: 'SUBTRACT', amount: { fromVar: ref('n') } },
      { key: 'c', value: { fromVar: ref('c') } },
      { key: 'c', toVar: ref('v') },
      { key: 'k', counters: [{ name: 'a', fromVar: ref('a') }, { name: 'b', fromVar: ref('bb') }] },
    ]);
  });

  it('bare steps and actions used as steps', () => {
    const list = steps('- awaitAllResponses\n- stop\n- noop:\n- breakIfFinished: {}\n- markRequestInvalid\n- restartSequence\n- clearHttpCache\n');
    assert.deepEqual(list.map((s) => [s.name, s.config]), [
      ['awaitAllResponses', {}], ['stop', {}], ['noop', {}], ['breakIfFinished', {}], ['markRequestInvalid', {}], ['restartSequence', {}], ['clearHttpCache', {}],
    ]);
    assert.equal(list[1]?.at, 't.yaml:2:3');
  });

  it('loop and stopwatch nest steps', () => {
    const [loop, watch] = steps('- loop: {counterVar: i, repeats: 3, steps: [noop, {set: x <- y}]}\n- stopwatch:\n  - thinkTime: 1ms\n');
    const loopConfig = config(loop, 'loop');
    assert.equal(loopConfig.repeats, 3);
    assert.deepEqual(loopConfig.steps.map((s) => s.name), ['noop', 'set']);
    assert.deepEqual(config(watch, 'stopwatch').steps.map((s) => s.name), ['thinkTime']);
  });

  it('json as a step and as a processor, with inline forms and queries', () => {
    const [step] = steps('- json: {fromVar: doc, query: ".a.b[1:3]", toArray: "out[5]", format: BYTES}\n');
    assert.deepEqual(config(step, 'json'), {
      fromVar: ref('doc'), query: '.a.b[1:3]',
      selectors: [{ kind: 'attribute', name: 'a' }, { kind: 'attribute', name: 'b' }, { kind: 'array', start: 1, end: 3 }],
      unquote: true, delete: false, processors: [], toArray: { name: 'out', maxSize: 5 }, format: 'BYTES',
    });
    const result = decodeYaml(processorList, '- json: .items[].id -> id\n- json: name <- .name\n- json: {query: ".[0]", replace: "\\"x\\"", processor: {store: whole}}\n');
    assert.deepEqual(result.problems, []);
    const processors = valueOf(result);
    assert.deepEqual(processors[0]?.config, {
      query: '.items[].id', selectors: [{ kind: 'attribute', name: 'items' }, { kind: 'array', start: 0 }, { kind: 'attribute', name: 'id' }],
      unquote: true, delete: false, processors: [], toVar: ref('id'), format: 'STRING',
    });
    assert.deepEqual((processors[1]?.config as { toVar: unknown; query: string }).query, '.name');
    const replaced = processors[2]?.config as { replace: { kind: string }; processors: ProcessorSpec[] };
    assert.equal(replaced.replace.kind, 'pattern');
    assert.deepEqual(replaced.processors.map((p) => [p.name, p.config]), [['store', { toVar: ref('whole'), format: 'STRING' }]]);
    assert.deepEqual(problems('- json: {fromVar: d, query: items, toVar: x}\n'), ['1:29 a JSON query starts with `.`, e.g. `.items[].id`; got `items`']);
    assert.deepEqual(problems('- json: .a -> x\n'), ['1:9 as a step, json reads the JSON from `fromVar`, which the inline form cannot name: write `{fromVar: …, query: …, toVar: …}`']);
  });

  it('processors: inline store, array, count, storeInt; actions as processors; legacy `simple` warns', () => {
    const result = decodeYaml(processorList, '- store: token\n- array: ids[10]\n- count: n\n- storeInt: i\n- set: seen <- yes\n- simple: {toVar: old}\n');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.warnings, ['6:11 `simple` was renamed to `store`']);
    assert.deepEqual(valueOf(result).map((p) => [p.name, p.config]), [
      ['store', { toVar: ref('token'), format: 'STRING' }],
      ['array', { toVar: 'ids', maxSize: 10, format: 'STRING', silent: false }],
      ['count', { toVar: ref('n') }],
      ['storeInt', { toVar: ref('i'), override: false }],
      ['set', { var: ref('seen'), value: { kind: 'text', text: 'yes' } }],
      ['simple', { toVar: ref('old'), format: 'STRING' }],
    ]);
    assert.deepEqual(decodeYaml(processorList, 'store: a\narray: b[2]\n').problems, [], 'a mapping of processors is accepted');
  });

  it('getSize filters and collection actions', () => {
    const list = steps([
      '- getSize: {fromVar: arr, toVar: n, stringFilter: {value: x, negate: true}}',
      '- getItem: {fromVar: arr, index: 2, toVar: it}',
      '- getIndex: {collection: arr, item: needle, toVar: at}',
      '- addItem: {toVar: arr, fromVar: it}',
    ].join('\n'));
    assert.deepEqual(config(list[0], 'getSize'), {
      fromVar: ref('arr'), toVar: ref('n'), filter: { kind: 'string', match: { content: { kind: 'equal', text: 'x' }, length: [], caseSensitive: true, negate: true } },
    });
    assert.deepEqual(config(list[1], 'getItem'), { fromVar: ref('arr'), index: { value: 2 }, toVar: ref('it') });
    assert.deepEqual(config(list[2], 'getIndex'), { collection: ref('arr'), item: { value: 'needle' }, toVar: ref('at') });
    assert.deepEqual(config(list[3], 'addItem'), { toVar: ref('arr'), item: { fromVar: ref('it') } });
  });
});

describe('step errors', () => {
  it('an unknown step suggests the closest names', () => {
    assert.deepEqual(problems('- noop\n- thinktime: 1s\n'), ['2:3 unknown step `thinktime`. Did you mean `thinkTime`?']);
  });

  it('an unsupported step says why', () => {
    assert.deepEqual(problems('- hotrodRequest: {get: cache}\n'), ['1:3 step `hotrodRequest` is not supported yet: HotRod (Infinispan) requests are not implemented; this load driver speaks HTTP only']);
  });

  it('a processor is not a step and a step is not an action', () => {
    assert.deepEqual(problems('- store: x\n'), ['1:3 unknown step `store`. Did you mean `stop`?']);
    assert.deepEqual(decodeYaml(processorList, '- thinkTime: 1s\n').problems, ['1:3 unknown processor `thinkTime`']);
  });

  it('property names and enums are case-sensitive, with suggestions', () => {
    assert.deepEqual(problems('- randomInt: {ToVar: x}\n'), ['1:15 unknown property `ToVar` in randomInt. Did you mean `toVar`? Expected one of: toVar, min, max']);
    assert.deepEqual(problems('- newSequence: {sequence: s, concurrencyPolicy: warn}\n'), ['1:49 expected one of `FAIL`, `WARN`, got `warn`. Did you mean `WARN`?']);
  });

  it('wrong types are reported where they are written', () => {
    assert.deepEqual(problems('- randomInt: {toVar: x, min: abc}\n'), ['1:30 expected a whole number between -2147483648 and 2147483647, got `abc`']);
    assert.deepEqual(problems('- loop: {counterVar: i, repeats: three, steps: [noop]}\n'), ['1:34 expected a whole number between 1 and 2147483647, got `three`']);
    assert.deepEqual(problems('- randomItem: [a, b]\n'), ['1:15 randomItem: expected a mapping of properties or the inline form (`toVar <- fromVar`), got a list']);
    assert.deepEqual(problems('- httpRequest\n'), ['1:3 httpRequest needs a value: a mapping of properties']);
  });

  it('a mapping with two steps in one item says what is missing', () => {
    assert.deepEqual(problems('- noop:\n  stop:\n'), ['1:3 expected one step per list item (`- name: …`), got a mapping with 2 keys: are you missing a `-` or an indentation?']);
  });

  it('reports several independent problems together', () => {
    assert.deepEqual(problems([
      '- setInt: x <- y',
      '- thinkTme: 1s',
      '- randomInt: {toVar: v, max: 1.5}',
      '- log: "${unclosed"',
    ].join('\n')), [
      '1:11 expected `variable <- value` with a whole number as the value, got `x <- y`',
      '2:3 unknown step `thinkTme`. Did you mean `thinkTime`?',
      '3:30 expected a whole number between -2147483648 and 2147483647, got `1.5`',
      '4:8 `${unclosed` has no closing `}` (write `$${` for a literal `${`)',
    ]);
  });

  it('the registries hold every documented non-HTTP/2, non-HotRod name', () => {
    const actions = ['addItem', 'addToInt', 'addToSharedCounter', 'clearHttpCache', 'conditional', 'fail', 'getIndex', 'getItem',
      'getSharedCounter', 'getSize', 'log', 'markRequestInvalid', 'newSequence', 'publishAgentData', 'publishGlobalCounters',
      'readAgentData', 'removeItem', 'restartSequence', 'set', 'setInt', 'setItem', 'setSharedCounter', 'stringToInt', 'unset'];
    const steps = [...actions, 'awaitAllResponses', 'awaitDelay', 'awaitInt', 'awaitVar', 'breakIfFinished', 'breakSequence',
      'foreach', 'httpRequest', 'json', 'loop', 'nextSequence', 'noop', 'pullSharedMap', 'pushSharedMap', 'randomCsvRow', 'randomFile',
      'randomInt', 'randomItem', 'randomUUID', 'scheduleDelay', 'stop', 'stopwatch', 'template', 'thinkTime', 'timestamp'];
    const processors = [...actions, 'array', 'closeConnection', 'collection', 'count', 'gzipInflator', 'json', 'logInvalid', 'parseHtml',
      'queue', 'simple', 'store', 'storeInt'];
    assert.deepEqual(Object.keys(actionRegistry.codecs).sort(), [...actions].sort());
    assert.deepEqual(Object.keys(stepRegistry.codecs).sort(), [...new Set(steps)].sort());
    assert.deepEqual(Object.keys(processorRegistry.codecs).sort(), [...new Set(processors)].sort());
    assert.deepEqual(Object.keys(stepRegistry.unsupported ?? {}), ['hotrodRequest']);
  });
});
