import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBenchmark } from '../../config/index.js';
import { compileMetric } from './metric.js';
import { TargetRouter, urlPath } from './routing.js';

const benchmark = parseBenchmark(`name: r
http:
- host: http://one.example:8080
- host: https://two.example
- host: http://two.example
  name: plain
usersPerSec: 1
duration: 1
scenario:
- s:
  - noop
`, { fileName: 'r.hf.yaml' });

test('absolute URLs route to the target with that scheme, host and port', () => {
  const router = new TargetRouter(benchmark.http);
  const one = router.parseUrl('http://ONE.example:8080/a/b?c=d')!;
  assert.equal(one.index, 0);
  assert.equal(urlPath('http://ONE.example:8080/a/b?c=d', one.pathStart), '/a/b?c=d');
  assert.equal(router.parseUrl('https://two.example/x')!.index, 1, 'https, default port 443');
  assert.equal(router.parseUrl('http://two.example')!.index, 2, 'http, default port 80');
  assert.equal(urlPath('http://two.example', router.parseUrl('http://two.example')!.pathStart), '/');
  assert.equal(router.parseUrl('http://one.example:8081/')!.index, -1);
  assert.equal(router.parseUrl('/relative'), null);
  assert.equal(router.indexOfEndpoint('plain'), 2);
  assert.equal(router.indexOfAuthority('one.example:8080'), 0);
  assert.equal(router.indexOfAuthority('two.example'), -1, 'ambiguous without a port');
  assert.match(router.explain('two.example', undefined), /ambiguous/);
});

test('metric selectors: first match wins, groups, whole-text matching, fallback, authority with several targets', () => {
  const single = compileMetric({ kind: 'selectors', selectors: [
    { kind: 'match', regex: '/api/(\\w+)/\\d+', replacement: 'api-$1' },
    { kind: 'match', regex: '.*\\.png' },
  ] }, true);
  assert.equal(single.select('h:1', '/api/users/42'), 'api-users');
  assert.equal(single.select('h:1', '/api/users/42/x'), null, 'the regex must match the whole path');
  assert.equal(single.select('h:1', '/img/a.png'), '/img/a.png');
  assert.equal(single.select('h:1', '/other'), null);
  const several = compileMetric({ kind: 'selectors', selectors: [
    { kind: 'match', regex: 'a:80/.*', replacement: 'on-a' },
    { kind: 'default', name: 'rest' },
  ] }, false);
  assert.equal(several.select('a:80', '/x'), 'on-a');
  assert.equal(several.select('b:80', '/x'), 'rest');
  assert.equal(compileMetric({ kind: 'name', name: 'fixed' }, true).select('', ''), 'fixed');
});
