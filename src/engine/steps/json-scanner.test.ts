import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonQuery } from '../../config/steps/index.js';
import { JsonScanner } from './json-scanner.js';

function scanner(query: string): JsonScanner {
  const parsed = parseJsonQuery(query);
  assert.ok(parsed.ok, `query ${query}`);
  return new JsonScanner(parsed.value);
}

function select(query: string, json: string): { ok: boolean; values: string[] } {
  const data = Buffer.from(json, 'utf8');
  const values: string[] = [];
  const ok = scanner(query).select(data, 0, data.length, { match: (d, s, e) => { values.push(d.toString('utf8', s, e)); } });
  return { ok, values };
}

function rewrite(query: string, json: string, replacement: string | null): string | null {
  const data = Buffer.from(json, 'utf8');
  const out = scanner(query).rewrite(data, 0, data.length, { edit: () => (replacement === null ? null : Buffer.from(replacement)) });
  return out === null ? null : out.toString('utf8');
}

const DOC = `{ "name": "list", "items": [ {"id": 1, "tags": ["a", "]}"]}, {"id": "two"}, {"other": {"id": 9}}, {"id": [3, 4]} ],
  "nested": { "a": { "b": true } } }`;

describe('JsonScanner.select', () => {
  it('attributes, every element, indices and ranges', () => {
    assert.deepEqual(select('.name', DOC).values, ['"list"']);
    assert.deepEqual(select('.nested.a.b', DOC).values, ['true']);
    assert.deepEqual(select('.items[].id', DOC).values, ['1', '"two"', '[3, 4]']);
    assert.deepEqual(select('.items[1].id', DOC).values, ['"two"']);
    assert.deepEqual(select('.items[1:2]', DOC).values, ['{"id": "two"}', '{"other": {"id": 9}}']);
    assert.deepEqual(select('.items[2:]', DOC).values, ['{"other": {"id": 9}}', '{"id": [3, 4]}']);
    assert.deepEqual(select('.items[].id[]', DOC).values, ['3', '4']);
    assert.deepEqual(select('.', ' [1, 2] ').values, ['[1, 2]']);
  });

  it('skips strings holding brackets and compares escaped names decoded', () => {
    assert.deepEqual(select('.items[0].tags[1]', DOC).values, ['"]}"']);
    assert.deepEqual(select('.name', '{"na\\u006de": 1, "name": 2}').values, ['1', '2']);
    assert.deepEqual(select('.a', '{"a\\"": 1, "a": 2}').values, ['2']);
  });

  it('a selector of the wrong kind selects nothing', () => {
    assert.deepEqual(select('.a', '[1, 2]').values, []);
    assert.deepEqual(select('.[]', '{"a": 1}').values, []);
    assert.deepEqual(select('.x', '{}').values, []);
    assert.deepEqual(select('.[]', '[]').values, []);
  });

  it('malformed input: false, with the values selected before the fault', () => {
    assert.deepEqual(select('.[]', '[1, 2 3]'), { ok: false, values: ['1', '2'] });
    assert.deepEqual(select('.[].a', '[{"a": 1}, {"a" 3}]'), { ok: false, values: ['1'] });
    // Parts off the query's path are skipped by bracket counting, not validated.
    assert.deepEqual(select('.b', '{"a": {"x" 3}, "b": 2}'), { ok: true, values: ['2'] });
    assert.equal(select('.a', '{"a": "unterminated').ok, false);
    assert.equal(select('.a', '').ok, false);
    assert.equal(select('.a', '{"a": 1').ok, false);
  });

  it('nests without recursion in skipped parts (10 000 levels)', () => {
    const deep = `{"skip": ${'['.repeat(10_000)}${']'.repeat(10_000)}, "a": 1}`;
    assert.deepEqual(select('.a', deep).values, ['1']);
  });
});

describe('JsonScanner.rewrite', () => {
  it('deletes members and elements, keeping valid JSON', () => {
    const json = '{"a": 1, "b": {"c": 2, "d": 3}, "e": [10, 20, 30]}';
    assert.deepEqual(JSON.parse(rewrite('.a', json, null)!), { b: { c: 2, d: 3 }, e: [10, 20, 30] });
    assert.deepEqual(JSON.parse(rewrite('.b.d', json, null)!), { a: 1, b: { c: 2 }, e: [10, 20, 30] });
    assert.deepEqual(JSON.parse(rewrite('.e[1]', json, null)!), { a: 1, b: { c: 2, d: 3 }, e: [10, 30] });
    assert.deepEqual(JSON.parse(rewrite('.e[]', json, null)!), { a: 1, b: { c: 2, d: 3 }, e: [] });
    assert.deepEqual(JSON.parse(rewrite('.e[0:1]', json, null)!), { a: 1, b: { c: 2, d: 3 }, e: [30] });
  });

  it('replaces selected values; the rest is copied', () => {
    const json = '[{"id": 1, "x": "keep"}, {"id": 2}]';
    assert.deepEqual(JSON.parse(rewrite('.[].id', json, '"hidden"')!), [{ id: 'hidden', x: 'keep' }, { id: 'hidden' }]);
    assert.equal(rewrite('.', json, '{}'), '{}');
    assert.equal(rewrite('.missing', '{"a": 1}', '0'), '{"a": 1}');
    assert.equal(rewrite('.a', '{"a": ', null), null);
  });
});
