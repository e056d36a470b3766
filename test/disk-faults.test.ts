/**
 * The disk failing under a run, and the controller dying mid-run. Real `hyperfoil` processes, a real example
 * server as the target, real file systems: a small tmpfs filled to the last byte, a read-only tmpfs (chmod does
 * not stop root), and `kill -9` of a standalone controller. Mounting needs root; without it those tests skip.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunManager } from '../src/controller/index.js';
import { journalPath, RunJournal } from '../src/controller/run-journal.js';
import { encodeSnapshot } from '../src/stats/codec.js';
import { httpBucket } from '../src/stats/test-support.js';
import { inVmDeployer } from '../src/deploy/index.js';
import { startExampleServer } from '../src/example-server/index.js';
import { fillDisk, mountTmpfs } from '../src/lib/tmpfs.test-support.js';
import type { Mounted } from '../src/lib/tmpfs.test-support.js';
import { HYPERFOIL_BIN, runCli, startCli } from './support/cli.js';
import type { CliResult } from './support/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'hf-disk-'));
const mounts: Mounted[] = [];
const children: ChildProcess[] = [];
let target: Awaited<ReturnType<typeof startExampleServer>>;

before(async () => { target = await startExampleServer({ httpPort: 0, httpsPort: null, quiet: true, log: () => {} }); });
after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const mounted of mounts) mounted.unmount();
  await target?.close();
  rmSync(scratch, { recursive: true, force: true });
});

function benchmark(name: string, usersPerSec: number, durationS: number): string {
  return [
    `name: ${name}`,
    'http:',
    `  host: ${target.httpUrl}`,
    'phases:',
    '- main:',
    '    constantRate:',
    `      usersPerSec: ${usersPerSec}`,
    `      duration: ${durationS}s`,
    '      scenario:',
    '      - one:',
    '        - httpRequest:',
    '            GET: /quickstarts/random-urls/index.html',
    '            metric: page',
    '',
  ].join('\n');
}

function benchmarkFile(name: string, usersPerSec: number, durationS: number): string {
  const file = join(scratch, `${name}.hf.yaml`);
  writeFileSync(file, benchmark(name, usersPerSec, durationS));
  return file;
}

function mounted(sizeBytes: number, readOnly = false): Mounted | string {
  const result = mountTmpfs(sizeBytes, { readOnly });
  if (typeof result !== 'string') mounts.push(result);
  return result;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    assert.ok(Date.now() < deadline, `${what} did not happen within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

function assertOneLineError(result: CliResult, pattern: RegExp): void {
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  assert.equal(lines.filter((line) => pattern.test(line)).length, 1, `one line matching ${pattern} in:\n${result.stderr}`);
  assert.ok(!/^\s+at |node:internal|Error: E[A-Z]+:/m.test(result.stderr), `no stack trace or raw Node error:\n${result.stderr}`);
}

/** `hyperfoil cli` reading commands from a pipe. */
function shellScript(commands: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [HYPERFOIL_BIN, 'cli'], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  child.stdin.end([...commands, ''].join('\n'));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

interface Standalone {
  readonly url: string;
  readonly child: ReturnType<typeof startCli>['child'];
  readonly result: Promise<CliResult>;
}

async function standalone(rootDir: string): Promise<Standalone> {
  const { child, result } = startCli(['standalone', '--port', '0', '--root-dir', rootDir]);
  children.push(child);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  const url = await until('the controller listening', 15_000, () => /listening on (http:\/\/\S+)/.exec(stdout)?.[1]);
  return { url, child, result };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${response.status} ${await response.clone().text()}`);
  return await response.json() as T;
}

interface RunJson { id: string; completed: boolean; cancelled: boolean; persisted: boolean; errors: string[] }

async function startRun(base: string, name: string, usersPerSec: number, durationS: number): Promise<string> {
  const uploaded = await fetch(`${base}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: benchmark(name, usersPerSec, durationS) });
  assert.equal(uploaded.status, 204, await uploaded.text());
  const started = await fetch(`${base}/benchmark/${name}/start`);
  const text = await started.text();
  assert.equal(started.status, 202, text);
  return (JSON.parse(text) as RunJson).id;
}

function waitCompleted(base: string, id: string, timeoutMs: number): Promise<RunJson> {
  return until(`run ${id} completing`, timeoutMs, async () => {
    const run = await getJson<RunJson>(`${base}/run/${id}`);
    return run.completed ? run : undefined;
  });
}

async function requestCount(base: string, id: string): Promise<number> {
  const stats = await getJson<{ statistics: Array<{ metric: string; summary: { requestCount: number } }> }>(`${base}/run/${id}/stats/total`);
  return stats.statistics.filter((s) => s.metric === 'page').reduce((n, s) => n + s.summary.requestCount, 0);
}

const ENOSPC_LINE = /cannot store run 0000 in \S+run\/0000: no space left on device \(ENOSPC\); free space or choose another --root-dir$/;

