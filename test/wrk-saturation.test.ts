/**
 * Generator saturation is a result: a run whose scheduled starts could not happen on time says so in its output,
 * in all.json and with exit code 5 — and a slow server alone is not mistaken for a saturated generator.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-saturation-'));
const RESPONSE_DELAY_MS = 100;

function lastAllJson(root: string): { generator: { saturated: boolean; phases: Array<{ phase: string; saturated: boolean; throttledStarts: number; droppedStarts: number; scheduledStarts: number }> } } {
  const runs = readdirSync(join(root, 'run')).sort();
  return JSON.parse(readFileSync(join(root, 'run', runs.at(-1)!, 'all.json'), 'utf8'));
}

describe('generator saturation', { concurrency: true }, () => {
  let server: Server;
  let url = '';
  before(async () => {
    // Every response takes 100 ms: one connection serves at most 10 requests per second.
    server = createServer((_req, res) => { setTimeout(() => res.end('slow'), RESPONSE_DELAY_MS); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('hyperfoil run: starts that wait for a free session make exit code 5, the GENERATOR table and all.json say so', async () => {
    const root = join(dir, 'run');
    const file = join(dir, 'throttled.hf.yaml');
    // One session and 50 starts/s of 100 ms requests: the session frees 10 times a second at most, so of the 50
    // starts due in the 1 s phase at most 11 happen, each one after the first waits for the session (throttled),
    // and the others never happen (dropped when the phase ends): throttled + dropped >= 50 - 11.
    writeFileSync(file, [
      'name: throttled',
      `http: {host: '${url.slice(0, -1)}', sharedConnections: 1}`,
      'phases:',
      '- steady:',
      '    constantRate:',
      '      usersPerSec: 50',
      '      maxSessions: 1',
      '      sessionLimitPolicy: CONTINUE',
      '      duration: 1s',
      '      scenario: [{request: [{httpRequest: {GET: /}}]}]',
    ].join('\n'));
    const result = await runCli(['run', file, '--root-dir', root, '-q']);
    assert.equal(result.code, 5, result.stdout + result.stderr);
    assert.match(result.stdout, /\nPHASE +SCHEDULED +LATE_p50 +LATE_p99 +LATE_MAX +THROTTLED +DROPPED +LOOP_LAG_p99 +LOOP_LAG_MAX +GENERATOR\nsteady .* SATURATED\n/);
    assert.match(result.stdout, /Load generator saturated in phase steady: .*starts waited for a free session.*starts never happened/);
    const generator = lastAllJson(root).generator;
    assert.equal(generator.saturated, true);
    const steady = generator.phases.find((p) => p.phase === 'steady')!;
    assert.ok(steady.throttledStarts >= 1);
    assert.ok(steady.throttledStarts + steady.droppedStarts >= 39, `${steady.throttledStarts} throttled, ${steady.droppedStarts} dropped`);
  });

  it('wrk2: a slow server is not a saturated generator, but running out of sessions is', async () => {
    const root = join(dir, 'wrk2');
    const common = ['-t', '1', '-c', '1', '-d', '2s', '--warmup-duration', '0', '--root-dir', root, url];
    // 5/s on one connection that serves 10/s: every start is on time, the server merely answers slowly.
    const slow = await runCli(['wrk2', '-R', '5', ...common]);
    assert.equal(slow.code, 0, slow.stdout + slow.stderr);
    assert.equal(lastAllJson(root).generator.saturated, false);
    // 100/s on that connection: requests queue for it and hold their sessions; the 100 sessions (one second of
    // arrivals) are all taken within about a second, and from then on starts wait for a free one.
    const saturated = await runCli(['wrk2', '-R', '100', ...common]);
    assert.equal(saturated.code, 5, saturated.stdout + saturated.stderr);
    assert.match(saturated.stderr, /Load generator saturated in phase test: .*starts waited for a free session/);
    assert.match(saturated.stdout, /Requests\/sec:/, 'the figures are printed all the same');
  });
});
