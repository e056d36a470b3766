import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeYaml, valueOf } from './decode-testing.js';
import { resolveAuthority } from './http-authority.js';
import { parseHost } from './http-host.js';
import { httpCodec } from './http.js';
import type { HttpTarget } from './model.js';

const targets = (yaml: string, fileName?: string): HttpTarget[] => valueOf(decodeYaml(httpCodec, yaml, fileName ? { fileName } : {}));
const problems = (yaml: string): string[] => decodeYaml(httpCodec, yaml).problems;

describe('http host', () => {
  it('takes the protocol from the scheme and the port from the protocol', () => {
    assert.deepEqual(parseHost('http://example.com'), { ok: true, value: { protocol: 'http', host: 'example.com' } });
    assert.deepEqual(parseHost('HTTPS://example.com:8443'), { ok: true, value: { protocol: 'https', host: 'example.com', port: 8443 } });
    assert.deepEqual(parseHost('example.com:8080'), { ok: true, value: { host: 'example.com', port: 8080 } });
    assert.deepEqual(parseHost('[::1]:8080'), { ok: true, value: { host: '::1', port: 8080 } });
  });

  it('rejects paths (even a lone slash), other schemes, user info and bad ports', () => {
    for (const bad of ['http://example.com/', 'example.com/x', 'http://h?q=1', 'ftp://h', 'u@h', 'h:0', 'h:70000', 'h:', '']) {
      assert.equal(parseHost(bad).ok, false, bad);
    }
  });
});

describe('http section', () => {
  it('makes a mapping the default target with Hyperfoil\'s defaults', () => {
    const [target] = targets('host: localhost:8080');
    assert.deepEqual(target, {
      protocol: 'http', host: 'localhost', port: 8080, authority: 'localhost:8080', isDefault: true,
      sharedConnections: { core: 1, max: 1, buffer: 0, keepAliveTimeMs: 0 }, connectionStrategy: 'SHARED_POOL', addresses: [],
      requestTimeoutMs: 30_000, sslHandshakeTimeoutMs: 10_000, allowHttp1x: true, allowHttp2: true, maxHttp2Streams: 100,
      pipeliningLimit: 1, rawBytesHandlers: true, useHttpCache: true,
    });
  });

  it('derives https from port 443 and from `protocol`, and the port from the protocol', () => {
    assert.deepEqual(targets('host: example.com:443').map((t) => [t.protocol, t.authority]), [['https', 'example.com:443']]);
    assert.deepEqual(targets('host: example.com\nprotocol: https').map((t) => [t.protocol, t.authority]), [['https', 'example.com:443']]);
    assert.deepEqual(targets('host: example.com\nport: 8443\nprotocol: https').map((t) => t.authority), ['example.com:8443']);
    assert.deepEqual(targets('host: "[::1]"').map((t) => [t.host, t.authority]), [['::1', '[::1]:80']]);
  });

  it('makes the only entry of a list the default, and none of several', () => {
    assert.deepEqual(targets('- host: http://a').map((t) => t.isDefault), [true]);
    assert.deepEqual(targets('- host: http://a\n- host: https://a\n- host: http://b:8080').map((t) => [t.authority, t.isDefault]),
      [['a:80', false], ['a:443', false], ['b:8080', false]]);
  });

  it('reads every property', () => {
    const [t] = targets([
      'host: https://example.com', 'name: api', 'sharedConnections: {core: 2, max: 10, buffer: 3, keepAliveTime: 30000}',
      'connectionStrategy: session_pools', 'addresses: 10.0.0.1:8443', 'requestTimeout: none', 'sslHandshakeTimeout: 2s',
      'allowHttp1x: false', 'maxHttp2Streams: 50', 'pipeliningLimit: 4', 'rawBytesHandlers: false', 'useHttpCache: FALSE',
    ].join('\n'));
    assert.ok(t);
    assert.equal(t.name, 'api');
    assert.deepEqual(t.sharedConnections, { core: 2, max: 10, buffer: 3, keepAliveTimeMs: 30_000 });
    assert.equal(t.connectionStrategy, 'SESSION_POOLS');
    assert.deepEqual(t.addresses, ['10.0.0.1:8443']);
    assert.equal(t.requestTimeoutMs, -1);
    assert.equal(t.sslHandshakeTimeoutMs, 2000);
    assert.equal(t.allowHttp1x, false);
    assert.equal(t.maxHttp2Streams, 50);
    assert.equal(t.pipeliningLimit, 4);
    assert.equal(t.rawBytesHandlers, false);
    assert.equal(t.useHttpCache, false);
  });

  it('loads TLS files relative to the benchmark so that they are uploaded with it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-http-'));
    writeFileSync(join(dir, 'client.pem'), 'CERT');
    writeFileSync(join(dir, 'client.key'), 'KEY');
    const yaml = 'host: https://h\nkeyManager:\n  certFile: client.pem\n  keyFile: client.key\n  password: secret\ntrustManager:\n  certFile: client.pem\n';
    const decoded = decodeYaml(httpCodec, yaml, { fileName: join(dir, 'b.hf.yaml') });
    const [t] = valueOf(decoded);
    assert.deepEqual(t?.keyManager, { certFile: 'client.pem', keyFile: 'client.key', password: 'secret' });
    assert.deepEqual(t?.trustManager, { certFile: 'client.pem' });
    assert.equal(decoded.files.get('client.key')?.toString(), 'KEY');
    const missing = decodeYaml(httpCodec, 'host: https://h\ntrustManager:\n  certFile: nope.pem\n', { fileName: join(dir, 'b.hf.yaml') });
    assert.match(missing.problems[0] ?? '', /^3:13 cannot read data file `nope\.pem`/);
  });

  it('reports problems at the offending value', () => {
    assert.deepEqual(problems('[]'), ['1:1 no HTTP target: `http` needs at least one `host` (Hyperfoil: "No default HTTP target set!")']);
    assert.deepEqual(problems('host: http://h:8080\nport: 8080'), ['2:1 the port is given twice: in `host: http://h:8080` and in `port`']);
    assert.deepEqual(problems('host: https://h\nprotocol: http'), ['2:11 `protocol: http` contradicts the scheme of `host: https://h`']);
    assert.deepEqual(problems('host: h\ndirectHttp2: true'), ['2:14 `directHttp2: true` (HTTP/2 without upgrade) is not implemented, as in Hyperfoil: remove it']);
    assert.deepEqual(problems('host: h\nsharedConnections: {core: 5, max: 2}'), ['2:27 `core` (5) must not exceed `max` (2)']);
    assert.deepEqual(problems('host: h\nrequestTimeout: soon'), ['2:17 expected a duration such as `10s`, `500ms`, `5m`, `1h` or a number of seconds, got `soon`, or `none`']);
    assert.match(problems('host: h\nallowHttp2x: false')[0] ?? '', /^2:1 unknown property `allowHttp2x` in an HTTP target\. Did you mean .*`allowHttp2`\?/);
    assert.match(problems('host: h\nconnectionStrategy: pooled')[0] ?? '', /^2:21 expected one of `SHARED_POOL`/);
  });

  it('rejects the same authority twice unless the entries have different names', () => {
    assert.deepEqual(problems('- host: http://h\n- host: h:80'),
      ['2:9 Ambiguous HTTP definition: `h:80` is declared twice; remove one, or give both a different `name` and pick them with `endpoint:`']);
    const named = decodeYaml(httpCodec, '- host: http://h\n  name: one\n- host: http://h\n  name: two');
    assert.deepEqual(valueOf(named).map((t) => t.name), ['one', 'two']);
    assert.deepEqual(named.warnings, ['3:9 `h:80` is declared twice (`one` and `two`): a request with `authority:` alone goes to the last one, `two`; use `endpoint:` to pick one']);
    assert.deepEqual(problems('- host: http://a\n  name: x\n- host: http://b\n  name: x'), ['4:9 two HTTP targets are named `x`: names must be unique']);
  });
});

