/**
 * The REST API under attack, against real `hyperfoil standalone` processes (issue 9): hostile path parameters on
 * every route of the router's table, symbolic links planted in the root directory, foreign web pages (Origin,
 * Sec-Fetch-Site, Host/DNS rebinding), password guessing, benchmark hooks, and an upload `validate` would refuse.
 * Each case asserts the status, the error text, the files on disk, and that the process still serves afterwards.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControllerClient } from '../src/cli/shell/client.js';
import { runShell } from '../src/cli/shell/test-support.js';
import { startController } from '../src/controller/index.js';
import { inVmDeployer } from '../src/deploy/index.js';
import { encodeMultipart } from '../src/lib/multipart.js';
import { runCli } from './support/cli.js';
import { fillRoute, HOSTILE_FILES, HOSTILE_SEGMENTS, paramsOf, restRoutes } from './support/hostile.js';
import type { RouteShape } from './support/hostile.js';
import { send, startStandalone } from './support/standalone.js';
import type { Standalone } from './support/standalone.js';

const NOOP_PHASES = 'phases:\n- p:\n    atOnce: {users: 1, scenario: [{s: [noop]}]}\n';
const KEEP_YAML = `name: keep\n${NOOP_PHASES}`;
const LEGIT: Readonly<Record<string, string>> = { runId: '0000', name: 'keep', agent: 'in-vm' };

/** A root directory with one stored run and one benchmark, and symbolic links leading out of it. */
function plantRoot(): { root: string; outside: string; marker: string } {
  const root = mkdtempSync(join(tmpdir(), 'hf-sec-'));
  const outside = mkdtempSync(join(tmpdir(), 'hf-sec-outside-'));
  const marker = `SECRET-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(outside, 'secret.txt'), `${marker}\n`);
  writeFileSync(join(outside, 'all.json'), JSON.stringify({ marker }));
  writeFileSync(join(outside, 'secret.yaml'), `name: leak\n# ${marker}\n${NOOP_PHASES}`);
  const run = join(root, 'run', '0000');
  mkdirSync(join(run, 'stats', 'subdir'), { recursive: true });
  writeFileSync(join(run, 'info.json'), JSON.stringify({ id: '0000', benchmark: 'keep', startTime: 1, terminateTime: 2 }));
  writeFileSync(join(run, 'all.json'), JSON.stringify({ stats: [] }));
  writeFileSync(join(run, 'stats', 'total.csv'), 'Phase,Metric,Requests\np,test,1\n');
  writeFileSync(join(run, 'keep.yaml'), KEEP_YAML);
  symlinkSync(join(outside, 'secret.txt'), join(run, 'leak'));
  symlinkSync(join(outside, 'secret.txt'), join(run, 'stats', 'leak.csv'));
  symlinkSync(outside, join(root, 'run', '0001')); // a "run directory" that is a link out of the root
  mkdirSync(join(root, 'benchmark', 'keep.data'), { recursive: true });
  writeFileSync(join(root, 'benchmark', 'keep.yaml'), KEEP_YAML);
  symlinkSync(join(outside, 'secret.txt'), join(root, 'benchmark', 'keep.data', 'leak'));
  symlinkSync(join(outside, 'secret.yaml'), join(root, 'benchmark', 'leak.yaml'));
  return { root, outside, marker };
}

