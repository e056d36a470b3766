import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rawRequest, startTestServer } from './test-support.js';
import type { TestServer } from './test-support.js';

const YAML = { 'content-type': 'text/vnd.yaml' };

async function upload(t: TestServer, text: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.url}/benchmark`, { method: 'POST', headers: { ...YAML, ...headers }, body: text });
}

describe('REST benchmarks (real store in a temporary directory)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ maxUploadBytes: 64 * 1024 });
  });
  after(() => t.close());

  it('stores a YAML upload, lists it and serves it back with its version', async () => {
    const res = await upload(t, 'name: demo\n');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('location'), `${t.url}/benchmark/demo`);
    const etag = res.headers.get('etag');
    assert.match(etag ?? '', /^"[0-9a-f]{32}"$/);
    assert.deepEqual(await (await fetch(`${t.url}/benchmark`)).json(), ['demo']);
    const got = await fetch(`${t.url}/benchmark/demo`, { headers: { accept: 'text/vnd.yaml' } });
    assert.equal(got.status, 200);
    assert.match(got.headers.get('content-type') ?? '', /^text\/vnd\.yaml/);
    assert.equal(got.headers.get('etag'), etag);
    assert.equal(await got.text(), 'name: demo\n');
    assert.equal(readFileSync(join(t.root, 'benchmark', 'demo.yaml'), 'utf8'), 'name: demo\n');

    const json = await fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'name: asjson\n' });
    assert.equal(json.status, 204, 'application/json bodies are read as YAML');
    const serialized = await fetch(`${t.url}/benchmark/demo`, { headers: { accept: 'application/java-serialized-object' } });
    assert.equal(serialized.status, 406);
  });

  it('takes a multipart upload with data files and serves the files back as multipart', async () => {
    const form = new FormData();
    form.append('benchmark', new Blob(['name: withfiles\n'], { type: 'text/vnd.yaml' }), 'withfiles.hf.yaml');
    form.append('file', new Blob(['alice\nbob\n']), 'users.csv');
    form.append('file', new Blob([Buffer.from([0, 1, 2, 255])]), 'data/bytes.bin');
    const res = await fetch(`${t.url}/benchmark`, { method: 'POST', body: form });
    assert.equal(res.status, 204, await res.text());
    assert.equal(readFileSync(join(t.root, 'benchmark', 'withfiles.data', 'users.csv'), 'utf8'), 'alice\nbob\n');
    assert.deepEqual([...readFileSync(join(t.root, 'benchmark', 'withfiles.data', 'data_bytes.bin'))], [0, 1, 2, 255]);

    const files = await fetch(`${t.url}/benchmark/withfiles/files`);
    assert.equal(files.status, 200);
    assert.match(files.headers.get('content-type') ?? '', /^multipart\/form-data; boundary=/);
    const parts = (await files.formData()).getAll('file') as File[];
    assert.deepEqual(parts.map((f) => f.name), ['data_bytes.bin', 'users.csv']);
    assert.equal(await parts[1]!.text(), 'alice\nbob\n');

    const broken = await fetch(`${t.url}/benchmark`, {
      method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: '--zz\r\nno-disposition: x\r\n\r\nbody\r\n--zz--\r\n',
    });
    assert.equal(broken.status, 400);
    assert.match(await broken.text(), /malformed multipart\/form-data body: part 1 has no Content-Disposition/);
    const noSource = new FormData();
    noSource.append('file', new Blob(['x']), 'x.csv');
    const missing = await fetch(`${t.url}/benchmark`, { method: 'POST', body: noSource });
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /exactly one `benchmark` part, found 0/);
  });

  it('takes several data files sent as one multipart/mixed field, the way Hyperfoil\'s CLI (Netty) sends them', async () => {
    const body = [
      '--outer', 'Content-Disposition: form-data; name="benchmark"; filename="mixed.yaml"', '', 'name: mixed',
      '--outer', 'Content-Disposition: form-data; name="file"', 'Content-Type: multipart/mixed; boundary=inner', '',
      '--inner', 'Content-Disposition: attachment; filename="a.csv"', 'Content-Transfer-Encoding: binary', '', '1,2',
      '--inner', 'Content-Disposition: attachment; filename="b.csv"', '', '3,4',
      '--inner--', '--outer--', '',
    ].join('\r\n');
    const res = await fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=outer' }, body });
    assert.equal(res.status, 204, await res.text());
    assert.deepEqual([...t.store.get('mixed')!.files].map(([name, data]) => [name, data.toString()]), [['a.csv', '1,2'], ['b.csv', '3,4']]);
  });

  it('refuses an upload whose if-match is stale with 409, and accepts the current version', async () => {
    const first = await upload(t, 'name: edited\n');
    const v1 = first.headers.get('etag')!;
    const second = await upload(t, 'name: edited\n# v2\n', { 'if-match': v1 });
    assert.equal(second.status, 204);
    const conflict = await upload(t, 'name: edited\n# lost update\n', { 'if-match': v1 });
    assert.equal(conflict.status, 409);
    assert.match(await conflict.text(), /was changed since version/);
    assert.equal(await (await fetch(`${t.url}/benchmark/edited`)).text(), 'name: edited\n# v2\n');
  });

  it('answers 400 with file:line:column for an invalid benchmark, and stores nothing', async () => {
    const res = await upload(t, 'name: bad\nsettings:\n  - [unclosed\n');
    assert.equal(res.status, 400);
    const body = await res.text();
    assert.match(body, /^Cannot read benchmark: Invalid benchmark/);
    assert.match(body, /benchmark\.yaml:4:1: YAML syntax error/);
    const unknownKey = await upload(t, 'name: bad\nnope: 1\n');
    assert.match(await unknownKey.text(), /benchmark\.yaml:2:1: unknown property `nope`/);
    assert.equal((await fetch(`${t.url}/benchmark/bad`)).status, 404);
    const notUtf8 = await fetch(`${t.url}/benchmark`, { method: 'POST', headers: YAML, body: Buffer.from([0x6e, 0xff, 0xfe]) });
    assert.equal(notUtf8.status, 400);
    assert.match(await notUtf8.text(), /not UTF-8/);
  });

  it('lists templates apart, shows their parameters and refuses names that would leave the store', async () => {
    assert.equal((await upload(t, 'name: !param NAME tpl\n')).status, 204);
    assert.ok(!((await (await fetch(`${t.url}/benchmark`)).json()) as string[]).includes('tpl'));
    assert.deepEqual(await (await fetch(`${t.url}/template`)).json(), ['tpl']);
    assert.equal(await (await fetch(`${t.url}/benchmark/tpl`)).text(), 'name: !param NAME tpl\n', 'a template is served as source');
    const structure = await (await fetch(`${t.url}/benchmark/tpl/structure?templateParam=NAME=shown`)).json() as
      { params: Record<string, string | null>; content: { name: string } };
    assert.deepEqual(structure.params, { NAME: 'tpl' });
    assert.equal(structure.content.name, 'shown');

    const before = readdirSync(t.root).sort();
    const evil = await upload(t, 'name: ../evil\n');
    assert.equal(evil.status, 400);
    assert.match(await evil.text(), /invalid benchmark name `..\/evil`/);
    assert.deepEqual(readdirSync(t.root).sort(), before);
    assert.ok(!existsSync(join(t.root, 'evil.yaml')));
    for (const target of ['/benchmark/..%2Fevil', '/benchmark/..', '/benchmark/%2E%2E']) {
      assert.equal((await rawRequest(t.url, 'GET', target)).status, 400, target);
      assert.equal((await rawRequest(t.url, 'DELETE', target)).status, 400, target);
    }
  });

  it('deletes a benchmark with its files and answers 404 for unknown ones', async () => {
    const form = new FormData();
    form.append('benchmark', new Blob(['name: doomed\n']), 'doomed.yaml');
    form.append('file', new Blob(['x']), 'x.csv');
    assert.equal((await fetch(`${t.url}/benchmark`, { method: 'POST', body: form })).status, 204);
    assert.ok(existsSync(join(t.root, 'benchmark', 'doomed.data', 'x.csv')));
    assert.equal((await fetch(`${t.url}/benchmark/doomed`, { method: 'DELETE' })).status, 204);
    assert.ok(!existsSync(join(t.root, 'benchmark', 'doomed.yaml')));
    assert.ok(!existsSync(join(t.root, 'benchmark', 'doomed.data')));
    for (const path of ['/benchmark/doomed', '/benchmark/doomed/files', '/benchmark/doomed/structure', '/benchmark/doomed/start']) {
      const res = await fetch(`${t.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.match(await res.text(), /No benchmark or template `doomed`/);
    }
    assert.equal((await fetch(`${t.url}/benchmark/doomed`, { method: 'DELETE' })).status, 404);
  });

  it('refuses bodies over the upload limit with 413, whether the length is declared or not', async () => {
    const big = Buffer.alloc(65 * 1024, 0x23); // 65 KiB of '#' against a 64 KiB limit
    const declared = await rawRequest(t.url, 'POST', '/benchmark', { headers: { ...YAML, 'content-length': big.length }, body: big });
    assert.equal(declared.status, 413);
    assert.match(declared.body.toString(), /larger than the limit of 65536 bytes/);
    const chunks = Array.from({ length: 65 }, () => Buffer.alloc(1024, 0x23));
    const chunked = await rawRequest(t.url, 'POST', '/benchmark', { headers: { ...YAML, 'transfer-encoding': 'chunked' }, body: chunks });
    assert.equal(chunked.status, 413);
    assert.equal((await upload(t, 'name: after413\n')).status, 204, 'the server goes on serving');
  });

  it('answers 406 for Java serialization or unknown types, and 503 for text/uri-list without a load directory', async () => {
    const java = await fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'application/java-serialized-object' }, body: 'x' });
    assert.equal(java.status, 406);
    assert.match(await java.text(), /Java-serialized benchmarks are not supported/);
    const xml = await fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' });
    assert.equal(xml.status, 406);
    const uri = await fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/uri-list' }, body: 'file:///etc/passwd' });
    assert.equal(uri.status, 503);
  });
});

