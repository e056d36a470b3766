import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError } from './http-error.js';
import { OriginPolicy, splitAuthority } from './origin-policy.js';

function status(policy: OriginPolicy, headers: Record<string, string>): number {
  try {
    policy.check(headers);
    return 200;
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error.status;
  }
}

describe('Host/Origin policy', () => {
  const policy = new OriginPolicy({ listenHost: '0.0.0.0', externalUri: 'https://hf.example.com', allowedHosts: ['lab-box'] });

  it('serves loopback names, IP literals, the external URL\'s host and allowed names; refuses others', () => {
    for (const host of ['localhost:8090', '127.0.0.1:8090', '[::1]:8090', '10.1.2.3:8090', 'hf.example.com', 'LAB-BOX:8090', 'a.localhost:1', 'localhost.']) {
      assert.equal(status(policy, { host }), 200, host);
    }
    for (const host of ['evil.example:8090', 'localhost.evil.example', 'hf.example.com.evil', '', 'a b', '[zz]:1']) {
      assert.equal(status(policy, { host }), 403, host);
    }
    assert.equal(status(policy, {}), 200, 'no Host (HTTP/1.0 tools)');
  });

  it('accepts only the controller\'s own origin', () => {
    assert.equal(status(policy, { host: '127.0.0.1:8090', origin: 'http://127.0.0.1:8090' }), 200);
    assert.equal(status(policy, { host: 'localhost', origin: 'http://localhost:80' }), 200, 'default port written or not');
    assert.equal(status(policy, { host: '10.0.0.5:8443', origin: 'https://hf.example.com' }), 200, 'the external URL behind a proxy');
    assert.equal(status(policy, { host: '127.0.0.1:8090', origin: 'http://127.0.0.1:3000' }), 403, 'another port');
    assert.equal(status(policy, { host: '127.0.0.1:8090', origin: 'http://localhost:8090' }), 403, 'another name');
    assert.equal(status(policy, { host: '127.0.0.1:8090', origin: 'http://evil.example' }), 403);
    assert.equal(status(policy, { host: '127.0.0.1:8090', origin: 'null' }), 403);
    assert.equal(status(policy, { host: '127.0.0.1:8090', origin: 'file://' }), 403);
  });

  it('refuses what a browser marks as coming from another site', () => {
    assert.equal(status(policy, { host: '127.0.0.1:8090', 'sec-fetch-site': 'cross-site' }), 403);
    assert.equal(status(policy, { host: '127.0.0.1:8090', 'sec-fetch-site': 'same-site' }), 403);
    assert.equal(status(policy, { host: '127.0.0.1:8090', 'sec-fetch-site': 'same-origin' }), 200);
    assert.equal(status(policy, { host: '127.0.0.1:8090', 'sec-fetch-site': 'none' }), 200);
  });

  it('splits authorities', () => {
    assert.deepEqual(splitAuthority('[::1]:80'), { name: '::1', port: '80' });
    assert.deepEqual(splitAuthority('Example.COM'), { name: 'example.com', port: '' });
    assert.equal(splitAuthority('a/b'), undefined);
  });
});
