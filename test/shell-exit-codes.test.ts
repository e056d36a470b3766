/**
 * A shell script on a pipe exits with the outcome of the runs it waited for, like `hyperfoil run`: 0 passed,
 * 1 an SLA failed, 4 the run failed, 5 the load generator was saturated. Real processes: the shell embeds its
 * controller (`start-local`), the requests go to a real server on 127.0.0.1.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runShell } from '../src/cli/shell/test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-shell-exit-'));
const RESPONSE_DELAY_MS = 100;

function benchmark(name: string, lines: readonly string[]): string {
  const file = join(dir, `${name}.hf.yaml`);
  writeFileSync(file, `name: ${name}\n${lines.join('\n')}\n`);
  return file;
}

describe('hyperfoil cli on a pipe: the exit code is the outcome of the run `wait` saw end', { concurrency: true }, () => {
  let server: Server;
  let host = '';
  before(async () => {
    // Every response takes 100 ms, so any mean response time is at least that.
    server = createServer((_req, res) => { setTimeout(() => res.end('slow'), RESPONSE_DELAY_MS); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const script = (name: string, file: string): string[] => [`start-local ${join(dir, `root-${name}`)} -q`, `upload ${file}`, 'run', 'wait'];

  it('0 when every SLA passed, 1 when one failed', async () => {
    const request = (sla: string): string[] => [
      `http: {host: '${host}'}`, 'phases:', '- main:', '    atOnce:', '      users: 1', '      scenario:', '      - s:',
      `        - httpRequest: {GET: /, sla: {meanResponseTime: ${sla}}}`,
    ];
    const passed = await runShell(script('pass', benchmark('pass', request('10s'))));
    assert.equal(passed.code, 0, passed.stderr);
    assert.match(passed.stdout, /Outcome: +passed/);
    // The response takes 100 ms: a 1 ms mean cannot hold.
    const failed = await runShell(script('sla', benchmark('sla', request('1ms'))));
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout, /Outcome: +1 SLA failure/);
  });

  it('4 when the run failed', async () => {
    const result = await runShell(script('failed', benchmark('failed', [
      'phases:', '- main:', '    atOnce: {users: 1, scenario: [{s: [{fail: {message: broken on purpose}}]}]}',
    ])));
    assert.equal(result.code, 4, result.stdout + result.stderr);
    assert.match(result.stdout, /broken on purpose/);
  });

  it('5 when the load generator was saturated', async () => {
    // One session and 50 starts/s of 100 ms requests: at most ~11 of the 50 starts happen; the others are
    // throttled or dropped, which is a saturated generator (as test/wrk-saturation.test.ts derives).
    const result = await runShell(script('saturated', benchmark('saturated', [
      `http: {host: '${host}', sharedConnections: 1}`, 'phases:', '- steady:', '    constantRate:', '      usersPerSec: 50',
      '      maxSessions: 1', '      duration: 1s', '      scenario: [{s: [{httpRequest: {GET: /}}]}]',
    ])));
    assert.equal(result.code, 5, result.stdout + result.stderr);
    assert.match(result.stdout, /Outcome: +the load generator was saturated/);
  });
});
