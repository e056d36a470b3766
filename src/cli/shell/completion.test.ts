/** Tab completion without a controller: command names, options, positional kinds and file paths. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complete, filePaths } from './completion.js';
import { ShellContext } from './context.js';
import { pipeTerminal } from './terminal.js';

const cx = new ShellContext(pipeTerminal());
const dir = mkdtempSync(join(tmpdir(), 'hf-complete-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('complete', () => {
  it('command names: several matches listed, a single one completed with a space', () => {
    assert.deepEqual(complete(cx, 'sta'), [['start-local', 'stats', 'status'], 'sta']);
    assert.deepEqual(complete(cx, 'expo'), [['export '], 'expo']);
    assert.deepEqual(complete(cx, 'con'), [['connect', 'connections', 'conns'], 'con']);
    assert.deepEqual(complete(cx, 'zzz'), [[], 'zzz']);
  });

  it('options of the command being typed', () => {
    assert.deepEqual(complete(cx, 'stats --to'), [['--total '], '--to']);
    assert.deepEqual(complete(cx, 'export -'), [['--format', '-f', '--destination', '-d', '--yes', '-y', '--help', '-h'], '-']);
  });

  it('fixed words and command names as arguments; nothing past the last argument', () => {
    assert.deepEqual(complete(cx, 'help sess'), [['sessions '], 'sess']);
    assert.deepEqual(complete(cx, 'help stats x'), [[], 'x']);
  });

  it('benchmark and run names come from the controller: none without one', async () => {
    assert.deepEqual(await complete(cx, 'run '), [[], '']);
    assert.deepEqual(await complete(cx, 'status -a '), [[], ''], 'options are skipped when counting arguments');
  });

  it('file paths: directories end with / and hidden files only when asked for', () => {
    mkdirSync(join(dir, 'bench'));
    writeFileSync(join(dir, 'bench.hf.yaml'), '');
    writeFileSync(join(dir, '.hidden'), '');
    assert.deepEqual(filePaths(`${dir}/be`), [`${dir}/bench/`, `${dir}/bench.hf.yaml`]);
    assert.deepEqual(filePaths(`${dir}/`), [`${dir}/bench/`, `${dir}/bench.hf.yaml`]);
    assert.deepEqual(filePaths(`${dir}/.h`), [`${dir}/.hidden`]);
    assert.deepEqual(complete(cx, `upload ${dir}/bench.`), [[`${dir}/bench.hf.yaml `], `${dir}/bench.`]);
    assert.deepEqual(complete(cx, `upload ${dir}/ben`), [[`${dir}/bench/`, `${dir}/bench.hf.yaml`], `${dir}/ben`]);
    assert.deepEqual(filePaths(join(dir, 'missing', 'x')), []);
  });
});
