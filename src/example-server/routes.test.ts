import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningExampleServer } from './index.js';
import { startExampleServer } from './index.js';
import type { RawResponse, RequestSpec } from './test-client.js';
import { Http1Client, Http2Client, significantHeaders } from './test-client.js';

// Every route of the example server, checked byte for byte against what the mock definitions of Hyperfoil's
// example container specify (status, headers, body), over plain HTTP/1.1, HTTPS/1.1 and HTTPS/2.

const MOVIES_TEXT = '[\n'
  + '  {"name":"Shanghai Knights","quality":73},\n'
  + '  {"name":"Die Hard","quality":89},\n'
  + '  {"name":"The Terminator","quality":87},\n'
  + '  {"name":"Plump Fiction","quality":8}\n'
  + ']\n';
const ITEMS_TEXT = '[\n'
  + '  {"id":418,"product":"Teapots","units":123},\n'
  + '  {"id":420,"product":"Various herbs","units":321},\n'
  + '  {"id":450,"product":"Magazines","units":456}\n'
  + ']\n';
const FORM = 'application/x-www-form-urlencoded';
const TEXT = 'text/plain; charset=utf-8';
const empty = { 'content-length': '0' };

interface Case {
  readonly name: string;
  readonly request: RequestSpec;
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: string;
}

const loginBody = (user: string): string =>
  `{\n  "message": "Welcome, ${user}!",\n  "token": "some-secret-token"\n}\n`;

const cases: readonly Case[] = [
  { name: 'index', request: { path: '/' }, status: 200, headers: empty, body: '' },
  { name: 'index ignores the query', request: { path: '/?from=two-agents' }, status: 200, headers: empty, body: '' },
  { name: 'index answers GET only', request: { method: 'HEAD', path: '/' }, status: 404, headers: empty, body: '' },
  {
    name: 'movie list', request: { path: '/quickstarts/choose-movie/movies' }, status: 200,
    headers: { 'content-type': TEXT, 'content-length': String(Buffer.byteLength(MOVIES_TEXT)) }, body: MOVIES_TEXT,
  },
  { name: 'profile with a user', request: { path: '/quickstarts/choose-movie/profile?user=jackiechan' }, status: 200, headers: empty, body: '' },
  {
    name: 'comment on an url-encoded movie name',
    request: { method: 'POST', path: '/quickstarts/choose-movie/movie/Plump%20Fiction/comments', body: 'This movie sucks.' },
    status: 200, headers: empty, body: '',
  },
  { name: 'watch a movie', request: { path: '/quickstarts/choose-movie/movie/Die%20Hard/watch' }, status: 200, headers: empty, body: '' },
  { name: 'a parameter needs a non-empty segment', request: { path: '/quickstarts/choose-movie/movie//watch' }, status: 404, headers: empty, body: '' },
  { name: 'a parameter is one segment', request: { path: '/quickstarts/choose-movie/movie/a/b/watch' }, status: 404, headers: empty, body: '' },
  { name: 'comments need POST', request: { path: '/quickstarts/choose-movie/movie/Die%20Hard/comments' }, status: 404, headers: empty, body: '' },
  {
    name: 'item list', request: { path: '/quickstarts/eshop/items' }, status: 200,
    headers: { 'content-type': TEXT, 'content-length': String(Buffer.byteLength(ITEMS_TEXT)) }, body: ITEMS_TEXT,
  },
  {
    name: 'item list with a trailing slash', request: { path: '/quickstarts/eshop/items/' }, status: 200,
    headers: { 'content-type': TEXT, 'content-length': String(Buffer.byteLength(ITEMS_TEXT)) }, body: ITEMS_TEXT,
  },
  { name: 'buy an item', request: { method: 'POST', path: '/quickstarts/eshop/items/418/buy' }, status: 200, headers: empty, body: '' },
  {
    name: 'restock any id with a form',
    request: { method: 'POST', path: '/quickstarts/eshop/items/999/restock', headers: { 'content-type': FORM }, body: 'addUnits=7' },
    status: 200, headers: empty, body: '',
  },
  { name: 'buying needs POST', request: { path: '/quickstarts/eshop/items/418/buy' }, status: 404, headers: empty, body: '' },
  { name: 'random page', request: { path: '/quickstarts/random-urls/index.html' }, status: 200, headers: empty, body: '' },
  { name: 'random image foo', request: { path: '/quickstarts/random-urls/foo.png' }, status: 200, headers: empty, body: '' },
  { name: 'random image bar is a 300', request: { path: '/quickstarts/random-urls/bar.png' }, status: 300, headers: empty, body: '' },
  { name: 'random image that does not exist', request: { path: '/quickstarts/random-urls/this-returns-404.png' }, status: 404, headers: empty, body: '' },
  { name: 'percent-escapes are decoded before matching', request: { path: '/quickstarts/random-urls/foo%2Epng' }, status: 200, headers: empty, body: '' },
  { name: 'a broken percent-escape is a bad request', request: { path: '/quickstarts/eshop/items%zz' }, status: 400, headers: empty, body: '' },
  { name: 'unknown path', request: { path: '/no/such/page' }, status: 404, headers: empty, body: '' },
  {
    name: 'login page without credentials', request: { path: '/howto/credentials/login' }, status: 401,
    headers: { 'www-authenticate': 'Basic realm="Hyperfoil"', 'content-length': '0' }, body: '',
  },
  {
    name: 'login page with a Bearer token is still a challenge',
    request: { path: '/howto/credentials/login', headers: { authorization: 'Bearer some-secret-token' } }, status: 401,
    headers: { 'www-authenticate': 'Basic realm="Hyperfoil"', 'content-length': '0' }, body: '',
  },
  {
    name: 'basic login', request: { path: '/howto/credentials/login', headers: { authorization: `Basic ${Buffer.from('tony:x').toString('base64')}` } },
    status: 302, headers: { 'x-token': 'some-secret-token', location: '/howto/credentials/secure', 'content-length': '0' }, body: '',
  },
  {
    name: 'form login',
    request: { method: 'POST', path: '/howto/credentials/login', headers: { 'content-type': FORM }, body: 'username=johnny&password=pA55w012d' },
    status: 200,
    headers: {
      'x-token': 'some-secret-token',
      'set-cookie': ['token=some-secret-token; Max-Age: 300; Secure'],
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(loginBody('johnny'))),
    },
    body: loginBody('johnny'),
  },
  {
    name: 'form login decodes and escapes the user name',
    request: { method: 'POST', path: '/howto/credentials/login', headers: { 'content-type': `${FORM}; charset=UTF-8` }, body: 'username=%22jo+hn%22&password=%21%40%23' },
    status: 200,
    headers: {
      'x-token': 'some-secret-token',
      'set-cookie': ['token=some-secret-token; Max-Age: 300; Secure'],
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(loginBody('\\"jo hn\\"'))),
    },
    body: loginBody('\\"jo hn\\"'),
  },
  {
    name: 'login POST that is not a form', request: { method: 'POST', path: '/howto/credentials/login', headers: { 'content-type': 'application/json' }, body: '{}' },
    status: 404, headers: empty, body: '',
  },
  { name: 'secure page without credentials', request: { path: '/howto/credentials/secure' }, status: 401, headers: empty, body: '' },
  {
    name: 'secure page with the bearer token', request: { path: '/howto/credentials/secure', headers: { authorization: 'Bearer some-secret-token' } },
    status: 200, headers: empty, body: '',
  },
  {
    name: 'secure page with a wrong bearer token', request: { path: '/howto/credentials/secure', headers: { authorization: 'Bearer guessed' } },
    status: 401, headers: empty, body: '',
  },
  {
    name: 'secure page with the cookie', request: { path: '/howto/credentials/secure', headers: { cookie: 'lang=en; token=some-secret-token' } },
    status: 200, headers: empty, body: '',
  },
  {
    name: 'secure page with a wrong cookie', request: { path: '/howto/credentials/secure', headers: { cookie: 'token=some-secret' } },
    status: 401, headers: empty, body: '',
  },
];

