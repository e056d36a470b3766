import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchmarkError } from '../lib/index.js';
import { loadBenchmarkFile, parseBenchmark } from './load.js';

function problems(text: string | Buffer, params?: Record<string, string>): string[] {
  try {
    parseBenchmark(text, { fileName: 'b.hf.yaml', ...(params ? { params } : {}) });
  } catch (error) {
    assert.ok(error instanceof BenchmarkError, `expected a BenchmarkError, got ${String(error)}`);
    return error.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);
  }
  return [];
}

describe('loading a benchmark', () => {
  it('rejects empty input, binary garbage and a non-mapping root with one clear message', () => {
    assert.match(problems('')[0] ?? '', /b\.hf\.yaml:1:1: the benchmark is empty/);
    assert.match(problems('# only a comment\n')[0] ?? '', /the benchmark is empty/);
    assert.match(problems(Buffer.from([0x00, 0xff, 0x10, 0x80]))[0] ?? '', /not a text file/);
    assert.match(problems('- a\n- b')[0] ?? '', /expected a mapping at the top/);
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    assert.match(problems('name: [a\nx: 1')[0] ?? '', /^b\.hf\.yaml:\d+:\d+: YAML syntax error/);
    assert.deepEqual(problems('name: a\nname: b'),
      ['b.hf.yaml:2:1: YAML syntax error: this key appears twice in the same mapping (are you missing a `-` to start a new list item?)']);
    assert.match(problems('name: a\n---\nname: b')[0] ?? '', /several YAML documents/);
  });

  it('refuses an anchor defined twice and stops a YAML bomb quickly', () => {
    assert.deepEqual(problems('a: &x 1\nb: &x 2\nname: n'), ['b.hf.yaml:2:7: anchor `&x` is defined twice: use a different name']);
    const bomb = ['name: n', 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) bomb.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
    const started = Date.now();
    const found = problems(bomb.join('\n'));
    assert.ok(Date.now() - started < 5000, 'decoding must not expand 10^12 nodes');
    assert.ok(found.length >= 1);
  });

  it('fails with the file name when the file is missing', () => {
    assert.throws(() => loadBenchmarkFile('/nonexistent/x.hf.yaml'), /x\.hf\.yaml:1:1: cannot read the benchmark: no such file/);
  });

  it('returns a frozen benchmark with its source and parameters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-load-'));
    const path = join(dir, 'b.hf.yaml');
    writeFileSync(path, 'name: !param NAME demo\n');
    const benchmark = loadBenchmarkFile(path, { params: { NAME: 'other' } });
    assert.equal(benchmark.name, 'other');
    assert.deepEqual(benchmark.templateParams, ['NAME']);
    assert.equal(benchmark.source.text, 'name: !param NAME demo\n');
    assert.ok(Object.isFrozen(benchmark));
  });
});

describe('templates', () => {
  it('substitutes !param with -P values or the default, and names a missing one', () => {
    assert.equal(parseBenchmark('name: !param N fallback', { fileName: 'b' }).name, 'fallback');
    assert.equal(parseBenchmark('name: !param N "quoted default"', { fileName: 'b' }).name, 'quoted default');
    assert.equal(parseBenchmark('name: !param N x', { fileName: 'b', params: { N: 'given' } }).name, 'given');
    assert.deepEqual(problems('name: !param NAME'),
      ['b.hf.yaml:1:14: missing template parameter `NAME`: pass it with `-P NAME=VALUE` or give a default (`!param NAME VALUE`)']);
  });

  it('joins !concat items, including parameters', () => {
    assert.equal(parseBenchmark('name: !concat [a-, !param X, -c]', { fileName: 'b', params: { X: 'b' } }).name, 'a-b-c');
    assert.match(problems('name: !concat [a, [b]]')[0] ?? '', /can only join single values/);
  });

  it('rejects unknown tags', () => {
    assert.match(problems('name: !secret x')[0] ?? '', /unknown tag `!secret`/);
  });
});
