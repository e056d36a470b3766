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

interface StatsEntry {
  phase: string;
  total: { summary: { responseCount: number; percentileResponseTime: Record<string, number> } };
  fromIntendedStart?: { responseCount: number; percentileResponseTime: Record<string, number> };
}

function lastAllJson(root: string): { stats: StatsEntry[]; generator: { saturated: boolean; phases: Array<{ phase: string; saturated: boolean; throttledStarts: number; droppedStarts: number; scheduledStarts: number }> } } {
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
      '      variance: false', // even gaps: start k is due k × 20 ms after the first (the lateness bound below)
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
    // How late, and what that means for the latencies: the summary shows p99_INTENDED beside p99 (the generator
    // was late), and all.json holds the figures from the intended start per metric.
    assert.match(result.stdout, /Sessions started up to [0-9.]+ m?s late \(p99 .*exclude that lateness; p99_INTENDED .* includes it/);
    assert.match(result.stdout, /\sp99\s+p99_INTENDED\s/);
    const entry = lastAllJson(root).stats.find((e) => e.phase === 'steady')!;
    const n = entry.total.summary.responseCount;
    assert.equal(entry.fromIntendedStart?.responseCount, n, 'every response timed both ways');
    // Session k is due k × 20 ms after session 0 but starts only when session k-1 has ended, ≥ k × 99 ms after
    // session 0 (100 ms responses, a timer fires at most ~1 ms early): ≥ 79 k ms late, so from its intended start
    // its response takes ≥ 99 + 79 k ms. With ≤ 100 samples p99 is the largest, reported as the top of its
    // HdrHistogram bucket: never below it.
    const intendedP99 = entry.fromIntendedStart!.percentileResponseTime['99.0']!;
    const serviceP99 = entry.total.summary.percentileResponseTime['99.0']!;
    assert.ok(n >= 3, `${n} responses`);
    assert.ok(intendedP99 >= (99 + 79 * (n - 1)) * 1e6, `p99 ${intendedP99 / 1e6} ms from the intended start, n = ${n}`);
    // Service time excludes the lateness: 100 ms plus overhead, below one session's 79 ms of lateness more.
    assert.ok(serviceP99 < (99 + 79) * 1e6, `service p99 ${serviceP99 / 1e6} ms`);
  });

  it('wrk2: a slow server is not a saturated generator, but running out of sessions is', async () => {
    const root = join(dir, 'wrk2');
    const common = ['-t', '1', '-c', '1', '-d', '2s', '--warmup-duration', '0', '--root-dir', root, url];
    // 5/s on one connection that serves 10/s: every start is on time, the server merely answers slowly.
    const slow = await runCli(['wrk2', '-R', '5', ...common]);
    const calm = lastAllJson(root).generator.phases.find((p) => p.phase === 'test')!;
    assert.deepEqual([calm.throttledStarts, calm.droppedStarts], [0, 0], 'every start found a session');
    // Exit 0; a machine busy with other test files may starve the load thread (loop lag, which is reported), but
    // the slow server alone never makes the run saturated.
    if (slow.code !== 0) assert.match(slow.stderr, /saturated in phase test: p99 event-loop lag/, slow.stdout + slow.stderr);
    else assert.equal(lastAllJson(root).generator.saturated, false);
    // 100/s on that connection: requests queue for it and hold their sessions; the 100 sessions (one second of
    // arrivals) are all taken within about a second, and from then on starts wait for a free one.
    const saturated = await runCli(['wrk2', '-R', '100', ...common]);
    assert.equal(saturated.code, 5, saturated.stdout + saturated.stderr);
    assert.match(saturated.stderr, /Load generator saturated in phase test: .*starts waited for a free session/);
    assert.match(saturated.stdout, /Requests\/sec:/, 'the figures are printed all the same');
  });
});
