/**
 * The SSH deployer against a real SSH server started here (ssh2's Server on 127.0.0.1 with generated keys; it runs
 * the requested commands on this machine, as sshd would): the agent bundle is copied once and reused while its
 * checksum matches, two agents share a run, logs come back to the controller, host keys are recorded; and each
 * SSH failure (wrong key, closed port, no node, unwritable dir, changed host key, deploy timeout) ends the run
 * start with a message naming the agent and the cause, leaving no process behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/agent/catalogue.js';
import type { AgentBundle } from '../src/deploy/index.js';
import { buildAgentBundle, sshDeployer } from '../src/deploy/index.js';
import { defaultRegistry } from '../src/engine/index.js';
import { startExampleServer } from '../src/example-server/index.js';
import { maxSessionsByAgent, startTestCluster, until } from './support/cluster.js';
import type { TestCluster } from './support/cluster.js';
import { closedPort, generateKeyPair, startBlackhole, startTestSshServer } from './support/ssh-server.js';
import type { TestSshServer } from './support/ssh-server.js';

const base = mkdtempSync(join(tmpdir(), 'hf-ssh-'));
const sshDir = join(base, 'ssh');
let bundle: AgentBundle;
let server: TestSshServer;
let noNodeServer: TestSshServer;

async function sshCluster(rootDir: string, deployTimeoutMs = 20_000): Promise<TestCluster> {
  mkdirSync(rootDir, { recursive: true });
  return startTestCluster({
    rootDir,
    deployer: (hub, controllerUrl) => sshDeployer({ hub, rootDir, controllerUrl, sshDir, bundlePath: bundle.path }),
    deployTimeoutMs,
  });
}

function agent(name: string, port: number, props: Record<string, string> = {}): string {
  const all = { host: '127.0.0.1', port: String(port), sshKey: 'id_test', dir: join(base, 'remote'), ...props };
  return `  ${name}: {${Object.entries(all).map(([k, v]) => `${k}: '${v}'`).join(', ')}}`;
}

function benchmark(name: string, agents: string[], users = 4, duration = '1s'): string {
  return [`name: ${name}`, 'agents:', ...agents, 'phases:', '- steady:', '    always:', `      users: ${users}`,
    `      duration: ${duration}`, '      scenario: [{s: [noop]}]'].join('\n');
}

describe('SSH deployer against a real SSH server', () => {
  before(async () => {
    mkdirSync(sshDir, { recursive: true });
    const key = generateKeyPair();
    writeFileSync(join(sshDir, 'id_test'), key.privateKey, { mode: 0o600 });
    writeFileSync(join(sshDir, 'id_wrong'), generateKeyPair().privateKey, { mode: 0o600 });
    bundle = await buildAgentBundle(join(base, 'bundle', 'hyperfoil-agent.mjs'));
    server = await startTestSshServer({ authorizedKey: key.publicKey });
    // A host whose PATH has the usual tools but no node.
    const bin = join(base, 'bin-without-node');
    mkdirSync(bin);
    for (const tool of ['mkdir', 'rm', 'cat', 'mv']) symlinkSync(`/bin/${tool}`, join(bin, tool));
    noNodeServer = await startTestSshServer({ authorizedKey: key.publicKey, path: bin });
  });

  after(async () => {
    await server.close();
    await noNodeServer.close();
  });

  it('deploys two agents, copies the bundle once and reuses it while its checksum matches', async () => {
    const rootDir = join(base, 'controller-1');
    const cluster = await sshCluster(rootDir);
    try {
      const deployMs: number[] = [];
      for (const name of ['first', 'second']) {
        const startedAt = Date.now();
        const run = cluster.start(benchmark(name, [agent('a', server.port), agent('b', server.port)]));
        await until(() => run.startedMs !== undefined || run.completed, 20_000, 'the run to start');
        deployMs.push(Date.now() - startedAt);
        await cluster.controller.runs.whenStored(run.id);
        assert.deepEqual(run.errors, []);
        assert.deepEqual(run.toJson().agents.map((a) => [a.name, a.status]), [['a', 'STOPPED'], ['b', 'STOPPED']]);
        // `always: users: 4` over two 1-thread agents: 2 sessions each, both agents took part.
        assert.deepEqual(maxSessionsByAgent(join(rootDir, 'run', run.id), 'steady'), { a: 2, b: 2 });
      }
      console.log(`# SSH deploy of 2 agents until the phase started: ${deployMs[0]} ms with the bundle copy, ${deployMs[1]} ms without`);
      // The bundle was written once, whole, to <dir>/agentlib; the second run found the same checksum.
      const uploads = server.commands.filter((c) => c.startsWith('cat > '));
      assert.equal(uploads.length, 1, `one upload, got ${uploads.length}`);
      const copy = readFileSync(join(base, 'remote', 'agentlib', 'hyperfoil-agent.mjs'));
      assert.equal(createHash('sha256').update(copy).digest('hex'), bundle.sha256);
      // Started with the host's node, the token on stdin (never on a command line), the log beside the bundle.
      const starts = server.commands.filter((c) => c.includes(' agent --controller '));
      assert.equal(starts.length, 4);
      assert.match(starts[0] ?? '', /exec node \S+\/agentlib\/hyperfoil-agent\.mjs agent --controller http:\/\/127\.0\.0\.1:\d+ --name [ab] --token - --threads 1 > \S+\/agent\.[ab]\.log 2>&1$/);
      // The agents' logs came back to the controller for GET /log/{agent}.
      await cluster.deployer.close?.();
      const log = await fetch(`${cluster.url}/log/b`);
      assert.equal(log.status, 200);
      assert.match(await log.text(), /agent b \(pid \d+\) connected/);
      // The host key was recorded (accept-new), once.
      const knownHosts = readFileSync(join(rootDir, 'known_hosts'), 'utf8').trim().split('\n');
      assert.deepEqual(knownHosts.map((l) => l.split(' ').slice(0, 2).join(' ')), [`[127.0.0.1]:${server.port} ssh-ed25519`]);
      assert.deepEqual(server.alive(), [], 'every agent process ended');
    } finally {
      await cluster.close();
    }
  });

  // The quickstart's shape (two agents, open model, one GET) once the httpRequest step exists in this build.
  const noHttp = defaultRegistry.step('httpRequest') === undefined ? 'the httpRequest step is not in this build yet' : false;
  it('two agents over SSH share an HTTP benchmark: per-agent request counts add up to the total', { skip: noHttp }, async () => {
    const target = await startExampleServer({ httpPort: 0, httpsPort: null, quiet: true });
    const rootDir = join(base, 'controller-http');
    const cluster = await sshCluster(rootDir);
    try {
      const run = cluster.start([
        'name: two-agents-http', 'agents:', agent('a', server.port), agent('b', server.port),
        `http:\n  host: ${target.httpUrl}`,
        'phases:', '- main:', '    constantRate:', '      usersPerSec: 40', '      variance: false', '      duration: 1s',
        '      scenario: [{test: [{httpRequest: {GET: /}}]}]',
      ].join('\n'));
      await cluster.controller.runs.whenStored(run.id);
      assert.deepEqual(run.errors, []);
      const entries = run.store.entries();
      assert.ok(entries.length > 0, 'requests were recorded');
      for (const data of entries) {
        const perAgent = [...data.perAgent].map(([name, snapshot]) => [name, snapshot.requestCount] as const);
        assert.deepEqual(perAgent.map(([name]) => name).sort(), ['a', 'b'], 'both agents sent requests');
        // 40 users/s split 20/20: one arrival every 50 ms per agent, the first at 0. An agent runs the phase from
        // when RUN reaches it until FINISH does: 1000 ms give or take a controller tick (50 ms) and delivery, so
        // floor(T / 50) + 1 arrivals with T in 950..1100 ms: 20 to 23 each.
        for (const [name, count] of perAgent) assert.ok(count >= 20 && count <= 23, `agent ${name} sent ${count}`);
        assert.equal(perAgent.reduce((sum, [, count]) => sum + count, 0), data.total.requestCount);
      }
    } finally {
      await cluster.close();
      await target.close();
    }
  });

  it('each SSH failure ends the run start naming the agent and the cause, and leaves no process behind', async () => {
    const rootDir = join(base, 'controller-2');
    const cluster = await sshCluster(rootDir);
    const notADir = join(base, 'a-file');
    writeFileSync(notADir, 'not a directory');
    const closed = await closedPort();
    const cases: Array<[string, string, RegExp]> = [
      ['wrong key', agent('a', server.port, { sshKey: 'id_wrong' }),
        new RegExp(`^agent a: SSH login as \\S+ on 127\\.0\\.0\\.1:${server.port} with the key ${sshDir}/id_wrong was refused`)],
      ['missing key', agent('a', server.port, { sshKey: 'id_missing' }),
        new RegExp(`^agent a: cannot read the SSH key ${sshDir}/id_missing \\(ENOENT\\)`)],
      ['closed port', agent('a', closed), new RegExp(`^agent a: cannot connect over SSH to 127\\.0\\.0\\.1:${closed}: connection refused`)],
      ['no node', agent('a', noNodeServer.port), /^agent a: `node` was not found on 127\.0\.0\.1 for \S+ \(node is not on the PATH/],
      ['unwritable dir', agent('a', server.port, { dir: join(notADir, 'sub') }),
        new RegExp(`^agent a: cannot create or write ${notADir}/sub/agentlib on 127\\.0\\.0\\.1: mkdir: .*Not a directory`)],
    ];
    try {
      for (const [what, definition, expected] of cases) {
        const run = cluster.start(benchmark(`failing-${what.replace(/ /g, '-')}`, [definition]));
        await cluster.controller.runs.whenStored(run.id);
        assert.equal(run.errors.length, 1, `${what}: ${JSON.stringify(run.errors)}`);
        assert.match(run.errors[0]?.message ?? '', expected, what);
        assert.equal(run.startedMs, undefined, `${what}: no phase started`);
      }
      assert.deepEqual(server.alive(), []);
      assert.deepEqual(noNodeServer.alive(), []);
    } finally {
      await cluster.close();
    }
  });

  it('refuses a host whose key changed since it was recorded', async () => {
    const rootDir = join(base, 'controller-3');
    mkdirSync(rootDir, { recursive: true });
    const other = generateKeyPair();
    const otherBlob = Buffer.from(other.publicKey.split(' ')[1] ?? '', 'base64');
    writeFileSync(join(rootDir, 'known_hosts'), `[127.0.0.1]:${server.port} ssh-ed25519 ${otherBlob.toString('base64')}\n`);
    const cluster = await sshCluster(rootDir);
    try {
      const run = cluster.start(benchmark('changed-key', [agent('a', server.port)]));
      await cluster.controller.runs.whenStored(run.id);
      assert.match(run.errors[0]?.message ?? '', new RegExp(`^agent a: the SSH host key of \\[127\\.0\\.0\\.1\\]:${server.port} has changed: ` +
        `it is now ssh-ed25519 SHA256:\\S+, the controller recorded ssh-ed25519 SHA256:\\S+ in ${rootDir}/known_hosts`));
      assert.equal(readFileSync(join(rootDir, 'known_hosts'), 'utf8').trim().split('\n').length, 1, 'the recorded key is left alone');
    } finally {
      await cluster.close();
    }
  });

  it('a deploy timeout names the agent still pending and what it was doing, and kills the agent already started', async () => {
    const blackhole = await startBlackhole();
    const cluster = await sshCluster(join(base, 'controller-4'), 2500);
    try {
      const before = server.pids.length;
      const startedAt = Date.now();
      const run = cluster.start(benchmark('timeout', [agent('a', server.port), agent('b', blackhole.port)]));
      await cluster.controller.runs.whenStored(run.id);
      const elapsedMs = Date.now() - startedAt;
      assert.match(run.errors[0]?.message ?? '',
        new RegExp(`^deploying the agents did not finish within 2500 ms; still waiting for agent b \\(connecting over SSH to \\S+@127\\.0\\.0\\.1:${blackhole.port}\\)`));
      // The timeout fires at 2.5 s; killing the started agent and storing the run take well under a second more.
      assert.ok(elapsedMs >= 2500 && elapsedMs < 5000, `ended after ${elapsedMs} ms`);
      assert.ok(server.pids.length > before, 'agent a had been started');
      assert.ok(existsSync(join(base, 'remote', 'agent.a.log')));
      await until(() => server.alive().length === 0, 3000, 'agent a to be gone');
    } finally {
      await cluster.close();
      await blackhole.close();
    }
  });
});
