// The step tests again, over HTTP/2: the same files run in a child process with HF_TEST_PROTOCOL=h2c, so
// their servers speak h2c (node:http2) and their pools h2c with prior knowledge (harness.test-support.ts).
// Tests that do not apply to HTTP/2 skip themselves under HF_TEST_PROTOCOL=h2c and say why (4 of them).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const FILES = ['http-flow', 'http-handlers', 'http-request', 'http-sessions', 'http-stats', 'routing', 'coordinated-omission'];

test('the step tests pass over h2c (HTTP/2 with prior knowledge), those that apply to HTTP/2', () => {
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...FILES.map((f) => `${here}${f}.test.js`)], {
    // Without NODE_TEST_CONTEXT the child reports in TAP instead of to this runner.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')), HF_TEST_PROTOCOL: 'h2c' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  const summary = (key: string): number => Number(new RegExp(`^# ${key} (\\d+)`, 'm').exec(result.stdout)?.[1] ?? NaN);
  assert.equal(result.status, 0, result.stdout.split('\n').filter((l) => /^\s*not ok|error:|expected|actual/.test(l)).join('\n') + result.stderr);
  assert.equal(summary('fail'), 0);
  // Every test of these files ran over h2c except the four that skip themselves.
  assert.equal(summary('skipped'), 4);
  assert.ok(summary('pass') >= 20, `passed over h2c: ${summary('pass')}`);
});
