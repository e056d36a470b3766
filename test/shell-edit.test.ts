/**
 * `new` and `edit` against a real controller: the editor is a real child process (a small node script standing in
 * for $EDITOR) that changes, keeps, breaks the benchmark, or changes it on the controller behind the shell's back
 * to make a conflict. The shell's context runs in this process, as a script (no terminal to ask questions on).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startController } from '../src/controller/index.js';
import type { Controller } from '../src/controller/index.js';
import { inVmDeployer } from '../src/deploy/index.js';
import { ShellContext, execute } from '../src/cli/shell/index.js';
import type { Terminal } from '../src/cli/shell/terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-shell-edit-'));
const editor = join(dir, 'editor.mjs');
writeFileSync(editor, `
import { readFileSync, writeFileSync } from 'node:fs';
const file = process.argv[2];
const text = readFileSync(file, 'utf8');
const mode = process.env.HF_TEST_EDIT;
if (mode === 'rate') writeFileSync(file, text.replace(/usersPerSec: \\d+/, 'usersPerSec: 7'));
if (mode === 'break') writeFileSync(file, text.replace(/phases:[\\s\\S]*/, 'phases: 5\\n'));
if (mode === 'conflict') {
  // Someone else uploads a new version while this editor is open.
  const other = text.replace(/usersPerSec: \\d+/, 'usersPerSec: 99');
  const res = await fetch(process.env.HF_TEST_URL + '/benchmark', { method: 'POST', headers: { 'content-type': 'text/vnd.yaml' }, body: other });
  if (res.status !== 204) process.exit(9);
  writeFileSync(file, text.replace(/usersPerSec: \\d+/, 'usersPerSec: 3'));
}
`);

function recorder(): Terminal & { text(): string } {
  const lines: string[] = [];
  return {
    interactive: false,
    info: (t) => void lines.push(t),
    warn: (t) => void lines.push(t),
    write: (t) => void lines.push(t),
    columns: 1000,
    ask: () => Promise.resolve(undefined),
    handOver: (use) => use(),
    text: () => lines.join('\n'),
  };
}

describe('hyperfoil cli: new and edit', () => {
  let controller: Controller;
  before(async () => {
    controller = await startController({
      mode: 'standalone', deployer: inVmDeployer(), rootDir: join(dir, 'root'), host: '127.0.0.1', port: 0, log: () => {},
    });
    process.env.HF_TEST_URL = controller.url;
    process.env.EDITOR = `${process.execPath} ${editor}`;
    delete process.env.VISUAL;
  });
  after(async () => {
    await controller.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function shell(lines: readonly string[], mode: string): Promise<{ ok: boolean[]; text: string }> {
    process.env.HF_TEST_EDIT = mode;
    const terminal = recorder();
    const cx = new ShellContext(terminal);
    const ok: boolean[] = [];
    for (const line of [`connect ${controller.url}`, ...lines]) ok.push((await execute(cx, line)).ok);
    return { ok, text: terminal.text() };
  }

  it('new: a benchmark from a template, stored on the controller; not twice', async () => {
    const created = await shell(['new fresh -t constant', 'new fresh -t constant', 'new other -t nosuch'], 'none');
    assert.deepEqual(created.ok, [true, true, false, false]);
    assert.match(created.text, /Created benchmark fresh from template constant\./);
    assert.match(created.text, /new: benchmark fresh already exists: `edit fresh` changes it/);
    assert.match(created.text, /there is no template `nosuch`: choose constant, throughput, empty/);
    const stored = controller.store.get('fresh');
    assert.ok(stored);
    assert.match(stored.text, /^name: fresh$/m);
    assert.match(stored.text, /constantRate:\n\s+usersPerSec: 10/);
  });

  it('edit: the edited text is uploaded with if-match; unchanged text is not', async () => {
    const version = controller.store.get('fresh')!.version;
    const edited = await shell(['edit fresh'], 'rate');
    assert.deepEqual(edited.ok, [true, true], edited.text);
    assert.match(edited.text, /Uploading benchmark fresh\.\.\.\nBenchmark fresh updated\./);
    assert.match(controller.store.get('fresh')!.text, /usersPerSec: 7/);
    assert.notEqual(controller.store.get('fresh')!.version, version);
    const unchanged = await shell(['edit fresh'], 'none');
    assert.match(unchanged.text, /No changes, not uploading\./);
  });

  it('edit: an invalid edit is refused with its position and kept on disk', async () => {
    const before = controller.store.get('fresh')!.text;
    const broken = await shell(['edit fresh'], 'break');
    assert.deepEqual(broken.ok, [true, false]);
    assert.match(broken.text, /fresh\.hf\.yaml:\d+:\d+: expected a list of phases/);
    const kept = /your text is in (\S+)\)/.exec(broken.text)?.[1];
    assert.ok(kept && existsSync(kept), 'the edited text stays for the user');
    assert.match(readFileSync(kept, 'utf8'), /phases: 5/);
    assert.equal(controller.store.get('fresh')!.text, before, 'nothing uploaded');
  });

  it('edit: a change made meanwhile on the controller is a conflict, not overwritten', async () => {
    const conflict = await shell(['edit fresh'], 'conflict');
    assert.deepEqual(conflict.ok, [true, false]);
    assert.match(conflict.text, /Conflict: fresh was changed on the controller while you were editing it\./);
    assert.match(conflict.text, /edit not uploaded because of the conflict; your text is in \S+/);
    assert.match(controller.store.get('fresh')!.text, /usersPerSec: 99/, 'the other change stands');
  });

  it('edit keeps the data files stored with the benchmark', async () => {
    writeFileSync(join(dir, 'words.txt'), 'a\nb\n');
    const source = join(dir, 'with-data.hf.yaml');
    writeFileSync(source, 'name: with-data\nphases:\n- main:\n    constantRate: {usersPerSec: 10, duration: 1s, scenario: [{s: [{randomItem: {file: words.txt, toVar: w}}]}]}\n');
    const result = await shell([`upload ${source}`, 'edit with-data'], 'rate');
    assert.deepEqual(result.ok, [true, true, true], result.text);
    const stored = controller.store.get('with-data')!;
    assert.match(stored.text, /usersPerSec: 7/);
    assert.equal(stored.files.get('words.txt')?.toString(), 'a\nb\n');
  });
});
