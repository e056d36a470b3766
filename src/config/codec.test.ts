import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineCounter, parseDocument } from 'yaml';
import type { Node as YNode } from 'yaml';
import {
  bool, byKind, components, entries, int, INVALID, list, listOrSingle, num, object, oneOf, optional, required, str,
} from './codec.js';
import type { Codec } from './codec.js';
import { SourceContext } from './context.js';

function decode<T>(codec: Codec<T>, yaml: string): { value: T | typeof INVALID; problems: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines, schema: 'failsafe' });
  const cx = new SourceContext('t.yaml', doc, lines);
  const value = codec.decode(doc.contents as YNode, cx);
  return { value, problems: cx.problems.map((p) => `${p.line}:${p.column} ${p.message}`) };
}

describe('scalar codecs', () => {
  it('reads whole numbers and rejects fractions, words and out-of-range values', () => {
    assert.equal(decode(int(), '42').value, 42);
    assert.deepEqual(decode(int(), '4.5').problems, ['1:1 expected a whole number, got `4.5`']);
    assert.deepEqual(decode(int({ min: 1 }), '0').problems, ['1:1 expected a whole number of at least 1, got 0']);
    assert.equal(decode(int(), '[1]').value, INVALID);
  });

  it('reads numbers, booleans in any case, and enum names with suggestions', () => {
    assert.equal(decode(num({ exclusiveMin: 0 }), '2.5').value, 2.5);
    assert.equal(decode(num({ exclusiveMin: 0 }), '0').value, INVALID);
    assert.equal(decode(bool, 'TRUE').value, true);
    assert.deepEqual(decode(bool, 'yes').problems, ['1:1 expected `true` or `false`, got `yes`']);
    const policy = oneOf(['CANCEL', 'CONTINUE'], { ignoreCase: true });
    assert.equal(decode(policy, 'continue').value, 'CONTINUE');
    assert.match(decode(policy, 'CANCL').problems[0] ?? '', /Did you mean `CANCEL`\?/);
    assert.equal(decode(oneOf(['GET', 'POST']), 'get').value, INVALID, 'case-sensitive unless asked');
  });
});

describe('object codec', () => {
  const phase = object({
    duration: required(int()),
    users: optional(int({ min: 1 })),
  }, { what: 'phase `x`', inline: undefined as never });

  it('decodes known properties and reports a missing required one at the mapping', () => {
    assert.deepEqual(decode(phase, 'duration: 5\nusers: 2').value, { duration: 5, users: 2 });
    assert.deepEqual(decode(phase, 'users: 2').problems, ['1:1 missing `duration` in phase `x`']);
  });

  it('reports an unknown key with the closest valid names, and every problem of the mapping together', () => {
    const { problems } = decode(phase, 'durtion: 5\nusers: -1');
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /^1:1 unknown property `durtion` in phase `x`\. Did you mean `duration`\? Expected one of: duration, users$/);
    assert.match(problems[1] ?? '', /^2:8 expected a whole number of at least 1/);
  });

  it('accepts an inline scalar form and an empty form when defined', () => {
    const think = object({ duration: required(str) }, {
      what: 'thinkTime',
      inline: { expected: 'duration', decode: (n, cx) => ({ duration: String((cx.deref(n) as { value: unknown }).value) }), schema: () => ({}) },
      empty: () => ({ duration: 'default' }),
    });
    assert.deepEqual(decode(think, '100ms').value, { duration: '100ms' });
    const holder = object({ t: required(think) }, { what: 'holder' });
    assert.deepEqual(decode(holder, 't:').value, { t: { duration: 'default' } });
    assert.deepEqual(decode(think, '[a]').problems, ['1:1 expected a mapping for thinkTime or an inline duration, got a list']);
  });

  it('reads a list of mappings as repeated invocations: in order, lists concatenated, the last scalar wins', () => {
    const holder = object({ names: optional(list(str)), size: optional(int()), label: required(str) }, { what: 'holder' });
    assert.deepEqual(decode(holder, '- names: [a]\n  size: 1\n- label: x\n- names: [b, c]\n  size: 2').value,
      { names: ['a', 'b', 'c'], size: 2, label: 'x' });
    // Problems point into the item where they are written; a missing required property at the list.
    assert.deepEqual(decode(holder, '- size: 1\n- sise: 2').problems.map((p) => p.slice(0, 32)), ['2:3 unknown property `sise` in h']);
    assert.deepEqual(decode(holder, '- size: 1\n- size: 2').problems, ['1:1 missing `label` in holder']);
    // A list holding anything but mappings is not this form.
    assert.deepEqual(decode(holder, '- size: 1\n- x').problems, ['1:1 expected a mapping for holder, got a list']);
    // The top level of a benchmark opts out, as Hyperfoil's parser takes only a mapping there.
    const root = object({ size: optional(int()) }, { what: 'root', repeatable: false });
    assert.deepEqual(decode(root, '- size: 1').problems, ['1:1 expected a mapping for root, got a list']);
  });

  it('follows aliases to their anchors', () => {
    const holder = object({ a: required(list(int())), b: required(list(int())) }, { what: 'holder' });
    assert.deepEqual(decode(holder, 'a: &x [1, 2]\nb: *x').value, { a: [1, 2], b: [1, 2] });
  });
});

