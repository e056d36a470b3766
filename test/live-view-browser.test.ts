/**
 * The controller's live view at `/` in a real headless Chromium, against a real `hyperfoil standalone`: the stored
 * benchmark is started from the page, its charts grow once a second while the run goes (Server-Sent Events), the
 * ended run is listed with its report and export, and there is no console error. Skipped without Chromium.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactsDir, CHROMIUM_MISSING, launchChromium } from './support/chromium.js';
import { startStandalone } from './support/standalone.js';
import type { Standalone } from './support/standalone.js';

describe('the live view in headless Chromium', { skip: CHROMIUM_MISSING }, () => {
  let dir: string;
  let target: Server;
  let controller: Standalone;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hf-live-'));
    target = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    controller = await startStandalone(join(dir, 'root'));
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await controller?.stop();
    target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a stored benchmark, draws its figures every second while it runs, then lists it with its report', async () => {
    const { port } = target.address() as AddressInfo;
    const upload = await fetch(`${controller.url}/benchmark`, {
      method: 'POST', headers: { 'content-type': 'text/vnd.yaml' },
      body: [
        'name: watched', `http: {host: 'http://127.0.0.1:${port}', sharedConnections: 4}`, 'phases:', '- main:',
        '    constantRate: {usersPerSec: 30, duration: 6s, scenario: [{s: [{httpRequest: {GET: /, metric: home}}]}]}',
      ].join('\n'),
    });
    assert.equal(upload.status, 204);
    const page = await chromium.browser.newPage();
    await page.setViewport({ width: 1300, height: 900 });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(`console.${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    await page.goto(`${controller.url}/`, { waitUntil: 'load' });
    await page.waitForSelector('button[data-start="watched"]');
    await page.type('#benchmarks input[placeholder="description"]', 'from the browser');
    await page.click('button[data-start="watched"]');

    // While the run goes: at least three updates, each one more point on both charts.
    await page.waitForFunction('window.__live.updates >= 3', { timeout: 15_000 });
    const live = await page.evaluate(`({ updates: window.__live.updates, rps: window.__live.charts.rps.plot.data, p99: window.__live.charts.p99.plot.data })`) as
      { updates: number; rps: number[][]; p99: Array<Array<number | null>> };
    const run = await (await fetch(`${controller.url}/run/last`)).json() as { id: string; completed: boolean; description: string };
    assert.equal(run.completed, false, 'the charts were drawn while the run was going');
    assert.equal(run.description, 'from the browser');
    assert.ok(live.rps[0]!.length >= 3, `points: ${live.rps[0]!.length}`);
    assert.ok(live.rps[1]!.some((v) => v > 0), 'throughput of metric home');
    assert.ok(live.p99[1]!.some((v) => v !== null && v > 0), 'p99 of metric home');
    await page.screenshot({ path: join(artifactsDir(), 'live-view.png') });

    // Once it has ended: the page says so and lists the run with its report and export.
    await page.waitForFunction(`document.querySelector('#live-run p').textContent.indexOf('has ended') >= 0`, { timeout: 20_000 });
    await page.waitForSelector(`a[href="run/${run.id}/report"]`, { timeout: 10_000 });
    const report = await fetch(`${controller.url}/run/${run.id}/report`);
    assert.equal(report.status, 200);
    assert.match(await report.text(), /"benchmark":"watched"/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('behind a password: the browser\'s credentials reach the page, its API calls and its event stream; without them, 401', async () => {
    const secured = await startStandalone(join(dir, 'root-secured'), ['--password', 'opensesame']);
    try {
      assert.equal((await fetch(`${secured.url}/`)).status, 401);
      const page = await chromium.browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
      await page.authenticate({ username: 'hyperfoil', password: 'opensesame' });
      await page.goto(`${secured.url}/`, { waitUntil: 'load' });
      // The runs table is filled from GET /run: its header row appears only when that call succeeded.
      await page.waitForSelector('#runs th', { timeout: 10_000 });
      // A run started through the API is picked up by the page (its 5 s refresh) and streamed to it.
      const auth = { authorization: `Basic ${Buffer.from('hyperfoil:opensesame').toString('base64')}` };
      const { port } = target.address() as AddressInfo;
      const upload = await fetch(`${secured.url}/benchmark`, {
        method: 'POST', headers: { ...auth, 'content-type': 'text/vnd.yaml' },
        body: `name: guarded\nhttp: {host: 'http://127.0.0.1:${port}'}\nphases:\n- main:\n    constantRate: {usersPerSec: 20, duration: 8s, scenario: [{s: [{httpRequest: {GET: /, metric: home}}]}]}\n`,
      });
      assert.equal(upload.status, 204);
      assert.equal((await fetch(`${secured.url}/benchmark/guarded/start`, { headers: auth })).status, 202);
      await page.waitForFunction('window.__live.updates >= 1', { timeout: 15_000 });
      assert.equal(await page.evaluate(`document.querySelector('header .status').textContent`), '', 'no API error shown');
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      await secured.stop();
    }
  });
});

