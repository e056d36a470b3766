// httpRequest against real servers on 127.0.0.1: what goes on the wire (method, path, headers, bodies), where it
// goes (authority, endpoint, templated authority, absolute URLs), cookies, User-Agent, and what is refused when
// the benchmark is compiled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { parseBenchmark } from '../../config/index.js';
import { EngineCompileError, EngineWorker, Services, SOLO_WORKER } from '../../engine/index.js';
import { StatsRecorderRegistry } from '../../stats/index.js';
import { testRegistry } from './fixtures.test-support.js';
import { atOnceYaml, counts, openPools, runBenchmark, startServer, TEST_PROTOCOL } from './harness.test-support.js';
import { HTTP_POOLS, STATS_RECORDERS, STEP_SLAS } from './index.js';

test('renders the method, path pattern, headers (pattern and fromVar), Host, User-Agent and every body form', { skip: TEST_PROTOCOL === 'h2c' && 'counts Host headers on the wire; HTTP/2 sends :authority' }, async () => {
  const server = await startServer((_req, res) => res.end('ok'));
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - set: who <- alice & bob
  - set: token <- t0k3n
  - httpRequest:
      GET: /users/\${urlencode:who}?session=\${hyperfoil.session.id}
      headers:
        x-trace: trace-\${hyperfoil.session.id}
        authorization:
          fromVar: token
  - httpRequest:
      PUT: /text
      body:
        text: plain \${who} not interpolated
  - httpRequest:
      POST: /pattern
      body: hello \${who}
  - httpRequest:
      POST: /var
      body:
        fromVar: token
  - httpRequest:
      POST: /file
      body:
        fromFile: data.txt
  - httpRequest:
      POST: /form
      body:
        form:
        - name: a b
          value: x&y
        - name: c
          fromVar: who
        - name: d
          pattern: pre-\${token}
  - httpRequest:
      method: DELETE
      path: /del
      headers:
        Host: custom.example
`), { registry: testRegistry(), files: { 'data.txt': 'line one\nline two\n' } });
    assert.equal(result.terminated, true);
    const seen = server.seen;
    assert.deepEqual(seen.map((s) => `${s.method} ${s.url}`), [
      'GET /users/alice+%26+bob?session=0', 'PUT /text', 'POST /pattern', 'POST /var', 'POST /file', 'POST /form', 'DELETE /del',
    ]);
    const [get, text, pattern, fromVar, file, form, del] = seen;
    assert.equal(get!.headers['x-trace'], 'trace-0');
    assert.equal(get!.headers.authorization, 't0k3n');
    assert.equal(get!.headers.host, `127.0.0.1:${server.port}`);
    assert.equal(get!.headers['user-agent'], `#0@${hostname()}`);
    assert.equal(get!.headers['content-length'], undefined, 'no body, no Content-Length');
    assert.equal(text!.body, 'plain ${who} not interpolated');
    assert.equal(pattern!.body, 'hello alice & bob');
    assert.equal(fromVar!.body, 't0k3n');
    assert.equal(file!.body, 'line one\nline two\n');
    assert.equal(file!.headers['content-type'], undefined, 'fromFile sets no content type');
    assert.equal(form!.body, 'a+b=x%26y&c=alice+%26+bob&d=pre-t0k3n');
    assert.equal(form!.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(form!.headers['content-length'], String(form!.body.length));
    // A Host header in the benchmark replaces the automatic one (exactly one Host on the wire).
    assert.equal(del!.headers.host, 'custom.example');
    assert.equal(del!.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === 'host').length, 1);
    assert.equal(counts(result.stats.get('main')).requests, 7);
    assert.equal(counts(result.stats.get('main')).s2xx, 7);
  } finally {
    await server.close();
  }
});

test('routes by endpoint, authority, templated authority/endpoint and absolute URLs', async () => {
  const alpha = await startServer((_req, res) => res.end('alpha'));
  const beta = await startServer((_req, res) => res.end('beta'));
  try {
    const result = await runBenchmark(`name: routing
http:
- host: ${alpha.url}
  name: alpha
- host: ${beta.url}
  name: beta
phases:
- main:
    atOnce:
      users: 1
      scenario:
      - main:
        - httpRequest:
            GET: /by-endpoint
            endpoint: beta
        - httpRequest:
            GET: /by-authority
            authority: 127.0.0.1:${alpha.port}
        - set: target <- 127.0.0.1:${beta.port}
        - httpRequest:
            GET: /by-templated-authority
            authority: \${target}
        - set: ep <- alpha
        - httpRequest:
            GET: /by-templated-endpoint
            endpoint: \${ep}
        - httpRequest:
            GET: http://127.0.0.1:${beta.port}/by-url?x=1
        - set: url <- http://127.0.0.1:${alpha.port}/by-dynamic-url
        - httpRequest:
            GET:
              fromVar: url
`, { registry: testRegistry() });
    assert.equal(result.terminated, true);
    assert.deepEqual(alpha.seen.map((s) => s.url), ['/by-authority', '/by-templated-endpoint', '/by-dynamic-url']);
    assert.deepEqual(beta.seen.map((s) => s.url), ['/by-endpoint', '/by-templated-authority', '/by-url?x=1']);
    for (const s of beta.seen) assert.equal(s.headers.host, `127.0.0.1:${beta.port}`);
    for (const s of alpha.seen) assert.equal(s.headers.host, `127.0.0.1:${alpha.port}`);
    assert.equal(counts(result.stats.get('main')).responses, 6);
  } finally {
    await alpha.close();
    await beta.close();
  }
});

