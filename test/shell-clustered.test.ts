/**
 * `start-local --clustered` from a pipe: the shell embeds a clustered controller whose runs deploy the agents their
 * benchmark declares as local processes; a benchmark without agents is refused as a clustered Hyperfoil refuses it.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runShell } from '../src/cli/shell/test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-shell-clustered-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function benchmark(name: string, agents: string): string {
  const file = join(dir, `${name}.hf.yaml`);
  writeFileSync(file, `name: ${name}\n${agents}phases:\n- main:\n    atOnce: {users: 4, scenario: [{s: [noop]}]}\n`);
  return file;
}

describe('start-local --clustered', () => {
  it('runs a benchmark on the agents it declares, each a local process', async () => {
    const result = await runShell([
      `start-local ${join(dir, 'root')} --clustered -q`, `upload ${benchmark('two', 'agents: [a1, a2]\n')}`, 'run', 'wait', 'status',
    ], { timeoutMs: 90_000 });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Agents: a1\[STOPPED\], a2\[STOPPED\]|Agents: a1\[STOPPED\] a2\[STOPPED\]/);
    assert.match(result.stdout, /Outcome: +passed/);
  });

  it('refuses a benchmark without agents, as a clustered controller does (exit 3, the benchmark does not fit)', async () => {
    const result = await runShell([`start-local ${join(dir, 'root2')} --clustered -q`, `upload ${benchmark('none', '')}`, 'run']);
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.match(result.stdout + result.stderr, /clustered but the benchmark does not define any agents/);
  });
});
