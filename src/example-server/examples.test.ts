import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { RunningExampleServer } from './index.js';
import { startExampleServer } from './index.js';
import type { RequestSpec } from './test-client.js';
import { Http1Client } from './test-client.js';

// Every httpRequest of the benchmarks that target the example server (ours in examples/, and Hyperfoil's own
// examples kept beside the repository) must be listed below with concrete samples, and every sample must get the
// status the benchmark expects. A new request in an example without a sample here fails the test.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const ourExamples = join(repoRoot, 'examples');
const referenceExamples = [join(repoRoot, '..', 'shared'), join(repoRoot, '..', '..', 'shared')]
  .map((dir) => join(dir, 'hyperfoil-reference', 'examples'))
  .find((dir) => existsSync(dir));

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT'];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface Sample extends RequestSpec { readonly status: number }

/** `METHOD pattern` as written in the benchmark → requests such a step can send, and the expected status. */
const SAMPLES: Readonly<Record<string, readonly Sample[]>> = {
  'GET /': [{ path: '/', status: 200 }],
  'GET /foo': [{ path: '/foo', status: 404 }], // staircase.hf.yaml: the original server had no such page either
  'GET /quickstarts/choose-movie/profile?user=${username}': [{ path: '/quickstarts/choose-movie/profile?user=brucewillis', status: 200 }],
  'GET /quickstarts/choose-movie/profile?user=${viewer}': [{ path: '/quickstarts/choose-movie/profile?user=jackiechan', status: 200 }],
  'GET /quickstarts/choose-movie/movies': [{ path: '/quickstarts/choose-movie/movies', status: 200 }],
  'POST /quickstarts/choose-movie/movie/${urlencode:movieNames[.]}/comments': [
    { method: 'POST', path: '/quickstarts/choose-movie/movie/Plump%20Fiction/comments', body: 'This movie sucks.', status: 200 },
    { method: 'POST', path: '/quickstarts/choose-movie/movie/Shanghai%20Knights/comments', body: 'This movie sucks.', status: 200 },
  ],
  'GET /quickstarts/choose-movie/movie/${urlencode:movieName}/watch': [
    { path: '/quickstarts/choose-movie/movie/The%20Terminator/watch', status: 200 },
  ],
  'GET /quickstarts/choose-movie/movie/${urlencode:title}/watch': [
    { path: '/quickstarts/choose-movie/movie/Die%20Hard/watch', status: 200 },
  ],
  'GET /quickstarts/eshop/items': [{ path: '/quickstarts/eshop/items', status: 200 }],
  'POST /quickstarts/eshop/items/${itemId}/buy': [418, 420, 450].map((id) => ({ method: 'POST', path: `/quickstarts/eshop/items/${id}/buy`, status: 200 })),
  'POST /quickstarts/eshop/items/${itemId}/restock': [
    { method: 'POST', path: '/quickstarts/eshop/items/1/restock', headers: FORM, body: 'addUnits=10', status: 200 },
    { method: 'POST', path: '/quickstarts/eshop/items/999/restock', headers: FORM, body: 'addUnits=1', status: 200 },
  ],
  'GET /quickstarts/random-urls/${my-random-path}': [
    { path: '/quickstarts/random-urls/index.html', status: 200 },
    { path: '/quickstarts/random-urls/foo.png', status: 200 },
    { path: '/quickstarts/random-urls/bar.png', status: 300 },
    { path: '/quickstarts/random-urls/this-returns-404.png', status: 404 },
  ],
  'GET /quickstarts/random-urls/${asset}': [
    { path: '/quickstarts/random-urls/index.html', status: 200 },
    { path: '/quickstarts/random-urls/foo.png', status: 200 },
  ],
  'GET /howto/credentials/secure': [
    { path: '/howto/credentials/secure', status: 401 },
    { path: '/howto/credentials/secure', headers: { cookie: 'token=some-secret-token' }, status: 200 },
    { path: '/howto/credentials/secure', headers: { authorization: 'Bearer some-secret-token' }, status: 200 },
  ],
  'GET /howto/credentials/login': [
    { path: '/howto/credentials/login', status: 401 },
    { path: '/howto/credentials/login', headers: { authorization: `Basic ${Buffer.from('johnny:pA55w012d').toString('base64')}` }, status: 302 },
  ],
  'POST /howto/credentials/login': [
    { method: 'POST', path: '/howto/credentials/login', headers: FORM, body: 'username=tony&password=aLongSequenceThatsReallyHardToGuess', status: 200 },
  ],
};

