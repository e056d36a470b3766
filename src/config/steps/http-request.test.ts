import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID } from '../codec.js';
import { decodeYaml, valueOf } from '../decode-testing.js';
import { stepList } from './index.js';
import type { HttpRequestConfig } from './index.js';

const files: Record<string, string> = { 'payload.json': '{"a":1}\n' };
const fileSource = (name: string) => (name in files ? Buffer.from(files[name] as string) : undefined);

function request(yaml: string): HttpRequestConfig {
  const result = decodeYaml(stepList, yaml, { files: fileSource });
  assert.deepEqual(result.problems, []);
  const [step] = valueOf(result);
  assert.equal(step?.name, 'httpRequest');
  return step.config as HttpRequestConfig;
}

function problems(yaml: string): string[] {
  const result = decodeYaml(stepList, yaml, { files: fileSource });
  assert.equal(result.value, INVALID);
  return result.problems;
}

const literal = (text: string) => ({ source: text, parts: [{ kind: 'literal', text }] });
const ref = (name: string, indexed = false) => ({ name, indexed });

describe('httpRequest', () => {
  it('method keys set method and path; defaults: sync, no body, no SLA, empty handlers', () => {
    const config = request('- httpRequest:\n    POST: /items/${id}/buy\n');
    assert.equal(config.method, 'POST');
    assert.deepEqual(config.path, {
      pattern: { source: '/items/${id}/buy', parts: [{ kind: 'literal', text: '/items/' }, { kind: 'var', ref: ref('id'), format: { kind: 'plain' } }, { kind: 'literal', text: '/buy' }] },
    });
    assert.equal(config.sync, true);
    assert.equal(config.body, undefined);
    assert.equal(config.sla, undefined);
    assert.equal(config.timeoutMs, undefined);
    assert.deepEqual(config.handler, { status: [], header: [], body: [], rawBytes: [], onCompletion: [] });
    assert.deepEqual(config.headers, []);
  });

  it('`method` + `path`, and path builders {value | pattern | fromVar}', () => {
    assert.deepEqual(request('- httpRequest: {method: DELETE, path: /x}\n').method, 'DELETE');
    assert.deepEqual(request('- httpRequest: {path: /only}\n').method, 'GET');
    assert.deepEqual(request('- httpRequest: {GET: {value: "/a/${b}"}}\n').path, { pattern: { source: '/a/$${b}', parts: [{ kind: 'literal', text: '/a/${b}' }] } });
    assert.deepEqual(request('- httpRequest: {PUT: {fromVar: "p[.]"}}\n').path, { fromVar: ref('p', true) });
  });

  it('refuses two methods, method with a method key, no path, lower-case methods', () => {
    assert.deepEqual(problems('- httpRequest: {GET: /a, POST: /b}\n'), ['1:16 httpRequest takes one method, got `GET`, `POST`']);
    assert.deepEqual(problems('- httpRequest: {GET: /a, method: POST}\n'), ['1:34 httpRequest: `GET: path` already sets the method and the path; drop `method`']);
    assert.deepEqual(problems('- httpRequest: {sync: false}\n'), ['1:16 httpRequest needs a method and a path: `GET: /path` (or POST, PUT …), or `method` and `path`']);
    assert.deepEqual(problems('- httpRequest: {get: /a}\n'), [
      '1:17 unknown property `get` in httpRequest. Did you mean `GET` or `PUT`? Expected one of: GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE, CONNECT, method, path, authority, endpoint, headers, body, sync, timeout, metric, sla, handler, compensation, compression',
    ]);
  });

  it('authority and endpoint are kept as data, but not both', () => {
    const config = request('- httpRequest: {GET: /, authority: "${hostname}:80"}\n');
    assert.deepEqual(config.authority, {
      pattern: { source: '${hostname}:80', parts: [{ kind: 'var', ref: ref('hostname'), format: { kind: 'plain' } }, { kind: 'literal', text: ':80' }] },
    });
    assert.deepEqual(request('- httpRequest: {GET: /, endpoint: backend}\n').endpoint, { pattern: literal('backend') });
    assert.deepEqual(problems('- httpRequest: {GET: /, authority: a:1, endpoint: b}\n'), ['1:51 httpRequest takes either `authority` (host:port) or `endpoint` (a target name), not both']);
  });

  it('headers as a mapping or a list, patterns or {fromVar}; Host warns', () => {
    const config = request([
      '- httpRequest:',
      '    GET: /',
      '    headers:',
      '      accept: text/html',
      '      authorization: Bearer ${token}',
      '      if-match: {fromVar: etag}',
    ].join('\n'));
    assert.deepEqual(config.headers.map((h) => [h.name, 'fromVar' in h.value ? h.value.fromVar.name : h.value.pattern.source]), [
      ['accept', 'text/html'], ['authorization', 'Bearer ${token}'], ['if-match', 'etag'],
    ]);
    const listed = decodeYaml(stepList, '- httpRequest:\n    GET: /\n    headers:\n    - Host: example.com\n    - x-a: {pattern: "${v}"}\n');
    assert.deepEqual(listed.problems, []);
    assert.deepEqual(listed.warnings, ['4:7 setting the `Host` header replaces the automatic one; to send requests elsewhere than `host`, use `http.addresses`']);
    assert.deepEqual(problems('- httpRequest: {GET: /, headers: {a: {fromVar: x, pattern: y}}}\n'), ['1:38 a header value takes only one of `pattern`, `fromVar`, got `pattern`, `fromVar`']);
  });

  it('body: scalar pattern, text, fromVar, fromFile (loaded), form', () => {
    assert.deepEqual(request('- httpRequest: {POST: /, body: "{\\"id\\": ${id}}"}\n').body?.kind, 'pattern');
    assert.deepEqual(request('- httpRequest: {POST: /, body: {text: "${not} replaced"}}\n').body, { kind: 'text', text: '${not} replaced' });
    assert.deepEqual(request('- httpRequest: {POST: /, body: {fromVar: doc}}\n').body, { kind: 'fromVar', fromVar: ref('doc') });
    const fromFile = decodeYaml(stepList, '- httpRequest: {POST: /, body: {fromFile: payload.json}}\n', { files: fileSource });
    assert.deepEqual((valueOf(fromFile)[0]?.config as HttpRequestConfig).body, { kind: 'file', file: 'payload.json' });
    assert.equal(fromFile.files.get('payload.json')?.toString(), '{"a":1}\n', 'the file is kept for upload with the benchmark');
    const form = request([
      '- httpRequest:',
      '    POST: /myform',
      '    body:',
      '      form:',
      '      - {name: foo, value: bar}',
      '      - {name: bar, fromVar: myVar}',
      '      - {name: goo, pattern: "foo${myVar}bar"}',
    ].join('\n')).body;
    assert.ok(form?.kind === 'form');
    assert.deepEqual(form.inputs.map((i) => [i.name, 'fromVar' in i.value ? i.value.fromVar.name : i.value.pattern.parts.length]), [['foo', 1], ['bar', 'myVar'], ['goo', 3]]);
  });

  it('body errors: two forms, missing file, urlencode inside a form field', () => {
    assert.deepEqual(problems('- httpRequest: {POST: /, body: {text: a, fromVar: b}}\n'), ['1:32 body takes only one of `text`, `pattern`, `fromVar`, `fromFile`, `form`, got `text`, `fromVar`']);
    const missing = problems('- httpRequest: {POST: /, body: {fromFile: missing.bin}}\n');
    assert.match(missing[0] as string, /^1:43 data file `missing.bin` was not uploaded with the benchmark/);
    assert.deepEqual(problems('- httpRequest: {POST: /, body: {form: [{name: a, pattern: "${urlencode:x}"}]}}\n'),
      ['1:59 `${urlencode:x}`: `${urlencode:…}` is not allowed here: this value is URL-encoded as a whole already']);
  });

  it('sync, timeout, metric name and selectors', () => {
    const config = request('- httpRequest: {GET: /, sync: false, timeout: 2s, metric: [".*\\\\.html -> pages", ".*\\\\.png", "-> other"]}\n');
    assert.equal(config.sync, false);
    assert.equal(config.timeoutMs, 2000);
    assert.deepEqual(config.metric, {
      kind: 'selectors', selectors: [
        { kind: 'match', regex: '.*\\.html', replacement: 'pages' }, { kind: 'match', regex: '.*\\.png' }, { kind: 'default', name: 'other' },
      ],
    });
    assert.deepEqual(request('- httpRequest: {GET: /, metric: mammals}\n').metric, { kind: 'name', name: 'mammals' });
    assert.deepEqual(problems('- httpRequest: {GET: /, metric: ["(unclosed -> x"]}\n'),
      ['1:34 `(unclosed` is not a valid regular expression: /(unclosed/: Unterminated group']);
    assert.deepEqual(problems('- httpRequest: {GET: /, sync: maybe}\n'), ['1:31 expected `true` or `false`, got `maybe`']);
  });

  it('sla: a mapping or a list, with limits as percentiles', () => {
    const single = request('- httpRequest: {GET: /, sla: {blockedRatio: 1000}}\n').sla;
    assert.deepEqual(single, [{ errorRatio: 1.01, invalidRatio: 1.01, blockedRatio: 1000, limits: [] }]);
    const list = request([
      '- httpRequest:',
      '    GET: /',
      '    sla:',
      '    - errorRatio: 0.1',
      '      meanResponseTime: 10 ms',
      '      limits:',
      '        0.9: 100 ms',
      '        0.99: 1 s',
      '    - window: 10s',
      '      meanResponseTime: 50 ms',
    ].join('\n')).sla;
    assert.deepEqual(list, [
      { errorRatio: 0.1, invalidRatio: 1.01, blockedRatio: 0, meanResponseTimeNs: 10e6, limits: [{ percentile: 90, latencyNs: 100e6 }, { percentile: 99, latencyNs: 1e9 }] },
      { windowMs: 10000, errorRatio: 1.01, invalidRatio: 1.01, blockedRatio: 0, meanResponseTimeNs: 50e6, limits: [] },
    ]);
    assert.deepEqual(problems('- httpRequest: {GET: /, sla: {limits: {99: 10ms}}}\n'), ['1:40 a percentile limit is keyed by a fraction between 0 and 1 (`0.99: 100ms` for p99), got `99`']);
    assert.deepEqual(problems('- httpRequest: {GET: /, sla: {meanResponseTime: 10}}\n'), ['1:49 expected a latency with a unit such as `100ms`, `10 ms`, `500us` or `2s`, got `10`']);
  });

  it('status handlers: range forms, counter, store, action cases, multiplex', () => {
    const config = request([
      '- httpRequest:',
      '    GET: /',
      '    handler:',
      '      status:',
      '      - range: 2xx',
      '      - range: 30x',
      '      - range: 200-399',
      '      - range: {min: 401, max: 403}',
      '      - counter: {var: ok, expectStatus: 200, add: 1}',
      '      - store: status',
      '      - action:',
      '          "2xx,304": [{set: fine <- yes}]',
      '          other: {markRequestInvalid: }',
      '      - multiplex:',
      '          4xx: {range: 404}',
      '      - stats',
    ].join('\n'));
    assert.deepEqual(config.handler.status.map((h) => [h.name, h.config]), [
      ['range', { min: 200, max: 299 }],
      ['range', { min: 300, max: 309 }],
      ['range', { min: 200, max: 399 }],
      ['range', { min: 401, max: 403 }],
      ['counter', { var: ref('ok'), expectStatus: 200, init: 0, update: { kind: 'add', value: 1 } }],
      ['store', { toVar: ref('status') }],
      ['action', {
        cases: [{ ranges: [{ min: 200, max: 299 }, { min: 304, max: 304 }], then: [{ name: 'set', config: { var: ref('fine'), value: { kind: 'text', text: 'yes' } }, at: 't.yaml:12:24' }] }],
        other: [{ name: 'markRequestInvalid', config: {}, at: 't.yaml:13:19' }],
      }],
      ['multiplex', { cases: [{ ranges: [{ min: 400, max: 499 }], then: [{ name: 'range', config: { min: 404, max: 404 }, at: 't.yaml:15:17' }] }] }],
      ['stats', {}],
    ]);
  });

  it('handler as a list of mappings (repeated invocations): applied in order, handler lists concatenated', () => {
    const config = request([
      '- httpRequest:',
      '    GET: /',
      '    handler:',
      '    - status: {range: 2xx}',
      '    - body: {store: first}',
      '    - status:',
      '      - counter: {var: n, add: 1}',
      '    - onCompletion: [{unset: x}]',
      '      autoRangeCheck: false',
    ].join('\n'));
    assert.deepEqual(config.handler.status.map((h) => h.name), ['range', 'counter']);
    assert.deepEqual(config.handler.body.map((h) => h.name), ['store']);
    assert.deepEqual(config.handler.onCompletion.map((h) => h.name), ['unset']);
    assert.equal(config.handler.autoRangeCheck, false);
  });

  it('status handler errors: overlapping ranges, out-of-range keys, counter without add/set', () => {
    assert.deepEqual(problems('- httpRequest: {GET: /, handler: {status: {action: {2xx: [{unset: a}], "200-204": [{unset: b}]}}}}\n'),
      ['1:72 status.action: status ranges 200-299 and 200-204 overlap']);
    assert.deepEqual(problems('- httpRequest: {GET: /, handler: {status: {action: {9xx: [{unset: a}]}}}}\n'),
      ['1:53 status.action: in `9xx`: status range 900-999 is outside 100-599']);
    assert.deepEqual(problems('- httpRequest: {GET: /, handler: {status: {counter: {var: c}}}}\n'),
      ['1:53 status.counter needs exactly one of `add` and `set`']);
    assert.deepEqual(problems('- httpRequest: {GET: /, handler: {status: {range: 2yy}}}\n'),
      ['1:51 expected a status (`204`), a masked status (`2xx`, `30x`) or a range (`200-399`), got `2yy`']);
  });

  it('header, body, rawBytes and completion handlers; per-request ergonomics', () => {
    const config = request([
      '- httpRequest:',
      '    GET: /',
      '    handler:',
      '      autoRangeCheck: false',
      '      stopOnInvalid: false',
      '      followRedirect: LOCATION_ONLY',
      '      header:',
      '      - filter:',
      '          header: x-token',
      '          processor:',
      '          - store: token',
      '      - recordHeaderTime: x-server-time',
      '      - conditional: {boolCondition: {fromVar: trace}, handler: [logInvalid]}',
      '      body:',
      '        json: {query: .id, toVar: id}',
      '      rawBytes: {transferSizeRecorder: {key: transfer}}',
      '      onCompletion:',
      '        set: completed <- yes',
    ].join('\n'));
    const handler = config.handler;
    assert.equal(handler.autoRangeCheck, false);
    assert.equal(handler.stopOnInvalid, false);
    assert.equal(handler.followRedirect, 'LOCATION_ONLY');
    assert.deepEqual(handler.header.map((h) => [h.name, h.name === 'conditional' ? h.config.handlers.map((x) => x.name) : h.config]), [
      ['filter', { header: { content: { kind: 'equal', text: 'x-token' }, length: [], caseSensitive: true, negate: false }, processors: [{ name: 'store', config: { toVar: ref('token'), format: 'STRING' }, at: 't.yaml:11:13' }] }],
      ['recordHeaderTime', { header: 'x-server-time', metric: 'x-server-time', unit: 'ns' }],
      ['conditional', ['logInvalid']],
    ]);
    assert.deepEqual(handler.body.map((p) => p.name), ['json']);
    assert.deepEqual(handler.rawBytes.map((r) => [r.name, r.config]), [['transferSizeRecorder', { key: 'transfer' }]]);
    assert.deepEqual(handler.onCompletion.map((a) => [a.name, a.config]), [['set', { var: ref('completed'), value: { kind: 'text', text: 'yes' } }]]);
    assert.deepEqual(problems('- httpRequest: {GET: /, handler: {followRedirect: always}}\n'),
      ['1:51 expected one of `NEVER`, `LOCATION_ONLY`, `HTML_ONLY`, `ALWAYS`, got `always`. Did you mean `ALWAYS`?']);
    assert.deepEqual(problems('- httpRequest: {GET: /, handler: {onCompletion: {thinkTime: 1s}}}\n'), ['1:50 unknown action `thinkTime`']);
  });

  it('compensation and compression', () => {
    assert.deepEqual(request('- httpRequest: {GET: /, compensation: {targetRate: 50}}\n').compensation, { targetRate: { base: 50, increment: 0 } });
    assert.deepEqual(request('- httpRequest: {GET: /, compensation: {targetRate: {base: 10, increment: 5}, metric: late}}\n').compensation,
      { targetRate: { base: 10, increment: 5 }, metric: { kind: 'name', name: 'late' } });
    assert.deepEqual(request('- httpRequest: {GET: /, compression: GZIP}\n').compression, { encoding: 'gzip', type: 'CONTENT_ENCODING' });
    assert.deepEqual(request('- httpRequest: {GET: /, compression: {encoding: gzip, type: TRANSFER_ENCODING}}\n').compression, { encoding: 'gzip', type: 'TRANSFER_ENCODING' });
    assert.deepEqual(problems('- httpRequest: {GET: /, compression: deflate}\n'), ['1:38 the only supported compression is `gzip`, got `deflate`']);
    assert.deepEqual(problems('- httpRequest: {GET: /, compensation: {targetRate: 0}}\n'), ['1:52 expected a number greater than 0, got 0']);
    for (const rate of ['1e15', '{base: 1e15}', '{base: 1, increment: 1e15}']) {
      assert.match(problems(`- httpRequest: {GET: /, compensation: {targetRate: ${rate}}}\n`).join('\n'), /MAX_USERS_PER_SEC = 1000000/, rate);
    }
  });
});
