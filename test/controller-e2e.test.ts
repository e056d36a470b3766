/**
 * The standalone controller end to end over its REST API, as a Hyperfoil client uses it: upload choose-movie with
 * its data file as multipart, start, wait, read total stats, export, kill a second run, restart the controller and
 * find both runs with numbering continuing. Real controller, real in-process agent, real example server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startController } from '../src/controller/index.js';
import type { Controller } from '../src/controller/index.js';
import { inVmDeployer } from '../src/deploy/index.js';
import { startExampleServer } from '../src/example-server/index.js';
import { encodeMultipart } from '../src/lib/multipart.js';
import { referenceExamplesDir, SKIP_NO_REFERENCE } from './support/reference.js';

const root = mkdtempSync(join(tmpdir(), 'hf-e2e-'));
let target: Awaited<ReturnType<typeof startExampleServer>>;

async function controller(): Promise<Controller> {
  return startController({ mode: 'standalone', deployer: inVmDeployer(), rootDir: root, host: '127.0.0.1', port: 0, log: () => {} });
}

async function json(url: string): Promise<unknown> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

async function waitForRun(base: string, id: string, timeoutMs: number): Promise<{ completed: boolean; cancelled: boolean; errors: string[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await json(`${base}/run/${id}`) as { completed: boolean; cancelled: boolean; errors: string[] };
    if (run.completed) return run;
    assert.ok(Date.now() < deadline, `run ${id} did not complete within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

before(async () => { target = await startExampleServer({ httpPort: 0, httpsPort: null, quiet: true, log: () => {} }); });
after(async () => { await target?.close(); });

describe('standalone controller over REST', { skip: SKIP_NO_REFERENCE }, () => {
  it('uploads with data files, runs, reports, exports, kills, and keeps everything across a restart', async () => {
    const examples = referenceExamplesDir as string;
    // The example targets localhost:8080; point it at the test's example server.
    const yaml = readFileSync(join(examples, 'choose-movie.hf.yaml'), 'utf8').replace('http://localhost:8080', target.httpUrl)
      .replace('duration: 5s', 'duration: 2s');
    const first = await controller();
    const base = first.url;
    try {
      const upload = encodeMultipart([
        { name: 'benchmark', filename: 'choose-movie.hf.yaml', contentType: 'text/vnd.yaml', data: Buffer.from(yaml) },
        { name: 'file', filename: 'usernames.txt', data: readFileSync(join(examples, 'usernames.txt')) },
      ]);
      const uploaded = await fetch(`${base}/benchmark`, { method: 'POST', headers: { 'content-type': upload.contentType }, body: upload.body });
      assert.equal(uploaded.status, 204, await uploaded.text());
      assert.deepEqual(await json(`${base}/benchmark`), ['choose-movie']);

      const started = await fetch(`${base}/benchmark/choose-movie/start?desc=first`);
      assert.equal(started.status, 202);
      const run = await started.json() as { id: string };
      assert.equal(run.id, '0000');
      const done = await waitForRun(base, run.id, 30_000);
      assert.deepEqual(done.errors, []);

      const total = await json(`${base}/run/0000/stats/total`) as { status: string; statistics: Array<{ metric: string; summary: { requestCount: number; responseCount: number } }> };
      assert.equal(total.status, 'TERMINATED');
      const metrics = new Set(total.statistics.map((s) => s.metric));
      for (const metric of ['profile', 'movies', 'watchMovie', 'addComment']) assert.ok(metrics.has(metric), `metric ${metric}`);
      for (const s of total.statistics) assert.equal(s.summary.responseCount, s.summary.requestCount, `${s.metric}: every request answered`);

      const all = await json(`${base}/run/0000/stats/all`) as { info: { id: string; description: string }; stats: unknown[]; agents: Array<{ name: string }> };
      assert.equal(all.info.id, '0000');
      assert.equal(all.info.description, 'first');
      assert.ok(all.stats.length >= 4);
      assert.deepEqual(all.agents.map((a) => a.name), ['in-vm']);
      const zip = await fetch(`${base}/run/0000/stats/all`, { headers: { accept: 'application/zip' } });
      assert.equal(zip.status, 200);
      assert.equal(Buffer.from(await zip.arrayBuffer()).readUInt32LE(0), 0x04034b50, 'a ZIP file');

      // A second run, killed while it runs.
      const second = await (await fetch(`${base}/benchmark/choose-movie/start?desc=second`)).json() as { id: string };
      assert.equal(second.id, '0001');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal((await fetch(`${base}/run/0001/kill`)).status, 200);
      const killed = await waitForRun(base, '0001', 15_000);
      assert.equal(killed.cancelled, true);
    } finally {
      await first.close();
    }

    const restarted = await controller();
    try {
      const runs = await json(`${restarted.url}/run`) as Array<{ id: string }>;
      assert.deepEqual(runs.map((r) => r.id), ['0000', '0001']);
      assert.deepEqual(await json(`${restarted.url}/benchmark`), ['choose-movie']);
      const stored = await json(`${restarted.url}/run/0000/stats/total`) as { statistics: unknown[] };
      assert.ok(stored.statistics.length >= 4, 'stored statistics are served after a restart');
      const next = await (await fetch(`${restarted.url}/benchmark/choose-movie/start`)).json() as { id: string };
      assert.equal(next.id, '0002', 'numbering continues');
      await fetch(`${restarted.url}/run/0002/kill`);
      await waitForRun(restarted.url, '0002', 15_000);
    } finally {
      await restarted.close();
    }
  });
});
