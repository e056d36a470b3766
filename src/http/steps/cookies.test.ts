import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CookieJar } from './cookies.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

test('host-only cookies go back to their host only; Domain cookies to subdomains too', () => {
  const jar = new CookieJar();
  jar.store('a=1', 'www.example.com', '/', NOW);
  jar.store('b=2; Domain=.example.com', 'www.example.com', '/', NOW);
  jar.store('c=3; Domain=other.com', 'www.example.com', '/', NOW); // refused: not the request's domain
  assert.equal(jar.headerFor('www.example.com', '/', false, NOW), 'a=1; b=2');
  assert.equal(jar.headerFor('api.example.com', '/', false, NOW), 'b=2');
  assert.equal(jar.headerFor('example.com', '/', false, NOW), 'b=2');
  assert.equal(jar.headerFor('badexample.com', '/', false, NOW), '');
  assert.equal(jar.headerFor('WWW.Example.COM', '/x', false, NOW), 'a=1; b=2', 'hosts compare ignoring case');
});

test('paths: default is the request directory; Path limits to that path and below', () => {
  const jar = new CookieJar();
  jar.store('d=1', 'h', '/app/login?x=1', NOW);
  jar.store('p=2; Path=/app/admin', 'h', '/app/login', NOW);
  assert.equal(jar.headerFor('h', '/app/page', false, NOW), 'd=1');
  assert.equal(jar.headerFor('h', '/app/admin', false, NOW), 'd=1; p=2');
  assert.equal(jar.headerFor('h', '/app/admin/x?y=/app', false, NOW), 'd=1; p=2');
  assert.equal(jar.headerFor('h', '/app/administrator', false, NOW), 'd=1', '/app/admin does not cover /app/administrator');
  assert.equal(jar.headerFor('h', '/other', false, NOW), '');
});

test('Secure, Max-Age, Expires, replacement and deletion', () => {
  const jar = new CookieJar();
  jar.store('s=1; Secure', 'h', '/', NOW);
  jar.store('m=1; Max-Age=10', 'h', '/', NOW);
  jar.store('e=1; Expires=Wed, 01 Jan 2031 00:00:00 GMT', 'h', '/', NOW);
  jar.store('old=1; Expires=Wed, 01 Jan 2020 00:00:00 GMT', 'h', '/', NOW);
  assert.equal(jar.headerFor('h', '/', false, NOW), 'm=1; e=1');
  assert.equal(jar.headerFor('h', '/', true, NOW), 's=1; m=1; e=1');
  assert.equal(jar.headerFor('h', '/', false, NOW + 10_001), 'e=1', 'Max-Age expired');
  jar.store('e=2', 'h', '/', NOW);
  assert.equal(jar.headerFor('h', '/', false, NOW), 'e=2', 'same name, domain and path: replaced');
  jar.store('e=; Path=/', 'h', '/', NOW);
  assert.equal(jar.headerFor('h', '/', false, NOW), '', 'an empty value deletes');
  assert.equal(jar.size, 1, 'only the Secure one is left');
  jar.clear();
  assert.equal(jar.headerFor('h', '/', true, NOW), '');
});

test('a full jar drops further cookies (counted)', () => {
  const jar = new CookieJar(2);
  jar.store('a=1', 'h', '/', NOW);
  jar.store('b=1', 'h', '/', NOW);
  jar.store('c=1', 'h', '/', NOW);
  assert.equal(jar.headerFor('h', '/', false, NOW), 'a=1; b=1');
  assert.equal(jar.dropped, 1);
  jar.store('a=; Max-Age=0', 'h', '/', NOW);
  jar.store('c=1', 'h', '/', NOW);
  assert.equal(jar.headerFor('h', '/', false, NOW), 'c=1; b=1', 'a freed slot is reused');
});
