/**
 * An extension written in a temporary folder (TypeScript: an action and a processor) in clustered runs: the
 * benchmark that uses it is validated by the controller and runs on two `local` agent processes and on two agents
 * deployed over a real SSH server, with nothing installed for them: the deployers ship the compiled extension
 * (over SSH: copied once, checksummed). The target checks what the extension computed on the agents. An agent
 * started without the extension fails at `init` naming it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/agent/catalogue.js';
import { buildAgentBundle, HYPERFOIL_BIN, localDeployer, manualDeployer, sshDeployer } from '../src/deploy/index.js';
import type { AgentBundle } from '../src/deploy/index.js';
import { prepareExtensions } from '../src/extensions/index.js';
import type { LoadedExtension } from '../src/extensions/index.js';
import { maxSessionsByAgent, startTestCluster, until } from './support/cluster.js';
import type { TestCluster } from './support/cluster.js';
import { expectedSignature, writeSigningExtension } from './support/extension-fixture.js';
import { generateKeyPair, startTestSshServer } from './support/ssh-server.js';
import type { TestSshServer } from './support/ssh-server.js';

const TOKEN_BODY = 'abc123-token';
const SIGNATURE = expectedSignature([...TOKEN_BODY].reverse().join(''), 'k1');

let extensions: LoadedExtension[];
let target: Server;
let targetUrl: string;
const seen: string[] = [];

function benchmark(name: string, agents: readonly string[], users = 4): string {
  return [
    `name: ${name}`, 'agents:', ...agents, `http:\n  host: ${targetUrl}`, 'phases:', '- main:', '    atOnce:', `      users: ${users}`,
    '      scenario:', '      - s:', '        - httpRequest:', '            GET: /token', '            handler:', '              body:',
    '                reverse: tok', '        - sign: {fromVar: tok, toVar: sig, key: k1}', '        - httpRequest:',
    '            GET: /use?sig=${sig}',
  ].join('\n');
}

/** Runs `yaml` to its end and checks that every session's signature (computed on the agents) reached the target. */
async function runAndCheck(cluster: TestCluster, rootDir: string, yaml: string, users: number): Promise<void> {
  seen.length = 0;
  const run = cluster.start(yaml);
  await cluster.controller.runs.whenStored(run.id);
  assert.deepEqual(run.errors, []);
  assert.equal(seen.filter((url) => url === '/token').length, users);
  assert.deepEqual(seen.filter((url) => url.startsWith('/use')), Array(users).fill(`/use?sig=${SIGNATURE}`));
  // atOnce users split between the two 1-thread agents: both ran the extension.
  assert.deepEqual(maxSessionsByAgent(join(rootDir, 'run', run.id), 'main'), { a: users / 2, b: users / 2 });
}

before(async () => {
  extensions = await prepareExtensions({ specs: [writeSigningExtension()] });
  target = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.end(req.url === '/token' ? TOKEN_BODY : 'ok');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => target.close(() => resolve())));

describe('an extension in clustered runs', () => {
  it('two local agent processes run a benchmark using its action and processor', async () => {
    const rootDir = mkdtempSync(join(tmpdir(), 'hf-ext-local-'));
    const cluster = await startTestCluster({
      rootDir, deployTimeoutMs: 20_000,
      deployer: (hub, controllerUrl) => localDeployer({ hub, rootDir, controllerUrl, extensions }),
    });
    try {
      await runAndCheck(cluster, rootDir, benchmark('ext-local', ['  a:', '  b:']), 4);
    } finally {
      await cluster.close();
    }
  });

  it('an agent started without the extension fails at init, naming it', async () => {
    const rootDir = mkdtempSync(join(tmpdir(), 'hf-ext-manual-'));
    const token = 'test-token-0123456789';
    const cluster = await startTestCluster({
      rootDir, deployTimeoutMs: 20_000, hub: { standingToken: token },
      deployer: (hub, controllerUrl) => manualDeployer({ hub, controllerUrl, extensions }),
    });
    const agent = spawn(process.execPath, [HYPERFOIL_BIN, 'agent', '--controller', cluster.url, '--name', 'a', '--token', token], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => agent.once('exit', (code) => resolve(code)));
    seen.length = 0;
    try {
      const run = cluster.start(benchmark('ext-missing', ['  a:'], 1));
      await until(() => run.completed, 20_000, 'the run to fail');
      assert.equal(run.errors.length, 1, run.errors.map((e) => e.message).join('\n'));
      assert.match(run.errors[0]?.message ?? '', /agent a lacks the extension test-signing that this run needs/);
      assert.equal(seen.length, 0, 'no request was sent');
    } finally {
      agent.kill();
      await exited;
      await cluster.close();
    }
  });
});

describe('an extension shipped over SSH', () => {
  const base = mkdtempSync(join(tmpdir(), 'hf-ext-ssh-'));
  const sshDir = join(base, 'ssh');
  const remoteDir = join(base, 'remote');
  let bundle: AgentBundle;
  let server: TestSshServer;

  before(async () => {
    mkdirSync(sshDir, { recursive: true });
    const key = generateKeyPair();
    writeFileSync(join(sshDir, 'id_test'), key.privateKey, { mode: 0o600 });
    bundle = await buildAgentBundle(join(base, 'bundle', 'hyperfoil-agent.mjs'));
    server = await startTestSshServer({ authorizedKey: key.publicKey });
  });

  after(() => server.close());

  it('two agents on the SSH host run it; the compiled extension is copied once and reused while its checksum matches', async () => {
    const rootDir = join(base, 'controller');
    mkdirSync(rootDir, { recursive: true });
    const cluster = await startTestCluster({
      rootDir, deployTimeoutMs: 20_000,
      deployer: (hub, controllerUrl) => sshDeployer({ hub, rootDir, controllerUrl, sshDir, bundlePath: bundle.path, extensions }),
    });
    const agent = (name: string): string => `  ${name}: {host: 127.0.0.1, port: ${server.port}, sshKey: id_test, dir: '${remoteDir}'}`;
    try {
      for (const name of ['ssh-first', 'ssh-second']) await runAndCheck(cluster, rootDir, benchmark(name, [agent('a'), agent('b')]), 4);
      const [extension] = extensions as [LoadedExtension];
      const remoteFile = join(remoteDir, 'agentlib', 'extensions', `${extension.sha256}.mjs`);
      const uploads = server.commands.filter((c) => c.startsWith('cat > ') && c.includes(`${extension.sha256}.mjs`));
      assert.equal(uploads.length, 1, `one copy of the extension for 2 runs × 2 agents, got ${uploads.length}`);
      assert.equal(createHash('sha256').update(readFileSync(remoteFile)).digest('hex'), extension.sha256);
      const starts = server.commands.filter((c) => c.includes(' agent --controller '));
      assert.equal(starts.length, 4);
      for (const start of starts) assert.ok(start.includes(`--extension ${remoteFile}`), start);
      await cluster.deployer.close?.();
      assert.deepEqual(server.alive(), [], 'every agent process ended');
    } finally {
      await cluster.close();
    }
  });
});
