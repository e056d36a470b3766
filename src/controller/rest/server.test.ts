import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { HyperfoilError } from '../../lib/index.js';
import { BenchmarkStore } from '../benchmark-store.js';
import { StandInRunService, rawRequest, startTestServer } from './test-support.js';
import type { TestServer } from './test-support.js';
import { startRestServer } from './server.js';

/** Every path of Hyperfoil's controller API (its openapi.yaml). */
const HYPERFOIL_PATHS = [
  '/openapi', '/benchmark', '/benchmark/{name}', '/benchmark/{name}/start', '/benchmark/{name}/files',
  '/benchmark/{name}/structure', '/run', '/run/{runId}', '/run/{runId}/agentCpu', '/run/{runId}/kill',
  '/run/{runId}/report', '/run/{runId}/sessions', '/run/{runId}/sessions/recent', '/run/{runId}/sessions/total',
  '/run/{runId}/connections', '/run/{runId}/connections/recent', '/run/{runId}/connections/total',
  '/run/{runId}/stats/all', '/run/{runId}/stats/all/json', '/run/{runId}/stats/all/csv', '/run/{runId}/stats/recent',
  '/run/{runId}/stats/total', '/run/{runId}/stats/histogram', '/run/{runId}/stats/series', '/run/{runId}/file',
  '/run/{runId}/benchmark', '/agents', '/log', '/log/{agent}', '/shutdown', '/template', '/token', '/version',
];

