// The session's HTTP cache against a real server that counts what reaches it: freshness (max-age, Expires,
// no-store), revalidation (ETag / Last-Modified with 304), invalidation by unsafe methods, `clearHttpCache`, and
// `useHttpCache: false`. Cache hits are counted in the CACHE statistic instead of requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atOnceYaml, counts, runBenchmark, startServer } from './harness.test-support.js';
import { CacheHeaders, HttpCache, MAX_CACHE_RECORDS } from './http-cache.js';
import type { TestServer } from './harness.test-support.js';

async function cachingServer(): Promise<TestServer> {
  return startServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/fresh')) res.setHeader('cache-control', 'max-age=600');
    else if (url === '/expires') res.setHeader('expires', new Date(Date.now() + 600_000).toUTCString());
    else if (url === '/expired') res.setHeader('expires', 'Thu, 01 Jan 1970 00:00:00 GMT');
    else if (url === '/nostore') res.setHeader('cache-control', 'no-store, max-age=600');
    else if (url === '/missing') {
      res.setHeader('cache-control', 'max-age=600');
      res.statusCode = 404;
    }
    else if (url === '/etag') {
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('etag', '"v1"');
      if (req.headers['if-none-match'] === '"v1"') {
        res.statusCode = 304;
        res.end();
        return;
      }
    } else if (url === '/modified') {
      res.setHeader('cache-control', 'max-age=0, must-revalidate');
      res.setHeader('last-modified', 'Wed, 21 Oct 2015 07:28:00 GMT');
      if (req.headers['if-modified-since'] === 'Wed, 21 Oct 2015 07:28:00 GMT') {
        res.statusCode = 304;
        res.end();
        return;
      }
    }
    res.end('body');
  });
}

const hits = (server: TestServer, url: string): number => server.seen.filter((s) => s.url === url && s.method === 'GET').length;
const gets = (path: string, n: number): string => Array.from({ length: n }, () => `  - httpRequest: {GET: ${path}}`).join('\n');

test('three GETs of a max-age=600 URL reach the server once and count two cache hits', async () => {
  const server = await cachingServer();
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `\n- main:\n${gets('/fresh', 3)}\n`));
    assert.equal(hits(server, '/fresh'), 1);
    const main = result.stats.get('main')!;
    assert.equal(main.cacheHits, 2);
    assert.equal(counts(main).requests, 1, 'a cache hit is not a request');
    assert.equal(counts(main).s2xx, 1);
    // Each user has its own cache: a second session fetches again.
    server.seen.length = 0;
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 2, `\n- main:\n${gets('/fresh', 2)}\n`));
    assert.equal(hits(server, '/fresh'), 2);
  } finally {
    await server.close();
  }
});

test('Expires, an expired date and no-store decide freshness; useHttpCache: false sends every request', async () => {
  const server = await cachingServer();
  try {
    const missing = Array.from({ length: 2 }, () => '  - httpRequest: {GET: /missing, handler: {autoRangeCheck: false}}').join('\n');
    const scenario = `\n- main:\n${gets('/expires', 2)}\n${gets('/expired', 2)}\n${gets('/nostore', 2)}\n${missing}\n`;
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, scenario));
    // A 404 is not stored, even with max-age: a hit would run no status handler, so it would not be marked invalid.
    assert.deepEqual([hits(server, '/expires'), hits(server, '/expired'), hits(server, '/nostore'), hits(server, '/missing')], [1, 2, 2, 2]);
    assert.equal(result.stats.get('main')!.cacheHits, 1);
    server.seen.length = 0;
    const off = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}\n  useHttpCache: false`, 1, `\n- main:\n${gets('/fresh', 3)}\n`));
    assert.equal(hits(server, '/fresh'), 3);
    assert.equal(off.stats.get('main')!.cacheHits, 0);
  } finally {
    await server.close();
  }
});

test('no-cache with an ETag and must-revalidate with Last-Modified revalidate with conditional requests (304)', async () => {
  const server = await cachingServer();
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `\n- main:\n${gets('/etag', 3)}\n${gets('/modified', 2)}\n`));
    const etag = server.seen.filter((s) => s.url === '/etag');
    assert.deepEqual(etag.map((s) => s.headers['if-none-match'] ?? null), [null, '"v1"', '"v1"']);
    const modified = server.seen.filter((s) => s.url === '/modified');
    assert.deepEqual(modified.map((s) => s.headers['if-modified-since'] ?? null), [null, 'Wed, 21 Oct 2015 07:28:00 GMT']);
    const main = result.stats.get('main')!;
    assert.equal(main.cacheHits, 0, 'a revalidated response reached the server: not a hit');
    assert.deepEqual([counts(main).s2xx, counts(main).s3xx], [2, 3]);
  } finally {
    await server.close();
  }
});

test('POST to a cached URI invalidates it; clearHttpCache drops everything; a no-cache request header skips the cache', async () => {
  const server = await cachingServer();
  try {
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest: {GET: /fresh-a}
  - httpRequest: {GET: /fresh-b}
  - httpRequest: {POST: /fresh-a, body: x}
  - httpRequest: {GET: /fresh-a}
  - httpRequest: {GET: /fresh-b}
  - clearHttpCache
  - httpRequest: {GET: /fresh-b}
  - httpRequest: {GET: /fresh-b, headers: {cache-control: no-cache}}
`));
    assert.deepEqual([hits(server, '/fresh-a'), hits(server, '/fresh-b')], [2, 3]);
  } finally {
    await server.close();
  }
});

test('a cache hit runs the completion actions (sync and async requests), not the status handlers', async () => {
  const server = await cachingServer();
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - setInt: done <- 0
  - setInt: statuses <- 0
  - httpRequest:
      GET: /fresh
      handler:
        status: {action: {2xx: [{addToInt: statuses++}]}}
        onCompletion: [{addToInt: done++}]
  - httpRequest:
      GET: /fresh
      sync: false
      handler:
        status: {action: {2xx: [{addToInt: statuses++}]}}
        onCompletion: [{addToInt: done++}]
  - awaitAllResponses
  - httpRequest:
      GET: /fresh
      handler:
        onCompletion: [{addToInt: done++}]
  - fail: {intCondition: {fromVar: done, notEqualTo: 3}, message: completion did not run 3 times}
  - fail: {intCondition: {fromVar: statuses, notEqualTo: 1}, message: status handlers ran for a cache hit}
`));
    assert.equal(hits(server, '/fresh'), 1);
    assert.equal(result.counters.failed, 0, JSON.stringify(result.statuses.map((s) => s.error ?? '')));
    assert.equal(result.counters.finished, 1);
    assert.equal(result.stats.get('main')!.cacheHits, 2);
  } finally {
    await server.close();
  }
});

test('a target handing out endless unique URLs cannot grow a session\'s cache past its capacity; the oldest goes', () => {
  const cache = new HttpCache();
  const headers = new CacheHeaders();
  headers.offer('cache-control', 'max-age=600');
  for (let i = 0; i < 10_000; i++) cache.stored(`localhost:8080/unique/${i}`, 200, headers, 0);
  assert.equal(cache.size, MAX_CACHE_RECORDS);
  assert.equal(cache.get('localhost:8080/unique/0'), undefined, 'the oldest record was dropped');
  assert.ok(cache.get('localhost:8080/unique/9999'), 'the newest is kept');
  cache.stored('localhost:8080/unique/9999', 200, headers, 1); // refreshing a kept record drops nothing
  assert.ok(cache.get(`localhost:8080/unique/${10_000 - MAX_CACHE_RECORDS}`));
});
