import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { RunJson } from '../api.js';
import { rawRequest, startTestServer } from './test-support.js';
import type { TestServer } from './test-support.js';

/** Entry name → content, read through the central directory (an independent check of the served archive). */
function unzipEntries(zip: Buffer): Map<string, string> {
  const end = zip.length - 22;
  assert.equal(zip.readUInt32LE(end), 0x06054b50);
  const entries = new Map<string, string>();
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString();
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    entries.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString());
    at += 46 + nameLength;
  }
  return entries;
}

async function json<T>(res: Response): Promise<T> {
  assert.equal(res.status, 200, `${res.url}: ${res.status}`);
  return await res.json() as T;
}

describe('REST runs with a stand-in run service', () => {
  let t: TestServer;
  let run: RunJson;
  before(async () => {
    t = await startTestServer();
    await fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: 'name: demo\n' });
    await fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: 'name: tpl\nx: !param USERS\n' });
  });
  after(() => t.close());

  it('refuses to start a template whose parameters do not render, with the position of the problem', async () => {
    const res = await fetch(`${t.url}/benchmark/tpl/start`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /tpl\.yaml:2:\d+: missing template parameter `USERS`/);
    const bad = await fetch(`${t.url}/benchmark/demo/start?templateParam=novalue`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /must be NAME=VALUE/);
    assert.equal(t.runs.started.length, 0, 'nothing reached the run service');
    assert.equal((await fetch(`${t.url}/benchmark/nothere/start`)).status, 404);
  });

  it('starts a run with 202 and the Run JSON, then refuses a second one with 403 while it goes on', async () => {
    const res = await fetch(`${t.url}/benchmark/demo/start?desc=first%20run&templateParam=A=1&templateParam=B=x%3Dy`);
    assert.equal(res.status, 202);
    run = await res.json() as RunJson;
    assert.equal(run.id, '0000');
    assert.equal(run.benchmark, 'demo');
    assert.equal(run.description, 'first run');
    assert.equal(res.headers.get('location'), `${t.url}/run/0000`);
    assert.deepEqual(t.runs.started[0]!.options, { description: 'first run', params: { A: '1', B: 'x=y' } });
    assert.equal(t.runs.started[0]!.benchmark.name, 'demo');

    const second = await fetch(`${t.url}/benchmark/demo/start`);
    assert.equal(second.status, 403);
    assert.match(await second.text(), /another run is in progress/);
  });

  it('lists runs briefly or in detail, resolves `last` and answers 404 for unknown runs', async () => {
    assert.deepEqual(await json(await fetch(`${t.url}/run`)), [{ id: '0000', cancelled: false, completed: false, persisted: false }]);
    const detailed = await json<RunJson[]>(await fetch(`${t.url}/run?details=true`));
    assert.equal(detailed[0]!.benchmark, 'demo');
    assert.equal((await json<RunJson>(await fetch(`${t.url}/run/last`))).id, '0000');
    assert.equal((await json<RunJson>(await fetch(`${t.url}/run/0000`))).id, '0000');
    for (const path of ['/run/FFFF', '/run/FFFF/stats/total', '/run/FFFF/kill', '/run/nope/file?file=x']) {
      const res = await fetch(`${t.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.match(await res.text(), /Run `(FFFF|nope)` not found/);
    }
    assert.equal((await fetch(`${t.url}/run?details=maybe`)).status, 400);
    assert.deepEqual(await json(await fetch(`${t.url}/agents`)), ['in-vm']);
  });

  it('serves live statistics and checks the histogram and series parameters', async () => {
    const recent = await json<{ status: string; statistics: unknown[] }>(await fetch(`${t.url}/run/0000/stats/recent`));
    assert.equal(recent.status, 'RUNNING');
    assert.equal(recent.statistics.length, 1);
    const histogram = await json<Array<{ phase: string }>>(await fetch(`${t.url}/run/last/stats/histogram?phase=main&stepId=1&metric=test`));
    assert.equal(histogram[0]!.phase, 'main');
    assert.equal((await json<unknown[]>(await fetch(`${t.url}/run/0000/stats/series?phase=main&stepId=1&metric=test`))).length, 1);
    const missing = await fetch(`${t.url}/run/0000/stats/histogram?phase=main&metric=test`);
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /`stepId` is required/);
    assert.equal((await fetch(`${t.url}/run/0000/stats/series?phase=main&stepId=x&metric=test`)).status, 400);
    assert.equal((await fetch(`${t.url}/run/0000/stats/series?phase=other&stepId=1&metric=test`)).status, 404);
    assert.deepEqual(await json(await fetch(`${t.url}/run/0000/sessions/recent`)), { main: { 'in-vm': { min: 1, max: 5 } } });
    assert.deepEqual(await json(await fetch(`${t.url}/run/0000/connections/total`)), { 'localhost:8080': { 'HTTP 1.x': { min: 0, max: 4 } } });
    const listing = await fetch(`${t.url}/run/0000/sessions?inactive=true`);
    assert.equal(await listing.text(), 'in-vm: #0 (main) 1 sequences [inactive included] run 0000\n');
    const connections = await fetch(`${t.url}/run/0000/connections`);
    assert.equal(connections.status, 501, 'the stand-in has no connection listing');
    assert.deepEqual(await json(await fetch(`${t.url}/run/0000/agentCpu`)), {}, 'no CPU data before the export');
  });

  it('sends clients of the complete statistics to the run (303) until it has finished', async () => {
    for (const [path, accept] of [['/stats/all', 'application/json'], ['/stats/all', 'application/zip'], ['/stats/all/json', '*/*'], ['/stats/all/csv', '*/*']] as const) {
      const res = await fetch(`${t.url}/run/0000${path}`, { headers: { accept }, redirect: 'manual' });
      assert.equal(res.status, 303, `${path} ${accept}`);
      assert.equal(res.headers.get('location'), `${t.url}/run/0000`);
    }
  });

  it('refuses shutdown while the run goes on unless forced', async () => {
    const refused = await fetch(`${t.url}/shutdown`);
    assert.equal(refused.status, 403);
    assert.equal(t.shutdownCount(), 0);
  });

  it('kills the run, then serves the export as JSON or ZIP by Accept', async () => {
    const kill = await fetch(`${t.url}/run/0000/kill`);
    assert.equal(kill.status, 200);
    assert.match(await kill.text(), /Killed run 0000/);
    assert.match(await (await fetch(`${t.url}/run/0000/kill`)).text(), /already ended/);
    assert.equal((await json<RunJson>(await fetch(`${t.url}/run/0000`))).cancelled, true);

    const asJson = await fetch(`${t.url}/run/0000/stats/all`, { headers: { accept: 'application/json' } });
    assert.equal(asJson.headers.get('content-type'), 'application/json');
    assert.deepEqual(((await asJson.json()) as { info: unknown }).info, { id: '0000', benchmark: 'demo' });
    const asDefault = await fetch(`${t.url}/run/0000/stats/all`);
    assert.equal(asDefault.headers.get('content-type'), 'application/json', 'JSON without an Accept preference');

    const asZip = await fetch(`${t.url}/run/0000/stats/all`, { headers: { accept: 'application/zip' } });
    assert.equal(asZip.status, 200);
    assert.equal(asZip.headers.get('content-type'), 'application/zip');
    const zip = Buffer.from(await asZip.arrayBuffer());
    const entries = unzipEntries(zip);
    assert.deepEqual([...entries.keys()], ['main.test.1.histogram.csv', 'total.csv']);
    assert.equal(entries.get('total.csv'), 'Phase,Metric,Requests\nmain,test,10\n');
    const csv = Buffer.from(await (await fetch(`${t.url}/run/0000/stats/all/csv`)).arrayBuffer());
    assert.deepEqual(unzipEntries(csv), entries);
    const preferZip = await fetch(`${t.url}/run/0000/stats/all`, { headers: { accept: 'application/json;q=0.5, application/zip' } });
    assert.equal(preferZip.headers.get('content-type'), 'application/zip', 'the higher quality wins');
    const neither = await fetch(`${t.url}/run/0000/stats/all`, { headers: { accept: 'text/html' } });
    assert.equal(neither.status, 406);

    const unzip = spawnSync('unzip', ['-v'], { encoding: 'utf8' });
    if (!unzip.error) {
      const dir = mkdtempSync(join(tmpdir(), 'hf-zip-'));
      try {
        writeFileSync(join(dir, 'all.zip'), zip);
        const check = spawnSync('unzip', ['-t', join(dir, 'all.zip')], { encoding: 'utf8' });
        assert.equal(check.status, 0, check.stdout);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    assert.deepEqual(await json(await fetch(`${t.url}/run/0000/agentCpu`)), { main: { 'in-vm': '42%' } }, 'from the export');
  });

  it('serves files of the run directory only, and the run\'s benchmark and report', async () => {
    const dir = t.runs.runDir('0000')!;
    writeFileSync(join(dir, 'hook-output.txt'), 'from a hook');
    const file = await fetch(`${t.url}/run/0000/file?file=hook-output.txt`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/octet-stream');
    assert.equal(await file.text(), 'from a hook');
    assert.equal(await (await fetch(`${t.url}/run/0000/file?file=stats/total.csv`)).text(), 'Phase,Metric,Requests\nmain,test,10\n');
    const outsideDir = mkdtempSync(join(tmpdir(), 'hf-secret-'));
    writeFileSync(join(outsideDir, 'secret'), 'do not serve');
    symlinkSync(join(outsideDir, 'secret'), join(dir, 'link'));
    try {
      for (const name of ['../../benchmark/demo.yaml', '/etc/passwd', 'link', '..']) {
        const res = await fetch(`${t.url}/run/0000/file?file=${encodeURIComponent(name)}`);
        assert.equal(res.status, 403, name);
        assert.match(await res.text(), /not within the run directory/);
      }
    } finally {
      rmSync(outsideDir, { recursive: true, force: true });
    }
    assert.equal((await fetch(`${t.url}/run/0000/file?file=missing.txt`)).status, 404);
    assert.equal((await fetch(`${t.url}/run/0000/file?file=stats`)).status, 404, 'a directory is not a file');
    assert.equal((await fetch(`${t.url}/run/0000/file`)).status, 400);

    const source = await fetch(`${t.url}/run/0000/benchmark`);
    assert.equal(source.status, 200);
    assert.equal(await source.text(), 'name: demo\n');

    const noReport = await fetch(`${t.url}/run/0000/report`);
    assert.equal(noReport.status, 404);
    assert.match(await noReport.text(), /no file `all.json`/);
    writeFileSync(join(dir, 'report.html'), '<html>stale report</html>');
    writeFileSync(join(dir, 'all.json'), JSON.stringify({ info: { id: '0000', benchmark: 'demo</script><b>x' }, stats: [] }));
    const report = await fetch(`${t.url}/run/0000/report`);
    assert.equal(report.status, 200);
    assert.match(report.headers.get('content-type') ?? '', /^text\/html/);
    const html = await report.text();
    assert.doesNotMatch(html, /stale report/, 'made from all.json, not a stored copy');
    assert.match(html, /demo\\u003c\/script>\\u003cb>x/, 'the data is in the page with < escaped');
    assert.doesNotMatch(html, /demo<\/script>/);
    assert.equal((await fetch(`${t.url}/run/0000/report?source=../../x.json`)).status, 403);
  });

  it('shuts down when no run is going, once the answer is sent', async () => {
    const res = await fetch(`${t.url}/shutdown`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'Shutting down\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(t.shutdownCount(), 1);
  });

  it('answers an unexpected failure with 500 and a message, and keeps serving', async () => {
    t.runs.failStats = true;
    try {
      const res = await rawRequest(t.url, 'GET', '/run/0000/stats/recent');
      assert.equal(res.status, 500);
      assert.match(res.body.toString(), /internal error: stand-in failure/);
      assert.ok(t.logged.some((line) => line.startsWith('error: GET /run/0000/stats/recent failed: Error: stand-in failure')));
    } finally {
      t.runs.failStats = false;
    }
    assert.equal((await fetch(`${t.url}/run/0000/stats/recent`)).status, 200);
  });
});

describe('REST shutdown with force', () => {
  it('shuts down during a run when forced', async () => {
    const t = await startTestServer();
    try {
      await fetch(`${t.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: 'name: demo\n' });
      assert.equal((await fetch(`${t.url}/benchmark/demo/start`)).status, 202);
      assert.equal(t.runs.busy, true);
      assert.equal((await fetch(`${t.url}/shutdown?force=true`)).status, 200);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(t.shutdownCount(), 1);
    } finally {
      await t.close();
    }
  });
});
