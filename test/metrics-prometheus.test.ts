/**
 * `GET /metrics` scraped by a real Prometheus (Debian's `prometheus`, started here on a free port with a 1 s scrape
 * interval) from a real `hyperfoil standalone` while a run hits a real local server; then Prometheus' HTTP API is
 * asked what it stored. Skipped with a message when /usr/bin/prometheus is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone } from './support/standalone.js';
import type { Standalone } from './support/standalone.js';

const PROMETHEUS = '/usr/bin/prometheus';
const MISSING = existsSync(PROMETHEUS) ? false : `${PROMETHEUS} is not installed (apt-get install -y prometheus)`;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The samples of one family in an OpenMetrics text, as `name{labels}` → value. */
function samples(text: string, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

describe('GET /metrics scraped by Prometheus', { skip: MISSING }, () => {
  let dir: string;
  let target: Server;
  let controller: Standalone;
  let prometheus: ChildProcess;
  let prometheusUrl: string;
  let prometheusLog = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hf-prometheus-'));
    target = createServer((_req, res) => setTimeout(() => res.end('ok'), 2)); // ~2 ms responses
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    controller = await startStandalone(join(dir, 'root'));
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'prometheus.yml'), [
      'global: {scrape_interval: 1s, scrape_timeout: 900ms}',
      'scrape_configs:',
      `- job_name: hyperfoil`,
      `  static_configs: [{targets: ['127.0.0.1:${controller.port}']}]`,
    ].join('\n'));
    prometheus = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.stderr?.on('data', (chunk: Buffer) => { prometheusLog += chunk.toString(); });
    await until('Prometheus to be ready', 20_000, async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined));
    // Prometheus hands new targets to its scrapers after about 5 s: wait for a first scrape before any run starts.
    await until('a first scrape', 20_000, async () => ((await query('up{job="hyperfoil"} == 1')).length > 0 ? true : undefined));
  });
  after(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await controller?.stop();
    target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = await res.json() as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    assert.equal(body.status, 'success', JSON.stringify(body));
    return body.data.result;
  }

  it('exposes per run, phase and metric the counters and exact latency buckets, and Prometheus stores them', async () => {
    const { port } = target.address() as AddressInfo;
    const upload = await fetch(`${controller.url}/benchmark`, {
      method: 'POST', headers: { 'content-type': 'text/vnd.yaml' },
      body: [
        'name: scraped', `http: {host: 'http://127.0.0.1:${port}', sharedConnections: 8}`, 'phases:', '- main:',
        '    constantRate: {usersPerSec: 50, duration: 4s, scenario: [{s: [{httpRequest: {GET: /, metric: home}}]}]}',
      ].join('\n'),
    });
    assert.equal(upload.status, 204, await upload.text());
    const run = await (await fetch(`${controller.url}/benchmark/scraped/start`)).json() as { id: string };

    // While the run goes: Prometheus has scraped it at least once as running.
    const running = await until('a scrape during the run', 10_000, async () => {
      const result = await query(`hyperfoil_run_running{run="${run.id}"} == 1`);
      return result.length > 0 ? result : undefined;
    });
    assert.equal(running[0]!.metric.benchmark, 'scraped');

    await until('the run to end', 20_000, async () => ((await (await fetch(`${controller.url}/run/${run.id}`)).json() as { completed: boolean }).completed ? true : undefined));
    const total = await (await fetch(`${controller.url}/run/${run.id}/stats/total`)).json() as { statistics: Array<{ metric: string; summary: { requestCount: number; responseCount: number } }> };
    const home = total.statistics.find((s) => s.metric === 'home')!.summary;
    assert.ok(home.responseCount >= 150, `about 200 responses, got ${home.responseCount}`);

    // Our own text: buckets cumulative, +Inf = count = responses, counters equal to the REST totals.
    const text = await (await fetch(`${controller.url}/metrics`)).text();
    assert.match(text, /# EOF\n$/);
    const labels = `run="${run.id}",benchmark="scraped",phase="main",metric="home"`;
    assert.equal(samples(text, 'hyperfoil_requests_total').get(`hyperfoil_requests_total{${labels}}`), home.requestCount);
    const buckets = [...samples(text, 'hyperfoil_response_time_seconds_bucket').values()];
    assert.ok(buckets.every((v, i) => i === 0 || v >= buckets[i - 1]!), 'cumulative');
    assert.equal(buckets.at(-1), home.responseCount);
    assert.equal(samples(text, 'hyperfoil_response_time_seconds_count').get(`hyperfoil_response_time_seconds_count{${labels}}`), home.responseCount);
    assert.equal(buckets[0], 0, 'no response faster than 100 μs from a server that waits 2 ms');

    // What Prometheus stored, after one more scrape of the finished run.
    const stored = await until('Prometheus to hold the final figures', 10_000, async () => {
      const result = await query(`hyperfoil_requests_total{run="${run.id}",metric="home"}`);
      return result.length > 0 && Number(result[0]!.value[1]) === home.requestCount ? result : undefined;
    });
    assert.deepEqual({ ...stored[0]!.metric, __name__: undefined }, { __name__: undefined, run: run.id, benchmark: 'scraped', phase: 'main', metric: 'home', job: 'hyperfoil', instance: `127.0.0.1:${controller.port}` });
    const p99 = await query(`histogram_quantile(0.99, hyperfoil_response_time_seconds_bucket{run="${run.id}"})`);
    const p99Seconds = Number(p99[0]!.value[1]);
    assert.ok(p99Seconds >= 0.002 && p99Seconds <= 1, `p99 from the buckets: ${p99Seconds} s`);
    const up = await query('up{job="hyperfoil"}');
    assert.equal(up[0]!.value[1], '1', `every scrape parsed:\n${prometheusLog.slice(-2000)}`);
    const generator = await query(`hyperfoil_generator_scheduled_starts_total{run="${run.id}"}`);
    assert.ok(Number(generator[0]!.value[1]) >= 150, 'the generator figures are there too');
  });
});
