/**
 * A REST fuzzer against a real `hyperfoil standalone` process: thousands of generated requests (methods, paths from
 * the router's table with hostile or random parameters, random query strings, headers and bodies, including
 * malformed multipart, YAML and JSON) in one bounded run. The controller must never answer 500, never exit, and the
 * benchmark and run stored before must be intact afterwards. The generator is seeded: a failure names the seed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../src/lib/prng.js';
import { HOSTILE_FILES, HOSTILE_SEGMENTS, restRoutes } from './support/hostile.js';
import type { RouteShape } from './support/hostile.js';
import { send, startStandalone } from './support/standalone.js';
import type { Standalone } from './support/standalone.js';

const SEED = Number(process.env.REST_FUZZ_SEED ?? 20261204);
/** Bounded by count and by time, whichever comes first. */
const MAX_REQUESTS = 5000;
const MAX_DURATION_MS = 8000;
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 10_000;

const NOOP_PHASES = 'phases:\n- p:\n    atOnce: {users: 1, scenario: [{s: [noop]}]}\n';
const KEEP_YAML = `name: keep\nhttp:\n  host: http://127.0.0.1:9\nphases:\n- p:\n    atOnce:\n      users: 1\n      scenario:\n      - s:\n        - randomCsvRow:\n            file: users.csv\n            columns: {0: user}\n`;

type Random = () => number;

interface Fuzzed {
  readonly method: string;
  readonly target: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: Random, max: number): number => Math.floor(random() * max);

function randomBytes(random: Random, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = int(random, 256);
  return out;
}

function randomText(random: Random, maxLength: number): string {
  const alphabet = 'abcXYZ019-_.~/\\%:;?#&=+ "\'<>{}[]!$*()\r\n\t\0éß☃';
  let text = '';
  for (let i = int(random, maxLength); i > 0; i--) text += pick(random, [...alphabet]);
  return text;
}

/** A path segment: legitimate, hostile, or random bytes percent-encoded. */
function segment(random: Random, name: string, legit: Readonly<Record<string, string>>, method: string): string {
  const roll = random();
  if (roll < 0.35 && !(method === 'DELETE' && name === 'name')) return legit[name] ?? 'x';
  if (roll < 0.7) return pick(random, HOSTILE_SEGMENTS);
  return encodeURIComponent(randomText(random, 30)) || 'x';
}

