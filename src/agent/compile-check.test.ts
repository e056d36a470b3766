import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseBenchmark } from '../config/index.js';
import { compileCheck, offlineEngine } from './compile-check.js';

const benchmark = (users: number, step = 'httpRequest: {GET: /}') => parseBenchmark([
  'name: many-users',
  "http: {host: 'http://127.0.0.1:1', sharedConnections: 10}",
  'phases:',
  '- main:',
  '    always:',
  `      users: ${users}`,
  '      duration: 1s',
  '      scenario:',
  '      - request:',
  `        - ${step}`,
  '        - thinkTime: 1s',
].join('\n'), { fileName: 'many-users.hf.yaml' });

test('the compile check of a 100,000-user benchmark builds one session, not 100,000 (the heap stays small)', () => {
  const parsed = benchmark(100_000);
  const before = getHeapStatistics().total_heap_size;
  assert.deepEqual(compileCheck(parsed), []);
  const grownBytes = getHeapStatistics().total_heap_size - before;
  // Every session is alive until the check returns, so building all of them leaves a heap grown by about
  // 100,000 × 3 KB (a session of this scenario) = 300 MB (315 MB measured before the fix); one session and the
  // compiled scenario need well under 1 MB, and a heap grows in steps of a few MB: 64 MB tells the two apart.
  assert.ok(grownBytes < 64 * 1024 * 1024, `the heap grew by ${(grownBytes / 1048576).toFixed(1)} MB`);
});

test('the compile check of many users still reports what only the engine finds, with its position', () => {
  // `loop` must be the first step of its sequence: only the scenario compiler knows.
  const problems = compileCheck(benchmark(100_000, 'thinkTime: 1ms\n        - loop: {counterVar: i, repeats: 2, steps: [noop]}'));
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0]!.file, 'many-users.hf.yaml');
  assert.match(problems[0]!.message, /loop must be the first step/);
});

test('a pooled session of an HTTP scenario (request + think time) costs at most 2.5 KB of heap', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const users = 20_000;
  const parsed = benchmark(users);
  offlineEngine(parsed, 1).close(); // code and shared structures of the scenario, not per session
  gc();
  const before = process.memoryUsage().heapUsed;
  const built = offlineEngine(parsed);
  gc();
  const perSessionBytes = (process.memoryUsage().heapUsed - before) / users;
  assert.equal(built.engine.poolInfo()[0]!.size, users);
  built.close();
  // What the 10,000-session bench holds per user before its first request: 3,070 B measured while every session
  // pre-allocated 16 sequence instances, 2,236 B since they are created on demand. Heap object sizes do not vary
  // between runs of one Node version, so 2.5 KB leaves room for a few fields, not for another 16 objects.
  assert.ok(perSessionBytes <= 2.5 * 1024, `${perSessionBytes.toFixed(0)} B per session`);
});
