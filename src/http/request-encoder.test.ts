// The encoder's bytes are sent over a raw socket to Node's HTTP server, which must parse them into the
// intended method, path, headers and body.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { ENCODE_BAD_HEADER, ENCODE_BAD_TARGET, ENCODE_OK, OutgoingRequest, RequestTemplate, RequestValues, escapePathSpaces, type EncodedRequest } from './request-encoder.js';
import { HttpConfigError } from './errors.js';

interface Seen {
  method: string;
  url: string;
  headers: string[];
  body: Buffer;
}

async function sendRaw(requests: EncodedRequest[]): Promise<Seen[]> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.rawHeaders, body: Buffer.concat(parts) });
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  for (const r of requests) {
    socket.write(r.head);
    if (r.body !== null) socket.write(r.body);
  }
  const deadline = Date.now() + 5000;
  const answers = (): number => received.split('HTTP/1.1 200').length - 1;
  while ((seen.length < requests.length || answers() < requests.length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  socket.destroy();
  server.close();
  assert.equal(answers(), requests.length, 'every request answered 200');
  return seen;
}

test('a fully static request is encoded once and parses as intended', async () => {
  const template = new RequestTemplate({ method: 'GET', authority: 'example.com:8080', path: '/a/b?x=1', headers: [['Accept', 'text/plain'], ['X-Multi', 'a, b']] });
  assert.ok(template.fixed !== null);
  const again = template.fixed;
  assert.equal(template.fixed, again, 'the same object every time');
  assert.equal(template.fixed.head.toString('latin1'), 'GET /a/b?x=1 HTTP/1.1\r\nhost: example.com:8080\r\nAccept: text/plain\r\nX-Multi: a, b\r\n\r\n');
  const [seen] = await sendRaw([template.fixed]);
  assert.equal(seen!.method, 'GET');
  assert.equal(seen!.url, '/a/b?x=1');
  assert.deepEqual(seen!.headers, ['host', 'example.com:8080', 'Accept', 'text/plain', 'X-Multi', 'a, b']);
});

test('dynamic path, headers and bodies (string, small and large buffers)', async () => {
  const template = new RequestTemplate({ method: 'POST', authority: 'h', headers: [['Content-Type', 'application/json']] });
  assert.equal(template.fixed, null);
  const values = new RequestValues();
  const requests: EncodedRequest[] = [];
  const bodies: Buffer[] = [];

  const make = (path: string, body: string | Buffer | null, headers: [string, string][]): void => {
    values.clear();
    values.path = path;
    values.body = body;
    for (const [n, v] of headers) values.addHeader(n, v);
    const out = new OutgoingRequest();
    template.encode(values, out);
    requests.push(out);
    bodies.push(body === null ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body) : body);
  };
  make('/items/1', '{"name":"žluťoučký kůň"}', [['Cookie', 'a=1; b=2']]);
  make('/search?q=two words', null, []);
  make('/with space/x?y=a b', Buffer.from('small'), [['X-One', '1'], ['X-Two', '2']]);
  const large = Buffer.alloc(100_000, 0x41);
  make('/large', large, []);
  assert.notEqual(requests[3]!.body, null, 'a large body is written separately, not copied');
  assert.equal(requests[3]!.body, large);
  assert.equal(requests[0]!.body, null, 'a small body follows the head in one buffer');

  const seen = await sendRaw(requests);
  assert.deepEqual(seen.map((s) => s.url), ['/items/1', '/search?q=two+words', '/with%20space/x?y=a+b', '/large']);
  for (let i = 0; i < seen.length; i++) {
    assert.equal(seen[i]!.method, 'POST');
    assert.ok(seen[i]!.body.equals(bodies[i]!), `body ${i}`);
  }
  assert.deepEqual(seen[0]!.headers, ['host', 'h', 'Content-Type', 'application/json', 'Cookie', 'a=1; b=2', 'content-length', String(bodies[0]!.length)]);
  assert.ok(!seen[1]!.headers.includes('content-length'), 'no Content-Length without a body');
});

