/**
 * Several runs at once, as Hyperfoil allows: a standalone controller starts a second benchmark while the first runs,
 * each run gets its own in-vm agent and statistics, and `kill` stops only the run it names. Real controller over
 * REST, real agents, a real server that counts what reaches it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startController } from '../src/controller/index.js';
import type { Controller } from '../src/controller/index.js';
import { inVmDeployer } from '../src/deploy/index.js';

const root = mkdtempSync(join(tmpdir(), 'hf-concurrent-'));
const RESPONSE_DELAY_MS = 300;

interface RunJson { id: string; benchmark: string; started?: number; terminated?: number; completed: boolean; cancelled: boolean; errors: string[] }
interface Totals { statistics: Array<{ metric: string; summary: { requestCount: number; responseCount: number } }> }

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${response.status} ${await response.clone().text()}`);
  return response.json() as Promise<T>;
}

async function waitForRun(base: string, id: string, timeoutMs: number): Promise<RunJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await json<RunJson>(`${base}/run/${id}`);
    if (run.completed) return run;
    assert.ok(Date.now() < deadline, `run ${id} did not complete within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('several runs at once', () => {
  let server: Server;
  let host = '';
  let controller: Controller;
  const seen = new Map<string, number>();
  before(async () => {
    // Every response takes 300 ms, so each run lasts at least that and two runs started 100 ms apart overlap.
    server = createServer((req, res) => {
      seen.set(req.url ?? '', (seen.get(req.url ?? '') ?? 0) + 1);
      setTimeout(() => res.end('ok'), RESPONSE_DELAY_MS);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    controller = await startController({ mode: 'standalone', deployer: inVmDeployer(), rootDir: root, host: '127.0.0.1', port: 0, log: () => {} });
  });
  after(async () => {
    await controller.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(root, { recursive: true, force: true });
  });

  async function upload(name: string, path: string, users: number, repeats: number): Promise<void> {
    const yaml = [
      `name: ${name}`, `http: {host: '${host}', sharedConnections: ${users}}`, 'phases:', '- main:', '    atOnce:', `      users: ${users}`,
      '      scenario:', '      - s:', `        - loop: {counterVar: i, repeats: ${repeats}, steps: [{httpRequest: {GET: ${path}, metric: ${name}}}]}`,
    ].join('\n');
    const answer = await fetch(`${controller.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: yaml });
    assert.equal(answer.status, 204, await answer.text());
  }

  it('two benchmarks started 100 ms apart both complete, each with its own statistics', async () => {
    await upload('first', '/first', 3, 2);
    await upload('second', '/second', 5, 1);
    const a = await fetch(`${controller.url}/benchmark/first/start`);
    assert.equal(a.status, 202, await a.clone().text());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const b = await fetch(`${controller.url}/benchmark/second/start`);
    assert.equal(b.status, 202, await b.clone().text());
    const [runA, runB] = [await a.json() as RunJson, await b.json() as RunJson];
    assert.notEqual(runA.id, runB.id);
    const [doneA, doneB] = await Promise.all([waitForRun(controller.url, runA.id, 20_000), waitForRun(controller.url, runB.id, 20_000)]);
    assert.deepEqual([doneA.errors, doneB.errors], [[], []]);
    // They ran at the same time: each started before the other terminated.
    assert.ok(doneB.started! < doneA.terminated! && doneA.started! < doneB.terminated!, 'the runs overlapped');
    const totalsA = await json<Totals>(`${controller.url}/run/${runA.id}/stats/total`);
    const totalsB = await json<Totals>(`${controller.url}/run/${runB.id}/stats/total`);
    assert.deepEqual(totalsA.statistics.map((s) => [s.metric, s.summary.requestCount, s.summary.responseCount]), [['first', 6, 6]]);
    assert.deepEqual(totalsB.statistics.map((s) => [s.metric, s.summary.requestCount, s.summary.responseCount]), [['second', 5, 5]]);
    assert.deepEqual([seen.get('/first'), seen.get('/second')], [6, 5]);
  });

  it('kill and status apply to the run they name', async () => {
    await upload('long', '/long', 1, 100);
    await upload('short', '/short', 2, 2);
    const long = await (await fetch(`${controller.url}/benchmark/long/start`)).json() as RunJson;
    const short = await (await fetch(`${controller.url}/benchmark/short/start`)).json() as RunJson;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await fetch(`${controller.url}/run/${long.id}/kill`)).status, 200);
    const killed = await waitForRun(controller.url, long.id, 15_000);
    const finished = await waitForRun(controller.url, short.id, 15_000);
    assert.equal(killed.cancelled, true);
    assert.equal(finished.cancelled, false);
    assert.deepEqual(finished.errors, []);
    const totals = await json<Totals>(`${controller.url}/run/${short.id}/stats/total`);
    assert.deepEqual(totals.statistics.map((s) => [s.metric, s.summary.requestCount]), [['short', 4]]);
  });
});
