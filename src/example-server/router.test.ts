import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cannedResponse } from './response.js';
import type { RouteDefinition } from './route.js';
import { pathSegments, requestPath, Router } from './router.js';

test('request targets: origin form, absolute form, and forms that name no path', () => {
  assert.equal(requestPath('/a/b?x=1#f'), '/a/b');
  assert.equal(requestPath('/'), '/');
  assert.equal(requestPath('http://localhost:8080/quickstarts/eshop/items?x'), '/quickstarts/eshop/items');
  assert.equal(requestPath('HTTPS://localhost'), '/');
  assert.equal(requestPath('*'), null);
  assert.equal(requestPath('localhost:8080'), null);
  assert.deepEqual(pathSegments('/'), []);
  assert.deepEqual(pathSegments('/a/b/'), ['a', 'b']);
  assert.deepEqual(pathSegments('/a//b'), ['a', '', 'b']);
});

test('priority decides between routes on one path; ties go to the first defined; conditions see the headers', () => {
  const low = cannedResponse(401);
  const first = cannedResponse(200);
  const second = cannedResponse(201);
  const routes: RouteDefinition[] = [
    { method: 'GET', path: '/x', response: low }, // priority 0, defined first: must still lose to priority 100
    { method: 'GET', path: '/x', priority: 100, when: (h) => h['x-a'] === '1', response: first },
    { method: 'GET', path: '/x', priority: 100, when: (h) => h['x-b'] === '1', response: second },
  ];
  const router = new Router(routes);
  const responseOf = (headers: Record<string, string>): unknown => {
    const lookup = router.find('GET', '/x', headers);
    return lookup.kind === 'route' && 'response' in lookup.route ? lookup.route.response : lookup.kind;
  };
  assert.equal(responseOf({}), low);
  assert.equal(responseOf({ 'x-b': '1' }), second);
  assert.equal(responseOf({ 'x-a': '1', 'x-b': '1' }), first);
  assert.equal(router.find('POST', '/x', {}).kind, 'not-found');
  assert.equal(router.find('GET', 'http://h:1/x/', {}).kind, 'route');
  assert.equal(router.find('GET', '*', {}).kind, 'not-found');
});
