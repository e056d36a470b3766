/**
 * Pre and post hooks of a real run (embedded controller, in-process agent): the environment they get, their
 * order (benchmark hooks and `<root>/hooks/<kind>/` executables by name), hooks.json, and a failing pre hook that
 * fails the run before any phase starts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchmark } from '../src/config/index.js';
import { RunManager } from '../src/controller/index.js';
import { inVmDeployer } from '../src/deploy/index.js';

function managerAt(rootDir: string): RunManager {
  return new RunManager({
    rootDir, deployer: inVmDeployer(), mode: 'standalone', allowBenchmarkHooks: true, render: () => { throw new Error('unused'); },
  });
}

const phases = 'phases:\n- p:\n    atOnce: {users: 1, scenario: [{s: [noop]}]}\n';

describe('run hooks', () => {
  it('run with the run\'s environment, in name order, and their output lands in hooks.json', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-hooks-'));
    const trace = join(root, 'trace.txt');
    mkdirSync(join(root, 'hooks', 'post'), { recursive: true });
    const dirHook = join(root, 'hooks', 'post', '10-from-dir');
    writeFileSync(dirHook, `#!/bin/sh\necho "dir-post $RUN_ID" >> ${trace}\necho from-dir\n`);
    chmodSync(dirHook, 0o755);
    const benchmark = parseBenchmark([
      'name: hooked',
      'pre:',
      `  b-second: echo "pre2 $BENCHMARK" >> ${trace}`,
      `  a-first: echo "pre1 $RUN_ID $RUN_DESCRIPTION $(basename $RUN_DIR) $(basename $BENCHMARK_PATH)" >> ${trace}; echo hello`,
      'post:',
      `- 20-bench: {exec: 'echo "bench-post" >> ${trace}'}`,
      phases,
    ].join('\n'), { fileName: join(root, 'hooked.hf.yaml') });
    const manager = managerAt(root);
    const run = manager.startRun(benchmark, { description: 'desc' });
    await manager.whenStored(run.id);
    assert.deepEqual(run.errors, []);
    assert.deepEqual(readFileSync(trace, 'utf8').trim().split('\n'), [
      'pre1 0000 desc 0000 hooked.yaml', 'pre2 hooked', 'dir-post 0000', 'bench-post',
    ]);
    const hooks = JSON.parse(readFileSync(join(root, 'run', '0000', 'hooks.json'), 'utf8')) as Array<{ name: string; output: string }>;
    assert.deepEqual(hooks.map((h) => [h.name, h.output.trim()]), [['a-first', 'hello'], ['b-second', ''], ['10-from-dir', 'from-dir'], ['20-bench', '']]);
  });

  it('a failing pre hook fails the run before any phase starts, and is named', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-hooks-'));
    const benchmark = parseBenchmark(`name: failing\npre:\n  check: echo nope >&2; exit 3\n${phases}`, { fileName: join(root, 'f.hf.yaml') });
    const manager = managerAt(root);
    const run = manager.startRun(benchmark);
    await manager.whenStored(run.id);
    assert.deepEqual(run.errors.map((e) => e.message), ['hook `check` exited with 3: nope']);
    assert.equal(run.startedMs, undefined, 'no phase started');
    const info = JSON.parse(readFileSync(join(root, 'run', '0000', 'info.json'), 'utf8')) as { errors: Array<{ msg: string }> };
    assert.equal(info.errors[0]?.msg, 'hook `check` exited with 3: nope');
  });
});