/** Everything under `dir` (names and contents), to show that nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out.set(path, entry.isFile() ? readFileSync(path, 'utf8') : entry.isSymbolicLink() ? 'link' : 'dir');
  }
  return out;
}

async function assertServing(s: Standalone): Promise<void> {
  assert.equal(s.child.exitCode, null, 'the controller is still running');
  const version = await send(s.url, 'GET', '/version');
  assert.equal(version.status, 200);
}

function multipart(yaml: string, fileName = 'b.hf.yaml'): { contentType: string; body: Buffer } {
  return encodeMultipart([{ name: 'benchmark', filename: fileName, contentType: 'text/vnd.yaml', data: Buffer.from(yaml) }]);
}

describe('REST path parameters and files (real standalone, symbolic links planted in its root)', () => {
  let s: Standalone;
  let planted: ReturnType<typeof plantRoot>;
  let routes: readonly RouteShape[];
  before(async () => {
    planted = plantRoot();
    routes = await restRoutes();
    s = await startStandalone(planted.root);
  });
  after(async () => {
    await s.stop();
    rmSync(planted.root, { recursive: true, force: true });
    rmSync(planted.outside, { recursive: true, force: true });
  });

  it('the legitimate values work (so that refusals below are not a controller refusing everything)', async () => {
    assert.equal((await send(s.url, 'GET', '/run/0000')).status, 200);
    const file = await send(s.url, 'GET', '/run/0000/file?file=stats%2Ftotal.csv');
    assert.equal(file.status, 200);
    assert.match(file.text, /p,test,1/);
    const runs = JSON.parse((await send(s.url, 'GET', '/run')).text) as Array<{ id: string }>;
    assert.deepEqual(runs.map((r) => r.id), ['0000'], 'the linked-out 0001 is not listed as a run');
    assert.deepEqual(JSON.parse((await send(s.url, 'GET', '/benchmark')).text), ['keep'], 'the linked-out leak.yaml is not loaded');
  });

  it('every route with a path parameter refuses every hostile value with 400/403/404 and a clear text, never a file', async () => {
    const rootBefore = snapshot(planted.root);
    const outsideBefore = snapshot(planted.outside);
    const withParams = routes.filter((r) => paramsOf(r.path).length > 0);
    assert.ok(withParams.length >= 20, `the router table lists the parameterised routes (found ${withParams.length})`);
    let checked = 0;
    for (const route of withParams) {
      for (const param of paramsOf(route.path)) {
        for (const hostile of HOSTILE_SEGMENTS) {
          const target = fillRoute(route.path, param, hostile, LEGIT);
          const answer = await send(s.url, route.method, target);
          const where = `${route.method} ${target.slice(0, 120)} → ${answer.status} ${answer.text.slice(0, 200)}`;
          assert.ok([400, 403, 404].includes(answer.status), where);
          assert.match(answer.text, /not found|invalid .* name|not valid percent-encoding|No benchmark|no log/i, where);
          assert.doesNotMatch(answer.text, new RegExp(planted.marker), where);
          assert.doesNotMatch(answer.text, /root:x:0:0/, where);
          checked++;
        }
      }
    }
    assert.ok(checked >= withParams.length * HOSTILE_SEGMENTS.length);
    const rootAfter = snapshot(planted.root);
    rootAfter.delete(join(planted.root, 'hyperfoil.log')); // the controller's own log grows
    rootBefore.delete(join(planted.root, 'hyperfoil.log'));
    assert.deepEqual(rootAfter, rootBefore, 'nothing in the root directory was written, deleted or started');
    assert.deepEqual(snapshot(planted.outside), outsideBefore, 'nothing outside was touched');
    await assertServing(s);
  });

  it('file names in queries (`file`, `source`) stay inside the run directory; directories are 404, never 500', async () => {
    for (const [path, query] of [['/run/0000/file', 'file'], ['/run/0000/report', 'source']] as const) {
      for (const hostile of HOSTILE_FILES) {
        const answer = await send(s.url, 'GET', `${path}?${query}=${encodeURIComponent(hostile)}`);
        const where = `${path}?${query}=${hostile.slice(0, 60)} → ${answer.status} ${answer.text.slice(0, 200)}`;
        assert.ok([400, 403, 404].includes(answer.status), where);
        assert.match(answer.text, /not within|not a file|no file|NUL|needs|missing|required|not been generated/i, where);
        assert.doesNotMatch(answer.text, new RegExp(planted.marker), where);
        assert.doesNotMatch(answer.text, /root:x:0:0/, where);
      }
    }
    const directory = await send(s.url, 'GET', '/run/0000/file?file=stats');
    assert.equal(directory.status, 404);
    assert.match(directory.text, /`stats` is not a file/);
    const link = await send(s.url, 'GET', '/run/0000/file?file=leak');
    assert.equal(link.status, 403, 'a symbolic link planted in the run directory does not lead out');
    await assertServing(s);
  });

  it('exports and data files leave out what is not a regular file inside the root', async () => {
    const zip = await send(s.url, 'GET', '/run/0000/stats/all/csv');
    assert.equal(zip.status, 200, 'a directory inside stats/ is skipped, not a 500');
    assert.match(zip.text, /total\.csv/);
    assert.doesNotMatch(zip.text, /leak\.csv|subdir/);
    assert.doesNotMatch(zip.text, new RegExp(planted.marker));
    const files = await send(s.url, 'GET', '/benchmark/keep/files');
    assert.equal(files.status, 200);
    assert.doesNotMatch(files.text, new RegExp(planted.marker));
    assert.doesNotMatch(files.text, /filename="leak"/);
    assert.equal((await send(s.url, 'GET', '/run/0001/stats/all/json')).status, 404, 'a linked run directory is no run');
    await assertServing(s);
  });
});

describe('requests from web pages (real standalone)', () => {
  let s: Standalone;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'hf-sec-origin-'));
    mkdirSync(join(root, 'benchmark'), { recursive: true });
    writeFileSync(join(root, 'benchmark', 'keep.yaml'), KEEP_YAML);
    s = await startStandalone(root, ['--allowed-host', 'hyperfoil.test']);
  });
  after(async () => {
    await s.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a cross-origin multipart upload and a GET start sent by another page, and nothing is stored or run', async () => {
    const before = snapshot(root);
    before.delete(join(root, 'hyperfoil.log'));
    const { contentType, body } = multipart(`name: planted\n${NOOP_PHASES}`);
    const upload = await send(s.url, 'POST', '/benchmark', { headers: { 'content-type': contentType, origin: 'http://evil.example' }, body });
    assert.equal(upload.status, 403);
    assert.match(upload.text, /requests from the web page at `http:\/\/evil\.example` are refused/);
    // An <img src=…/start> carries no Origin, but the browser says where it comes from.
    const img = await send(s.url, 'GET', '/benchmark/keep/start', { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } });
    assert.equal(img.status, 403);
    assert.match(img.text, /Sec-Fetch-Site: cross-site/);
    const foreignStart = await send(s.url, 'GET', '/benchmark/keep/start', { headers: { origin: 'http://evil.example' } });
    assert.equal(foreignStart.status, 403);
    assert.match(foreignStart.text, /requests from the web page at `http:\/\/evil\.example` are refused/);
    const sameSite = await send(s.url, 'GET', '/benchmark/keep/start', { headers: { origin: `http://localhost:${s.port + 1}` } });
    assert.equal(sameSite.status, 403, 'another port on localhost is another origin');
    const opaque = await send(s.url, 'GET', '/benchmark/keep/start', { headers: { origin: 'null' } });
    assert.equal(opaque.status, 403);
    const after = snapshot(root);
    after.delete(join(root, 'hyperfoil.log'));
    assert.deepEqual(after, before, 'no benchmark stored, no run directory created');
    await assertServing(s);
  });

  it('refuses a Host it does not serve (DNS rebinding) and serves loopback, IP literals and --allowed-host names', async () => {
    const rebound = await send(s.url, 'GET', '/benchmark', { headers: { host: `evil.example:${s.port}` } });
    assert.equal(rebound.status, 403);
    assert.match(rebound.text, /does not serve the host name `evil\.example:\d+`.*--allowed-host/);
    for (const host of [`localhost:${s.port}`, `127.0.0.1:${s.port}`, `[::1]:${s.port}`, `hyperfoil.test:${s.port}`]) {
      const answer = await send(s.url, 'GET', '/benchmark', { headers: { host } });
      assert.equal(answer.status, 200, host);
    }
    const allowedOrigin = await send(s.url, 'GET', '/benchmark', {
      headers: { host: `hyperfoil.test:${s.port}`, origin: `http://hyperfoil.test:${s.port}` },
    });
    assert.equal(allowedOrigin.status, 200);
    await assertServing(s);
  });

  it('its own UI origin, clients without Origin (curl-like) and the CLI client still work', async () => {
    const own = await send(s.url, 'GET', '/benchmark', { headers: { origin: s.url, 'sec-fetch-site': 'same-origin' } });
    assert.equal(own.status, 200);
    const { contentType, body } = multipart(`name: fromui\n${NOOP_PHASES}`);
    const ownUpload = await send(s.url, 'POST', '/benchmark', { headers: { 'content-type': contentType, origin: s.url }, body });
    assert.equal(ownUpload.status, 204, ownUpload.text);
    const typed = await send(s.url, 'GET', '/run', { headers: { 'sec-fetch-site': 'none' } });
    assert.equal(typed.status, 200, 'typed in the address bar');
    const client = new ControllerClient({ host: '127.0.0.1', port: s.port, tls: false });
    const uploaded = await client.upload(`name: fromcli\n${NOOP_PHASES}`, new Map());
    assert.equal(uploaded.name, 'fromcli');
    assert.ok(existsSync(join(root, 'benchmark', 'fromcli.yaml')));
    assert.equal((await client.benchmarkSource('fromui'))?.text.startsWith('name: fromui'), true);
    await assertServing(s);
  });
});

/** A WebSocket handshake by hand: the status the server answers (101 when it switches protocols). */
function upgradeStatus(url: string, target: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: hostname, port, path: target, agent: false,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('WebSocket upgrades on the controller\'s port (real clustered controller, hand-started agents)', () => {
  it('a page\'s WebSocket is refused; an agent-like client (no Origin, any Host) is switched; other paths stay 404; --advertise\'s host is served', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-sec-ws-'));
    const s = await startStandalone(root, ['--deployer', 'none', '--advertise', 'http://ctl.example:8090'], 'controller');
    try {
      assert.equal((await send(s.url, 'GET', '/benchmark', { headers: { host: `ctl.example:${s.port}` } })).status, 200, 'the advertised name is served');
      assert.equal((await send(s.url, 'GET', '/benchmark', { headers: { host: `other.example:${s.port}` } })).status, 403);
      assert.equal(await upgradeStatus(s.url, '/agent', { origin: 'http://evil.example' }), 403);
      assert.equal(await upgradeStatus(s.url, '/agent', { origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'cross-site' }), 403);
      assert.equal(await upgradeStatus(s.url, '/agent', { host: `controller.lan:${s.port}` }), 101, 'agents dial by whatever name they were given');
      assert.equal(await upgradeStatus(s.url, '/agent', {}), 101);
      assert.equal(await upgradeStatus(s.url, '/elsewhere', {}), 404);
      assert.match(s.output(), /refused a WebSocket upgrade to \/agent: requests from the web page at `http:\/\/evil\.example`/);
      await assertServing(s);
    } finally {
      await s.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('password guessing (real standalone with --password)', () => {
  let s: Standalone;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'hf-sec-pw-'));
    s = await startStandalone(root, ['--password', 'right-one']);
  });
  after(async () => {
    await s.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`u:${password}`).toString('base64')}` });

  it('lets few guesses through, answers 429 with Retry-After, and does not lock out other addresses', async () => {
    const startMs = performance.now();
    let checked = 0;
    let throttled = 0;
    let retryAfter: string | undefined;
    for (let i = 0; i < 1000 && performance.now() - startMs < 2000; i++) {
      const answer = await send(s.url, 'GET', '/benchmark', { headers: basic(`guess-${i}`) });
      if (answer.status === 403) {
        assert.equal(answer.text.trim(), 'wrong password');
        checked++;
      } else {
        assert.equal(answer.status, 429, answer.text);
        assert.match(answer.text, /too many wrong passwords from .*: wait \d+ s/);
        retryAfter = String(answer.headers['retry-after']);
        throttled++;
      }
    }
    const elapsedS = (performance.now() - startMs) / 1000;
    // 5 free failures, then the n-th failure (n > 5) can only come 2^(n-5) - 1 s after the start (blocks of 1, 2, 4 s
    // follow each other), so in E seconds at most 5 + log2(E + 1) guesses are checked.
    const bound = 5 + Math.floor(Math.log2(elapsedS + 1));
    assert.ok(checked >= 5 && checked <= bound, `${checked} guesses checked in ${elapsedS.toFixed(2)} s (bound ${bound})`);
    assert.ok(throttled > 0);
    assert.match(retryAfter ?? '', /^[1-9]\d*$/);
    // The right password from the blocked address waits too; from another address it works at once.
    assert.equal((await send(s.url, 'GET', '/benchmark', { headers: basic('right-one') })).status, 429);
    const other = await send(s.url, 'GET', '/benchmark', { headers: basic('right-one'), localAddress: '127.0.0.2' });
    assert.equal(other.status, 200, other.text);
    assert.equal(s.child.exitCode, null);
  });
});

describe('benchmark hooks are the operator\'s decision (real standalone)', () => {
  const roots: string[] = [];
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  function hooked(marker: string, name = 'hooked'): string {
    return `name: ${name}\npre:\n  mark: touch '${marker}'\n${NOOP_PHASES}`;
  }

  async function waitForRun(s: Standalone, id: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const run = JSON.parse((await send(s.url, 'GET', `/run/${id}`)).text) as { completed: boolean };
      if (run.completed) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`run ${id} did not complete within 20 s`);
  }

  it('without --allow-hooks a benchmark with hooks is refused at upload and a template at start; the hook never runs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-sec-hooks-'));
    roots.push(root);
    const marker = join(root, 'MARKER');
    const s = await startStandalone(root);
    try {
      const upload = await send(s.url, 'POST', '/benchmark', { headers: { 'content-type': 'text/vnd.yaml' }, body: hooked(marker) });
      assert.equal(upload.status, 400);
      assert.match(upload.text, /benchmark `hooked` has pre\/post hooks \(`mark`\).*--allow-hooks/);
      assert.ok(!existsSync(join(root, 'benchmark', 'hooked.yaml')), 'not stored');
      // A template shows its hooks only once rendered: refused at start, before a run exists.
      const template = `name: !param NAME tpl\npre:\n  mark: touch '${marker}'\n${NOOP_PHASES}`;
      assert.equal((await send(s.url, 'POST', '/benchmark', { headers: { 'content-type': 'text/vnd.yaml' }, body: template })).status, 204);
      const start = await send(s.url, 'GET', '/benchmark/tpl/start');
      assert.equal(start.status, 400);
      assert.match(start.text, /--allow-hooks/);
      assert.ok(!existsSync(join(root, 'run')) || readdirSync(join(root, 'run')).length === 0, 'no run was created');
      assert.ok(!existsSync(marker), 'the hook did not run');
      await assertServing(s);
    } finally {
      await s.stop();
    }
  });

  it('directory hooks (the operator\'s files) run without it, and with --allow-hooks the benchmark\'s hooks run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-sec-hooks-'));
    roots.push(root);
    const marker = join(root, 'MARKER');
    const dirMarker = join(root, 'DIR-MARKER');
    mkdirSync(join(root, 'hooks', 'pre'), { recursive: true });
    writeFileSync(join(root, 'hooks', 'pre', '10-mark'), `#!/bin/sh\ntouch '${dirMarker}'\n`, { mode: 0o755 });
    const s = await startStandalone(root, ['--allow-hooks']);
    try {
      const upload = await send(s.url, 'POST', '/benchmark', { headers: { 'content-type': 'text/vnd.yaml' }, body: hooked(marker) });
      assert.equal(upload.status, 204, upload.text);
      const start = await send(s.url, 'GET', '/benchmark/hooked/start');
      assert.equal(start.status, 202, start.text);
      await waitForRun(s, (JSON.parse(start.text) as { id: string }).id);
      assert.ok(existsSync(marker), 'the benchmark\'s hook ran');
      assert.ok(existsSync(dirMarker), 'the directory hook ran');
      await assertServing(s);
    } finally {
      await s.stop();
    }
  });
});

