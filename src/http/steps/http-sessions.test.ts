// httpRequest and the session around it: `var[.]` in handlers of concurrent sequence instances,
// ergonomics.compensateInternalLatency in an open-model phase, and the agent's WorkerRuntime hosting the steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerRuntime } from '../../agent/index.js';
import type { FromWorker } from '../../agent/worker-messages.js';
import { decodeSnapshot, StatsSnapshot } from '../../stats/index.js';
import { testRegistry } from './fixtures.test-support.js';
import { runBenchmark, startServer, TEST_PROTOCOL } from './harness.test-support.js';

test('handlers of concurrent sequence instances write their own element of `var[.]`', async () => {
  let issued = 0;
  const server = await startServer((req, res) => {
    if (req.url === '/item') {
      const token = `t${issued++}`;
      // Held so that both instances' requests are in flight together: their responses are handled outside the
      // session's run loop, where only the request context knows which instance sent them.
      setTimeout(() => res.end(token), 100);
    } else {
      res.end();
    }
  });
  try {
    const result = await runBenchmark(`name: instances
http:
  host: ${server.url}
  sharedConnections: 2
phases:
- main:
    atOnce:
      users: 1
      scenario:
        initialSequences:
        - start:
          - set:
              var: tokens
              objectArray:
                size: 2
          - newSequence: fetch
          - newSequence: fetch
        sequences:
        - fetch[2]:
          - httpRequest:
              GET: /item
              handler:
                body:
                  store: tokens[.]
          - httpRequest:
              GET: /echo/\${tokens[.]}
`, { registry: testRegistry() });
    assert.equal(result.counters.failed, 0, result.statuses.at(-1)?.error);
    const echoes = server.seen.filter((s) => s.url.startsWith('/echo/')).map((s) => s.url).sort();
    assert.deepEqual(echoes, ['/echo/t0', '/echo/t1']);
  } finally {
    await server.close();
  }
});

test('compensateInternalLatency: the first request of a late open-model session is timed from its scheduled start', async () => {
  const server = await startServer((_req, res) => setTimeout(() => res.end(), 40));
  try {
    // 100 starts/s but one session at a time, each taking ≥ 80 ms (two 40 ms requests): starts fall behind the
    // schedule by ≥ 70 ms more with every session (8 arrivals per session, 1 started).
    const yaml = (compensate: boolean): string => `name: compensate
http:
  host: ${server.url}
ergonomics:
  compensateInternalLatency: ${compensate}
phases:
- main:
    constantRate:
      usersPerSec: 100
      variance: false
      maxSessions: 1
      sessionLimitPolicy: CONTINUE
      duration: 1s
      scenario:
      - main:
        - httpRequest:
            GET: /first
            metric: first
        - httpRequest:
            GET: /second
            metric: second
`;
    const compensated = await runBenchmark(yaml(true), { durationMs: 600 });
    const plain = await runBenchmark(yaml(false), { durationMs: 600 });
    // With ≥ 4 sessions in 600 ms (≤ 150 ms each, generously), the 4th starts ≥ 3 × 70 = 210 ms behind its
    // schedule: timed from the schedule, its first request takes ≥ 210 + 39 ms. Without compensation, and for the
    // second request either way, a request takes the server's 40 ms plus local overhead: < 200 ms even on a
    // loaded machine.
    const first = compensated.stats.get('first')!;
    assert.ok(first.responseCount >= 4, `${first.responseCount} sessions`);
    assert.ok(first.maxNs() >= 249e6, `compensated first request max ${first.maxNs() / 1e6} ms`);
    assert.ok(compensated.stats.get('second')!.maxNs() < 200e6);
    assert.ok(plain.stats.get('first')!.maxNs() < 200e6, `uncompensated first request max ${plain.stats.get('first')!.maxNs() / 1e6} ms`);
    assert.ok(first.minNs() >= 39e6);
  } finally {
    await server.close();
  }
});

test('the agent\'s WorkerRuntime runs httpRequest: SLAs in ready, statistics in stats messages', { skip: TEST_PROTOCOL === 'h2c' && 'its pools are opened outside the harness (HTTP/1.1)' }, async () => {
  const server = await startServer((req, res) => {
    res.statusCode = req.url === '/missing' ? 404 : 200;
    res.end();
  });
  const messages: FromWorker[] = [];
  let notify: () => void = () => {};
  const runtime = new WorkerRuntime({
    runId: '0001',
    agentName: 'agent',
    agentIndex: 0,
    agentThreads: [1],
    threadIndex: 0,
    benchmark: {
      fileName: 'runtime.hf.yaml',
      params: {},
      files: {},
      text: `name: runtime
http:
  host: ${server.url}
  sharedConnections: 2
phases:
- main:
    atOnce:
      users: 2
      scenario:
      - main:
        - httpRequest:
            GET: /ok
        - httpRequest:
            GET: /missing
            metric: missing
            sla:
              invalidRatio: 0.5
`,
    },
  }, (message) => {
    messages.push(message);
    notify();
  });
  const waitFor = async (type: FromWorker['type']): Promise<void> => {
    while (!messages.some((m) => m.type === type)) await new Promise<void>((resolve) => { notify = resolve; });
  };
  try {
    await runtime.start();
    const ready = messages.find((m) => m.type === 'ready');
    assert.ok(ready !== undefined && ready.type === 'ready', JSON.stringify(messages));
    const slas = Object.values(ready.stepSlas);
    assert.equal(slas.length, 2);
    assert.ok(slas.some((s) => s[0]?.invalidRatio === 0.5));
    runtime.handle({ type: 'phase', phase: 'main', command: 'RUN' });
    runtime.handle({ type: 'phase', phase: 'main', command: 'FINISH' });
    runtime.handle({ type: 'phase', phase: 'main', command: 'TRY_TERMINATE' });
    await waitFor('phaseStatsComplete');
    const totals = new Map<string, StatsSnapshot>();
    for (const m of messages) {
      if (m.type !== 'stats') continue;
      for (const item of m.items) {
        const sum = totals.get(item.metric) ?? new StatsSnapshot();
        sum.add(decodeSnapshot(item.snapshot));
        totals.set(item.metric, sum);
      }
    }
    assert.equal(totals.get('main')!.status2xx, 2);
    assert.equal(totals.get('missing')!.status4xx, 2);
    assert.equal(totals.get('missing')!.invalid, 2);
    assert.deepEqual(server.seen.map((s) => s.url).sort(), ['/missing', '/missing', '/ok', '/ok']);
  } finally {
    runtime.stop();
    await server.close();
  }
});
