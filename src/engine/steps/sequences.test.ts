import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectArrayVar } from '../vars.js';
import { recorded, runScenario } from './test-support.js';

const elements = (value: unknown): unknown[] => {
  assert.ok(value instanceof ObjectArrayVar, `expected an array, got ${String(value)}`);
  return value.values.map((v, i) => (value.set[i] === 1 ? v : undefined));
};

describe('newSequence', () => {
  it('starts instances with their own index; one more than the concurrency fails the session', () => {
    const yaml = (extra: string) => `
initialSequences:
- main:
  - set:
      var: done
      objectArray:
        size: 2
  - newSequence: child
  - newSequence: child
${extra}
sequences:
- child[2]:
  - thinkTime: 1s
  - set: done[.] <- yes
`;
    const run = runScenario(yaml(''));
    assert.equal(run.session().activeSequences, 2, 'two children running');
    run.advanceMs(1000);
    assert.deepEqual(elements(run.value('done')), ['yes', 'yes']);
    assert.deepEqual(run.errors(), []);
    const tooMany = runScenario(yaml('  - newSequence: child'));
    assert.match(tooMany.errors()[0] ?? '', /Cannot start sequence child: all 2 instances are running/);
  });

  it('concurrencyPolicy WARN skips the start and counts a warning', () => {
    const run = runScenario(`
initialSequences:
- main:
  - newSequence: child
  - newSequence:
      sequence: child
      concurrencyPolicy: WARN
  - set: after <- yes
sequences:
- child:
  - thinkTime: 1s
`);
    assert.equal(run.value('after'), 'yes');
    assert.deepEqual(run.errors(), []);
    assert.equal(run.worker.counters(run.phaseName).sequenceWarnings, 1);
  });

  it('forceSameIndex gives the new instance the index of the current one', () => {
    // parent[1] starts its child at once; parent[0] waits for gate[0], set 1 s later. Without forceSameIndex the
    // first child would take the lowest free index (0) and copy parent[1]'s tag into copy[0].
    const run = runScenario(`
initialSequences:
- main:
  - set:
      var: tag
      objectArray: { size: 2 }
  - set:
      var: copy
      objectArray: { size: 2 }
  - set:
      var: gate
      objectArray: { size: 2 }
  - setItem: { toVar: gate, index: 1, value: open }
  - newSequence: parent
  - newSequence: parent
  - thinkTime: 1s
  - setItem: { toVar: gate, index: 0, value: open }
sequences:
- parent[2]:
  - randomUUID: tag[.]
  - awaitVar: gate[.]
  - newSequence:
      sequence: child
      forceSameIndex: true
- child[2]:
  - template:
      pattern: \${tag[.]}
      toVar: copy[.]
`);
    assert.deepEqual(elements(run.value('copy')), [undefined, elements(run.value('tag'))[1]]);
    run.advanceMs(1000);
    const tags = elements(run.value('tag'));
    assert.equal(new Set(tags).size, 2);
    assert.deepEqual(elements(run.value('copy')), tags);
  });
});

describe('orderedSequences and nextSequence', () => {
  it('each sequence starts when the previous one ends', () => {
    const run = runScenario(`
- first:
  - timestamp: t1
  - thinkTime: 1s
- second:
  - timestamp: t2
  - thinkTime: 1s
- third:
  - timestamp: t3
`);
    assert.equal(run.value('t2'), undefined);
    run.advanceMs(2000);
    const t1 = Number(run.value('t1'));
    assert.equal(Number(run.value('t2')) - t1, 1000);
    assert.equal(Number(run.value('t3')) - t1, 2000);
  });
});

describe('restartSequence', () => {
  it('as a step: the sequence starts over', () => {
    const run = runScenario(`
- main:
  - addToInt: { var: n, value: 1, orElseSetTo: 1 }
  - breakSequence:
      intCondition: n >= 3
  - restartSequence
`);
    assert.equal(run.value('n'), 3);
    assert.equal(run.worker.counters(run.phaseName).finished, 1);
  });

  it('as an action (in conditional): the sequence starts over after the step', () => {
    const run = runScenario(`
- main:
  - addToInt: { var: n, value: 1, orElseSetTo: 1 }
  - conditional:
      intCondition: n < 4
      actions:
      - restartSequence
  - set: after <- yes
`);
    assert.equal(run.value('n'), 4);
    assert.equal(run.value('after'), 'yes');
  });

  it('refused inside breakSequence.onBreak, where the break would undo it', () => {
    assert.throws(() => runScenario(`
- main:
  - breakSequence:
      intCondition: n >= 3
      onBreak:
      - restartSequence
`), /use `conditional` with `restartSequence` instead/);
  });
});

