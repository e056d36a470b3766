import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Xoshiro128 } from '../rng.js';
import { ObjectArrayVar } from '../vars.js';
import { IndexChooser, randomUuid } from './random.js';
import { runScenario } from './test-support.js';

/** A sequence that repeats `draw` n times and counts, per value, how often `variable` held it (into `count_<v>`). */
function counting(n: number, draw: string, variable: string, values: readonly string[], kind: 'int' | 'string'): string {
  const counters = values.map((v) => `
      - conditional:
          ${kind === 'int' ? `intCondition: { fromVar: ${variable}, equalTo: ${v} }` : `stringCondition: { fromVar: ${variable}, value: "${v}" }`}
          actions:
          - addToInt: { var: count_${v}, value: 1, orElseSetTo: 1 }`).join('');
  return `
- main:
  - loop:
      counterVar: i
      repeats: ${n}
      steps:
${draw.split('\n').filter((l) => l.trim() !== '').map((l) => `      ${l}`).join('\n')}${counters}
`;
}

function counts(run: ReturnType<typeof runScenario>, values: readonly string[]): number[] {
  return values.map((v) => (run.value(`count_${v}`) as number | undefined) ?? 0);
}

describe('randomInt', () => {
  it('is uniform over [min, max], both inclusive', () => {
    const faces = ['1', '2', '3', '4', '5', '6'];
    const n = 6000;
    const run = runScenario(counting(n, '- randomInt: r <- 1 .. 6', 'r', faces, 'int'), { seed: 7 });
    assert.deepEqual(run.errors(), []);
    const perFace = counts(run, faces);
    assert.equal(perFace.reduce((a, b) => a + b, 0), n, 'every draw is within [1, 6]');
    // Each count is Binomial(6000, 1/6): mean 1000, sigma = sqrt(6000 * 1/6 * 5/6) = 28.9; 5 sigma = 144.
    for (const count of perFace) assert.ok(Math.abs(count - 1000) < 145, `count ${count} of ${perFace}`);
  });

  it('takes bounds from variables; min > max fails the session', () => {
    const run = runScenario(`
- main:
  - setInt: lo <- 5
  - randomInt:
      toVar: r
      min: { fromVar: lo }
      max: 5
`);
    assert.equal(run.value('r'), 5);
    const bad = runScenario(`
- main:
  - setInt: lo <- 9
  - randomInt:
      toVar: r
      min: { fromVar: lo }
      max: 5
`);
    assert.deepEqual(bad.errors(), ['randomInt: min (9) is greater than max (5)']);
  });
});

describe('randomItem', () => {
  it('weighted mapping: proportions follow the weights', () => {
    const n = 4000;
    const run = runScenario(counting(n, `
- randomItem:
    toVar: x
    list:
      a: 1
      b: 3
`, 'x', ['a', 'b'], 'string'), { seed: 11 });
    const [a, b] = counts(run, ['a', 'b']);
    assert.equal(a! + b!, n);
    // b ~ Binomial(4000, 0.75): mean 3000, sigma = sqrt(4000 * 0.75 * 0.25) = 27.4; 5 sigma = 137.
    assert.ok(Math.abs(b! - 3000) < 137, `b chosen ${b} times of ${n}`);
  });

  it('weighted list form and plain list form', () => {
    const n = 3000;
    const weighted = runScenario(counting(n, `
- randomItem:
    toVar: x
    list:
    - a: 2
    - b: 1
`, 'x', ['a', 'b'], 'string'), { seed: 3 });
    const [a] = counts(weighted, ['a', 'b']);
    // a ~ Binomial(3000, 2/3): mean 2000, sigma = sqrt(3000 * 2/3 * 1/3) = 25.8; 5 sigma = 129.
    assert.ok(Math.abs(a! - 2000) < 129, `a chosen ${a} times`);
    const plain = runScenario(counting(n, `
- randomItem:
    toVar: x
    list: [a, b, c]
`, 'x', ['a', 'b', 'c'], 'string'), { seed: 4 });
    // Each ~ Binomial(3000, 1/3): mean 1000, sigma 25.8; 5 sigma = 129.
    for (const count of counts(plain, ['a', 'b', 'c'])) assert.ok(Math.abs(count - 1000) < 129, `count ${count}`);
  });

  it('from a file: one non-empty line per item', () => {
    const n = 900;
    const run = runScenario(counting(n, `
- randomItem:
    toVar: user
    file: users.txt
`, 'user', ['alice', 'bob', 'carol'], 'string'), { files: { 'users.txt': 'alice\n\nbob\r\ncarol\n' } });
    const perUser = counts(run, ['alice', 'bob', 'carol']);
    assert.equal(perUser.reduce((x, y) => x + y, 0), n, 'only the three lines are chosen');
    // Each ~ Binomial(900, 1/3): mean 300, sigma = 14.1; 5 sigma = 71.
    for (const count of perUser) assert.ok(Math.abs(count - 300) < 71, `count ${count}`);
  });

  it('from an array variable: only its leading set elements', () => {
    const run = runScenario(`
- main:
  - set:
      var: arr
      objectArray:
        size: 4
  - setItem: { toVar: arr, index: 0, value: a }
  - setItem: { toVar: arr, index: 1, value: b }
  - setItem: { toVar: arr, index: 3, value: d }
- draw:
  - loop:
      counterVar: i
      repeats: 400
      steps:
      - randomItem: x <- arr
      - conditional:
          stringCondition: { fromVar: x, value: d }
          actions:
          - addToInt: { var: sawD, value: 1, orElseSetTo: 1 }
      - conditional:
          stringCondition: { fromVar: x, value: a }
          actions:
          - addToInt: { var: sawA, value: 1, orElseSetTo: 1 }
`);
    assert.equal(run.value('sawD'), undefined, 'd comes after an unset element');
    // a ~ Binomial(400, 1/2): mean 200, sigma 10; 5 sigma = 50.
    assert.ok(Math.abs((run.value('sawA') as number) - 200) < 50);
    assert.ok(run.value('arr') instanceof ObjectArrayVar);
  });

  it('from an empty array the session fails', () => {
    const run = runScenario(`
- main:
  - set:
      var: arr
      objectArray:
        size: 2
  - randomItem: x <- arr
`);
    assert.deepEqual(run.errors(), ['randomItem: the array in arr has no element set']);
  });
});

