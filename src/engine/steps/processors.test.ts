import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ObjectArrayVar } from '../vars.js';
import { inflateMembers } from './gzip.js';
import { feed, runScenario, splitBytes } from './test-support.js';

const elements = (value: unknown): unknown[] => {
  assert.ok(value instanceof ObjectArrayVar, `expected an array, got ${String(value)}`);
  return value.values.map((v, i) => (value.set[i] === 1 ? v : undefined));
};

describe('store, storeInt', () => {
  it('store joins the parts of an item; each document starts unset and keeps its first item', () => {
    const run = feed(`
- store: whole
- store:
    toVar: bytes
    format: BYTES
`, [['hel', 'lo ', 'wörld'.slice(0, 2), 'wörld'.slice(2)]]);
    assert.equal(run.value('whole'), 'hello wörld');
    assert.deepEqual(run.value('bytes'), Buffer.from('hello wörld'));
    const firstWins = feed(`
json:
  query: .[]
  processor:
    store: first
`, [['["a", "b"]']]);
    assert.equal(firstWins.value('first'), 'a');
    const legacy = feed('simple: old', [['x']]);
    assert.equal(legacy.value('old'), 'x');
  });

  it('storeInt parses; keeps a set value unless override; text that is no int is warned about', () => {
    const run = feed(`
- storeInt: kept
- storeInt:
    toVar: latest
    override: true
`, [['4', '2'], ['7']]);
    assert.equal(run.value('kept'), 42);
    assert.equal(run.value('latest'), 7);
    const bad = feed('storeInt: n', [['12a']]);
    assert.equal(bad.value('n'), undefined);
    assert.equal(bad.logs.filter((l) => l.includes('`12a` is not an integer')).length, 1);
  });
});

describe('array, collection, count', () => {
  it('array: fresh for every document, items beyond maxSize dropped with one warning', () => {
    const run = feed(`
json:
  query: .[]
  processor:
    array: ids[2]
`, [['[1, 2, 3]'], ['[4, 5, 6, 7]']]);
    assert.deepEqual(elements(run.value('ids')), ['4', '5']);
    assert.equal(run.logs.filter((l) => l.includes('is full')).length, 1);
  });

  it('collection: a new list per document, items in order', () => {
    const run = feed(`
json:
  query: .[]
  processor:
    collection: all
`, [['[1]'], ['["x", ', '"y", "z"]']]);
    assert.deepEqual(run.value('all'), ['x', 'y', 'z']);
  });

  it('count: items (last parts), restarting at 0 for every document', () => {
    const run = feed('count: parts', [['a', 'b', 'c']]);
    assert.equal(run.value('parts'), 1, 'three parts of one item');
    const items = feed(`
json:
  query: .[]
  processor:
    count: n
`, [['[1, 2, 3, 4]']]);
    assert.equal(items.value('n'), 4);
  });

  it('conditional passes data on only while its condition holds', () => {
    const run = feed(`
- conditional:
    stringCondition:
      fromVar: mode
      value: on
    processor:
      store: stored
- conditional:
    stringCondition:
      fromVar: mode
      value: off
    processor:
      store: notStored
`, [['payload']]);
    assert.equal(run.value('stored'), undefined, 'mode is unset: the condition is false');
    const on = runScenario(`
- main:
  - set: mode <- on
  - set: doc <- ["payload"]
  - json:
      fromVar: doc
      query: .[0]
      processor:
        conditional:
          stringCondition:
            fromVar: mode
            value: on
          processor:
            store: stored
`);
    assert.equal(on.value('stored'), 'payload');
  });
});

describe('gzipInflator', () => {
  const members = Buffer.concat([gzipSync(Buffer.from('{"a": "first member"}')), gzipSync(Buffer.from('second member'))]);

  it('inflates data split in parts; each gzip member is one item', () => {
    const run = feed(`
gzipInflator:
  processor:
  - collection: items
  - count: n
`, [splitBytes(members, 5)]);
    assert.deepEqual(run.value('items'), ['{"a": "first member"}', 'second member']);
    assert.equal(run.value('n'), 2);
    assert.deepEqual(inflateMembers(members, members.length)?.map((b) => b.toString()), ['{"a": "first member"}', 'second member']);
  });

  it('with encodingVar, inflates only gzip content', () => {
    const yaml = (encoding: string) => `
- main:
  - set: enc <- ${encoding}
  - set: doc <- "plain text"
  - json:
      fromVar: doc
      query: .
      processor:
        gzipInflator:
          encodingVar: enc
          processor:
            store: out
`;
    assert.equal(runScenario(yaml('identity')).value('out'), 'plain text', 'not gzip: passed unchanged');
    const gzipped = runScenario(yaml('GZIP'));
    assert.equal(gzipped.value('out'), undefined, 'not valid gzip: dropped');
    assert.equal(gzipped.logs.filter((l) => l.includes('not valid gzip')).length, 1);
  });
});

describe('queue', () => {
  it('runs a sequence per item, at most `concurrency` at once, then onCompletion', () => {
    const run = runScenario(`
initialSequences:
- producer:
  - set:
      var: processed
      objectArray: { size: 10 }
  - set: body <- ["i1", "i2", "i3", "i4", "i5"]
  - json:
      fromVar: body
      query: .[]
      processor:
        queue:
          var: item
          maxSize: 10
          concurrency: 2
          sequence: consume
          onCompletion:
          - set: done <- yes
sequences:
- consume[2]:
  - thinkTime: 100ms
  - addItem:
      toVar: processed
      fromVar: item[.]
`);
    assert.equal(run.session().activeSequences, 2, 'two consumers at once');
    run.advanceMs(100);
    const done = (): unknown[] => elements(run.value('processed')).filter((v) => v !== undefined).sort();
    assert.deepEqual(done(), ['i1', 'i2']);
    run.advanceMs(100);
    assert.deepEqual(done(), ['i1', 'i2', 'i3', 'i4']);
    assert.equal(run.value('done'), undefined);
    run.advanceMs(100);
    // 5 items, 2 at a time, 100 ms each: done at 300 ms.
    assert.deepEqual(done(), ['i1', 'i2', 'i3', 'i4', 'i5']);
    assert.equal(run.value('done'), 'yes');
    assert.deepEqual(run.errors(), []);
    assert.equal(run.worker.counters(run.phaseName).finished, 1);
  });

  it('a sequence with fewer slots caps the concurrency, with a build warning', () => {
    const run = runScenario(`
initialSequences:
- producer:
  - set: body <- ["a", "b"]
  - json:
      fromVar: body
      query: .[]
      processor:
        queue:
          var: item
          maxSize: 5
          concurrency: 4
          sequence: consume
sequences:
- consume:
  - thinkTime: 100ms
`);
    assert.equal(run.session().activeSequences, 1);
    assert.ok(run.worker.warnings.some((w) => w.includes('runs 1 at a time instead of 4')));
    run.advanceMs(200);
    assert.equal(run.worker.counters(run.phaseName).finished, 1);
  });

  it('more items waiting than maxSize fails the session', () => {
    const run = runScenario(`
initialSequences:
- producer:
  - set: body <- [1, 2, 3, 4]
  - json:
      fromVar: body
      query: .[]
      processor:
        queue:
          var: item
          maxSize: 2
          concurrency: 1
          sequence: consume
sequences:
- consume:
  - thinkTime: 100ms
`);
    assert.deepEqual(run.errors(), ['queue item: more than 2 items are waiting; raise its maxSize']);
  });
});