test('a templated authority that matches no target fails the session with the resolver\'s message', async () => {
  const server = await startServer((_req, res) => res.end());
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - set: target <- nowhere.example:81
  - httpRequest:
      GET: /x
      authority: \${target}
`), { registry: testRegistry() });
    const last = result.statuses.at(-1)!;
    assert.equal(last.failedSessions, 1);
    assert.match(last.error ?? '', /no HTTP target matches authority `nowhere\.example:81`/);
    assert.equal(server.seen.length, 0);
  } finally {
    await server.close();
  }
});

test('cookies: Set-Cookie is kept per session and sent back where domain, path and expiry allow', async () => {
  let issued = 0;
  const server = await startServer((req, res) => {
    if (req.url === '/login') {
      res.setHeader('set-cookie', [`sid=S${issued++}; Path=/`, 'area=private; Path=/private', 'wrong=1; Domain=other.example']);
    } else if (req.url === '/logout') {
      res.setHeader('set-cookie', 'sid=gone; Max-Age=0; Path=/');
    }
    res.end();
  });
  try {
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 2, `
- main:
  - httpRequest:
      GET: /login
  - httpRequest:
      GET: /page
  - httpRequest:
      GET: /private/x
  - httpRequest:
      GET: /logout
  - httpRequest:
      GET: /after
`));
    const bySession = new Map<string, string[]>();
    for (const s of server.seen) {
      const ua = String(s.headers['user-agent']);
      bySession.set(ua, [...(bySession.get(ua) ?? []), `${s.url} ${s.headers.cookie ?? '-'}`]);
    }
    assert.equal(bySession.size, 2);
    const sids = new Set<string>();
    for (const lines of bySession.values()) {
      const sid = /sid=(S\d)/.exec(lines[1]!)?.[1];
      assert.ok(sid !== undefined, lines.join(' | '));
      sids.add(sid);
      assert.deepEqual(lines, [
        '/login -',
        `/page sid=${sid}`,
        `/private/x sid=${sid}; area=private`,
        `/logout sid=${sid}`,
        '/after -',
      ]);
    }
    assert.equal(sids.size, 2, 'each session got and sent back its own cookie');
  } finally {
    await server.close();
  }
});

test('repeatCookies: false and userAgentFromSession: false send neither header', async () => {
  const server = await startServer((_req, res) => {
    res.setHeader('set-cookie', 'sid=1');
    res.end();
  });
  try {
    await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /one
  - httpRequest:
      GET: /two
`, 'ergonomics:\n  repeatCookies: false\n  userAgentFromSession: false'));
    assert.equal(server.seen.length, 2);
    for (const s of server.seen) {
      assert.equal(s.headers.cookie, undefined);
      assert.equal(s.headers['user-agent'], undefined);
    }
  } finally {
    await server.close();
  }
});

function compileError(yaml: string): string {
  const benchmark = parseBenchmark(yaml, { fileName: 'test.hf.yaml' });
  const pools = openPools(benchmark);
  const services = new Services()
    .set(HTTP_POOLS, { of: (target) => pools.get(target)! })
    .set(STATS_RECORDERS, new StatsRecorderRegistry())
    .set(STEP_SLAS, new Map());
  try {
    const worker = new EngineWorker({ benchmark, identity: SOLO_WORKER, services, onStatus: () => {}, registry: testRegistry() });
    worker.close();
    return '';
  } catch (error) {
    assert.ok(error instanceof EngineCompileError, String(error));
    return error.message;
  }
}

test('compensation outside an `always` phase is refused where it is written; parseHtml fetchResource compiles', () => {
  const http = 'http:\n  host: http://127.0.0.1:1';
  assert.throws(() => parseBenchmark(atOnceYaml(http, 1, `
- main:
  - httpRequest:
      GET: /
      compensation:
        targetRate: 10
`), { fileName: 'test.hf.yaml' }), /test\.hf\.yaml:\d+:\d+: httpRequest: `compensation` works only in `always` phases; phase `main` is `atOnce`/);
  assert.equal(compileError(atOnceYaml(http, 1, `
- main:
  - httpRequest:
      GET: /
      handler:
        body:
          parseHtml:
            onEmbeddedResource:
              fetchResource:
                maxResources: 4
`)), '', 'fetchResource compiles (fetch-resource.test.ts runs it)');
  assert.equal(compileError(atOnceYaml(http, 1, `
- main:
  - httpRequest:
      GET: /
`)), '');
});

test('a request SLA (or the default one) is declared for the step', async () => {
  const server = await startServer((_req, res) => res.end());
  try {
    const result = await runBenchmark(atOnceYaml(`http:\n  host: ${server.url}`, 1, `
- main:
  - httpRequest:
      GET: /a
  - httpRequest:
      GET: /b
      sla:
        meanResponseTime: 1s
`));
    const slas = [...result.stepSlas.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
    assert.equal(slas.length, 2);
    assert.equal(slas[0]![0]!.blockedRatio, 0, 'default SLA: no blocking');
    assert.equal(slas[1]![0]!.meanResponseTimeNs, 1e9);
  } finally {
    await server.close();
  }
});

test('a header name that is not a token is refused at compile time, even when its value is dynamic', () => {
  const http = 'http:\n  host: http://127.0.0.1:1';
  assert.match(compileError(atOnceYaml(http, 1, `
- main:
  - set: {var: v, value: a}
  - httpRequest:
      GET: /
      headers:
        "bad name": \${v}
`)), /test\.hf\.yaml:\d+:\d+: .*header name "bad name" is not a valid HTTP token/);
});