function assertCase(actual: RawResponse, expected: Case): void {
  assert.equal(actual.status, expected.status, 'status');
  assert.deepEqual(significantHeaders(actual.headers), expected.headers, 'headers');
  assert.equal(actual.body.toString('utf8'), expected.body, 'body');
}

let server: RunningExampleServer;
before(async () => {
  server = await startExampleServer({ httpPort: 0, httpsPort: 0, quiet: true });
});
after(() => server.close());

describe('plain HTTP/1.1', () => {
  let client: Http1Client;
  before(() => { client = new Http1Client(server.httpUrl); });
  after(() => client.close());
  for (const c of cases) test(c.name, async () => assertCase(await client.send(c.request), c));
  test('all those requests travelled over one keep-alive connection', () => {
    assert.equal(client.openSockets(), 1);
  });
});

describe('HTTPS with HTTP/1.1', () => {
  let client: Http1Client;
  before(() => {
    assert.ok(server.httpsUrl);
    client = new Http1Client(server.httpsUrl);
  });
  after(() => client.close());
  for (const c of cases) {
    test(c.name, async () => {
      const response = await client.send(c.request);
      assert.equal(response.httpVersion, '1.1');
      assertCase(response, c);
    });
  }
});

describe('HTTPS with HTTP/2 (negotiated by ALPN)', () => {
  let client: Http2Client;
  before(() => {
    assert.ok(server.httpsUrl);
    client = new Http2Client(server.httpsUrl);
  });
  after(() => client.close());
  for (const c of cases) test(c.name, async () => assertCase(await client.send(c.request), c));
  test('the session negotiated h2', () => {
    assert.equal(client.session.alpnProtocol, 'h2');
  });
});

test('the JSON lists carry the data of the mock definitions', async () => {
  const client = new Http1Client(server.httpUrl);
  try {
    const movies = JSON.parse((await client.send({ path: '/quickstarts/choose-movie/movies' })).body.toString('utf8'));
    assert.deepEqual(movies, [
      { name: 'Shanghai Knights', quality: 73 }, { name: 'Die Hard', quality: 89 },
      { name: 'The Terminator', quality: 87 }, { name: 'Plump Fiction', quality: 8 },
    ]);
    const items = JSON.parse((await client.send({ path: '/quickstarts/eshop/items' })).body.toString('utf8'));
    assert.deepEqual(items, [
      { id: 418, product: 'Teapots', units: 123 }, { id: 420, product: 'Various herbs', units: 321 },
      { id: 450, product: 'Magazines', units: 456 },
    ]);
  } finally {
    client.close();
  }
});
