/**
 * The report from the command line, as real processes against a real local server: `run --report`, `report ID`,
 * `report --compare A B`, `wrk -o`, and the one-line errors when there is no run to report.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runShell } from '../src/cli/shell/test-support.js';
import { runCli, startCli } from './support/cli.js';

/** The report's data block, parsed. */
function reportData(file: string): { runs: Array<{ id: string; benchmark: string; metrics: Array<{ metric: string; totals: { responses: number } }>; sla: unknown[] }> } {
  const html = readFileSync(file, 'utf8');
  const json = /<script type="application\/json" id="page-data">(.*)<\/script>/.exec(html)?.[1];
  assert.ok(json, 'the report holds its data');
  return JSON.parse(json);
}

describe('hyperfoil report and the report flags', () => {
  let server: Server;
  let port: number;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hf-report-cli-'));
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('run --report writes the report; report ID and report --compare A B write theirs', async () => {
    const root = join(dir, 'root');
    const file = join(dir, 'small.hf.yaml');
    writeFileSync(file, [
      'name: small', `http: {host: 'http://127.0.0.1:${port}'}`, 'phases:', '- main:',
      '    constantRate:', '      usersPerSec: 20', '      variance: false', '      duration: 1s', '      scenario:',
      '      - s: [{httpRequest: {GET: /, metric: home, sla: [{meanResponseTime: 1s, blockedRatio: 1, limits: {0.99: 2s}}]}}]',
    ].join('\n'));
    const out = join(dir, 'first.html');
    const first = await runCli(['run', file, '--root-dir', root, '-q', '--report', out]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`Report written to ${out.replace(/[.]/g, '\\.')} \\(\\d+ KB\\)`));
    const data = reportData(out);
    assert.equal(data.runs[0]?.benchmark, 'small');
    assert.equal(data.runs[0]?.metrics[0]?.metric, 'home');
    // Evenly spaced arrivals (variance: false): 20 in the second, one fewer when the last falls on its edge. (With
    // Poisson arrivals a bound of 15 failed 10 % of runs: P(Poisson(20) < 15) ≈ 0.105.)
    assert.ok((data.runs[0]?.metrics[0]?.totals.responses ?? 0) >= 19, 'about 20 responses in the second');
    assert.equal(data.runs[0]?.sla.length, 1, 'the SLA conditions are in the report');

    const byId = await runCli(['report', '0000', '--root-dir', root]);
    assert.equal(byId.code, 0, byId.stderr);
    assert.ok(existsSync(join(root, 'run', '0000', 'report.html')), 'default: report.html in the run directory');

    assert.equal((await runCli(['run', file, '--root-dir', root, '-q'])).code, 0);
    const compared = await runCli(['report', '--compare', '0000', join(root, 'run', '0001'), '--root-dir', root], { cwd: dir });
    assert.equal(compared.code, 0, compared.stderr);
    assert.deepEqual(reportData(join(dir, '0000-vs-2.html')).runs.map((r) => r.id), ['0000', '0001']);
  });

  it('report --open hands the file to the desktop opener found on PATH, and says so when there is none', async () => {
    const root = join(dir, 'root');
    assert.ok(existsSync(join(root, 'run', '0000')), 'runs after the first test');
    const bin = join(dir, 'fake-bin');
    mkdirSync(bin);
    const received = join(dir, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${received}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const out = join(dir, 'opened.html');
    const opened = await startCli(['report', '0000', '--root-dir', root, '-o', out, '--open'], { env: { PATH: `${bin}:${process.env.PATH ?? ''}` } }).result;
    assert.equal(opened.code, 0, opened.stderr);
    assert.match(opened.stdout, /Opening .*opened\.html with xdg-open\./);
    const deadline = Date.now() + 5000;
    while (!existsSync(received) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(readFileSync(received, 'utf8'), out, 'the opener got the report file');
    const none = await startCli(['report', '0000', '--root-dir', root, '-o', out, '--open'], { env: { PATH: join(dir, 'empty-bin') } }).result;
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /No browser opener \(xdg-open\) on this machine: open .*opened\.html yourself\./);
  });

  it('wrk -o writes the report of the wrk run', async () => {
    const out = join(dir, 'wrk.html');
    const result = await runCli(['wrk', '-c', '2', '-t', '1', '-d', '1s', '--warmup-duration', '0', '--root-dir', join(dir, 'wrk-root'),
      '-o', out, `http://127.0.0.1:${port}/`]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Report written to /);
    assert.ok(reportData(out).runs[0]!.metrics.some((m) => m.totals.responses > 0));
  });

  it('the shell\'s report fetches GET /run/{id}/report from the controller, writes it and says where', async () => {
    const file = join(dir, 'shell.hf.yaml');
    writeFileSync(file, 'name: shell-report\nphases:\n- main:\n    constantRate: {usersPerSec: 20, duration: 1s, scenario: [{s: [noop]}]}\n');
    const out = join(dir, 'shell-out');
    const result = await runShell([`start-local ${join(dir, 'shell-root')}`, `upload ${file}`, 'run', 'wait', `report -d ${out}/ -y`]);
    assert.match(result.stdout, new RegExp(`Report of run 0000 written to ${out}/0000\\.html \\(\\d+ KB\\); open it in a browser`), result.stdout + result.stderr);
    assert.equal(reportData(join(out, '0000.html')).runs[0]?.benchmark, 'shell-report');
  });

  it('says in one line what to do when there is no such run, and refuses a wrong number of runs', async () => {
    const missing = await runCli(['report', '00FF', '--root-dir', join(dir, 'empty')]);
    assert.equal(missing.code, 4);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    assert.match(missing.stderr, /no run `00FF`: give a run directory, or a run id stored under .*empty\/run \(--root-dir DIR\)/);
    const usage = await runCli(['report', '--compare', '0000']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /report --compare takes two runs/);
  });
});