describe('a full disk', () => {
  it('hyperfoil run: exits 4 in bounded time with one line, and leaves no half file that passes for a stored run', async (t) => {
    const disk = mounted(1024 * 1024);
    if (typeof disk === 'string') return t.skip(disk);
    const file = benchmarkFile('fills', 20, 3);
    // Bound: ~1 s start + 3 s phase + at most 5 s waiting for the agent to stop (stopTimeoutMs) + slack for a
    // loaded 2-core machine; a process that hangs (the bug) never finishes and is killed at this bound.
    const running = runCli(['run', file, '-q', '--root-dir', disk.dir], { timeoutMs: 30_000 });
    const runDir = join(disk.dir, 'run', '0000');
    await until('the run journal', 10_000, () => (existsSync(join(runDir, 'stats.journal')) ? true : undefined));
    fillDisk(disk.dir);
    const result = await running;
    assert.equal(result.signal, null, `exited by itself:\n${result.stderr}`);
    assert.equal(result.code, 4, result.stderr);
    assertOneLineError(result, ENOSPC_LINE);
    assert.match(result.stdout, /Run 0000 of fills, NOT stored/);
    const files = filesUnder(runDir);
    assert.ok(!files.includes('all.json'), `no all.json: ${files.join(', ')}`);
    assert.deepEqual(files.filter((f) => f.includes('.tmp-')), [], 'no temporary files left');
    // A controller on the same (still full) root lists the run as not persisted, with the reason.
    const manager = new RunManager({ rootDir: disk.dir, deployer: inVmDeployer(), mode: 'standalone', render: () => { throw new Error('unused'); } });
    const listed = manager.list();
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.persisted, false);
    assert.match(listed[0]?.errors.join('\n') ?? '', /^interrupted: /m);
  });

  it('standalone: keeps serving, the run shows the storage error, earlier runs stay intact, later ones are stored', async (t) => {
    const disk = mounted(2 * 1024 * 1024);
    if (typeof disk === 'string') return t.skip(disk);
    const controller = await standalone(disk.dir);
    const base = controller.url;
    const first = await startRun(base, 'before', 20, 1);
    assert.equal((await waitCompleted(base, first, 20_000)).persisted, true);
    const firstAll = readFileSync(join(disk.dir, 'run', first, 'all.json'), 'utf8');
    const firstCount = await requestCount(base, first);

    const second = await startRun(base, 'during', 20, 3);
    await until('the run journal', 10_000, () => (existsSync(join(disk.dir, 'run', second, 'stats.journal')) ? true : undefined));
    const filler = fillDisk(disk.dir);
    const failed = await waitCompleted(base, second, 30_000);
    assert.equal(failed.persisted, false);
    assert.ok(failed.errors.some((e) => new RegExp(`^cannot store run ${second} in \\S+: no space left on device \\(ENOSPC\\); free space or choose another --root-dir$`).test(e)),
      failed.errors.join('\n'));
    assert.equal(controller.child.exitCode, null, 'the controller is still running');
    const listed = await getJson<RunJson[]>(`${base}/run`);
    assert.deepEqual(listed.map((r) => [r.id, r.persisted]), [[first, true], [second, false]]);
    assert.equal(readFileSync(join(disk.dir, 'run', first, 'all.json'), 'utf8'), firstAll, 'the stored run is untouched');
    assert.equal(await requestCount(base, first), firstCount);
    assert.ok(await requestCount(base, second) > 0, 'what the failed run measured is still served from memory');

    // With the disk still full, an upload and a start are refused with 507 and the reason, and change nothing.
    const upload = await fetch(`${base}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: benchmark('before', 99, 1) });
    assert.equal(upload.status, 507);
    assert.match(await upload.text(), /^cannot store benchmark before in \S+: no space left on device \(ENOSPC\); free space or choose another --root-dir/);
    assert.match(await (await fetch(`${base}/benchmark/before`)).text(), /usersPerSec: 20\n/, 'the stored benchmark is unchanged');
    const refused = await fetch(`${base}/benchmark/before/start`);
    assert.equal(refused.status, 507, await refused.clone().text());
    assert.match(await refused.text(), /cannot store run \S+ in \S+: no space left on device \(ENOSPC\)/);
    assert.deepEqual(readdirSync(join(disk.dir, 'benchmark')).filter((f) => f.startsWith('.tmp-')), [], 'no temporary files left');

    rmSync(filler);
    const third = await startRun(base, 'after', 20, 1);
    assert.equal((await waitCompleted(base, third, 20_000)).persisted, true);
    controller.child.kill('SIGTERM');
    assert.equal((await controller.result).code, 0);
  });
});

describe('an interrupted run on a full disk', () => {
  it('is served from its journal, not persisted, when it cannot be stored at restart', async (t) => {
    const disk = mounted(1024 * 1024);
    if (typeof disk === 'string') return t.skip(disk);
    const dir = join(disk.dir, 'run', '0007');
    mkdirSync(dir, { recursive: true });
    const journal = new RunJournal(journalPath(dir), { id: '0007', benchmark: 'crashed', params: {}, periodMs: 1000, warmupPhases: [] }, 60_000);
    const latencies = Array.from({ length: 25 }, () => 2_000_000);
    journal.stats('in-vm', [{ phase: 'main', stepId: 1, metric: 'page', sequenceId: 0, snapshot: encodeSnapshot(httpBucket(0, latencies)).toString('base64') }]);
    await journal.close(); // what a controller killed after this flush leaves behind
    fillDisk(disk.dir);
    const manager = new RunManager({ rootDir: disk.dir, deployer: inVmDeployer(), mode: 'standalone', render: () => { throw new Error('unused'); } });
    const run = manager.get('0007');
    assert.equal(run?.persisted, false);
    assert.equal(run?.cancelled, true);
    assert.match(run?.errors.join('\n') ?? '', /^interrupted: /m);
    assert.match(manager.recoveryProblems.join('\n'), /cannot store the interrupted run 0007 in \S+: no space left on device \(ENOSPC\)/);
    assert.equal(manager.statsTotal('0007')?.statistics.find((s) => s.metric === 'page')?.summary.requestCount, 25);
    assert.ok(!existsSync(join(dir, 'all.json')));
    assert.deepEqual(filesUnder(dir).filter((f) => f.includes('.tmp-')), []);
  });
});

describe('a read-only root dir', () => {
  it('hyperfoil run and standalone refuse it at start with one line and exit 4', async (t) => {
    const disk = mounted(64 * 1024, true);
    if (typeof disk === 'string') return t.skip(disk);
    const file = benchmarkFile('readonly', 10, 1);
    const run = await runCli(['run', file, '-q', '--root-dir', join(disk.dir, 'hf')], { timeoutMs: 20_000 });
    assert.equal(run.code, 4, run.stderr);
    assertOneLineError(run, /^hyperfoil run: cannot store runs in \S+: read-only file system \(EROFS\); make it writable or choose another --root-dir$/);
    const server = await runCli(['standalone', '--port', '0', '--root-dir', disk.dir], { timeoutMs: 20_000 });
    assert.equal(server.code, 4, server.stderr);
    assertOneLineError(server, /^hyperfoil standalone: cannot store benchmarks in \S+: read-only file system \(EROFS\); make it writable or choose another --root-dir$/);
  });
});

describe('kill -9 of the controller mid-run', () => {
  it('after a restart the run is reported interrupted and what was measured is readable', async () => {
    const root = join(scratch, 'killed');
    const first = await standalone(root);
    // 30 s at most (bounded), killed after a few seconds.
    const id = await startRun(first.url, 'killed', 40, 30);
    await until('requests measured', 20_000, async () => ((await requestCount(first.url, id)) >= 40 ? true : undefined));
    const measured = await requestCount(first.url, id);
    // What the controller has merged at this point reaches the journal within one flush interval (1 s); wait
    // 2.5 s so it is on disk whatever the timer's phase and some scheduling delay on a loaded machine.
    await sleep(2500);
    first.child.kill('SIGKILL');
    assert.equal((await first.result).signal, 'SIGKILL');

    const second = await standalone(root);
    const run = await getJson<RunJson>(`${second.url}/run/${id}`);
    assert.equal(run.completed, true);
    assert.equal(run.cancelled, true);
    assert.ok(run.errors.some((e) => /^interrupted: the controller stopped .* \(last data at \d{4}-\d\d-\d\dT[\d:.]+Z\)$/.test(e)), run.errors.join('\n'));
    const recovered = await requestCount(second.url, id);
    assert.ok(recovered >= measured, `recovered ${recovered} requests, at least the ${measured} seen 2.5 s before the kill`);
    const all = await getJson<{ stats: Array<{ metric: string; total: { summary: { requestCount: number } } }> }>(`${second.url}/run/${id}/stats/all/json`);
    assert.equal(all.stats.find((s) => s.metric === 'page')?.total.summary.requestCount, recovered);
    assert.equal(run.persisted, true, 'the recovered run is stored');
    // The shell's `stats` of the recovered run: its table row carries the recovered request count.
    const shellOut = await shellScript([`connect ${second.url}`, `stats ${id}`]);
    assert.equal(shellOut.code, 0, shellOut.stderr);
    assert.match(shellOut.stdout, new RegExp(`Total stats from run ${id}\\n[^\\n]*\\nmain +page +\\S+ req/s +${recovered} `), shellOut.stdout);
    assert.ok(!existsSync(join(root, 'run', id, 'stats.journal')), 'the journal is gone once the run is stored');
    second.child.kill('SIGTERM');
    assert.equal((await second.result).code, 0);
  });
});
