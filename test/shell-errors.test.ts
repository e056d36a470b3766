/**
 * What `hyperfoil cli` says when things go wrong, against real servers: a closed port, a controller that wants a
 * password, one that never answers, one behind a self-signed certificate; unknown runs and benchmarks, an invalid
 * benchmark, a mistyped command. Each failure stops the script with the exit code of its kind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startController } from '../src/controller/index.js';
import type { Controller } from '../src/controller/index.js';
import { inVmDeployer } from '../src/deploy/index.js';
import { REPO_ROOT, runShell } from '../src/cli/shell/test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-shell-errors-'));
const quiet = (): void => {};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('hyperfoil cli: connection failures', () => {
  let guarded: Controller;
  let secure: Controller;
  let silent: Server;
  const sockets = new Set<Socket>();

  before(async () => {
    guarded = await startController({
      mode: 'standalone', deployer: inVmDeployer(), rootDir: join(dir, 'guarded'), host: '127.0.0.1', port: 0, password: 'open-sesame', log: quiet,
    });
    const tls = join(REPO_ROOT, 'src', 'example-server', 'tls');
    secure = await startController({
      mode: 'standalone', deployer: inVmDeployer(), rootDir: join(dir, 'secure'), host: '127.0.0.1', port: 0, log: quiet,
      tls: { certFile: join(tls, 'localhost-cert.pem'), keyFile: join(tls, 'localhost-key.pem') },
    });
    // Accepts connections and never answers.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    await guarded.close();
    await secure.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a closed port: connection refused, with what to do', async () => {
    const port = await freePort();
    const result = await runShell([`connect 127.0.0.1:${port}`, 'runs']);
    assert.equal(result.code, 4);
    assert.match(result.stderr, new RegExp(`connect: cannot connect to the controller at http://127\\.0\\.0\\.1:${port}: connection refused\\. .*start-local`));
    assert.match(result.stderr, /line 1 failed: `connect 127\.0\.0\.1:\d+`; the commands after it were not run/);
    assert.equal(result.stdout, '', '`runs` did not run');
  });

  it('a password-protected controller: 401 without a password, 403 with a wrong one, in with the right one', async () => {
    const address = `127.0.0.1:${guarded.port}`;
    const none = await runShell([`connect ${address}`], { env: { HYPERFOIL_PASSWORD: '' } });
    assert.equal(none.code, 4);
    assert.match(none.stderr, /needs a password \(401\): connect with --password PASSWORD/);
    const wrong = await runShell([`connect ${address} --password nope`]);
    assert.equal(wrong.code, 4);
    assert.match(wrong.stderr, /rejected the password \(403\)/);
    const right = await runShell([`connect ${address} --password open-sesame`, 'runs']);
    assert.equal(right.code, 0, right.stderr);
    assert.match(right.stdout, /^Connected!\n +RUN_ID +BENCHMARK/);
    const fromEnv = await runShell([`connect ${address}`, 'runs'], { env: { HYPERFOIL_PASSWORD: 'open-sesame' } });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
  });

  it('a controller that never answers: a timeout naming the request, after the configured time', async () => {
    const { port } = silent.address() as { port: number };
    const startedMs = Date.now();
    const result = await runShell([`connect 127.0.0.1:${port}`], { env: { IO_HYPERFOIL_CLI_REQUEST_TIMEOUT: '300' } });
    const elapsedMs = Date.now() - startedMs;
    assert.equal(result.code, 4);
    assert.match(result.stderr, /did not answer GET \/version within 0\.3 s/);
    // 300 ms of timeout plus starting node (well under 5 s here); without the timeout it would hang to the 60 s kill.
    assert.ok(elapsedMs < 10_000, `gave up after ${elapsedMs} ms`);
  });

  it('a self-signed certificate: refused with a hint, accepted with -k; plain HTTP to it hints --tls', async () => {
    const url = `https://127.0.0.1:${secure.port}`;
    const strict = await runShell([`connect ${url}`]);
    assert.equal(strict.code, 4);
    assert.match(strict.stderr, /certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted .*--insecure \(-k\)/);
    const insecure = await runShell([`connect ${url} -k`, 'version']);
    assert.equal(insecure.code, 0, insecure.stderr);
    assert.match(insecure.stdout, new RegExp(`Controller: .* \\(${url.replace(/[.:/]/g, '\\$&')}\\)`));
    const plain = await runShell([`connect 127.0.0.1:${secure.port}`]);
    assert.equal(plain.code, 4);
    assert.match(plain.stderr, /connect with --tls/);
  });
});

describe('hyperfoil cli: mistakes', () => {
  const root = mkdtempSync(join(tmpdir(), 'hf-shell-mistakes-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('unknown run and benchmark: named, with where to look; --keep-going runs the rest and exits 4', async () => {
    const result = await runShell([`start-local ${root}`, 'status 0FFF', 'run nosuch', 'stats'], { args: ['--keep-going'] });
    assert.equal(result.code, 4);
    assert.match(result.stderr, /status: there is no run `0FFF` on http:\/\/127\.0\.0\.1:\d+; `runs` lists them/);
    assert.match(result.stderr, /run: there is no benchmark `nosuch` on .*nothing is uploaded yet: `upload FILE`/);
    assert.match(result.stderr, /stats: no run given, and none was started or looked at in this session/);
    assert.match(result.stderr, /hyperfoil cli: line 2 failed: `status 0FFF`\n$/);
  });

  it('an invalid benchmark: refused before upload with file:line:column, exit 3', async () => {
    const bad = join(root, 'bad.hf.yaml');
    writeFileSync(bad, 'name: bad\nphases: 5\n');
    const result = await runShell([`start-local ${root}`, `upload ${bad}`, 'runs']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, new RegExp(`upload: Invalid benchmark \\(1 problem\\):\\n${bad.replace(/[.]/g, '\\.')}:2:9: `));
    assert.doesNotMatch(result.stdout, /RUN_ID/, 'the script stopped at the failure');
  });

  it('a mistyped command: did you mean, exit 2; a wrong option lists the right ones', async () => {
    const typo = await runShell(['sats']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command `sats`\. Did you mean `stats` or `status`\?/);
    const option = await runShell(['stats --totl']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /stats: unknown option `--totl`\. Did you mean `--total`\?/);
  });

  it('kill in a script without -y: refused, since nobody can confirm', async () => {
    const long = join(root, 'long.hf.yaml');
    writeFileSync(long, 'name: long\nphases:\n- main:\n    constantRate: {usersPerSec: 5, duration: 60s, scenario: [{s: [noop]}]}\n');
    const result = await runShell([`start-local ${join(root, 'kill')}`, `upload ${long}`, 'run', 'kill']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /kill: kill asks for confirmation, and nobody can answer in a script: use `kill 0000 -y`/);
    assert.match(result.stderr, /Run 0000 is still going; stopping the local controller kills it/);
  });
});
