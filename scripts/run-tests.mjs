#!/usr/bin/env node
// Runs every compiled test file with node's test runner. Node 20 does not discover files by glob,
// so we list them here; the runner's summary then counts every test of every file.
// Usage: node scripts/run-tests.mjs [substring ...]  (only test files whose path contains a substring)
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

const filters = process.argv.slice(2);
const files = [join(dist, 'src'), join(dist, 'test')]
  .flatMap((dir) => { try { return findTests(dir); } catch { return []; } })
  .filter((file) => filters.length === 0 || filters.some((f) => relative(root, file).includes(f)))
  .sort();

if (files.length === 0) {
  console.error('No test files found under dist/: did the build run?');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
