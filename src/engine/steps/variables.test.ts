import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IntArrayVar, ObjectArrayVar } from '../vars.js';
import { runScenario } from './test-support.js';

describe('set', () => {
  it('sets text inline and as a mapping', () => {
    const run = runScenario(`
- main:
  - set: greeting <- hello world
  - set:
      var: other
      value: "42"
`);
    assert.equal(run.value('greeting'), 'hello world');
    assert.equal(run.value('other'), '42');
    assert.deepEqual(run.errors(), []);
  });

  it('objectArray creates an unset array; with fromVar a single value fills every element', () => {
    const run = runScenario(`
- main:
  - set:
      var: empty
      objectArray:
        size: 3
  - set: seed <- x
  - set:
      var: filled
      objectArray:
        size: 2
        fromVar: seed
`);
    const empty = run.value('empty') as ObjectArrayVar;
    assert.ok(empty instanceof ObjectArrayVar);
    assert.equal(empty.length, 3);
    assert.deepEqual([...empty.set], [0, 0, 0]);
    const filled = run.value('filled') as ObjectArrayVar;
    assert.deepEqual([...filled.set], [1, 1]);
    assert.deepEqual(filled.values, ['x', 'x']);
  });

  it('objectArray copies the set elements of another array, up to its size', () => {
    const run = runScenario(`
- main:
  - set:
      var: source
      objectArray:
        size: 4
  - addItem:
      toVar: source
      value: a
  - addItem:
      toVar: source
      value: b
  - addItem:
      toVar: source
      value: c
  - set:
      var: copy
      objectArray:
        size: 2
        fromVar: source
`);
    const copy = run.value('copy') as ObjectArrayVar;
    assert.deepEqual(copy.values, ['a', 'b']);
    assert.deepEqual([...copy.set], [1, 1]);
  });

  it('intArray filled from an int variable; from text it fails the session', () => {
    const run = runScenario(`
- main:
  - setInt: n <- 7
  - set:
      var: ints
      intArray:
        size: 3
        fromVar: n
`);
    const ints = run.value('ints') as IntArrayVar;
    assert.ok(ints instanceof IntArrayVar);
    assert.deepEqual([...ints.values], [7, 7, 7]);
    const bad = runScenario(`
- main:
  - set: t <- abc
  - set:
      var: ints
      intArray:
        size: 3
        fromVar: t
`);
    assert.match(bad.errors()[0] ?? '', /cannot initialize an int array/);
  });

  it('each run hands out the array again with every element unset', () => {
    const run = runScenario(`
- main:
  - loop:
      counterVar: i
      repeats: 2
      steps:
      - set:
          var: arr
          objectArray:
            size: 2
      - getSize:
          fromVar: arr
          toVar: sizeBefore
      - addItem:
          toVar: arr
          value: v
`);
    // Without the reset the second iteration would see the item added by the first (size 1).
    assert.equal(run.value('sizeBefore'), 0);
    assert.equal(run.value('i'), 2);
  });
});

describe('setInt', () => {
  it('value, fromVar, min and max', () => {
    const run = runScenario(`
- main:
  - setInt: a <- 5
  - setInt:
      var: b
      fromVar: a
  - setInt: c <- -3
  - setInt:
      var: lo
      min: [ 9, { fromVar: a }, { fromVar: c } ]
  - setInt:
      var: hi
      max: [ 9, { fromVar: a }, 12 ]
`);
    assert.equal(run.value('a'), 5);
    assert.equal(run.value('b'), 5);
    assert.equal(run.value('lo'), -3);
    assert.equal(run.value('hi'), 12);
  });

  it('onlyIfNotSet leaves a set variable alone', () => {
    const run = runScenario(`
- main:
  - setInt:
      var: x
      value: 1
      onlyIfNotSet: true
  - setInt:
      var: x
      value: 2
      onlyIfNotSet: true
`);
    assert.equal(run.value('x'), 1);
  });

  it('intCondition: sets only when the current value passes', () => {
    const run = runScenario(`
- main:
  - setInt: x <- 10
  - setInt:
      var: x
      value: 20
      intCondition:
        lessThan: 5
  - setInt: y <- 3
  - setInt:
      var: y
      value: 30
      intCondition:
        lessThan: 5
  - setInt:
      var: unsetOne
      value: 1
      intCondition:
        lessThan: 5
`);
    assert.equal(run.value('x'), 10);
    assert.equal(run.value('y'), 30);
    assert.equal(run.value('unsetOne'), undefined);
  });
});

describe('unset, addToInt, stringToInt', () => {
  it('unset makes a later read fail with Hyperfoil\'s message', () => {
    const run = runScenario(`
- main:
  - setInt: x <- 1
  - unset: x
  - addToInt: x++
`);
    assert.deepEqual(run.errors(), ['Variable x is not set!']);
  });

  it('addToInt: ++, --, +=, -=, orElseSetTo, and Java int wrap-around', () => {
    const run = runScenario(`
- main:
  - setInt: a <- 10
  - addToInt: a++
  - addToInt: a += 5
  - addToInt: a -= 3
  - addToInt: a--
  - addToInt:
      var: fresh
      value: 1
      orElseSetTo: 100
  - addToInt:
      var: fresh
      value: 1
      orElseSetTo: 100
  - setInt: big <- 2147483647
  - addToInt: big++
`);
    assert.equal(run.value('a'), 12);
    assert.equal(run.value('fresh'), 101);
    assert.equal(run.value('big'), -2147483648);
  });

  it('stringToInt parses; on a parse failure the target is left alone', () => {
    const run = runScenario(`
- main:
  - set: s <- -42
  - set:
      var: spaced
      value: " 5"
  - setInt: untouched <- 1
  - stringToInt: spaced -> untouched
  - stringToInt: s -> n
  - set: bad <- 12x
  - setInt: m <- 7
  - stringToInt: bad -> m
  - set: huge <- "99999999999"
  - stringToInt: huge -> m
`);
    assert.equal(run.value('n'), -42);
    assert.equal(run.value('untouched'), 1, 'like Java, blanks are not part of an int');
    assert.equal(run.value('m'), 7);
  });
});

describe('template, timestamp', () => {
  it('template renders the pattern with formats', () => {
    const run = runScenario(`
- main:
  - set: user <- a b
  - setInt: n <- 7
  - template:
      pattern: \${urlencode:user}/\${%03d:n}
      toVar: out
`);
    assert.equal(run.value('out'), 'a+b/007');
  });

  it('timestamp stores the wall clock in ms as text, or formatted', () => {
    const run = runScenario(`
- main:
  - timestamp: now
  - timestamp:
      toVar: day
      pattern: yyyy-MM-dd
`);
    const wallMs = run.clock.wallMs();
    assert.equal(run.value('now'), String(wallMs));
    const d = new Date(wallMs);
    const expected = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    assert.equal(run.value('day'), expected);
  });

  it('timestamp refuses an illegal pattern letter when the benchmark is built', () => {
    assert.throws(() => runScenario(`
- main:
  - timestamp:
      toVar: t
      pattern: yyyy-QQ
`), /illegal pattern character `Q`/);
  });
});