test('encoded dynamic requests do not overwrite each other (slab regions are not reused)', () => {
  const template = new RequestTemplate({ method: 'GET', authority: 'h', dynamic: true, path: '/p' });
  const values = new RequestValues();
  const outs: string[] = [];
  const kept: OutgoingRequest[] = [];
  for (let i = 0; i < 5000; i++) {
    values.clear();
    values.addHeader('X-I', String(i));
    const out = new OutgoingRequest();
    template.encode(values, out);
    kept.push(out);
    outs.push(out.head.toString('latin1'));
  }
  for (let i = 0; i < kept.length; i++) assert.equal(kept[i]!.head.toString('latin1'), outs[i], `request ${i} unchanged`);
});

test('HEAD templates mark the request; invalid specs are rejected with clear errors', () => {
  assert.equal(new RequestTemplate({ method: 'HEAD', authority: 'h', path: '/' }).fixed!.isHead, true);
  assert.throws(() => new RequestTemplate({ method: 'GET', authority: 'h', path: '/', headers: [['Bad Name', 'v']] }), HttpConfigError);
  assert.throws(() => new RequestTemplate({ method: 'GET', authority: 'h', path: '/', headers: [['X', 'a\r\nInjected: 1']] }), /CR, LF/);
  assert.throws(() => new RequestTemplate({ method: 'GET', authority: 'h', path: '' }), /empty/);
  assert.throws(() => new RequestTemplate({ method: 'FETCH' as never, authority: 'h', path: '/' }), /Unknown HTTP method/);
  assert.equal(escapePathSpaces('/no-spaces'), '/no-spaces');
});

test('encode refuses a dynamic path or header that would end the line early, and leaves the last request intact', () => {
  const template = new RequestTemplate({ method: 'GET', authority: 'h:1', dynamic: true });
  const values = new RequestValues();
  const out = new OutgoingRequest();
  values.path = '/ok';
  values.addHeader('x-a', 'fine\tvalue é');
  assert.equal(template.encode(values, out), ENCODE_OK);
  const good = out.head.toString('latin1');
  const cases: Array<[string, (v: RequestValues) => void, number]> = [
    ['CR LF in a header value', (v) => v.addHeader('x-a', 'a\r\nX-Evil: 1'), ENCODE_BAD_HEADER],
    ['a lone LF in a header value', (v) => v.addHeader('x-a', 'a\nb'), ENCODE_BAD_HEADER],
    ['NUL in a header value', (v) => v.addHeader('x-a', 'a\0b'), ENCODE_BAD_HEADER],
    // latin1 keeps the low byte: U+010A would be written as LF.
    ['a character whose low byte is LF', (v) => v.addHeader('x-a', 'a\u010ab'), ENCODE_BAD_HEADER],
    ['a header name that is not a token', (v) => v.addHeader('x a', 'b'), ENCODE_BAD_HEADER],
    ['CR LF in the path', (v) => { v.path = '/a\r\n\r\nGET /smuggled'; }, ENCODE_BAD_TARGET],
    ['a control character in the path', (v) => { v.path = '/a\u0001'; }, ENCODE_BAD_TARGET],
    ['DEL in the path', (v) => { v.path = '/a\u007f'; }, ENCODE_BAD_TARGET],
  ];
  for (const [what, fill, expected] of cases) {
    values.clear();
    values.path = '/ok';
    fill(values);
    assert.equal(template.encode(values, out), expected, what);
    assert.equal(out.head.toString('latin1'), good, `${what}: the output is unchanged`);
  }
  values.clear();
  values.path = '/caf\u00e9 x?q=a b';
  assert.equal(template.encode(values, out), ENCODE_OK, 'UTF-8 and escaped spaces pass');
  assert.match(out.head.toString('latin1'), /^GET \/caf\xc3\xa9%20x\?q=a\+b HTTP\/1\.1\r\n/);
});