describe('loop', () => {
  it('repeats its steps with the counter from 0; later steps run once', () => {
    const run = runScenario(`
- setup:
  - set:
      var: seen
      objectArray: { size: 5 }
- main:
  - loop:
      counterVar: i
      repeats: 3
      steps:
      - addItem:
          toVar: seen
          fromVar: i
  - addToInt: { var: after, value: 1, orElseSetTo: 1 }
`);
    assert.deepEqual(elements(run.value('seen')), [0, 1, 2, undefined, undefined]);
    assert.equal(run.value('i'), 3);
    assert.equal(run.value('after'), 1);
  });

  it('must be the first step, and sequence-scoped in a concurrent sequence', () => {
    assert.throws(() => runScenario(`
- main:
  - set: a <- b
  - loop:
      counterVar: i
      repeats: 2
      steps:
      - noop
`), /loop must be the first step of sequence `main`/);
    assert.throws(() => runScenario(`
initialSequences:
- main:
  - newSequence: worker
sequences:
- worker[2]:
  - loop:
      counterVar: i
      repeats: 2
      steps:
      - noop
`), /loop counter must be sequence-scoped: write `i\[\.\]`/);
  });
});

describe('foreach', () => {
  it('starts one instance per set element, each reading its element; counts them', () => {
    const run = runScenario(`
initialSequences:
- main:
  - set:
      var: items
      objectArray: { size: 4 }
  - set:
      var: got
      objectArray: { size: 4 }
  - addItem: { toVar: items, value: a }
  - addItem: { toVar: items, value: b }
  - addItem: { toVar: items, value: c }
  - foreach:
      fromVar: items
      sequence: each
      counterVar: started
sequences:
- each[4]:
  - template:
      pattern: got-\${items[.]}
      toVar: got[.]
`);
    assert.equal(run.value('started'), 3);
    assert.deepEqual(elements(run.value('got')), ['got-a', 'got-b', 'got-c', undefined]);
  });

  it('blocks until fromVar and the dependency are set', () => {
    const run = runScenario(`
initialSequences:
- main:
  - foreach:
      fromVar: items
      sequence: each
      dependency: ready
      counterVar: started
- producer:
  - set:
      var: items
      objectArray: { size: 2 }
  - addItem: { toVar: items, value: a }
  - thinkTime: 1s
  - set: ready <- yes
sequences:
- each[2]:
  - noop
`);
    assert.equal(run.value('started'), undefined);
    run.advanceMs(1000);
    assert.equal(run.value('started'), 1);
  });
});

describe('breakSequence and breakIfFinished', () => {
  it('ends the sequence when the condition holds, running onBreak first', () => {
    const run = runScenario(`
- main:
  - setInt: n <- 5
  - breakSequence:
      intCondition: n > 3
      onBreak:
      - set: broke <- yes
  - set: notReached <- yes
`);
    assert.equal(run.value('broke'), 'yes');
    assert.equal(run.value('notReached'), undefined);
    assert.equal(run.worker.counters(run.phaseName).finished, 1);
    const noBreak = runScenario(`
- main:
  - setInt: n <- 1
  - breakSequence:
      intCondition: n > 3
      onBreak:
      - set: broke <- yes
  - set: reached <- yes
`);
    assert.equal(noBreak.value('broke'), undefined);
    assert.equal(noBreak.value('reached'), 'yes');
  });

  it('blocks on its dependency, then tests the condition', () => {
    const run = runScenario(`
initialSequences:
- main:
  - breakSequence:
      dependency: flag
      stringCondition:
        fromVar: flag
        value: stop
  - set: reached <- yes
- setter:
  - thinkTime: 1s
  - set: flag <- go
`);
    assert.equal(run.value('reached'), undefined);
    run.advanceMs(1000);
    assert.equal(run.value('reached'), 'yes', 'flag is not `stop`, so no break');
  });

  it('breakIfFinished ends a looping sequence once its phase is finished', () => {
    const run = runScenario(`
- main:
  - loop:
      counterVar: i
      repeats: 1000
      steps:
      - thinkTime: 100ms
      - breakIfFinished
  - set: after <- yes
`);
    run.advanceMs(250);
    assert.equal(run.value('i'), 2);
    run.worker.command(run.phaseName, 'FINISH');
    run.advanceMs(100);
    // The third iteration's breakIfFinished saw the FINISHED phase: the sequence ended, steps after it did not run.
    assert.equal(run.value('i'), 2);
    assert.equal(run.value('after'), undefined);
    assert.equal(run.worker.counters(run.phaseName).finished, 1);
  });
});

describe('stop and stopwatch', () => {
  it('stop ends the whole session at once', () => {
    const run = runScenario(`
initialSequences:
- main:
  - set: a <- 1
  - stop
  - set: b <- 2
- other:
  - thinkTime: 1s
  - set: c <- 3
`);
    run.advanceMs(2000);
    assert.equal(run.value('a'), '1');
    assert.equal(run.value('b'), undefined);
    assert.equal(run.value('c'), undefined);
    assert.equal(run.worker.counters(run.phaseName).finished, 1);
    assert.deepEqual(run.errors(), []);
  });

  it('stopwatch records the time of its steps under the sequence name', () => {
    const run = runScenario(`
- browse:
  - stopwatch:
    - thinkTime: 250ms
    - thinkTime: 250ms
  - set: after <- yes
`);
    run.advanceMs(1000);
    assert.equal(run.value('after'), 'yes');
    const snapshot = recorded(run, 'browse');
    assert.equal(snapshot.responseCount, 1);
    // 500 ms on the manual clock; the histogram keeps 2 significant digits (1 %).
    assert.ok(Math.abs(snapshot.meanNs() / 1e6 - 500) <= 5, `mean ${snapshot.meanNs() / 1e6} ms`);
  });
});
