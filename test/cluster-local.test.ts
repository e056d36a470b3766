/**
 * Clustered runs with the `local` deployer: agents are real `hyperfoil agent` child processes that dial the
 * controller's agent hub over WebSocket. Two agents share a run; an agent killed (SIGKILL) or frozen (SIGSTOP)
 * mid-run is detected, the run ends with an error naming it, the other agent is stopped, what was measured is
 * stored, and the controller runs the next benchmark.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Run } from '../src/controller/index.js';
import { localDeployer } from '../src/deploy/index.js';
import { isAlive, maxSessionsByAgent, startTestCluster, until } from './support/cluster.js';
import type { TestCluster } from './support/cluster.js';

/** Each agent keeps `users / 2` sessions active for the whole phase (noop sessions restart at once). */
function steadyBenchmark(name: string, users: number, duration: string): string {
  return [
    `name: ${name}`,
    'agents:',
    '  a:',
    '  b:',
    'phases:',
    '- steady:',
    '    always:',
    `      users: ${users}`,
    `      duration: ${duration}`,
    '      scenario: [{s: [noop]}]',
  ].join('\n');
}

/** A long phase that costs almost no CPU: 20 instant sessions per second. */
const LONG = [
  'name: long', 'agents: [a, b]', 'phases:', '- slow:', '    constantRate:', '      usersPerSec: 20', '      duration: 60s',
  '      scenario: [{s: [noop]}]',
].join('\n');

async function localCluster(): Promise<{ cluster: TestCluster; rootDir: string }> {
  const rootDir = mkdtempSync(join(tmpdir(), 'hf-local-'));
  const cluster = await startTestCluster({
    rootDir,
    deployer: (hub, controllerUrl) => localDeployer({ hub, rootDir, controllerUrl }),
    deployTimeoutMs: 20_000,
  });
  return { cluster, rootDir };
}

function agentPid(rootDir: string, name: string): number {
  const match = /\(pid (\d+)\) connected/.exec(readFileSync(join(rootDir, `agent.${name}.log`), 'utf8'));
  assert.ok(match, `agent ${name} logged its pid`);
  return Number(match[1]);
}

async function runToEnd(cluster: TestCluster, run: Run): Promise<void> {
  await cluster.controller.runs.whenStored(run.id);
}

