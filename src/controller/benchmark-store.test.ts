import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchmarkError, HyperfoilError } from '../lib/index.js';
import { BenchmarkStore, checkBenchmarkName, normalizeVersion, scanTemplate, storedFileName } from './benchmark-store.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof HyperfoilError, `expected a HyperfoilError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('expected an error');
}

describe('BenchmarkStore', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hf-store-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('stores a benchmark and its data files in Hyperfoil\'s layout and loads them again after a restart', () => {
    const store = new BenchmarkStore(root);
    const files = new Map([['users.csv', Buffer.from('alice\nbob\n')], ['data/hosts.txt', Buffer.from('h1')]]);
    const stored = store.put({ text: 'name: demo\n', files });
    assert.equal(stored.name, 'demo');
    assert.equal(stored.isTemplate, false);
    assert.equal(readFileSync(join(root, 'benchmark', 'demo.yaml'), 'utf8'), 'name: demo\n');
    assert.equal(readFileSync(join(root, 'benchmark', 'demo.data', 'users.csv'), 'utf8'), 'alice\nbob\n');
    assert.equal(readFileSync(join(root, 'benchmark', 'demo.data', 'data_hosts.txt'), 'utf8'), 'h1', 'directories are flattened');
    assert.deepEqual(readdirSync(join(root, 'benchmark')).sort(), ['demo.data', 'demo.yaml'], 'no temporary files left');

    const reopened = new BenchmarkStore(root);
    assert.deepEqual(reopened.benchmarkNames(), ['demo']);
    const again = reopened.get('demo')!;
    assert.equal(again.text, 'name: demo\n');
    assert.equal(again.version, stored.version, 'the version is the same after a restart');
    assert.deepEqual([...again.files.keys()].sort(), ['data_hosts.txt', 'users.csv']);
    assert.deepEqual(reopened.loadProblems, []);
  });

  it('gives a new version for new content and checks if-match against the current one', () => {
    const store = new BenchmarkStore(root);
    const v1 = store.put({ text: 'name: demo\n', files: new Map() }).version;
    const v2 = store.put({ text: 'name: demo\n# edited\n', files: new Map(), ifMatch: v1 }).version;
    assert.notEqual(v1, v2);
    assert.equal(code(() => store.put({ text: 'name: demo\n# stale\n', files: new Map(), ifMatch: v1 })), 'VERSION_CONFLICT');
    assert.equal(store.get('demo')!.text, 'name: demo\n# edited\n', 'a conflicting upload changes nothing');
    const v3 = store.put({ text: 'name: demo\n# third\n', files: new Map(), ifMatch: `"${v2}"` }).version;
    assert.notEqual(v3, v2, 'a quoted ETag is accepted as if-match');
    const withFile = store.put({ text: 'name: demo\n# third\n', files: new Map([['a', Buffer.from('1')]]) }).version;
    assert.notEqual(withFile, v3, 'data files are part of the version');
  });

  it('keeps templates apart from benchmarks and renders them with parameters', () => {
    const store = new BenchmarkStore(root);
    store.put({ text: 'name: plain\n', files: new Map() });
    const template = store.put({ text: 'name: tpl\n# users: !param USERS 10\n', files: new Map() });
    assert.equal(template.isTemplate, false, 'a !param inside a comment does not make a template');
    const real = store.put({ text: 'name: !param NAME tpl\n', files: new Map() });
    assert.equal(real.isTemplate, true);
    assert.equal(real.name, 'tpl', 'the name comes from the !param default');
    assert.deepEqual(store.benchmarkNames(), ['plain']);
    assert.deepEqual(store.templateNames(), ['tpl']);
    assert.equal(store.render(real, { NAME: 'rendered' }).name, 'rendered');
    assert.equal(store.render(real).name, 'tpl');

    const needsParam = store.put({ text: 'name: other\nx: !param MISSING\n', files: new Map() });
    assert.equal(needsParam.isTemplate, true, 'a template is stored even though it cannot be rendered without parameters');
    assert.throws(() => store.render(needsParam), (e) => e instanceof BenchmarkError && /missing template parameter `MISSING`/.test(e.message));
    assert.equal(code(() => store.put({ text: 'name: !param NAME\n', files: new Map() })), 'INVALID_BENCHMARK');
    assert.throws(() => store.put({ text: 'name: t2\nx: !param X\nx: 1\n', files: new Map() }),
      (e) => e instanceof BenchmarkError && /3:1: YAML syntax error: this key appears twice/.test(e.message),
      'a template with a YAML error is refused at upload, not at run time');
    assert.deepEqual(new BenchmarkStore(root).templateNames(), ['other', 'tpl'], 'templates stay templates after a restart');
  });

  it('refuses an invalid benchmark with its problems and positions, storing nothing', () => {
    const store = new BenchmarkStore(root);
    assert.throws(() => store.put({ text: 'name: demo\nfoo: [\n', files: new Map() }, { fileName: 'up.hf.yaml' }),
      (e) => e instanceof BenchmarkError && e.problems[0]!.file === 'up.hf.yaml' && e.problems[0]!.line === 3);
    assert.throws(() => store.put({ text: 'name: demo\nnot_a_key: 1\n', files: new Map() }), /2:1/);
    assert.deepEqual(readdirSync(join(root, 'benchmark')), []);
  });

  it('never writes outside the store, whatever the names', () => {
    const store = new BenchmarkStore(root);
    const before = readdirSync(root).sort();
    for (const text of ['name: ../evil\n', 'name: a/b\n', 'name: ..\n', 'name: .hidden\n', 'name: "a\\0b"\n', 'name: " x"\n']) {
      assert.equal(code(() => store.put({ text, files: new Map() })), 'INVALID_NAME', text);
    }
    assert.equal(code(() => checkBenchmarkName('')), 'INVALID_NAME');
    assert.equal(code(() => store.put({ text: 'name: ok\n', files: new Map([['..', Buffer.from('x')]]) })), 'INVALID_NAME');
    assert.equal(code(() => store.put({ text: 'name: ok\n', files: new Map([['a\0b', Buffer.from('x')]]) })), 'INVALID_NAME');
    assert.deepEqual(readdirSync(root).sort(), before);
    assert.deepEqual(readdirSync(join(root, 'benchmark')), []);
    assert.ok(!existsSync(join(root, 'evil.yaml')));

    store.put({ text: 'name: ok\n', files: new Map([['../up.csv', Buffer.from('x')], ['/etc/passwd', Buffer.from('y')]]) });
    assert.deepEqual(readdirSync(join(root, 'benchmark', 'ok.data')).sort(), ['.._up.csv', '_etc_passwd']);
    assert.deepEqual(readdirSync(root).sort(), before);
  });

  it('deletes a benchmark with its files, and takes missing files from storedFilesBenchmark', () => {
    const store = new BenchmarkStore(root);
    store.put({ text: 'name: old\n', files: new Map([['a.csv', Buffer.from('1')]]) });
    const template = store.put({ text: 'name: !param N renamed\n', files: new Map() }, { storedFilesBenchmark: 'old' });
    assert.equal(template.files.get('a.csv')?.toString(), '1', 'a template keeps every file of storedFilesBenchmark');
    assert.equal(store.delete('old'), true);
    assert.equal(store.delete('old'), false);
    assert.equal(store.get('old'), undefined);
    assert.deepEqual(readdirSync(join(root, 'benchmark')).sort(), ['renamed.data', 'renamed.yaml']);
    store.put({ text: 'name: !param N renamed\n', files: new Map() });
    assert.ok(!existsSync(join(root, 'benchmark', 'renamed.data')), 'an upload without files removes the old ones');
  });

  it('cleans up what a crash left and reports files it cannot load', () => {
    const dir = join(root, 'benchmark');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.tmp-abc.yaml'), 'name: half\n');
    mkdirSync(join(dir, '.tmp-abc.data'));
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    writeFileSync(join(dir, 'good.yaml'), 'name: good\n');
    mkdirSync(join(dir, 'dir.yaml'));
    const store = new BenchmarkStore(root);
    assert.deepEqual(store.benchmarkNames(), ['good']);
    assert.deepEqual(readdirSync(dir).sort(), ['dir.yaml', 'good.yaml', 'notes.txt']);
  });
});

describe('names and template scanning', () => {
  it('flattens data file names and normalizes versions', () => {
    assert.equal(storedFileName('a/b\\c.csv'), 'a_b_c.csv');
    assert.equal(storedFileName('...'), '...');
    assert.equal(normalizeVersion('W/"abc"'), 'abc');
    assert.equal(normalizeVersion(' abc '), 'abc');
  });

  it('lists !param names with their defaults, including nested and quoted ones', () => {
    const scan = scanTemplate('name: t\nphases:\n- a: {users: !param USERS 10, d: !param D "1 s"}\n- b: !param HOST\n');
    assert.deepEqual([...scan.params], [['USERS', '10'], ['D', '1 s'], ['HOST', undefined]]);
    assert.equal(scan.name, 't');
    assert.equal(scanTemplate('name: [\n').syntaxError, true);
  });
});
