/** The `hyperfoil` command as a user runs it: help, usage errors, validate and schema, with their exit codes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { DIVIDE_EXTENSION, referenceExamples, repoRoot, SKIP_NO_REFERENCE } from './support/reference.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-cli-'));

describe('hyperfoil command', () => {
  it('lists its commands with --help, and suggests a close one for a typo (exit 2)', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Commands:[\s\S]*run[\s\S]*validate[\s\S]*schema/);
    const typo = await runCli(['valdate', 'x']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command `valdate`\. Did you mean `validate`\?/);
  });

  it('--version prints the version of package.json and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      assert.equal(result.code, 0);
      assert.match(result.stdout, new RegExp(`^hyperfoil ${version.replace(/\./g, '\\.')} \\(commit `));
    }
  });

  it('validate: exit 0 and a one-line summary for a valid benchmark', async () => {
    const file = join(dir, 'ok.hf.yaml');
    writeFileSync(file, 'name: ok\nphases:\n- main:\n    atOnce:\n      users: 2\n      scenario:\n      - s:\n        - noop\n');
    const result = await runCli(['validate', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'ok: valid, 1 phase: main (atOnce: 2 users at once)');
  });

  it('validate: exit 3 with every problem as file:line:column, no stack trace', async () => {
    const file = join(dir, 'bad.hf.yaml');
    writeFileSync(file, 'name: bad\nphases:\n- main:\n    constantRate:\n      usersPerSec: 5\n      durtion: 5s\n      scenario:\n      - s:\n        - thinkTme: 1s\n');
    const result = await runCli(['validate', file]);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /bad\.hf\.yaml:6:7: unknown property `durtion`.*Did you mean `duration`\?/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  it('validate: problems only the engine sees are reported too, with their position (exit 3)', async () => {
    const file = join(dir, 'loop.hf.yaml');
    writeFileSync(file, 'name: loop\nphases:\n- p:\n    atOnce:\n      users: 1\n      scenario:\n      - s:\n        - noop\n        - loop: {counterVar: i, repeats: 2, steps: [noop]}\n');
    const result = await runCli(['validate', file]);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /loop\.hf\.yaml:9:11: loop must be the first step of sequence `s`/);
  });

  it('validate: a missing file, and a missing template parameter named with how to pass it', async () => {
    const missing = await runCli(['validate', join(dir, 'nope.hf.yaml')]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /nope\.hf\.yaml:1:1: cannot read the benchmark: no such file/);
    const file = join(dir, 'tpl.hf.yaml');
    writeFileSync(file, 'name: !param NAME\n');
    const noParam = await runCli(['validate', file]);
    assert.match(noParam.stderr, /missing template parameter `NAME`: pass it with `-P NAME=VALUE`/);
    const withParam = await runCli(['validate', file, '-P', 'NAME=given']);
    assert.match(withParam.stdout, /^given: valid/);
  });

  it('validate: an unknown option is a usage error (exit 2)', async () => {
    const result = await runCli(['validate', '--pram', 'x']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option `--pram`\. Did you mean `--param`\?/);
  });

  it('validates every reference example unchanged (divide.hf.yaml with its extension, as in Hyperfoil)', { skip: SKIP_NO_REFERENCE }, async () => {
    for (const file of referenceExamples()) {
      const result = await runCli(['validate', file, ...(file.endsWith('divide.hf.yaml') ? ['--extension', DIVIDE_EXTENSION] : [])]);
      assert.equal(result.code, 0, `${file}: ${result.stderr}`);
      assert.match(result.stdout, /: valid, \d+ phases?: /);
    }
  });

  it('schema prints a JSON Schema', async () => {
    const result = await runCli(['schema']);
    assert.equal(result.code, 0);
    const schema = JSON.parse(result.stdout) as { $schema: string; required: string[] };
    assert.match(schema.$schema, /json-schema\.org/);
    assert.ok(schema.required.includes('name'));
  });

  it('loads ssh2 only to deploy over SSH: its 16 MB WebAssembly memory is not in every run', () => {
    // Every command's module is imported by the CLI's entry point; a CommonJS package loaded by any of them is in
    // require's cache.
    const main = new URL('../src/cli/main.js', import.meta.url).href;
    const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(main)});
      const cache = createRequire(import.meta.url).cache;
      console.log(JSON.stringify({ ssh2: Object.keys(cache).filter((k) => k.includes('/node_modules/ssh2/')).length, yaml: Object.keys(cache).filter((k) => k.includes('/node_modules/yaml/')).length }));
    `], { encoding: 'utf8' });
    const counts = JSON.parse(loaded) as { ssh2: number; yaml: number };
    assert.ok(counts.yaml > 0, 'the check sees CommonJS packages the CLI does load');
    assert.equal(counts.ssh2, 0);
  });
});