describe('randomCsvRow, randomFile, randomUUID', () => {
  it('randomCsvRow: both columns come from the same row', () => {
    const csv = '# users\nalice,secret1\n"bob, jr",secret2\ncarol,"se""cret3"\n';
    const run = runScenario(`
- main:
  - loop:
      counterVar: i
      repeats: 300
      steps:
      - randomCsvRow:
          file: users.csv
          skipComments: true
          columns:
            0: user
            1: password
      - template:
          pattern: \${user}=\${password}
          toVar: pair
      - conditional:
          stringCondition: { fromVar: pair, value: "bob, jr=secret2" }
          actions:
          - addToInt: { var: bob, value: 1, orElseSetTo: 1 }
      - conditional:
          stringCondition: { fromVar: pair, value: "carol=se\\"cret3" }
          actions:
          - addToInt: { var: carol, value: 1, orElseSetTo: 1 }
      - conditional:
          stringCondition: { fromVar: pair, value: "alice=secret1" }
          actions:
          - addToInt: { var: alice, value: 1, orElseSetTo: 1 }
`, { files: { 'users.csv': csv } });
    assert.deepEqual(run.errors(), []);
    const perRow = ['alice', 'bob', 'carol'].map((v) => (run.value(v) as number | undefined) ?? 0);
    assert.equal(perRow.reduce((a, b) => a + b, 0), 300, 'every pair is a row of the file');
    // Each ~ Binomial(300, 1/3): mean 100, sigma 8.2; 5 sigma = 41.
    for (const count of perRow) assert.ok(Math.abs(count - 100) < 41, `count ${count}`);
  });

  it('randomFile: the bytes of the chosen file, its name, by weight', () => {
    const run = runScenario(`
- main:
  - loop:
      counterVar: i
      repeats: 1000
      steps:
      - randomFile:
          toVar: body
          filenameVar: name
          files:
            small.txt: 1
            large.txt: 4
      - template:
          pattern: \${name}:\${body}
          toVar: pair
      - conditional:
          stringCondition: { fromVar: pair, value: "large.txt:LARGE" }
          actions:
          - addToInt: { var: large, value: 1, orElseSetTo: 1 }
      - conditional:
          stringCondition: { fromVar: pair, value: "small.txt:small" }
          actions:
          - addToInt: { var: small, value: 1, orElseSetTo: 1 }
`, { files: { 'small.txt': 'small', 'large.txt': 'LARGE' } });
    const large = run.value('large') as number;
    assert.equal(large + (run.value('small') as number), 1000, 'name and bytes always agree');
    assert.ok(Buffer.isBuffer(run.value('body')), 'bytes, not text');
    // large ~ Binomial(1000, 0.8): mean 800, sigma = sqrt(1000 * 0.8 * 0.2) = 12.6; 5 sigma = 63.
    assert.ok(Math.abs(large - 800) < 63, `large chosen ${large} times`);
  });

  it('randomUUID: version 4 text, all different', () => {
    const random = new Xoshiro128(5);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const uuid = randomUuid(random);
      assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(uuid);
    }
    assert.equal(seen.size, 2000);
    const run = runScenario(`
- main:
  - randomUUID: id
`);
    assert.match(run.value('id') as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });

  it('the same seed gives the same draws; another seed others', () => {
    const yaml = `
- main:
  - randomInt: a <- 0 .. 1000000
  - randomInt: b <- 0 .. 1000000
`;
    const first = runScenario(yaml, { seed: 42 });
    const again = runScenario(yaml, { seed: 42 });
    const other = runScenario(yaml, { seed: 43 });
    assert.deepEqual([again.value('a'), again.value('b')], [first.value('a'), first.value('b')]);
    assert.notDeepEqual([other.value('a'), other.value('b')], [first.value('a'), first.value('b')]);
  });
});

describe('IndexChooser', () => {
  it('never picks a zero-weight item and picks the last one', () => {
    const chooser = new IndexChooser(3, [0, 1, 0.5]);
    const random = new Xoshiro128(9);
    const hits = [0, 0, 0];
    for (let i = 0; i < 3000; i++) hits[chooser.choose(random)]!++;
    assert.equal(hits[0], 0);
    // Index 2 ~ Binomial(3000, 1/3): mean 1000, sigma 25.8; 5 sigma = 129.
    assert.ok(Math.abs(hits[2]! - 1000) < 129, `hits ${hits}`);
  });
});
