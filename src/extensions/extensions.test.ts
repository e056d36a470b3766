/**
 * Extensions in one process: a TypeScript extension from a temporary folder is compiled on load and its action and
 * processor become part of the format (validate: positions and did-you-mean; schema) and of the engine; the
 * example `divide` behaves as Hyperfoil's; a throwing extension fails only its session, counted and placed; a
 * broken module is reported with its file and line; a name clash leaves the registries untouched.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIVIDE_EXTENSION, repoRoot } from '../../test/support/reference.js';
import { writeExtensionFiles, writeSigningExtension } from '../../test/support/extension-fixture.js';
import { benchmarkJsonSchema, parseBenchmark } from '../config/index.js';
import { processorRegistry, stepRegistry } from '../config/steps/index.js';
import { defaultRegistry } from '../engine/index.js';
import { feed, runScenario } from '../engine/steps/test-support.js';
import { BenchmarkError } from '../lib/index.js';
import { parseControllerMessage } from '../protocol/index.js';
import { extensionMismatch, loadedExtensions, prepareExtensions } from './index.js';

const signing = await prepareExtensions({ specs: [writeSigningExtension(), DIVIDE_EXTENSION] });

function problemsOf(yaml: string): string[] {
  try {
    parseBenchmark(yaml, { fileName: 'ext.hf.yaml' });
    return [];
  } catch (error) {
    if (!(error instanceof BenchmarkError)) throw error;
    return error.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
}

const benchmarkWith = (steps: string): string => `name: ext\nphases:\n- main:\n    atOnce:\n      users: 1\n      scenario:\n      - s:\n${steps}`;

describe('extensions', () => {
  it('loads a TypeScript extension with a relative import from a folder, once per thread', async () => {
    assert.deepEqual(signing.map((e) => e.name), ['test-signing', 'divide']);
    assert.match(signing[0]?.file ?? '', /[0-9a-f]{64}\.mjs$/);
    assert.equal(signing[0]?.sha256, /([0-9a-f]{64})\.mjs$/.exec(signing[0]?.file ?? '')?.[1]);
    const again = await prepareExtensions({ specs: [DIVIDE_EXTENSION] });
    assert.deepEqual(again, [signing[1]], 'the same compiled module is not registered twice');
    assert.deepEqual(loadedExtensions().map((e) => e.name).slice(0, 2), ['test-signing', 'divide']);
  });

  it('its components join the catalogue: an action is a step and a processor too, a processor only a processor', () => {
    assert.ok(Object.hasOwn(stepRegistry.codecs, 'sign') && Object.hasOwn(processorRegistry.codecs, 'sign'));
    assert.ok(Object.hasOwn(processorRegistry.codecs, 'reverse') && !Object.hasOwn(stepRegistry.codecs, 'reverse'));
    assert.ok(defaultRegistry.action('sign') && defaultRegistry.processor('reverse') && defaultRegistry.step('divide'));
  });

  it('validate reports mistakes in extension components with their position and did-you-mean', () => {
    assert.deepEqual(problemsOf(benchmarkWith('        - sign: {fromVr: a, toVar: b, key: k}\n        - sgn: {}\n        - divide: foo /= 0\n')), [
      '8:18 unknown property `fromVr` in sign. Did you mean `fromVar`? Expected one of: fromVar, toVar, key',
      '9:11 unknown step `sgn`. Did you mean `sign` or `json` or `set`?',
      '10:19 divide: cannot divide by 0',
    ]);
  });

  it('the JSON Schema describes extension components with their properties', () => {
    type Def = { properties?: Record<string, unknown>; anyOf?: Def[] };
    const defs = (benchmarkJsonSchema() as { $defs: Record<string, Def> }).$defs;
    // An object's mapping form, beside its list of repeated invocations when it has one.
    const mapping = (def: Def | undefined): Def | undefined => def?.anyOf?.find((d) => d.properties) ?? def;
    assert.deepEqual(Object.keys(mapping(defs['action.sign'])?.properties ?? {}).sort(), ['fromVar', 'key', 'toVar']);
    assert.ok(defs['step.divide'] && defs['processor.reverse']);
  });

  it('an extension action and processor run with the built-ins\' contract (per-session state, parts)', () => {
    const run = feed('- reverse: body\n', [['ab', 'cd'], ['xyz']], { users: 2 });
    assert.equal(run.value('body', 0), 'zyx', 'state reset by `before`, parts joined, stored on the last part');
    assert.equal(run.value('body', 1), 'zyx');
    assert.deepEqual(run.errors(), []);
  });

  it('divide (the example extension): `foo /= 3` truncates towards zero and blocks until the variable is set', () => {
    const run = runScenario(`
initialSequences:
- divider:
  - divide: foo /= 3
- setter:
  - thinkTime: 1s
  - setInt: foo <- -34
`);
    assert.equal(run.value('foo'), undefined);
    assert.equal(run.session().activeSequences, 2, 'divide is blocked, not failed');
    run.advanceMs(1000);
    assert.equal(run.value('foo'), -11);
    assert.deepEqual(run.errors(), []);
  });

  it('the README\'s example (examples/extensions/hmac) signs a variable', async () => {
    await prepareExtensions({ specs: [join(repoRoot, 'examples', 'extensions', 'hmac')] });
    const run = runScenario('- s:\n  - set: body <- hello\n  - hmac: {fromVar: body, toVar: signature, key: secret}\n');
    assert.equal(run.value('signature'), createHmac('sha256', 'secret').update('hello').digest('hex'));
    assert.deepEqual(run.errors(), []);
    // The README shows this file whole (less its first line, a comment): they must not drift apart.
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const shown = /`extensions\/hmac\/index\.ts`[^\n]*\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const file = readFileSync(join(repoRoot, 'examples', 'extensions', 'hmac', 'index.ts'), 'utf8');
    assert.equal(shown, file.slice(file.indexOf('\n') + 1));
  });

  it('an extension that throws fails only its session: counted, with the step\'s position and the message', () => {
    const run = runScenario(`
- s:
  - set: text <- boom
  - sign: {fromVar: text, toVar: sig, key: k}
  - set: after <- reached
`, { users: 3 });
    assert.equal(run.worker.counters(run.phaseName).failed, 3);
    assert.deepEqual(run.errors(), Array(3).fill('Internal error at /virtual/steps-test.hf.yaml:9:13: cannot sign boom'));
    assert.equal(run.value('after'), undefined);
    // The worker goes on: the phase obeys its commands and ends normally.
    run.worker.command(run.phaseName, 'TERMINATE');
    assert.equal(run.events.at(-1)?.status, 'TERMINATED');
  });

  it('a module that does not compile is reported with its file, line and column', async () => {
    const dir = writeExtensionFiles({ 'index.ts': 'export default (api) => ({\n  name: \'broken\',\n  components: { x: api.action( },\n});\n' });
    await assert.rejects(prepareExtensions({ specs: [dir] }), (error: Error) => {
      assert.match(error.message, new RegExp(`^${join(dir, 'index.ts')}:3:\\d+: Unexpected "}"`));
      return true;
    });
  });

  it('a module that throws while loading is reported at its source line (through the source map)', async () => {
    const dir = writeExtensionFiles({
      'index.ts': 'import type { Extension } from \'hyperfoil-ts/extension\';\n\nconst extension: Extension = (api) => {\n  const table: Record<string, number> = {};\n  if (table.size === undefined) throw new TypeError(\'no table\');\n  return { name: \'x\', components: {} };\n};\nexport default extension;\n',
    });
    await assert.rejects(prepareExtensions({ specs: [dir] }), (error: Error) => {
      assert.match(error.message, new RegExp(`^${join(dir, 'index.ts')}:5:\\d+: extension ${dir} failed to load: TypeError: no table$`));
      return true;
    });
  });

  it('a name that is taken is refused and nothing of that extension is registered', async () => {
    const dir = writeExtensionFiles({
      'index.js': 'export default (api) => ({ name: \'clash\', components: {\n  fresh: api.action(api.object({}, { what: \'fresh\' }), () => ({ run() {} })),\n  log: api.action(api.object({}, { what: \'log\' }), () => ({ run() {} })),\n} });\n',
    });
    await assert.rejects(prepareExtensions({ specs: [dir] }), /extension clash declares action `log`, which already exists; rename it/);
    assert.equal(Object.hasOwn(stepRegistry.codecs, 'fresh'), false);
    assert.equal(defaultRegistry.action('fresh'), undefined);
  });

  it('a missing extension and an unknown package say what was looked for', async () => {
    await assert.rejects(prepareExtensions({ specs: ['./no/such/extension.ts'] }), /extension \.\/no\/such\/extension\.ts: no such file or folder$/);
    await assert.rejects(prepareExtensions({ specs: ['no-such-hyperfoil-extension'] }), /no npm package of that name is installed here/);
  });

  it('an agent accepts init only with the controller\'s extensions, naming the one it lacks', () => {
    const [ext] = signing as [typeof signing[number]];
    assert.equal(extensionMismatch('a', [ext], [ext]), undefined);
    assert.match(extensionMismatch('a', [ext], []) ?? '', /^agent a lacks the extension test-signing that this run needs/);
    assert.match(extensionMismatch('a', [ext], [{ ...ext, sha256: '0'.repeat(64) }]) ?? '', /^agent a has a different version of the extension test-signing/);
  });

  it('init carries the extensions through the agent\'s message validation, which refuses malformed ones', () => {
    const init = {
      type: 'init', runId: '0001', agentName: 'a', agentIndex: 0, agentThreads: [1],
      benchmark: { fileName: 'x.hf.yaml', text: 'name: x', params: {}, files: {} },
    };
    const ref = { name: 'test-signing', sha256: 'a'.repeat(64) };
    assert.deepEqual((parseControllerMessage({ ...init, extensions: [ref] }) as { extensions?: unknown }).extensions, [ref]);
    assert.equal((parseControllerMessage(init) as { extensions?: unknown }).extensions, undefined);
    assert.throws(() => parseControllerMessage({ ...init, extensions: [{ name: 'x' }] }), /sha256/);
    assert.throws(() => parseControllerMessage({ ...init, extensions: [{ name: 'x', sha256: 'a'.repeat(65) }] }), /sha256/);
  });
});