describe('REST benchmarks across a restart and from a load directory', () => {
  it('lists the benchmarks uploaded before the server was restarted on the same directory', async () => {
    const first = await startTestServer();
    const res = await upload(first, 'name: survivor\n');
    const version = res.headers.get('etag');
    await first.close(true);
    const second = await startTestServer({ root: first.root });
    try {
      assert.deepEqual(await (await fetch(`${second.url}/benchmark`)).json(), ['survivor']);
      assert.equal((await fetch(`${second.url}/benchmark/survivor`)).headers.get('etag'), version);
    } finally {
      await second.close();
    }
  });

  it('loads a text/uri-list file only from inside the load directory', async () => {
    const loadDir = mkdtempSync(join(tmpdir(), 'hf-load-'));
    const outside = mkdtempSync(join(tmpdir(), 'hf-outside-'));
    writeFileSync(join(loadDir, 'inside.hf.yaml'), 'name: inside\n');
    writeFileSync(join(outside, 'secret.hf.yaml'), 'name: secret\n');
    mkdirSync(join(loadDir, 'sub'));
    symlinkSync(join(outside, 'secret.hf.yaml'), join(loadDir, 'sub', 'link.hf.yaml'));
    const t = await startTestServer({ loadDir });
    const post = (body: string) => fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/uri-list' }, body });
    try {
      assert.equal((await post(`# comment\n${pathToFileURL(join(loadDir, 'inside.hf.yaml')).href}\n`)).status, 204);
      assert.deepEqual(await (await fetch(`${t.url}/benchmark`)).json(), ['inside']);
      assert.equal((await post(join(outside, 'secret.hf.yaml'))).status, 403);
      assert.equal((await post('../' + join(outside, 'secret.hf.yaml').split('/').slice(-2).join('/'))).status, 403);
      assert.equal((await post('sub/link.hf.yaml')).status, 403, 'a symbolic link out of the load directory is refused');
      assert.equal((await post('missing.hf.yaml')).status, 400);
      assert.equal((await post('http://example.invalid/x.yaml')).status, 400);
      assert.equal(t.store.get('secret'), undefined);
    } finally {
      await t.close();
      rmSync(loadDir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
