import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BenchmarkError } from '../lib/index.js';
import { parseBenchmark } from './load.js';

function problems(yaml: string): string[] {
  try {
    parseBenchmark(yaml, { fileName: 'r.hf.yaml' });
    return [];
  } catch (error) {
    assert.ok(error instanceof BenchmarkError);
    return error.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
}

const bench = (http: string, request: string): string =>
  `name: r\n${http}phases:\n- p:\n    atOnce:\n      users: 1\n      scenario:\n      - s:\n        - httpRequest:\n${request}`;

describe('request routes', () => {
  const two = 'http:\n- host: http://a.example:8080\n- host: https://b.example\n  name: bee\n';

  it('needs authority or endpoint when the http list has no default target', () => {
    assert.match(problems(bench(two, '            GET: /x\n'))[0] ?? '', /^12:11 httpRequest: there is no default HTTP target/);
  });

  it('names an unknown endpoint with a suggestion, and an authority that matches no target', () => {
    assert.match(problems(bench(two, '            GET: /x\n            endpoint: be\n'))[0] ?? '', /no HTTP target is named `be`\. Did you mean `bee`\?/);
    assert.equal(problems(bench(two, '            GET: /x\n            authority: c.example:80\n')).length, 1);
  });

  it('accepts a matching authority, an endpoint, the default target, and leaves routes built from variables to run time', () => {
    assert.deepEqual(problems(bench(two, '            GET: /x\n            authority: a.example:8080\n')), []);
    assert.deepEqual(problems(bench(two, '            GET: /x\n            endpoint: bee\n')), []);
    assert.deepEqual(problems(bench(two, '            GET: /x\n            authority: ${host}:80\n')), []);
    assert.deepEqual(problems(bench('http:\n  host: http://a.example\n', '            GET: /x\n')), []);
  });

  it('finds a request nested in a loop', () => {
    const nested = `name: r\n${two}phases:\n- p:\n    atOnce:\n      users: 1\n      scenario:\n      - s:\n        - loop:\n            counterVar: i\n            repeats: 2\n            steps:\n            - httpRequest:\n                GET: /x\n`;
    assert.equal(problems(nested).length, 1);
  });

  it('requires an http section for requests', () => {
    assert.match(problems(bench('', '            GET: /x\n'))[0] ?? '', /no `http` section/);
  });
});
