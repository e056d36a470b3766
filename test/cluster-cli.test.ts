/**
 * The cluster from the command line and beyond the default transport: `hyperfoil controller` as a real process
 * driven over REST, agents started by hand (`--deployer none`), and a TLS controller whose agents dial `wss://`
 * and trust its self-signed certificate by fingerprint.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDeployer, manualDeployer } from '../src/deploy/index.js';
import { startCli } from './support/cli.js';
import { startTestCluster, until } from './support/cluster.js';
import { repoRoot } from './support/reference.js';

const TWO_AGENTS = ['name: cli-two', 'agents: [a, b]', 'phases:', '- p:', '    always:', '      users: 2', '      duration: 300ms',
  '      scenario: [{s: [noop]}]'].join('\n');

describe('cluster commands and transports', () => {
  it('hyperfoil controller --deployer local runs a two-agent benchmark over REST and stops cleanly on SIGTERM', async () => {
    const rootDir = mkdtempSync(join(tmpdir(), 'hf-cli-'));
    const { child, result } = startCli(['controller', '--deployer', 'local', '--port', '0', '--root-dir', rootDir, '--deploy-timeout', '20s']);
    try {
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(stdout), 10_000, 'the controller to listen');
      assert.match(stdout, /Hyperfoil controller \(clustered, deployer local\) listening on (\S+); agents dial \1\/agent/);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] as string;
      const upload = (text: string) => fetch(`${url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: text });
      // Without agents a clustered controller refuses to start the benchmark, as Hyperfoil does.
      assert.equal((await upload('name: lonely\nphases:\n- p:\n    atOnce: {users: 1, scenario: [{s: [noop]}]}\n')).status, 204);
      const refused = await fetch(`${url}/benchmark/lonely/start`);
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /clustered but the benchmark does not define any agents/);
      assert.equal((await upload(TWO_AGENTS)).status, 204);
      const started = await fetch(`${url}/benchmark/cli-two/start`);
      assert.equal(started.status, 202);
      const { id } = await started.json() as { id: string };
      let run: { completed: boolean; errors: string[]; agents: Array<{ name: string; status: string }> } = { completed: false, errors: [], agents: [] };
      const deadline = Date.now() + 20_000;
      while (!run.completed && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        run = await (await fetch(`${url}/run/${id}`)).json() as typeof run;
      }
      assert.equal(run.completed, true);
      assert.deepEqual(run.errors, []);
      assert.deepEqual(run.agents.map((a) => [a.name, a.status]), [['a', 'STOPPED'], ['b', 'STOPPED']]);
      child.kill('SIGTERM');
      const { code } = await result;
      assert.equal(code, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('--deployer none: an agent started by hand with the controller\'s token joins by name; a missing one is named', async () => {
    const rootDir = mkdtempSync(join(tmpdir(), 'hf-manual-'));
    const cluster = await startTestCluster({
      rootDir, hub: { standingToken: 'hand-token' }, deployTimeoutMs: 1500,
      deployer: (hub, controllerUrl) => manualDeployer({ hub, controllerUrl }),
    });
    try {
      const agent = startCli(['agent', '--controller', cluster.url, '--name', 'm'], { env: { HYPERFOIL_AGENT_TOKEN: 'hand-token' } });
      await until(() => cluster.hub.parkedAgents().includes('m'), 10_000, 'the agent to wait at the controller');
      const run = cluster.start('name: by-hand\nagents: [m]\nphases:\n- p:\n    atOnce: {users: 1, scenario: [{s: [noop]}]}\n');
      await cluster.controller.runs.whenStored(run.id);
      assert.deepEqual(run.errors, []);
      const ended = await agent.result;
      assert.equal(ended.code, 0, ended.stderr);
      assert.match(ended.stderr, /agent m \(pid \d+\) connected to http:\/\/127\.0\.0\.1:\d+\n.*agent m: the run ended, exiting/);
      // An agent started for 3 threads is refused a plan that gives it 1: the split would be wrong.
      const mismatched = startCli(['agent', '--controller', cluster.url, '--name', 'm', '--threads', '3'], { env: { HYPERFOIL_AGENT_TOKEN: 'hand-token' } });
      await until(() => cluster.hub.parkedAgents().includes('m'), 10_000, 'the agent to wait at the controller');
      const wrong = cluster.start('name: wrong-threads\nagents: [m]\nphases:\n- p:\n    atOnce: {users: 1, scenario: [{s: [noop]}]}\n');
      await cluster.controller.runs.whenStored(wrong.id);
      assert.match(wrong.errors[0]?.message ?? '', /agent m was started with --threads 3 but the benchmark gives it 1: set `threads: 3` on the agent/);
      assert.equal((await mismatched.result).code, 4, 'the failed agent exits with the failure code when the run ends');
      const missing = cluster.start('name: nobody-came\nagents: [ghost]\nphases:\n- p:\n    atOnce: {users: 1, scenario: [{s: [noop]}]}\n');
      await cluster.controller.runs.whenStored(missing.id);
      assert.match(missing.errors[0]?.message ?? '', new RegExp(`^agent ghost did not connect within 1500 ms; start it by hand with \`hyperfoil agent --controller ${cluster.url} --name ghost --token`));
    } finally {
      await cluster.close();
    }
  });

  it('a TLS controller: agents dial wss:// and trust its certificate by fingerprint; without it they cannot join', async () => {
    const certFile = join(repoRoot, 'src', 'http', 'testdata', 'server-cert.pem');
    const keyFile = join(repoRoot, 'src', 'http', 'testdata', 'server-key.pem');
    const certSha256 = new X509Certificate(readFileSync(certFile)).fingerprint256.replace(/:/g, '').toLowerCase();
    for (const pinned of [true, false]) {
      const rootDir = mkdtempSync(join(tmpdir(), 'hf-tls-'));
      const cluster = await startTestCluster({
        rootDir, tls: { certFile, keyFile }, deployTimeoutMs: 10_000,
        deployer: (hub, controllerUrl) => localDeployer({ hub, rootDir, controllerUrl, ...(pinned ? { certSha256 } : {}) }),
      });
      try {
        assert.match(cluster.url, /^https:/);
        const run = cluster.start(TWO_AGENTS);
        await cluster.controller.runs.whenStored(run.id);
        if (pinned) {
          assert.deepEqual(run.errors, []);
          assert.deepEqual(run.toJson().agents.map((a) => a.status), ['STOPPED', 'STOPPED']);
        } else {
          // The agent refuses an unknown certificate, exits, and the deployment reports why with its log.
          assert.match(run.errors[0]?.message ?? '',
            /^agent [ab]: the agent process exited with code 4 before connecting to the controller; the end of its log:\n.*cannot connect to the controller at wss:\/\/127\.0\.0\.1:\d+\/agent: .*certificate/);
        }
      } finally {
        await cluster.close();
      }
    }
  });
});
