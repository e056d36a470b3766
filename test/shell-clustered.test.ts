/**
 * `start-local --clustered` from a pipe: the shell embeds a clustered controller whose runs deploy the agents their
 * benchmark declares as local processes; a benchmark without agents is refused as a clustered Hyperfoil refuses it.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('publishGlobalCounters: each agent adds up its threads, the controller sums the agents (all.json globalCounters)', async () => {
    const file = join(dir, 'counters.hf.yaml');
    // 8 users over 2 agents of 2 threads each; every user publishes 3 under `sum` and 1 under `users`.
    writeFileSync(file, [
      'name: counters', 'agents: [a1, a2]', 'threads: 2', 'phases:', '- main:', '    atOnce:', '      users: 8', '      scenario:',
      '      - s:', '        - setInt: three <- 3', '        - setInt: one <- 1',
      '        - publishGlobalCounters: {key: totals, vars: [{sum: three}, {users: one}]}',
    ].join('\n'));
    const out = join(dir, 'export');
    const result = await runShell([
      `start-local ${join(dir, 'root3')} --clustered -q`, `upload ${file}`, 'run', 'wait', `export -f JSON -d ${out}.json -y`,
    ], { timeoutMs: 90_000 });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const all = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { globalCounters: unknown };
    assert.deepEqual(all.globalCounters, { totals: { sum: 24, users: 8 } });
  });

  it('refuses a benchmark without agents, as a clustered controller does (exit 3, the benchmark does not fit)', async () => {
    const result = await runShell([`start-local ${join(dir, 'root2')} --clustered -q`, `upload ${benchmark('none', '')}`, 'run']);
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.match(result.stdout + result.stderr, /clustered but the benchmark does not define any agents/);
  });
});