describe('clustered runs with local agents', () => {
  it('two agent processes share a run: both take part, their sessions add up to the users, logs are served', async () => {
    const { cluster, rootDir } = await localCluster();
    try {
      const deployStart = Date.now();
      const run = cluster.start(steadyBenchmark('two-local', 4, '1s'));
      await until(() => run.startedMs !== undefined || run.completed, 20_000, 'the run to start');
      const deployMs = Date.now() - deployStart;
      await runToEnd(cluster, run);
      assert.deepEqual(run.errors, []);
      const json = run.toJson();
      assert.deepEqual(json.agents.map((a) => [a.name, a.status]), [['a', 'STOPPED'], ['b', 'STOPPED']]);
      for (const agent of json.agents) assert.match(agent.address, /^127\.0\.0\.1:\d+$/);
      // `always: users: 4` over two 1-thread agents: each holds exactly 2 sessions, 4 in all.
      const runDir = join(rootDir, 'run', run.id);
      assert.deepEqual(maxSessionsByAgent(runDir, 'steady'), { a: 2, b: 2 });
      // Both agents reported starting the phase; on one machine their clocks agree and they start within a few
      // ms of each other (bounded by one controller tick of 50 ms plus message delivery).
      const info = JSON.parse(readFileSync(join(runDir, 'info.json'), 'utf8')) as { phaseStartSkewMs: Record<string, number>; agentClockOffsetMs: Record<string, number> };
      assert.deepEqual(Object.keys(info.agentClockOffsetMs).sort(), ['a', 'b']);
      for (const offset of Object.values(info.agentClockOffsetMs)) assert.ok(Math.abs(offset) <= 20, `clock offset ${offset} ms on one machine`);
      assert.ok(info.phaseStartSkewMs.steady !== undefined && info.phaseStartSkewMs.steady >= 0 && info.phaseStartSkewMs.steady < 200,
        `start skew ${info.phaseStartSkewMs.steady}`);
      assert.equal(json.phases[0]?.startSkewMs, info.phaseStartSkewMs.steady);
      // Each agent logged to <root>/agent.<name>.log, served by GET /log/{agent}; the processes are gone.
      const log = await fetch(`${cluster.url}/log/a`);
      assert.equal(log.status, 200);
      assert.match(await log.text(), /agent a \(pid \d+\) connected.*\n.*the run ended, exiting/);
      await cluster.deployer.close?.();
      for (const name of ['a', 'b']) assert.equal(isAlive(agentPid(rootDir, name)), false, `agent ${name} exited`);
      console.log(`# local deploy of 2 agents until the first phase started: ${deployMs} ms`);
    } finally {
      await cluster.close();
    }
  });

  for (const signal of ['SIGKILL', 'SIGSTOP'] as const) {
    it(`an agent ${signal === 'SIGKILL' ? 'killed' : 'frozen'} with ${signal} mid-run is detected, the run fails naming it, the rest is kept, the controller runs on`, async () => {
      const { cluster, rootDir } = await localCluster();
      let victim = 0;
      try {
        const run = cluster.start(LONG);
        await until(() => run.phases.some((p) => p.status === 'RUNNING'), 20_000, 'the phase to run');
        // Let a statistics period pass so that both agents have reported sessions.
        await new Promise((resolve) => setTimeout(resolve, 1200));
        victim = agentPid(rootDir, 'a');
        const survivor = agentPid(rootDir, 'b');
        const signalledAt = Date.now();
        process.kill(victim, signal);
        await until(() => run.errors.length > 0, 10_000, 'the lost agent to be noticed');
        const detectedMs = Date.now() - signalledAt;
        await runToEnd(cluster, run);
        const error = run.errors[0];
        assert.equal(error?.agent, 'a');
        if (signal === 'SIGKILL') {
          // The kernel closes a killed process's socket at once; 5 s is the promise.
          assert.match(error?.message ?? '', /^Agent a failed: the connection closed.*\(the agent process was killed by SIGKILL\)$/);
          assert.ok(detectedMs < 5000, `noticed after ${detectedMs} ms`);
        } else {
          // A frozen process keeps its socket open: only the silence tells. Limit 5 s, checked every 1 s (ping
          // period), so between 5 s (minus the up to 1 s since its last heartbeat) and 6 s, plus timer slack.
          assert.equal(error?.message, 'Agent a failed: no heartbeat for 5 s');
          assert.ok(detectedMs >= 4000 && detectedMs <= 7000, `noticed after ${detectedMs} ms`);
        }
        const json = run.toJson();
        assert.deepEqual(json.agents.map((a) => [a.name, a.status]), [['a', 'FAILED'], ['b', 'STOPPED']]);
        assert.equal(run.cancelled, true);
        // What was measured before the loss is stored: both agents' session figures, and the error.
        const runDir = join(rootDir, 'run', run.id);
        const info = JSON.parse(readFileSync(join(runDir, 'info.json'), 'utf8')) as { errors: Array<{ agent?: string; msg: string }> };
        assert.equal(info.errors[0]?.agent, 'a');
        assert.ok(existsSync(join(runDir, 'all.json')));
        assert.deepEqual(Object.keys(maxSessionsByAgent(runDir, 'slow')).sort(), ['a', 'b']);
        // No process is left: the survivor stopped by itself, the frozen one was killed.
        await cluster.deployer.close?.();
        assert.equal(isAlive(survivor), false, 'the other agent exited');
        assert.equal(isAlive(victim), false, 'the lost agent is gone');
        // The controller goes on: the next run deploys fresh agents and completes.
        const next = cluster.start(steadyBenchmark('after-failure', 2, '200ms'));
        await runToEnd(cluster, next);
        assert.deepEqual(next.errors, []);
        assert.deepEqual(next.toJson().agents.map((a) => a.status), ['STOPPED', 'STOPPED']);
      } finally {
        if (victim && isAlive(victim)) process.kill(victim, 'SIGKILL');
        await cluster.close();
      }
    });
  }
});
