import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineCounter, parseDocument } from 'yaml';
import { SourceContext } from './context.js';
import { expandTemplates } from './templates.js';

function expand(yaml: string, params: Record<string, string> = {}): { json: unknown; problems: string[]; params: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines, schema: 'failsafe' });
  const cx = new SourceContext('t.yaml', doc, lines);
  const info = expandTemplates(doc, params, cx);
  return { json: doc.toJS(), problems: cx.problems.map((p) => `${p.line}:${p.column} ${p.message}`), params: [...info.params] };
}

describe('!foreach', () => {
  it('renders `do` once per item split by the separator, with the item as a parameter', () => {
    const result = expand('http: !foreach\n  items: http://a, http://b\n  do:\n    host: !param ITEM\n');
    assert.deepEqual(result.json, { http: [{ host: 'http://a' }, { host: 'http://b' }] });
  });

  it('takes a list of items (which may hold parameters), a renamed param and a regexp separator', () => {
    assert.deepEqual(expand('l: !foreach\n  items: [A, !param B, C]\n  param: FOO\n  do: !param FOO', { B: 'bar' }).json,
      { l: ['A', 'bar', 'C'] });
    assert.deepEqual(expand('l: !foreach\n  items: a;b|c\n  separator: "[;|]"\n  do: !param ITEM').json, { l: ['a', 'b', 'c'] });
  });

  it('nests, with the inner parameter shadowing nothing of the outer one', () => {
    const yaml = 'l: !foreach\n  items: x,y\n  param: O\n  do: !foreach\n    items: 1,2\n    param: I\n    do: !concat [!param O, !param I]';
    assert.deepEqual(expand(yaml).json, { l: [['x1', 'x2'], ['y1', 'y2']] });
  });

  it('reports a missing `do` and an invalid separator', () => {
    assert.match(expand('l: !foreach\n  items: a').problems[0] ?? '', /needs both `items` and `do`/);
    assert.match(expand('l: !foreach\n  items: a\n  separator: "("\n  do: x').problems[0] ?? '', /not a valid regular expression/);
  });
});

describe('!param inside anchors', () => {
  it('expands an anchored value once, and aliases see the result', () => {
    assert.deepEqual(expand('a: &x {v: !param P 1}\nb: *x', { P: '7' }).json, { a: { v: '7' }, b: { v: '7' } });
  });
});
