/**
 * The HTML report in a real headless Chromium: no console or page errors, every chart drawn with its data points
 * (uPlot's data and non-blank canvas pixels), hostile strings shown as text and never run, no network request, and
 * a 10-minute run with a dozen metrics gives a page under 5 MB that is drawn in under a second.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { renderReport } from '../src/report/index.js';
import { writeSyntheticRun } from '../src/report/synthetic-run.test-support.js';
import { artifactsDir, CHROMIUM_MISSING, launchChromium } from './support/chromium.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script><!--';

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
  charts: Array<{ title: string; points: number; series: number; dataLengths: number[]; inkedPixels: number }>;
  readyMs: number;
}

/** Opens a report file, waits until its charts are drawn, and collects what a broken page would get wrong. */
async function open(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('dialog', (dialog) => { problems.push(`dialog: ${dialog.message()}`); void dialog.dismiss(); });
  page.on('request', (request) => { if (!request.url().startsWith('file:')) requests.push(request.url()); });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready]', { timeout: 10_000 });
  // Per chart: its uPlot data lengths, and how many pixels of its plot canvas are not transparent.
  const charts = await page.evaluate(`window.__report.charts.map(function (c) {
    var canvas = c.plot.root.querySelector('canvas');
    var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    var inked = 0;
    for (var i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) inked++;
    return { title: c.title, points: c.points, series: c.series, dataLengths: c.plot.data.map(function (d) { return d.length; }), inkedPixels: inked };
  })`) as Opened['charts'];
  const readyMs = await page.evaluate('window.__report.readyMs') as number;
  return { page, problems, requests, charts, readyMs };
}

function assertChartsDrawn(opened: Opened, expected: number): void {
  assert.equal(opened.charts.length, expected, `charts drawn: ${opened.charts.map((c) => c.title).join(', ')}`);
  for (const chart of opened.charts) {
    assert.ok(chart.points > 0, `${chart.title}: has points`);
    assert.deepEqual(chart.dataLengths, Array(chart.series + 1).fill(chart.points), `${chart.title}: every series has every point`);
    assert.ok(chart.inkedPixels > 1000, `${chart.title}: the canvas was drawn on (${chart.inkedPixels} pixels)`);
  }
}

describe('the HTML report in headless Chromium', { skip: CHROMIUM_MISSING }, () => {
  let root: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'hf-report-'));
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a 10-minute run with 12 metrics: under 5 MB, drawn in under a second, every chart with its data, no error', async () => {
    const metrics = Array.from({ length: 12 }, (_, i) => (i === 11 ? `zz ${HOSTILE}` : `metric-${String(i).padStart(2, '0')}`));
    const run = writeSyntheticRun(root, { id: '00A0', seconds: 600, metrics, source: `name: synthetic\n# ${HOSTILE}\n`, description: HOSTILE });
    const file = join(root, 'ten-minutes.html');
    writeFileSync(file, renderReport([run.dir]));
    const sizeBytes = statSync(file).size;
    assert.ok(sizeBytes < 5 * 1024 * 1024, `report size ${sizeBytes} bytes`);
    const opened = await open(chromium.browser, file);
    // 5 charts per metric, one for the phase's sessions, two for the connections
    assertChartsDrawn(opened, 12 * 5 + 1 + 2);
    assert.deepEqual(opened.problems, []);
    assert.deepEqual(opened.requests, [], 'the page fetches nothing');
    // From navigation start (stricter than from DOMContentLoaded) to the frame after the last chart was drawn.
    // Measured here: see the commit; the bound is the issue's, not widened for a busy machine.
    assert.ok(opened.readyMs < 1000, `drawn ${opened.readyMs.toFixed(0)} ms after navigation start`);
    // Hostile strings are shown as text and never run.
    assert.equal(await opened.page.evaluate('window.__pwned === undefined'), true);
    assert.equal(await opened.page.evaluate('document.querySelectorAll("img").length'), 0);
    const text = await opened.page.evaluate('document.body.innerText') as string;
    assert.ok(text.includes(HOSTILE), 'the description and source appear literally');
    // The synthetic run is open-model: each metric shows its service time beside its latency from the intended start.
    assert.match(text, /the send \(service time\)[^\n]*\n[^\n]*the intended start\t[0-9.]+ ms/);
    await opened.page.screenshot({ path: join(artifactsDir(), 'report.png') });
    const charts = join(artifactsDir(), 'report-charts.png');
    await opened.page.evaluate('document.querySelector("#summary").scrollIntoView()');
    await opened.page.screenshot({ path: charts });
    process.stderr.write(`# report of a 10-minute run, 12 metrics: ${(sizeBytes / 1024 / 1024).toFixed(2)} MB, drawn in ${opened.readyMs.toFixed(0)} ms\n`);
    await opened.page.close();
  });

  it('two runs side by side: the comparison table and one chart per figure and metric, no error', async () => {
    const a = writeSyntheticRun(root, { id: '00B0', seconds: 30, metrics: ['a', 'b'], responsesPerSecond: 20 });
    const b = writeSyntheticRun(root, { id: '00B1', seconds: 20, metrics: ['a', 'c'], responsesPerSecond: 40 });
    const file = join(root, 'compare.html');
    writeFileSync(file, renderReport([a.dir, b.dir]));
    const opened = await open(chromium.browser, file);
    assertChartsDrawn(opened, 3); // only metric `a` is in both
    assert.deepEqual(opened.problems, []);
    const rows = await opened.page.evaluate('Array.from(document.querySelectorAll("#compare tbody tr")).map(function (r) { return r.innerText; })') as string[];
    assert.equal(rows.length, 1);
    assert.match(rows[0] ?? '', /^main\ta\t/);
    assert.match(rows[0] ?? '', /\+\d+(\.\d)? %/, 'throughput change relative to the first run');
    await opened.page.screenshot({ path: join(artifactsDir(), 'report-compare.png') });
    await opened.page.close();
  });
});
