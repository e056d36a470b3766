import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Xoshiro128 } from '../rng.js';
import { SharedMapPool } from './shared-maps.js';
import { runScenario } from './test-support.js';

describe('shared counters', () => {
  it('are shared by the sessions of the worker', () => {
    const run = runScenario(`
- main:
  - addToSharedCounter: hits++
  - getSharedCounter: hits
`, { users: 3 });
    const seen = [0, 1, 2].map((i) => run.value('hits', i) as number).sort();
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('set, subtract from a variable, and reads capped to the int range', () => {
    const run = runScenario(`
- main:
  - setSharedCounter:
      key: c
      value: 100
  - setInt: n <- 30
  - addToSharedCounter:
      key: c
      fromVar: n
      operator: SUBTRACT
  - getSharedCounter:
      key: c
      toVar: afterSubtract
  - setSharedCounter:
      key: big
      value: 2147483647
  - addToSharedCounter: big += 10
  - getSharedCounter: big
`);
    assert.equal(run.value('afterSubtract'), 70);
    assert.equal(run.value('big'), 2147483647);
    assert.equal(run.data.counter('big').value, 2147483657, 'the counter itself holds more than an int');
  });
});

describe('shared maps', () => {
  it('an entry pushed by one session is pulled by the session whose match variable has its value', () => {
    const run = runScenario(`
initialSequences:
- push:
  - template:
      pattern: user\${hyperfoil.session.id}
      toVar: user
  - template:
      pattern: token\${hyperfoil.session.id}
      toVar: token
  - pushSharedMap:
      key: logins
      vars: [ user, token ]
- pull:
  - thinkTime: 1s
  - unset: token
  - pullSharedMap:
      key: logins
      match: user
      vars: [ token ]
  - thinkTime: 1s
  - pullSharedMap:
      key: logins
      vars: [ user ]
`, { users: 2 });
    assert.equal(run.data.mapPool('logins').size, 2);
    run.advanceMs(1000);
    assert.deepEqual(run.errors(), []);
    for (const i of [0, 1]) {
      const id = run.session(i).sessionId;
      assert.equal(run.value('token', i), `token${id}`, 'its own entry (matched by user)');
    }
    assert.equal(run.data.mapPool('logins').size, 0, 'pulled entries leave the pool');
    run.advanceMs(1000);
    for (const i of [0, 1]) {
      assert.equal(run.value('user', i), `user${run.session(i).sessionId}`, 'a pull from the empty pool leaves the variables alone');
    }
  });

  it('pulling into a variable the entry does not have fails the session', () => {
    const run = runScenario(`
- main:
  - set: a <- 1
  - pushSharedMap:
      key: m
      vars: [ a ]
  - pullSharedMap:
      key: m
      vars: [ b ]
`);
    assert.match(run.errors()[0] ?? '', /the entry of shared map m has no variable b \(it has a\)/);
  });

  it('random pulls are spread over the entries (pool unit test)', () => {
    const pool = new SharedMapPool('k', new Xoshiro128(3));
    const first = new Array<number>(4).fill(0);
    for (let round = 0; round < 2000; round++) {
      for (let i = 0; i < 4; i++) {
        const entry = pool.acquire();
        entry.names = ['i'];
        entry.values[0] = i;
        pool.insert(entry);
      }
      const taken = pool.takeRandom()!;
      first[taken.values[0] as number]!++;
      pool.release(taken);
      while (pool.size > 0) pool.release(pool.takeRandom()!);
    }
    // Each ~ Binomial(2000, 1/4): mean 500, sigma = sqrt(2000 * 1/4 * 3/4) = 19.4; 5 sigma = 97.
    for (const count of first) assert.ok(Math.abs(count - 500) < 97, `first picks ${first}`);
  });
});

describe('agent data', () => {
  it('published once, read by another sequence; a second publish and an early read fail', () => {
    const run = runScenario(`
initialSequences:
- publisher:
  - set: config <- value-1
  - publishAgentData: config
- reader:
  - thinkTime: 1s
  - readAgentData:
      name: config
      toVar: got
`);
    run.advanceMs(1000);
    assert.equal(run.value('got'), 'value-1');
    assert.deepEqual(run.errors(), []);
    const twice = runScenario(`
- main:
  - set: x <- 1
  - publishAgentData: x
  - publishAgentData: x
`);
    assert.deepEqual(twice.errors(), ['Agent data x is already published; it can be published only once']);
    const early = runScenario(`
- main:
  - readAgentData: later
`);
    assert.match(early.errors()[0] ?? '', /Agent data later is not published yet; .*startAfterStrict/);
  });

  it('publishGlobalCounters adds ints and integer texts to the worker\'s sums of the phase; anything else fails', () => {
    const run = runScenario(`
- main:
  - setInt: n <- 2
  - set: text <- 5
  - publishGlobalCounters:
      key: totals
      vars: [ n, {five: text} ]
`, { users: 3 });
    assert.deepEqual(run.errors(), []);
    const phase = run.phaseName;
    assert.deepEqual(run.data.takeGlobalCounters(phase), { totals: { n: 6, five: 15 } });
    assert.equal(run.data.takeGlobalCounters(phase), undefined, 'taken once');
    const bad = runScenario(`
- main:
  - set: word <- many
  - publishGlobalCounters: {key: k, vars: [word]}
`);
    assert.match(bad.errors()[0] ?? '', /publishGlobalCounters \(key `k`\): variable for counter `word` is not set or not an integer/);
    // 20 digits would become 1e20, which no longer adds up exactly: refused like a word.
    const huge = runScenario(`
- main:
  - set: big <- 99999999999999999999
  - publishGlobalCounters: {key: k, vars: [big]}
`);
    assert.match(huge.errors()[0] ?? '', /variable for counter `big` is not set or not an integer/);
  });
});
