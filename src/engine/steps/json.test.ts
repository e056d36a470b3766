import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectArrayVar } from '../vars.js';
import { feed, runScenario, splitBytes } from './test-support.js';

const elements = (value: unknown): unknown[] => {
  assert.ok(value instanceof ObjectArrayVar, `expected an array, got ${String(value)}`);
  return value.values.map((v, i) => (value.set[i] === 1 ? v : undefined));
};

const DOC = JSON.stringify({
  items: [{ id: 'a1', name: 'Žluťoučký kůň' }, { id: 'b2', name: 'say "hi"\n' }, { id: 'c3', name: 'ok' }],
  total: 3,
});

describe('json processor', () => {
  it('gives the same results for every way the document is split into parts', () => {
    const bytes = Buffer.from(DOC, 'utf8');
    for (let size = 1; size <= bytes.length; size++) {
      const run = feed(`
json:
  query: .items[].name
  toArray: names[4]
`, [splitBytes(bytes, size)]);
      assert.deepEqual(elements(run.value('names')), ['Žluťoučký kůň', 'say "hi"\n', 'ok', undefined], `parts of ${size} bytes`);
    }
  });

  it('unquote: strings arrive without quotes and unescaped by default, raw with `unquote: false`', () => {
    const run = feed(`
- json:
    query: .items[1].name
    toVar: unquoted
- json:
    query: .items[1].name
    unquote: false
    toVar: raw
- json:
    query: .items[0]
    toVar: object
- json:
    query: .total
    toVar: total
`, [[DOC]]);
    assert.equal(run.value('unquoted'), 'say "hi"\n');
    assert.equal(run.value('raw'), '"say \\"hi\\"\\n"');
    assert.deepEqual(JSON.parse(run.value('object') as string), { id: 'a1', name: 'Žluťoučký kůň' });
    assert.equal(run.value('total'), '3');
  });

  it('toVar keeps the first match; format BYTES stores bytes', () => {
    const run = feed(`
json:
  query: .items[].id
  toVar: first
  format: BYTES
`, [[DOC]]);
    const first = run.value('first');
    assert.ok(Buffer.isBuffer(first));
    assert.equal(first.toString(), 'a1');
  });

  it('nested processors get every match; before/after bracket each document', () => {
    const run = feed(`
json:
  query: .items[].id
  processor:
  - count: ids
  - array:
      toVar: all
      maxSize: 5
`, [[DOC], ['{"items": [{"id": "x"}]}']]);
    assert.equal(run.value('ids'), 1, 'the count restarted with the second document');
    assert.deepEqual(elements(run.value('all')), ['x', undefined, undefined, undefined, undefined]);
  });

  it('delete: the processors receive the whole document without the selected parts', () => {
    const run = feed(`
json:
  query: .items[].name
  delete: true
  processor:
    store: stripped
`, [splitBytes(DOC, 7)]);
    assert.deepEqual(JSON.parse(run.value('stripped') as string), { items: [{ id: 'a1' }, { id: 'b2' }, { id: 'c3' }], total: 3 });
  });

  it('replace with a pattern, and with actions that see the (unquoted) value', () => {
    const byPattern = feed(`
- set:
    var: mask
    value: '"***"'
- json:
    query: .items[].id
    replace: \${mask}
    processor:
      store: masked
`, [[DOC]]);
    assert.deepEqual(JSON.parse(byPattern.value('masked') as string).items.map((i: { id: string }) => i.id), ['***', '***', '***']);
    const byActions = feed(`
json:
  query: .items[].id
  replace:
    actions:
      var: id
      actions:
      - addToInt: { var: calls, value: 1, orElseSetTo: 1 }
      pattern: '"\${id}-\${calls}"'
  processor:
    store: changedDoc
`, [[DOC]]);
    assert.deepEqual(JSON.parse(byActions.value('changedDoc') as string).items.map((i: { id: string }) => i.id), ['a1-1', 'b2-2', 'c3-3']);
  });

  it('malformed JSON: the values before the fault are delivered, one warning', () => {
    const run = feed(`
json:
  query: .[]
  toArray: got[3]
`, [['[1, 2 3]'], ['[1, 2 3]']]);
    assert.deepEqual(elements(run.value('got')), ['1', '2', undefined]);
    assert.equal(run.logs.filter((l) => l.includes('malformed JSON')).length, 1);
  });
});

describe('json step', () => {
  it('reads JSON from a text variable', () => {
    const run = runScenario(`
- main:
  - set: doc <- {"user":{"name":"ann","age":41}}
  - json:
      fromVar: doc
      query: .user.name
      toVar: name
  - json:
      fromVar: doc
      query: .user.age
      processor:
        storeInt: age
`);
    assert.equal(run.value('name'), 'ann');
    assert.equal(run.value('age'), 41);
  });

  it('the choose-movie flow: bytes in an array, one sequence per element reads its own', () => {
    const run = runScenario(`
initialSequences:
- home:
  - set: body <- [{"name":"A","quality":90},{"name":"B","quality":40}]
  - json:
      fromVar: body
      query: .[]
      processor:
        array:
          toVar: movies
          format: BYTES
          maxSize: 10
  - set:
      var: quality
      objectArray:
        size: 10
  - set:
      var: movieNames
      objectArray:
        size: 10
  - foreach:
      fromVar: movies
      sequence: addComment
sequences:
- addComment[10]:
  - json:
      fromVar: movies[.]
      query: .quality
      toVar: quality[.]
  - breakSequence:
      intCondition:
        fromVar: quality[.]
        greaterOrEqualTo: 80
  - json:
      fromVar: movies[.]
      query: .name
      toVar: movieNames[.]
`);
    assert.deepEqual(run.errors(), []);
    assert.ok(Buffer.isBuffer(elements(run.value('movies'))[0]));
    assert.deepEqual(elements(run.value('quality')).slice(0, 3), ['90', '40', undefined]);
    assert.deepEqual(elements(run.value('movieNames')).slice(0, 3), [undefined, 'B', undefined], 'A broke out (quality 90 >= 80)');
  });
});