describe('an open port without a password', () => {
  it('is warned about on start, in the controller\'s log file (GET /log) as well as on standard error', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-sec-open-'));
    // Bound on every address for a moment (port 0, closed at once): that is the case being warned about.
    const controller = await startController({ mode: 'standalone', deployer: inVmDeployer(), rootDir: root, host: '0.0.0.0', port: 0 });
    try {
      assert.match(controller.rest.warnings[0] ?? '', /^SECURITY: the controller listens on 0\.0\.0\.0 WITHOUT A PASSWORD/);
      assert.match(readFileSync(join(root, 'hyperfoil.log'), 'utf8'), /WARN  SECURITY: the controller listens on 0\.0\.0\.0 WITHOUT A PASSWORD/);
      const log = await send(controller.url, 'GET', '/log');
      assert.equal(log.status, 200);
      assert.match(log.text, /WITHOUT A PASSWORD.*See SECURITY\.md/);
    } finally {
      await controller.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('hooks in the shell\'s embedded controller (`start-local`)', () => {
  it('are refused without --allow-hooks and run with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-sec-shell-'));
    try {
      const marker = join(dir, 'MARKER');
      const bench = join(dir, 'hooked.hf.yaml');
      writeFileSync(bench, `name: hooked\npre:\n  mark: touch '${marker}'\n${NOOP_PHASES}`);
      const refused = await runShell([`start-local ${join(dir, 'root-a')}`, `upload ${bench}`, 'run hooked', 'wait']);
      assert.match(refused.stdout + refused.stderr, /benchmark `hooked` has pre\/post hooks \(`mark`\).*--allow-hooks/);
      assert.ok(!existsSync(marker), 'the hook did not run');
      const allowed = await runShell([`start-local --allow-hooks ${join(dir, 'root-b')}`, `upload ${bench}`, 'run hooked', 'wait']);
      assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
      assert.ok(existsSync(marker), 'the hook ran');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('uploads pass the checks of `hyperfoil validate`', () => {
  it('a CR/LF in a static path is refused by POST /benchmark with the same file:line:column text as validate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-sec-crlf-'));
    const yaml = 'name: crlf\nhttp:\n  host: http://127.0.0.1:8080\nphases:\n- p:\n    atOnce:\n      users: 1\n      scenario:\n'
      + '      - s:\n        - httpRequest:\n            GET: "/a\\r\\nX-Evil: 1"\n';
    writeFileSync(join(dir, 'crlf.hf.yaml'), yaml);
    const validated = await runCli(['validate', 'crlf.hf.yaml'], { cwd: dir });
    assert.equal(validated.code, 3);
    const problem = /^crlf\.hf\.yaml:\d+:\d+: .*$/m.exec(validated.stderr)?.[0];
    assert.ok(problem, validated.stderr);
    const s = await startStandalone(join(dir, 'root'));
    try {
      const { contentType, body } = multipart(yaml, 'crlf.hf.yaml');
      const upload = await send(s.url, 'POST', '/benchmark', { headers: { 'content-type': contentType }, body });
      assert.equal(upload.status, 400);
      assert.ok(upload.text.includes(problem), `${upload.text} includes ${problem}`);
      assert.deepEqual(JSON.parse((await send(s.url, 'GET', '/benchmark')).text), []);
      await assertServing(s);
    } finally {
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
