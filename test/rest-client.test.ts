/**
 * A Hyperfoil REST client's view of the controller, written from Hyperfoil's openapi.yaml and its documented
 * behaviour (not from this implementation): `hyperfoil controller --deployer local` as a real process, benchmarks
 * with agents deployed as local processes per run, a real server counting what reaches it. Covers what a client's
 * integration tests do: create and start benchmarks back to back, read runs, statistics, sessions, connections,
 * logs, agents and CPU, kill a run, the CI trigger flow (`start` → 301, `start?runId=`) and uploads by URI from the
 * load directory. (It reads nothing from ../shared.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runShell } from '../src/cli/shell/test-support.js';
import { startStandalone } from './support/standalone.js';
import type { Standalone } from './support/standalone.js';

const root = mkdtempSync(join(tmpdir(), 'hf-rest-client-'));
const loadDir = join(root, 'load');
const TRIGGER = 'http://ci.example/job/perf/buildWithParameters?';
/** Each response takes this long, so runs last long enough to be observed while they go. */
const RESPONSE_DELAY_MS = 200;

interface Run {
  id: string; benchmark: string; started?: number; terminated?: number; cancelled: boolean; completed: boolean;
  errors: string[]; agents: Array<{ name: string }>; phases: Array<{ name: string }>;
}
interface Statistics { status: string; statistics: Array<{ phase: string; metric: string; summary: { requestCount: number; responseCount: number } }> }

