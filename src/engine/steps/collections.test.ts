import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IntArrayVar, ObjectArrayVar } from '../vars.js';
import { runScenario } from './test-support.js';

const elements = (value: unknown): unknown[] => {
  assert.ok(value instanceof ObjectArrayVar || value instanceof IntArrayVar, `expected an array, got ${String(value)}`);
  return Array.from({ length: value.length }, (_, i) => (value.set[i] === 1 ? value.values[i] : undefined));
};

describe('addItem, getItem, setItem, removeItem', () => {
  it('adds to the first unset slot, reads and writes by index, removes shifting left', () => {
    const run = runScenario(`
- main:
  - set:
      var: arr
      objectArray: { size: 4 }
  - set: v <- from-var
  - addItem: { toVar: arr, value: a }
  - addItem: { toVar: arr, fromVar: v }
  - addItem: { toVar: arr, value: c }
  - getItem:
      fromVar: arr
      index: 1
      toVar: second
  - setInt: idx <- 2
  - setItem:
      toVar: arr
      index: { fromVar: idx }
      value: C
  - removeItem:
      fromVar: arr
      index: 0
`);
    assert.equal(run.value('second'), 'from-var');
    assert.deepEqual(elements(run.value('arr')), ['from-var', 'C', undefined, undefined]);
    assert.deepEqual(run.errors(), []);
  });

  it('a full array drops the item with one warning per step; an unset target is a warning too', () => {
    const run = runScenario(`
- main:
  - set:
      var: arr
      objectArray: { size: 1 }
  - addItem: { toVar: arr, value: a }
- more:
  - loop:
      counterVar: i
      repeats: 3
      steps:
      - addItem: { toVar: arr, value: b }
  - addItem: { toVar: nothing, value: x }
  - set: nothing <- y
`);
    assert.deepEqual(elements(run.value('arr')), ['a']);
    assert.equal(run.logs.filter((l) => l.includes('is full')).length, 1, 'three drops, one warning');
    assert.equal(run.logs.filter((l) => l.includes('variable nothing is not set')).length, 1);
    assert.deepEqual(run.errors(), []);
  });

  it('int arrays take ints (or their text); an index outside fails the session', () => {
    const run = runScenario(`
- main:
  - set:
      var: ints
      intArray: { size: 2 }
  - addItem: { toVar: ints, value: "41" }
  - setItem: { toVar: ints, index: 1, value: "7" }
  - getItem: { fromVar: ints, index: 0, toVar: first }
  - addToInt: first++
  - getItem: { fromVar: ints, index: 5, toVar: x }
`);
    assert.deepEqual(elements(run.value('ints')), [41, 7]);
    assert.equal(run.value('first'), 42, 'an int, usable by addToInt');
    assert.deepEqual(run.errors(), ['getItem: index 5 is outside ints (size 2)']);
  });

  it('getItem of an unset element unsets the target', () => {
    const run = runScenario(`
- main:
  - set: x <- before
  - set:
      var: arr
      objectArray: { size: 2 }
  - getItem: { fromVar: arr, index: 1, toVar: x }
`);
    assert.equal(run.value('x'), undefined);
  });
});

describe('getIndex and getSize', () => {
  it('getIndex finds the first equal item, or -1', () => {
    const run = runScenario(`
- main:
  - set:
      var: arr
      objectArray: { size: 3 }
  - addItem: { toVar: arr, value: x }
  - addItem: { toVar: arr, value: y }
  - addItem: { toVar: arr, value: y }
  - set: wanted <- y
  - getIndex:
      collection: arr
      item: { fromVar: wanted }
      toVar: found
  - getIndex:
      collection: arr
      item: z
      toVar: missing
`);
    assert.equal(run.value('found'), 1);
    assert.equal(run.value('missing'), -1);
  });

  it('getSize: last set index + 1, filters count matches, undefinedValue (default -1)', () => {
    const run = runScenario(`
- main:
  - set:
      var: arr
      objectArray: { size: 5 }
  - setItem: { toVar: arr, index: 0, value: "3" }
  - setItem: { toVar: arr, index: 1, value: "10" }
  - setItem: { toVar: arr, index: 3, value: "apple" }
  - getSize: { fromVar: arr, toVar: size }
  - getSize:
      fromVar: arr
      toVar: big
      intFilter:
        greaterThan: 5
  - getSize:
      fromVar: arr
      toVar: apples
      stringFilter:
        startsWith: app
  - getSize: { fromVar: nothing, toVar: none }
  - getSize: { fromVar: nothing, toVar: none7, undefinedValue: 7 }
  - set: nothing <- x
`);
    assert.equal(run.value('size'), 4);
    assert.equal(run.value('big'), 1);
    assert.equal(run.value('apples'), 1);
    assert.equal(run.value('none'), -1);
    assert.equal(run.value('none7'), 7);
  });
});
