/**
 * `hyperfoil run` end to end as a real process: the embedded controller, the in-process agent on a worker thread,
 * the run directory in Hyperfoil's layout, exit codes, and a graceful Ctrl+C.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-run-'));

function benchmark(name: string, text: string): string {
  const file = join(dir, `${name}.hf.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('hyperfoil run', () => {
  it('runs phases in order and stores the run in Hyperfoil\'s layout, numbering runs on', async () => {
    const root = join(dir, 'root1');
    const file = benchmark('ordered', [
      'name: ordered',
      'phases:',
      '- first:',
      '    atOnce:',
      '      users: 3',
      '      scenario: [{s: [noop]}]',
      '- second:',
      '    constantRate: {usersPerSec: 20, duration: 1s, startAfter: first, scenario: [{s: [noop]}]}',
    ].join('\n'));
    const result = await runCli(['run', file, '--root-dir', root, '-q']);
    assert.equal(result.code, 0, result.stderr);
    const runDir = join(root, 'run', '0000');
    assert.match(result.stdout, /Run 0000 of ordered, stored in /);
    for (const name of ['info.json', 'all.json', 'ordered.yaml', 'stats/total.csv']) {
      assert.ok(existsSync(join(runDir, name)), `${name} is written`);
    }
    const info = JSON.parse(readFileSync(join(runDir, 'info.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(info.id, '0000');
    assert.equal(info.benchmark, 'ordered');
    assert.equal(info.cancelled, false);
    assert.deepEqual(info.errors, []);
    assert.ok((info.terminateTime as number) - (info.startTime as number) >= 1000, 'the 1 s phase ran after the first');
    assert.match(readFileSync(join(runDir, 'stats', 'total.csv'), 'utf8'), /^Phase,Metric,Start,End,Requests,Responses,Mean,StdDev,Min,p50\.0,p90\.0,p99\.0,p99\.9,p99\.99,Max,ConnectionErrors,RequestTimeouts,InternalErrors,Invalid,BlockedTime/);
    const again = await runCli(['run', file, '--root-dir', root, '-q']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /Run 0001 of ordered/);
  });

  it('refuses an invalid benchmark with exit 3 and a benchmark with agents with a clear message', async () => {
    const invalid = await runCli(['run', benchmark('invalid', 'name: x\nphases: 5\n'), '--root-dir', join(dir, 'root2')]);
    assert.equal(invalid.code, 3);
    assert.match(invalid.stderr, /invalid\.hf\.yaml:2:9: /);
    const clustered = await runCli(['run', benchmark('clustered', [
      'name: clustered', 'agents: [a1]', 'phases:', '- p:', '    atOnce: {users: 1, scenario: [{s: [noop]}]}',
    ].join('\n')), '--root-dir', join(dir, 'root2')]);
    assert.equal(clustered.code, 3);
    assert.match(clustered.stderr, /declares agents.*Remove `agents:` or start a clustered controller/);
  });

  it('stops gracefully on SIGINT, keeps what was measured and exits 130', async () => {
    const root = join(dir, 'root3');
    const file = benchmark('long', 'name: long\nphases:\n- main:\n    constantRate: {usersPerSec: 10, duration: 60s, scenario: [{s: [noop]}]}\n');
    const { child, result } = startCli(['run', file, '--root-dir', root]);
    // Wait for the first progress line: the run is going.
    await new Promise<void>((resolve) => child.stderr?.on('data', (chunk: Buffer) => { if (chunk.toString().includes('[0000]')) resolve(); }));
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const outcome = await result;
    assert.equal(outcome.code, 130, outcome.stderr);
    assert.ok(Date.now() - interruptedAt < 10_000, 'stops within seconds, not at the end of the 60 s phase');
    assert.match(outcome.stderr, /SIGINT: stopping the run/);
    const info = JSON.parse(readFileSync(join(root, 'run', '0000', 'info.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(info.cancelled, true);
  });

  it('prints per-phase progress of the last second without lag, a summary in 120 columns with a total row, every SLA in units, and the verdict', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const file = benchmark('summary', [
        'name: summary', `http: {host: 'http://127.0.0.1:${port}', sharedConnections: 4}`, 'phases:', '- main:',
        '    constantRate:', '      usersPerSec: 40', '      duration: 3s', '      scenario:',
        '      - s:',
        '        - httpRequest: {GET: /a, metric: fast, sla: [{blockedRatio: 1, limits: {0.5: 10s}}]}',
        '        - httpRequest: {GET: /b, metric: strict, sla: [{blockedRatio: 1, meanResponseTime: 1ns}]}',
      ].join('\n'));
      const result = await runCli(['run', file, '--root-dir', join(dir, 'root4')]);
      assert.equal(result.code, 1, 'the 1 ns mean cannot be met: SLA failed');
      // Piped progress: one block per second; a phase line carries the figures of its last complete second.
      const blocks = result.stderr.split(/(?=^\[0000\] )/m);
      const firstFigures = blocks.find((b) => /main\s+RUNNING\s+\S+ \(\S+ left\)\s+\d+(\.\d)? req\/s\s+p99 \d/.test(b));
      assert.ok(firstFigures, result.stderr);
      // The first second's bucket closes 1 s after the phase start; it leaves the load thread within 100 ms, is shown
      // once it ended 150 ms ago, at the next 250 ms tick: 1.5 s; the old progress showed totals 2-3 s in. The phase
      // starts within a few ms of the run (one agent, in this process); 500 ms on top for timers on a busy 2-core box.
      const phaseElapsedMs = parseDuration(/main\s+RUNNING\s+(\S+)/.exec(firstFigures)![1]!);
      assert.ok(phaseElapsedMs < 2000, `first figures shown ${phaseElapsedMs} ms into the phase`);

      const lines = result.stdout.split('\n');
      const header = lines.findIndex((l) => l.startsWith('PHASE  METRIC'));
      const table = lines.slice(header, lines.findIndex((l, i) => i > header && l.startsWith('TOTAL')) + 1);
      assert.ok(table.every((l) => l.length <= 120), table.join('\n'));
      assert.doesNotMatch(table[0]!, /CACHE|TIMEOUTS|5xx/, 'all-zero columns are hidden');
      assert.match(table.at(-1)!, /^TOTAL\s+\d+\.\d+ req\/s\s+\d+\s/);
      const requests = (row: string): number => Number(/req\/s\s+(\d+)/.exec(row)![1]);
      assert.equal(requests(table.at(-1)!), requests(table[1]!) + requests(table[2]!), 'the total row adds the metrics up');
      assert.match(result.stdout, /✓\s+main\/fast\s+p50 <\s+10\.00 s\s+\d+\.\d+ [μm]s/);
      assert.match(result.stdout, /✗\s+main\/strict\s+mean response time <\s+1 ns\s+\d+\.\d+ [μm]s/);
      assert.doesNotMatch(result.stdout, /error ratio/, 'conditions that cannot fail (ratio limits over 100 %) are left out');
      assert.match(lines.filter((l) => l !== '').at(-1)!, /^FAILED: 1 SLA failure \(listed above\)$/);

      const wide = await runCli(['run', file, '--root-dir', join(dir, 'root4'), '-q', '--wide']);
      assert.match(wide.stdout, /^PHASE  METRIC .*INVALID\s+TIMEOUTS\s+ERRORS\s+BLOCKED\s+2xx\s+3xx\s+4xx\s+5xx\s+CACHE$/m);
    } finally {
      server.close();
    }
  });

  it('--example-server with port 8080 taken: one line that says what to do, no stack trace (binds 8080 briefly when free)', async () => {
    const blocker = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      blocker.once('error', () => resolve(false)); // already taken by something else: the case under test all the same
      blocker.listen(8080, '127.0.0.1', () => resolve(true));
    });
    try {
      const result = await runCli(['run', join(process.cwd(), 'examples', 'quick.hf.yaml'), '--example-server', '--root-dir', join(dir, 'root5'), '-q']);
      assert.equal(result.code, 4);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, /^hyperfoil run: --example-server: cannot listen for HTTP on 127\.0\.0\.1:8080: the port is already in use; stop the process that holds the port/);
    } finally {
      if (bound) blocker.close();
    }
  });
});

/** `850ms`, `1.23s`, `2m 5s` as printed by formatDurationMs. */
function parseDuration(text: string): number {
  const ms = /^(\d+)ms$/.exec(text);
  if (ms) return Number(ms[1]);
  const s = /^(\d+(?:\.\d+)?)s$/.exec(text);
  if (s) return Number(s[1]) * 1000;
  throw new Error(`unexpected duration ${text}`);
}