const TLS_DIR = new URL('../../../../src/example-server/tls/', import.meta.url);

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('REST security', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ password: 's3cret' });
  });
  after(() => t.close());

  it('challenges requests without credentials with 401 on every route', async () => {
    for (const path of ['/', '/openapi', '/benchmark', '/run/0000', '/no/such/route', '/token']) {
      const res = await fetch(`${t.url}${path}`);
      assert.equal(res.status, 401, path);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="Hyperfoil"/);
      assert.match(await res.text(), /needs a password/);
    }
    const upload = await fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: 'name: sneaky\n' });
    assert.equal(upload.status, 401);
    assert.equal(t.store.get('sneaky'), undefined);
  });

  it('refuses a wrong password with 403 (as Hyperfoil does) and accepts the right one with any user name', async () => {
    const wrong = await fetch(`${t.url}/benchmark`, { headers: { authorization: basic('admin', 'guess') } });
    assert.equal(wrong.status, 403);
    assert.match(await wrong.text(), /wrong password/);
    for (const user of ['admin', 'anyone', '']) {
      const res = await fetch(`${t.url}/benchmark`, { headers: { authorization: basic(user, 's3cret') } });
      assert.equal(res.status, 200, `user ${JSON.stringify(user)}`);
    }
    const colon = await fetch(`${t.url}/benchmark`, { headers: { authorization: basic('u', 's3cret:') } });
    assert.equal(colon.status, 403, 'the password is everything after the first colon');
    const malformed = await fetch(`${t.url}/benchmark`, { headers: { authorization: 'Basic !!!' } });
    assert.equal(malformed.status, 401);
    const scheme = await fetch(`${t.url}/benchmark`, { headers: { authorization: 'Digest x' } });
    assert.equal(scheme.status, 401);
  });

  it('issues bearer tokens that stand in for the password', async () => {
    const res = await fetch(`${t.url}/token`, { headers: { authorization: basic('u', 's3cret') } });
    assert.equal(res.status, 200);
    const token = (await res.text()).trim();
    assert.match(token, /^[A-Za-z0-9_-]{32}$/);
    assert.equal((await fetch(`${t.url}/benchmark`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    assert.equal((await fetch(`${t.url}/benchmark`, { headers: { authorization: `Bearer ${token}x` } })).status, 403);
    const another = (await (await fetch(`${t.url}/token`, { headers: { authorization: `Bearer ${token}` } })).text()).trim();
    assert.notEqual(another, token);
  });
});

describe('REST server basics', () => {
  let t: TestServer;
  let logFile: string;
  before(async () => {
    logFile = join(mkdtempSync(join(tmpdir(), 'hf-log-')), 'controller.log');
    writeFileSync(logFile, '0123456789');
    t = await startTestServer({ logFile, agentLogFile: (agent) => (agent === 'a1' ? logFile : undefined) });
  });
  after(async () => {
    await t.close();
    rmSync(join(logFile, '..'), { recursive: true, force: true });
  });

  it('sends x-epoch-millis with every response, errors included', async () => {
    for (const [method, path] of [['GET', '/'], ['GET', '/nope'], ['PUT', '/benchmark'], ['GET', '/run/FFFF'], ['GET', '/%zz']]) {
      const before = Date.now();
      const res = await rawRequest(t.url, method!, path!);
      const epoch = Number(res.headers['x-epoch-millis']);
      // The header is stamped between sending the request and receiving the answer, on the same clock.
      assert.ok(epoch >= before && epoch <= Date.now(), `${method} ${path}: ${String(res.headers['x-epoch-millis'])}`);
    }
  });

  it('answers malformed or misdirected requests with 4xx and a message', async () => {
    const badEncoding = await rawRequest(t.url, 'GET', '/benchmark/%zz');
    assert.equal(badEncoding.status, 400);
    assert.match(badEncoding.body.toString(), /not valid percent-encoding/);
    const notFound = await rawRequest(t.url, 'GET', '/nope');
    assert.equal(notFound.status, 404);
    const wrongMethod = await rawRequest(t.url, 'PUT', '/benchmark');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.allow, 'GET, HEAD, POST');
    const head = await rawRequest(t.url, 'HEAD', '/version');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    const asterisk = await rawRequest(t.url, 'OPTIONS', '*');
    assert.equal(asterisk.status, 400);
  });

  it('serves its own OpenAPI description covering every path, the version and an index page', async () => {
    const res = await fetch(`${t.url}/openapi`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/vnd\.yaml/);
    const ours = parse(await res.text()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of HYPERFOIL_PATHS) assert.ok(ours.paths[path], `missing ${path}`);
    assert.equal(Object.keys(ours.paths).length, 35, 'Hyperfoil\'s paths, /metrics and /run/{runId}/events');

    const version = await (await fetch(`${t.url}/version`)).json() as Record<string, unknown>;
    assert.equal(version.version, '0.1.0-test');
    assert.equal(version.commitId, 'abc123');
    assert.ok(Math.abs(Number(version.serverTime) - Date.now()) < 5000);
    const index = await fetch(`${t.url}/`);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await index.text(), /hyperfoil-ts controller 0\.1\.0-test/);
  });

  it('serves slices of the controller log, restarting at 0 when the log file was replaced', async () => {
    const all = await fetch(`${t.url}/log`);
    assert.equal(await all.text(), '0123456789');
    const etag = all.headers.get('etag')!;
    assert.equal(await (await fetch(`${t.url}/log?offset=3&maxLength=4`)).text(), '3456');
    assert.equal(await (await fetch(`${t.url}/log?offset=50`)).text(), '');
    appendFileSync(logFile, 'abc');
    const more = await fetch(`${t.url}/log?offset=10`, { headers: { 'if-match': etag } });
    assert.equal(await more.text(), 'abc', 'same file: continue where the client stopped');
    const replaced = await fetch(`${t.url}/log?offset=10`, { headers: { 'if-match': '"another-file"' } });
    assert.equal(await replaced.text(), '0123456789abc', 'another file: start again');
    assert.equal((await fetch(`${t.url}/log?offset=-1`)).status, 400);
    assert.equal(await (await fetch(`${t.url}/log/a1?maxLength=2`)).text(), '01');
    const agent = await fetch(`${t.url}/log/unknown`);
    assert.equal(agent.status, 404);
    assert.match(await agent.text(), /no log is available for agent `unknown`/);
  });
});