describe('collections', () => {
  it('listOrSingle wraps a single item', () => {
    assert.deepEqual(decode(listOrSingle(int()), '3').value, [3]);
    assert.deepEqual(decode(listOrSingle(int()), '[3, 4]').value, [3, 4]);
  });

  it('entries accept the mapping and the list-of-single-key-mappings forms, in order', () => {
    const forks = entries(int(), { forms: 'both', what: 'fork' });
    const fromMap = decode(forks, 'a: 1\nb: 2').value;
    const fromList = decode(forks, '- a: 1\n- b: 2').value;
    assert.deepEqual(fromMap === INVALID ? [] : fromMap.map((e) => [e.key, e.value]), [['a', 1], ['b', 2]]);
    assert.deepEqual(fromList === INVALID ? [] : fromList.map((e) => [e.key, e.value]), [['a', 1], ['b', 2]]);
    assert.match(decode(forks, '- a: 1\n  b: 2').problems[0] ?? '', /2 keys \(are you missing a `-`\?\)/);
    assert.deepEqual(decode(entries(int(), { forms: 'list', what: 'phase' }), 'a: 1').problems,
      ['1:1 expected a list of phases (`- name: …`), got a mapping']);
  });

  it('byKind dispatches on the node shape and says what it expected', () => {
    const either = byKind('a number or a list', { scalar: int(), list: map1(list(int())) });
    assert.equal(decode(either, '5').value, 5);
    assert.equal(decode(either, '[1, 2]').value, 3);
    assert.deepEqual(decode(either, 'a: 1').problems, ['1:1 expected a number or a list, got a mapping']);
  });
});

function map1(codec: Codec<number[]>): Codec<number> {
  return { expected: codec.expected, decode: (n, cx) => { const v = codec.decode(n, cx); return v === INVALID ? v : v.reduce((a, b) => a + b, 0); }, schema: codec.schema };
}

describe('components', () => {
  const steps = components({
    what: 'step',
    codecs: {
      noop: object({}, { what: 'noop', empty: () => ({}) }),
      thinkTime: object({ duration: required(str) }, { what: 'thinkTime' }),
    },
    unsupported: { hotrodRequest: 'HotRod is not part of this driver' },
  });

  it('reads the bare, inline and mapping forms with their positions', () => {
    const result = decode(steps, '- noop\n- thinkTime:\n    duration: 1s\n- noop:');
    assert.deepEqual(result.problems, []);
    assert.ok(result.value !== INVALID);
    assert.deepEqual(result.value.map((c) => [c.name, c.config, c.at]),
      [['noop', {}, 't.yaml:1:3'], ['thinkTime', { duration: '1s' }, 't.yaml:2:3'], ['noop', {}, 't.yaml:4:3']]);
  });

  it('names an unknown step with a suggestion and an unsupported one with the reason', () => {
    const { problems } = decode(steps, '- thinkTme:\n    duration: 1s\n- hotrodRequest: {}');
    assert.deepEqual(problems, [
      '1:3 unknown step `thinkTme`. Did you mean `thinkTime`?',
      '3:3 step `hotrodRequest` is not supported yet: HotRod is not part of this driver',
    ]);
  });

  it('explains a list item with two keys', () => {
    assert.match(decode(steps, '- noop:\n  thinkTime: {duration: 1s}').problems[0] ?? '', /one step per list item/);
  });

  it('describes itself as JSON Schema with one variant per component', () => {
    const schema = steps.schema(new Map()) as { items: { anyOf: unknown[] } };
    assert.equal(schema.items.anyOf.length, 3);
  });
});
