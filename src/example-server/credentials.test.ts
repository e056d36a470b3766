import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningExampleServer } from './index.js';
import { startExampleServer } from './index.js';
import type { RawResponse, RequestSpec } from './test-client.js';
import { Http1Client, Http2Client } from './test-client.js';

// The two login flows of Hyperfoil's credentials example, driven step by step like the benchmark does: each step
// uses what the previous response returned (cookie, token, Location), not constants from the test.

type Send = (spec: RequestSpec) => Promise<RawResponse>;

function firstHeader(response: RawResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function cookieFlow(send: Send): Promise<void> {
  const before = await send({ path: '/howto/credentials/secure' });
  assert.equal(before.status, 401, 'the secure page must refuse a client without the cookie');

  const form = new URLSearchParams({ username: 'harry', password: '!@#$%^&*()' }).toString();
  const login = await send({
    method: 'POST', path: '/howto/credentials/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form,
  });
  assert.equal(login.status, 200);
  const setCookie = login.headers['set-cookie'];
  assert.ok(Array.isArray(setCookie) && setCookie.length === 1, 'one Set-Cookie header');
  const cookie = (setCookie[0] as string).split(';')[0] as string;
  assert.equal(cookie, 'token=some-secret-token');
  assert.deepEqual(JSON.parse(login.body.toString('utf8')), { message: 'Welcome, harry!', token: 'some-secret-token' });

  const afterLogin = await send({ path: '/howto/credentials/secure', headers: { cookie } });
  assert.equal(afterLogin.status, 200, 'the cookie set by the login grants access');
}

async function bearerFlow(send: Send): Promise<void> {
  const page = await send({ path: '/howto/credentials/login' });
  assert.equal(page.status, 401);
  assert.match(firstHeader(page, 'www-authenticate') ?? '', /^Basic realm="Hyperfoil"$/);

  const basic = Buffer.from('tony:aLongSequenceThatsReallyHardToGuess').toString('base64');
  const login = await send({ path: '/howto/credentials/login', headers: { authorization: `Basic ${basic}` } });
  assert.equal(login.status, 302);
  const token = firstHeader(login, 'x-token');
  const location = firstHeader(login, 'location');
  assert.equal(token, 'some-secret-token');
  assert.equal(location, '/howto/credentials/secure');

  const withoutToken = await send({ path: location });
  assert.equal(withoutToken.status, 401, 'following the redirect without the token is refused');
  const secure = await send({ path: location, headers: { authorization: `Bearer ${token}` } });
  assert.equal(secure.status, 200, 'the token from X-Token is accepted as a Bearer credential');
}

let server: RunningExampleServer;
before(async () => {
  server = await startExampleServer({ httpPort: 0, httpsPort: 0, quiet: true });
});
after(() => server.close());

describe('over HTTPS/2, as the credentials example runs', () => {
  let client: Http2Client;
  before(() => { client = new Http2Client(server.httpsUrl ?? assert.fail('no https')); });
  after(() => client.close());
  test('form login sets a cookie that opens the secure page', () => cookieFlow((spec) => client.send(spec)));
  test('basic auth yields a token and a redirect; the token works as Bearer', () => bearerFlow((spec) => client.send(spec)));
});

describe('over plain HTTP/1.1', () => {
  let client: Http1Client;
  before(() => { client = new Http1Client(server.httpUrl); });
  after(() => client.close());
  test('form login sets a cookie that opens the secure page', () => cookieFlow((spec) => client.send(spec)));
  test('basic auth yields a token and a redirect; the token works as Bearer', () => bearerFlow((spec) => client.send(spec)));
  test('a login form larger than 64 KiB gets 413 and the connection keeps serving', async () => {
    const huge = `username=${'x'.repeat(70 * 1024)}`;
    const refused = await client.send({
      method: 'POST', path: '/howto/credentials/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: huge,
    });
    assert.equal(refused.status, 413);
    const next = await client.send({ path: '/' });
    assert.equal(next.status, 200);
  });
});