describe('REST server configuration', () => {
  it('serves HTTPS with PEM files', async () => {
    const t = await startTestServer({
      tls: { certFile: new URL('localhost-cert.pem', TLS_DIR).pathname, keyFile: new URL('localhost-key.pem', TLS_DIR).pathname },
    });
    try {
      assert.match(t.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = readFileSync(new URL('localhost-cert.pem', TLS_DIR));
      const body = await new Promise<string>((resolve, reject) => {
        httpsGet(`${t.url}/benchmark`, { ca }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(`${res.statusCode} ${text}`));
        }).on('error', reject);
      });
      assert.equal(body, '200 []');
    } finally {
      await t.close();
    }
  });

  it('warns about an open port without a password and refuses a password sent in clear over the network', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-cfg-'));
    const base = {
      port: 0, store: new BenchmarkStore(root), runs: new StandInRunService(join(root, 'run')),
      version: () => ({ version: 'x', commitId: 'y', deploymentId: 'z' }), onShutdown: () => {}, log: () => {},
    };
    try {
      const open = await startRestServer({ ...base, host: '0.0.0.0' });
      try {
        assert.equal(open.warnings.length, 1);
        assert.match(open.warnings[0]!, /listens on 0\.0\.0\.0 WITHOUT A PASSWORD/);
        assert.equal(open.url, `http://127.0.0.1:${open.port}`);
        assert.equal((await fetch(`${open.url}/benchmark`)).status, 200);
      } finally {
        await open.close();
      }
      await assert.rejects(startRestServer({ ...base, host: '0.0.0.0', password: 'p' }),
        (e) => e instanceof HyperfoilError && e.code === 'INSECURE_PASSWORD');
      const proxied = await startRestServer({ ...base, host: '0.0.0.0', password: 'p', securedViaProxy: true });
      assert.deepEqual(proxied.warnings, []);
      await proxied.close();
      const local = await startRestServer({ ...base, host: '127.0.0.1' });
      assert.deepEqual(local.warnings, []);
      await assert.rejects(startRestServer({ ...base, host: '127.0.0.1', port: local.port }),
        (e) => e instanceof HyperfoilError && e.code === 'LISTEN_FAILED' && /the port is in use/.test(e.message));
      await local.close();
      await local.close(); // a second close is harmless
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('REST robustness', () => {
  it('answers every mutation of a valid multipart upload with 204 or 400, never 5xx', async () => {
    const t = await startTestServer();
    try {
      const form = new FormData();
      form.append('benchmark', new Blob(['name: fuzz\n']), 'fuzz.yaml');
      form.append('file', new Blob(['a,b\n1,2\n']), 'data.csv');
      const request = new Request('http://127.0.0.1/', { method: 'POST', body: form });
      const contentType = request.headers.get('content-type')!;
      const valid = Buffer.from(await request.arrayBuffer());
      let seed = 42;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff; // a fixed LCG, so failures reproduce
        return seed % n;
      };
      const seen = new Map<number, number>();
      for (let i = 0; i < 150; i++) {
        const body = Buffer.from(valid);
        const kind = random(3);
        if (kind === 0) {
          for (let k = 0; k <= random(4); k++) body[random(body.length)] = random(256);
        } else if (kind === 1) {
          body[random(body.length)] = [0x0d, 0x0a, 0x2d, 0x22, 0x3b][random(5)]!;
        }
        const sent = kind === 2 ? body.subarray(0, random(body.length)) : body;
        const res = await rawRequest(t.url, 'POST', '/benchmark', { headers: { 'content-type': contentType, 'content-length': sent.length }, body: sent });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        assert.ok(res.status === 204 || res.status === 400, `mutation ${i}: ${res.status} ${res.body.toString().slice(0, 200)}`);
      }
      assert.ok((seen.get(400) ?? 0) > 0, 'some mutations must be refused');
      assert.ok(!t.logged.some((line) => line.startsWith('error:')), t.logged.join('\n'));
    } finally {
      await t.close();
    }
  });
});
