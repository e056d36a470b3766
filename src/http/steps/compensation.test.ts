// `httpRequest.compensation` against a real server: users of an `always` phase start at the target rate, and the
// compensated metric times each session's first request from its scheduled start, so late starts count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBenchmark, startServer } from './harness.test-support.js';

function alwaysYaml(url: string, users: number, targetRate: number): string {
  return `name: test
http:
  host: ${url}
  sharedConnections: ${users}
phases:
- main:
    always:
      users: ${users}
      duration: 10s
      scenario:
      - main:
        - httpRequest:
            GET: /
            compensation:
              targetRate: ${targetRate}
`;
}

test('users start at the target rate: 10 per second for 1 s, whatever the number of users', async () => {
  const server = await startServer((_req, res) => res.end('fast'));
  try {
    const result = await runBenchmark(alwaysYaml(server.url, 5, 10), { durationMs: 1000 });
    // Starts are due at 0, 100, … 900 ms after the phase start, and the one at 1000 ms may just make it before
    // FINISH (sent after a 1000 ms sleep that never ends early): 10 or 11. Without pacing, 5 users of a local server
    // would send thousands.
    const requests = result.stats.get('main')!.requestCount;
    assert.ok(requests >= 10 && requests <= 11, `${requests} requests`);
    const compensated = result.stats.get('compensated-main')!;
    assert.equal(compensated.requestCount, requests, 'one compensated sample per session start');
  } finally {
    await server.close();
  }
});

test('a user that starts late counts the wait in the compensated metric', async () => {
  // One user, 10 starts per second, 300 ms responses: the user can start only every 300 ms, so start k (due at
  // k × 100 ms) begins at k × 300 ms and its compensated time is 300 + 200 k ms; the plain metric stays ~300 ms.
  const server = await startServer((_req, res) => { setTimeout(() => res.end('slow'), 300); });
  try {
    const result = await runBenchmark(alwaysYaml(server.url, 1, 10), { durationMs: 1000 });
    const plain = result.stats.get('main')!;
    const compensated = result.stats.get('compensated-main')!;
    assert.ok(plain.requestCount >= 3, `${plain.requestCount} requests`);
    // The 3rd start (k = 2) is compensated ≥ 700 ms while no plain response takes more than ~300 ms plus
    // scheduling noise; 600 ms separates them with 100 ms to spare on each side.
    assert.ok(compensated.maxNs() >= 600e6, `compensated max ${compensated.maxNs() / 1e6} ms`);
    assert.ok(plain.maxNs() < 600e6, `plain max ${plain.maxNs() / 1e6} ms`);
  } finally {
    await server.close();
  }
});