function queryString(random: Random): string {
  const keys = ['file', 'source', 'phase', 'stepId', 'metric', 'agent', 'details', 'inactive', 'offset', 'maxLength', 'desc',
    'runId', 'storedFilesBenchmark', 'maxCollectionSize', 'templateParam', 'templateParam.USERS', 'x'];
  const values = (): string => {
    const roll = random();
    if (roll < 0.25) return String(pick(random, [0, -1, 1, 2 ** 53, -(2 ** 60), 1e308, 3.5]));
    if (roll < 0.5) return encodeURIComponent(pick(random, HOSTILE_FILES));
    if (roll < 0.6) return pick(random, ['true', 'false', 'NaN', '', 'keep', 'p', 'test']);
    return encodeURIComponent(randomText(random, 40));
  };
  const parts: string[] = [];
  for (let i = int(random, 5); i > 0; i--) parts.push(`${pick(random, keys)}=${values()}`);
  if (random() < 0.05) parts.push('%ZZ=%', '&&=');
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function yamlBody(random: Random, n: number): string {
  const valid = `name: fuzz-${n}\n${NOOP_PHASES}`;
  const roll = random();
  if (roll < 0.3) return valid;
  if (roll < 0.5) return valid.slice(0, int(random, valid.length)); // truncated
  if (roll < 0.6) return `name: !param NAME fuzz-t${n}\nusers: !param USERS\n${NOOP_PHASES}`;
  if (roll < 0.7) return `name: keep\nphases: [${randomText(random, 30)}`; // tries to replace `keep`, malformed
  if (roll < 0.8) return JSON.stringify({ name: `fuzz-json-${n}`, phases: [{ p: { atOnce: { users: 'x' } } }] });
  return randomText(random, 200);
}

function multipartBody(random: Random, n: number): { contentType: string; body: Buffer } {
  const boundary = `b${int(random, 1e9)}`;
  const parts: string[] = [];
  const roll = random();
  const partCount = roll < 0.1 ? 0 : 1 + int(random, 3);
  for (let i = 0; i < partCount; i++) {
    const name = i === 0 ? 'benchmark' : pick(random, ['file', 'benchmark', 'x']);
    const filename = pick(random, ['b.hf.yaml', 'users.csv', '../../etc/passwd', 'a\\b', '', 'x'.repeat(300)]);
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n\r\n${i === 0 ? yamlBody(random, n) : randomText(random, 50)}\r\n`);
  }
  let body = `${parts.join('')}--${boundary}--\r\n`;
  if (random() < 0.3) body = body.slice(0, int(random, body.length)); // malformed: cut anywhere
  const contentType = random() < 0.1 ? 'multipart/form-data' : `multipart/form-data; boundary=${random() < 0.1 ? 'other' : boundary}`;
  return { contentType, body: Buffer.from(body) };
}

function generate(random: Random, routes: readonly RouteShape[], legit: Readonly<Record<string, string>>, own: string, n: number): Fuzzed {
  const usable = routes.filter((r) => r.path !== '/shutdown'); // a legitimate way to stop it, not a defect
  const route = pick(random, usable);
  const method = random() < 0.75 ? route.method : pick(random, ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'FOO']);
  let path: string;
  const shape = random();
  if (shape < 0.8) {
    path = route.path.replace(/\{(\w+)\}/g, (_all, name: string) => segment(random, name, legit, method));
  } else if (shape < 0.95) {
    path = `/${Array.from({ length: 1 + int(random, 4) }, () => encodeURIComponent(randomText(random, 12))).join('/')}`;
  } else {
    path = pick(random, ['/', '//', '/%', '/run/', '/benchmark//start', '/%2F', '/run/0000/..', '/run/0000/%2e%2e/%2e%2e']);
  }
  const headers: Record<string, string> = {};
  if (random() < 0.5) headers.accept = pick(random, ['application/json', 'application/zip', 'text/vnd.yaml', 'application/java-serialized-object', '*/*', 'text/html;q=0', 'garbage/', '']);
  if (random() < 0.2) headers['if-match'] = pick(random, ['"x"', '*', 'W/"1"', randomText(random, 20).replace(/[\r\n\0]/g, '')]);
  if (random() < 0.1) headers.origin = pick(random, [own, 'http://evil.example', 'null']);
  if (random() < 0.05) headers.authorization = pick(random, ['Basic !!!', 'Bearer x', 'Digest y', 'Basic ']);
  let body: Buffer | undefined;
  if (method === 'POST' || random() < 0.1) {
    const kind = random();
    if (kind < 0.4) {
      const multipart = multipartBody(random, n);
      headers['content-type'] = multipart.contentType;
      body = multipart.body;
    } else if (kind < 0.7) {
      headers['content-type'] = pick(random, ['text/vnd.yaml', 'application/json', 'text/yaml; charset=utf-8']);
      body = Buffer.from(yamlBody(random, n));
    } else if (kind < 0.8) {
      headers['content-type'] = 'text/uri-list';
      body = Buffer.from(pick(random, ['file:///etc/passwd', '../../x', '', 'http://127.0.0.1/x']));
    } else {
      headers['content-type'] = pick(random, ['application/octet-stream', 'application/java-serialized-object', ';;;', 'multipart/mixed']);
      body = randomBytes(random, int(random, 4096));
    }
  }
  return { method, target: `${path}${queryString(random)}`, headers, ...(body !== undefined ? { body } : {}) };
}

function fire(url: string, agent: Agent, request: Fuzzed): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method: request.method, path: request.target, headers: request.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.set(join(entry.parentPath, entry.name), readFileSync(join(entry.parentPath, entry.name), 'base64'));
  }
  return out;
}

describe('REST fuzzer (real standalone)', () => {
  let s: Standalone;
  let root: string;
  let routes: readonly RouteShape[];
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'hf-fuzz-'));
    mkdirSync(join(root, 'benchmark', 'keep.data'), { recursive: true });
    writeFileSync(join(root, 'benchmark', 'keep.yaml'), KEEP_YAML);
    writeFileSync(join(root, 'benchmark', 'keep.data', 'users.csv'), 'alice\nbob\n');
    mkdirSync(join(root, 'run', '0000', 'stats'), { recursive: true });
    writeFileSync(join(root, 'run', '0000', 'info.json'), JSON.stringify({ id: '0000', benchmark: 'keep', startTime: 1, terminateTime: 2 }));
    writeFileSync(join(root, 'run', '0000', 'all.json'), JSON.stringify({ stats: [] }));
    writeFileSync(join(root, 'run', '0000', 'stats', 'total.csv'), 'Phase,Metric\n');
    routes = await restRoutes();
    s = await startStandalone(root);
  });
  after(async () => {
    await s.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it(`never answers 500, never exits, and keeps what was stored (seed ${SEED})`, async () => {
    const keepBefore = filesUnder(join(root, 'benchmark'));
    const runBefore = filesUnder(join(root, 'run', '0000'));
    const random = mulberry32(SEED);
    const legit = { runId: '0000', name: 'keep', agent: 'in-vm' };
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const startMs = Date.now();
    let sent = 0;
    const worker = async () => {
      while (sent < MAX_REQUESTS && Date.now() - startMs < MAX_DURATION_MS && failures.length < 20) {
        const request = generate(random, routes, legit, s.url, sent++);
        try {
          const status = await fire(s.url, agent, request);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status >= 500 && status !== 501 && status !== 503) failures.push(`${status} for ${request.method} ${request.target.slice(0, 200)}`);
        } catch (error) {
          // The server may close a connection after refusing a body; that is an answer, not a crash, unless it died.
          if (s.child.exitCode !== null) failures.push(`the controller exited during ${request.method} ${request.target.slice(0, 200)}: ${String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    const summary = [...statuses].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${status}×${count}`).join(' ');
    console.log(`rest fuzz: ${sent} requests in ${Date.now() - startMs} ms: ${summary}`);
    assert.deepEqual(failures, [], `seed ${SEED}; the controller printed:\n${s.output().slice(-3000)}`);
    assert.ok(sent >= 1000, `at least a thousand requests were sent (${sent})`);
    assert.ok((statuses.get(200) ?? 0) > 0 && (statuses.get(400) ?? 0) > 0 && (statuses.get(404) ?? 0) > 0, summary);
    assert.equal(s.child.exitCode, null, 'still running');
    assert.equal((await send(s.url, 'GET', '/version')).status, 200);
    assert.doesNotMatch(s.output(), /internal error|ERROR/, 'nothing unexpected was logged');
    const keep = await send(s.url, 'GET', '/benchmark/keep');
    assert.equal(keep.status, 200);
    assert.equal(keep.text, KEEP_YAML);
    for (const [path, data] of keepBefore) assert.equal(filesUnder(join(root, 'benchmark')).get(path), data, path);
    assert.deepEqual(filesUnder(join(root, 'run', '0000')), runBefore, 'the stored run is untouched');
    assert.equal((await send(s.url, 'GET', '/run/0000')).status, 200);
  });
});