interface FoundRequest { readonly key: string }

function collectRequests(node: unknown, found: FoundRequest[] = []): FoundRequest[] {
  if (Array.isArray(node)) {
    for (const item of node) collectRequests(item, found);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'httpRequest' && value !== null && typeof value === 'object') {
        const method = METHODS.find((m) => m in value);
        assert.ok(method, `httpRequest without a method key: ${JSON.stringify(value)}`);
        const target = (value as Record<string, unknown>)[method];
        const pattern = typeof target === 'string' ? target : (target as { pattern?: string; value?: string }).pattern ?? (target as { value?: string }).value;
        found.push({ key: `${method} ${pattern}` });
      }
      collectRequests(value, found);
    }
  }
  return found;
}

/** The `http.host` entries of a benchmark (mapping or list form). */
function hosts(doc: { http?: unknown }): string[] {
  const http = doc.http;
  const list = Array.isArray(http) ? http : [http];
  return list.map((entry) => (entry as { host?: string } | undefined)?.host ?? '').filter((host) => host !== '');
}

/** Benchmarks whose only targets are the example server (localhost:8080 or localhost:8084). */
function benchmarksForServer(dir: string): { file: string; doc: { http?: unknown }; secure: boolean }[] {
  return readdirSync(dir).filter((name) => name.endsWith('.hf.yaml')).sort().flatMap((name) => {
    const doc = parse(readFileSync(join(dir, name), 'utf8')) as { http?: unknown };
    const targets = hosts(doc);
    const ours = targets.length > 0 && targets.every((h) => /^https?:\/\/localhost:(8080|8084)\/?$/.test(h));
    return ours ? [{ file: name, doc, secure: targets.every((h) => h.endsWith(':8084')) }] : [];
  });
}

let server: RunningExampleServer;
let plain: Http1Client;
let secure: Http1Client;
before(async () => {
  server = await startExampleServer({ httpPort: 0, httpsPort: 0, quiet: true });
  plain = new Http1Client(server.httpUrl);
  secure = new Http1Client(server.httpsUrl ?? assert.fail('no https'));
});
after(async () => {
  plain.close();
  secure.close();
  await server.close();
});

async function checkBenchmark(file: string, doc: unknown, isSecure: boolean, onlySuccess: boolean): Promise<void> {
  const requests = collectRequests(doc);
  assert.ok(requests.length > 0, `${file} has no httpRequest`);
  for (const { key } of requests) {
    const samples = SAMPLES[key];
    assert.ok(samples, `${file}: no sample for '${key}'; add one to SAMPLES in examples.test.ts`);
    for (const sample of samples) {
      if (onlySuccess && sample.status >= 300) continue;
      const response = await (isSecure ? secure : plain).send(sample);
      assert.equal(response.status, sample.status, `${file}: ${sample.method ?? 'GET'} ${sample.path}`);
    }
  }
}

describe('our examples/ benchmarks', () => {
  const benchmarks = benchmarksForServer(ourExamples);
  test('there are three, all aimed at the example server', () => {
    assert.deepEqual(benchmarks.map((b) => b.file), ['closed-model.hf.yaml', 'quick.hf.yaml', 'secure-login.hf.yaml']);
  });
  for (const { file, doc, secure: isSecure } of benchmarks) {
    test(`${file}: every request it makes succeeds`, () => checkBenchmark(file, doc, isSecure, true));
  }
});

describe('Hyperfoil\'s reference examples (from ../shared)', { skip: referenceExamples === undefined ? 'reference examples not found beside the repository' : false }, () => {
  const benchmarks = referenceExamples === undefined ? [] : benchmarksForServer(referenceExamples);
  test('the ones aimed at the example server are all covered', () => {
    assert.deepEqual(benchmarks.map((b) => b.file), [
      'choose-movie.hf.yaml', 'credentials.hf.yaml', 'divide.hf.yaml', 'eshop-forks.hf.yaml', 'eshop-scale.hf.yaml',
      'eshop.hf.yaml', 'random-urls.hf.yaml', 'staircase.hf.yaml', 'two-agents.hf.yaml',
    ]);
  });
  for (const { file, doc, secure: isSecure } of benchmarks) {
    if (file === 'divide.hf.yaml') continue; // a custom-step demo: it sends no request
    test(`${file}: every request it makes gets the status the original server gave`, () => checkBenchmark(file, doc, isSecure, false));
  }
});
