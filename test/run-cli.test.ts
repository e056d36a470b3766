/**
 * `hyperfoil run` end to end as a real process: the embedded controller, the in-process agent on a worker thread,
 * the run directory in Hyperfoil's layout, exit codes, and a graceful Ctrl+C.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
});