describe('a Hyperfoil REST client against `hyperfoil controller --deployer local`', () => {
  let server: Server;
  let host = '';
  let controller: Standalone;
  let base = '';
  before(async () => {
    server = createServer((_req, res) => { setTimeout(() => res.end('ok'), RESPONSE_DELAY_MS); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mkdirSync(loadDir);
    controller = await startStandalone(join(root, 'data'), ['--deployer', 'local', '--load-dir', loadDir, '--trigger-url', TRIGGER], 'controller');
    base = controller.url;
  });
  after(async () => {
    await controller?.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(root, { recursive: true, force: true });
  });

  async function get<T>(path: string): Promise<T> {
    const answer = await fetch(`${base}${path}`);
    assert.equal(answer.status, 200, `GET ${path}: ${answer.status} ${await answer.clone().text()}`);
    return answer.json() as Promise<T>;
  }

  async function text(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; etag: string | null }> {
    const answer = await fetch(`${base}${path}`, { headers });
    return { status: answer.status, body: await answer.text(), etag: answer.headers.get('etag') };
  }

  function yaml(name: string, agent: string, users: number, repeats: number, extra = ''): string {
    return [
      `name: ${name}`, `agents: [${agent}]`, `http: {host: '${host}', sharedConnections: ${users}}`, extra,
      'phases:', '- main:', '    atOnce:', `      users: ${users}`, '      scenario:', '      - s:',
      `        - loop: {counterVar: i, repeats: ${repeats}, steps: [{httpRequest: {GET: /${name}, metric: ${name}}}]}`,
    ].filter((line) => line !== '').join('\n');
  }

  async function upload(text: string): Promise<void> {
    const answer = await fetch(`${base}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: text });
    assert.equal(answer.status, 204, await answer.text());
  }

  /** `GET /benchmark/{name}/start` with the header a CI job sends, so that the controller's trigger URL is not used. */
  async function start(name: string, query = ''): Promise<Run> {
    const answer = await fetch(`${base}/benchmark/${name}/start${query}`, { headers: { 'x-trigger-job': 'test' } });
    assert.equal(answer.status, 202, await answer.clone().text());
    assert.match(answer.headers.get('location') ?? '', /\/run\/[0-9A-F]{4}$/);
    return answer.json() as Promise<Run>;
  }

  async function completed(id: string, timeoutMs = 30_000): Promise<Run> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await get<Run>(`/run/${id}`);
      if (run.completed) return run;
      assert.ok(Date.now() < deadline, `run ${id} did not complete within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function running(id: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while ((await get<Run>(`/run/${id}`)).started === undefined) {
      assert.ok(Date.now() < deadline, `run ${id} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('GET /version answers the version, commit, deployment id and server time', async () => {
    const version = await get<{ version: string; commitId: string; deploymentId: string; serverTime: number }>('/version');
    assert.equal(typeof version.version, 'string');
    assert.equal(typeof version.commitId, 'string');
    assert.ok(Math.abs(version.serverTime - Date.now()) < 60_000);
  });

  it('benchmarks created and started back to back both complete with their own statistics; /run lists them', async () => {
    await upload(yaml('alpha', 'a1', 2, 3));
    await upload(yaml('beta', 'b1', 3, 1));
    assert.deepEqual((await get<string[]>('/benchmark')).filter((n) => n === 'alpha' || n === 'beta').sort(), ['alpha', 'beta']);
    const alpha = await start('alpha');
    const beta = await start('beta');
    const [doneAlpha, doneBeta] = await Promise.all([completed(alpha.id), completed(beta.id)]);
    assert.deepEqual([doneAlpha.errors, doneBeta.errors], [[], []]);
    assert.deepEqual(doneAlpha.agents.map((a) => a.name), ['a1']);
    assert.deepEqual(doneBeta.agents.map((a) => a.name), ['b1']);
    const totals = async (id: string) => (await get<Statistics>(`/run/${id}/stats/total`)).statistics.map((s) => [s.metric, s.summary.requestCount]);
    assert.deepEqual(await totals(alpha.id), [['alpha', 6]]);
    assert.deepEqual(await totals(beta.id), [['beta', 3]]);
    const ids = (await get<Array<{ id: string }>>('/run')).map((r) => r.id);
    assert.ok(ids.includes(alpha.id) && ids.includes(beta.id));
    // Each agent reported its CPU use in the phase.
    const cpu = await get<Record<string, Record<string, string>>>(`/run/${alpha.id}/agentCpu`);
    assert.match(cpu.main?.a1 ?? '', /^\d+\.\d% of one core/);
  });

  it('while a run goes: sessions and connections as text, recent sessions, agents, the agent\'s log; then kill', async () => {
    await upload(yaml('gamma', 'g1', 2, 1000));
    const run = await start('gamma');
    await running(run.id);
    // Give the sessions a moment to be in flight (each request takes 200 ms).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sessions = await text(`/run/${run.id}/sessions`);
    assert.equal(sessions.status, 200);
    const sessionLines = sessions.body.trimEnd().split('\n');
    assert.equal(sessionLines.length, 2, sessions.body);
    for (const line of sessionLines) assert.match(line, /^g1 thread 0: #\d+ main running, sequences: s\[0\], 1 request in flight$/);
    const connections = await text(`/run/${run.id}/connections`);
    assert.equal(connections.status, 200);
    assert.equal(connections.body.trimEnd().split('\n').filter((l) => /^g1 thread 0: 127\.0\.0\.1:\d+ 127\.0\.0\.1:\d+ in use/.test(l)).length, 2, connections.body);
    // Agents report their session figures once per statistics period (1 s): wait for the first one.
    type Recent = Record<string, Record<string, { min: number; max: number }>>;
    let recent: Recent = {};
    for (const deadline = Date.now() + 5000; recent.main?.g1 === undefined && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      recent = await get<Recent>(`/run/${run.id}/sessions/recent`);
    }
    assert.equal(recent.main?.g1?.max, 2, JSON.stringify(recent));
    assert.ok((await get<string[]>('/agents')).includes('g1'));
    const agentLog = await text('/log/g1');
    assert.equal(agentLog.status, 200, 'the agent\'s log is readable while the run goes');
    assert.ok(agentLog.body.length > 0);

    const killed = await fetch(`${base}/run/${run.id}/kill`);
    assert.equal(killed.status, 200);
    const ended = await completed(run.id);
    assert.equal(ended.cancelled, true);
    // After the run: nothing recent, nothing to list.
    assert.deepEqual(await get(`/run/${run.id}/sessions/recent`), {});
    assert.equal((await text(`/run/${run.id}/sessions`)).body, '');
    assert.equal((await text(`/run/${run.id}/connections`)).body, '');
  });

  it('standalone: the in-vm agent\'s log (GET /log/in-vm) is the controller\'s log', async () => {
    const standalone = await startStandalone(join(root, 'standalone'));
    try {
      const stored = await fetch(`${standalone.url}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: 'name: logged\nphases:\n- p:\n    atOnce: {users: 1, scenario: [{s: [noop]}]}\n' });
      assert.equal(stored.status, 204); // the controller logs what it stored
      const agent = await fetch(`${standalone.url}/log/in-vm`);
      assert.equal(agent.status, 200);
      assert.equal(await agent.text(), await (await fetch(`${standalone.url}/log`)).text());
      assert.equal((await fetch(`${standalone.url}/log/other`)).status, 404);
    } finally {
      await standalone.stop();
    }
  });

  it('GET /log: the controller\'s log with offset, maxLength and if-match', async () => {
    const whole = await text('/log');
    assert.equal(whole.status, 200);
    assert.ok(whole.body.length > 20, 'the controller logged the runs');
    assert.ok(whole.etag !== null);
    const slice = await text('/log?offset=5&maxLength=10', { 'if-match': whole.etag! });
    assert.equal(slice.body, whole.body.slice(5, 15));
    // A chunk id of another log file: the offset does not apply, the log is read from its start.
    const stale = await text('/log?offset=5&maxLength=10', { 'if-match': '"not-this-file"' });
    assert.equal(stale.body, whole.body.slice(0, 10));
  });

  it('the CI trigger flow: start answers 301 to the trigger URL with the run id; start?runId= starts that run', async () => {
    await upload(yaml('delta', 'd1', 1, 1));
    const requested = await fetch(`${base}/benchmark/delta/start?desc=from-ci`, { redirect: 'manual' });
    assert.equal(requested.status, 301);
    const id = requested.headers.get('x-run-id') ?? '';
    assert.match(id, /^[0-9A-F]{4}$/);
    assert.equal(requested.headers.get('location'), `${TRIGGER}BENCHMARK=delta&RUN_ID=${id}`);
    const pending = await get<Run>(`/run/${id}`);
    assert.equal(pending.started, undefined);
    assert.equal(pending.completed, false);
    const started = await fetch(`${base}/benchmark/delta/start?runId=${id}`);
    assert.equal(started.status, 202, await started.clone().text());
    assert.equal(((await started.json()) as Run).id, id);
    const done = await completed(id);
    assert.deepEqual(done.errors, []);
    // A run id that was not requested is refused.
    assert.equal((await fetch(`${base}/benchmark/delta/start?runId=FFFF`)).status, 400);
  });

  it('a benchmark uploaded as text/uri-list from the load directory', async () => {
    const file = join(loadDir, 'epsilon.hf.yaml');
    writeFileSync(file, yaml('epsilon', 'e1', 1, 1));
    const answer = await fetch(`${base}/benchmark`, { method: 'POST', headers: { 'content-type': 'text/uri-list' }, body: `${pathToFileURL(file).href}\n` });
    assert.equal(answer.status, 204, await answer.text());
    assert.ok((await get<string[]>('/benchmark')).includes('epsilon'));
  });

  it('the shell: `load` from the controller\'s load directory; `run` under a CI trigger reserves the run for the CI job', async () => {
    writeFileSync(join(loadDir, 'zeta.hf.yaml'), yaml('zeta', 'z1', 1, 2));
    const result = await runShell([`connect ${base}`, 'load zeta.hf.yaml', 'run'], { timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Loaded benchmark zeta from the controller's load directory/);
    const requested = /Run ([0-9A-F]{4}) is requested; the CI job starts it: (\S+)/.exec(result.stdout);
    assert.ok(requested, result.stdout);
    assert.equal(requested[2], `${TRIGGER}BENCHMARK=zeta&RUN_ID=${requested[1]}`);
    assert.equal((await fetch(`${base}/benchmark/zeta/start?runId=${requested[1]}`)).status, 202);
    assert.deepEqual((await completed(requested[1]!)).errors, []);
    // Without a load directory the controller answers 503, which the shell reports as a failed command.
    const local = await runShell([`start-local ${join(root, 'no-load-dir')} -q`, 'load zeta.hf.yaml']);
    assert.equal(local.code, 4, local.stdout + local.stderr);
    assert.match(local.stderr + local.stdout, /start the controller with a load directory/);
  });
});