describe('resolving a request\'s authority', () => {
  const list = targets('- host: http://hyperfoil.io\n- host: https://hyperfoil.io\n- host: http://other:8080\n- host: https://secure\n- host: http://api:9000\n  name: v1\n- host: http://api:9000\n  name: v2');
  const resolve = (authority?: string, endpoint?: string): string => {
    const result = resolveAuthority(list, authority, endpoint);
    return result.ok ? `${result.value.protocol}://${result.value.authority}${result.value.name ? `#${result.value.name}` : ''}` : `error: ${result.message}`;
  };

  it('matches host:port exactly and a bare host on its protocol\'s default port', () => {
    assert.equal(resolve('hyperfoil.io:443'), 'https://hyperfoil.io:443');
    assert.equal(resolve('hyperfoil.io:80'), 'http://hyperfoil.io:80');
    assert.equal(resolve('other:8080'), 'http://other:8080');
    assert.equal(resolve('secure'), 'https://secure:443');
    assert.equal(resolve('HYPERFOIL.IO:80'), 'http://hyperfoil.io:80');
  });

  it('calls a bare host ambiguous when it exists for both http and https', () => {
    assert.match(resolve('hyperfoil.io'), /^error: authority `hyperfoil\.io` is ambiguous/);
  });

  it('refuses a port that no target has, e.g. :443 when only http:// exists', () => {
    const onlyHttp = targets('host: http://hyperfoil.io');
    const result = resolveAuthority(onlyHttp, 'hyperfoil.io:443', undefined);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /no HTTP target matches authority `hyperfoil\.io:443`\. `hyperfoil\.io` is defined only as `http:\/\/hyperfoil\.io:80`/);
    assert.match(resolve('other'), /^error: no HTTP target matches authority `other`/);
    assert.match(resolve('unknown:80'), /^error: no HTTP target matches/);
  });

  it('picks by endpoint name; `authority:` alone picks the last of two targets sharing it (as Hyperfoil)', () => {
    assert.equal(resolve(undefined, 'v1'), 'http://api:9000#v1');
    assert.equal(resolve('api:9000'), 'http://api:9000#v2');
    assert.match(resolve(undefined, 'v3'), /^error: no HTTP target is named `v3`\. Did you mean `v1` or `v2`\?/);
    assert.match(resolve('api:9000', 'v1'), /either `authority` or `endpoint`/);
  });

  it('uses the default target without authority, and explains when there is none', () => {
    assert.match(resolve(), /^error: there is no default HTTP target/);
    const single = targets('host: http://only:8080');
    const result = resolveAuthority(single, undefined, undefined);
    assert.ok(result.ok && result.value.authority === 'only:8080');
    const none = resolveAuthority([], undefined, undefined);
    assert.match(none.ok ? '' : none.message, /the benchmark has no `http` section/);
  });
});
