/**
 * Every scenario of Hyperfoil's example benchmarks (the specification's corpus, outside this repository) decodes,
 * and the decoded configs carry what the YAML says. The top level of those files is decoded elsewhere; here each
 * `scenario:` node is decoded on its own.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { referenceExamples, SKIP_NO_REFERENCE } from '../../test/support/reference.js';
import { findScenarioNodes, formatProblems, parseYaml } from './decode-testing.js';
import { loadBenchmarkFile } from './load.js';
import type { Scenario, SequenceDef } from './model.js';
import { scenarioCodec } from './scenario.js';
import type { HttpRequestConfig, StepSpec } from './steps/index.js';

function pathOf(file: string): string {
  const path = referenceExamples().find((p) => basename(p) === file);
  assert.ok(path, `example ${file} is missing`);
  return path;
}

function decodeExample(file: string): { scenarios: Scenario[]; problems: string[]; warnings: string[]; files: Map<string, Buffer> } {
  const path = pathOf(file);
  const { root, cx } = parseYaml(readFileSync(path, 'utf8'), { fileName: path });
  const scenarios: Scenario[] = [];
  for (const node of findScenarioNodes(root, cx)) {
    const value = scenarioCodec.decode(node, cx);
    if (typeof value !== 'symbol') scenarios.push(value);
  }
  return { scenarios, problems: formatProblems(cx.problems), warnings: formatProblems(cx.warnings), files: cx.files };
}

function only(file: string): Scenario {
  const { scenarios, problems } = decodeExample(file);
  assert.deepEqual(problems, []);
  assert.equal(scenarios.length, 1);
  return scenarios[0] as Scenario;
}

const find = (scenario: Scenario, name: string): SequenceDef => {
  const found = [...scenario.initialSequences, ...scenario.sequences].find((s) => s.name === name);
  assert.ok(found, `no sequence ${name}`);
  return found;
};
type ConfigOf<N extends StepSpec['name']> = Extract<StepSpec, { name: N }>['config'];
const step = <N extends StepSpec['name']>(sequence: SequenceDef, index: number, name: N): ConfigOf<N> => {
  const s = sequence.steps[index];
  assert.equal(s?.name, name, `step ${index} of ${sequence.name}`);
  return (s as StepSpec).config as unknown as ConfigOf<N>;
};
const ref = (name: string, indexed = false) => ({ name, indexed });
const literal = (text: string) => ({ pattern: { source: text, parts: [{ kind: 'literal', text }] } });

describe('Hyperfoil example scenarios', { skip: SKIP_NO_REFERENCE }, () => {
  it('every scenario of every example decodes without problems or warnings (divide.hf.yaml: its step is an extension)', () => {
    const expectedCounts: Record<string, number> = {
      'choose-movie.hf.yaml': 1, 'credentials.hf.yaml': 2, 'divide.hf.yaml': 0, 'eshop-forks.hf.yaml': 4, 'eshop-scale.hf.yaml': 4,
      'eshop.hf.yaml': 3, 'first-benchmark.hf.yaml': 1, 'http-requests.hf.yaml': 1, 'k8s-hello-world.hf.yaml': 1,
      'more-servers.hf.yaml': 1, 'random-urls.hf.yaml': 1, 'single-request.hf.yaml': 1, 'staircase.hf.yaml': 1, 'two-agents.hf.yaml': 1,
    };
    const files = referenceExamples().map((p) => basename(p));
    assert.deepEqual(files, Object.keys(expectedCounts).sort());
    for (const file of files) {
      const { scenarios, problems, warnings } = decodeExample(file);
      // `divide` is Hyperfoil's example extension, no longer built in (examples/extensions/divide): named, with its place
      if (file === 'divide.hf.yaml') assert.deepEqual(problems, ['10:5 unknown step `divide`'], file);
      else assert.deepEqual(problems, [], file);
      assert.deepEqual(warnings, [], file);
      assert.equal(scenarios.length, expectedCounts[file], file);
    }
  });

  it('every example loads as a whole benchmark, each phase with its decoded scenario', () => {
    for (const path of referenceExamples().filter((p) => !p.endsWith('divide.hf.yaml'))) {
      const benchmark = loadBenchmarkFile(path);
      assert.ok(benchmark.phases.length > 0, path);
      for (const phase of benchmark.phases) {
        if (phase.model.type === 'noop') continue;
        assert.ok(phase.scenario && phase.scenario.initialSequences.length > 0, `${path}: phase ${phase.name}`);
        assert.ok(phase.scenario.initialSequences[0]?.steps.length, `${path}: phase ${phase.name} has steps`);
      }
    }
  });

  it('choose-movie: initial and concurrent sequences, file items, json → array, foreach, [.] access', () => {
    const scenario = only('choose-movie.hf.yaml');
    assert.deepEqual(scenario.initialSequences.map((s) => s.name), ['home']);
    assert.deepEqual(scenario.sequences.map((s) => [s.name, s.concurrency]), [['addComment', 10], ['watchMovie', 0]]);
    const home = find(scenario, 'home');
    assert.deepEqual(step(home, 0, 'randomItem'), {
      toVar: ref('username'), source: { kind: 'items', file: 'usernames.txt', items: ['jackiechan', 'brucewillis', 'arnieschwarzenegger'] },
    });
    const movies = step(home, 2, 'httpRequest');
    assert.deepEqual([movies.sync, movies.metric], [false, { kind: 'name', name: 'movies' }]);
    const json = movies.handler.body[0];
    assert.equal(json?.name, 'json');
    assert.deepEqual(json.config.selectors, [{ kind: 'array', start: 0 }]);
    assert.deepEqual(json.config.processors.map((p) => [p.name, p.config]), [['array', { toVar: 'movies', maxSize: 10, format: 'BYTES', silent: false }]]);
    assert.deepEqual(home.steps.slice(3).map((s) => s.name), ['awaitAllResponses', 'thinkTime', 'set', 'set', 'foreach', 'newSequence']);
    assert.equal(step(home, 4, 'thinkTime').durationMs, 3000);
    assert.deepEqual(step(home, 7, 'foreach'), { fromVar: ref('movies'), sequence: 'addComment' });
    const addComment = find(scenario, 'addComment');
    assert.deepEqual(step(addComment, 0, 'json').fromVar, ref('movies', true));
    assert.deepEqual(step(addComment, 0, 'json').toVar, ref('quality', true));
    assert.deepEqual(step(addComment, 1, 'breakSequence').condition, {
      kind: 'int', fromVar: ref('quality', true), isSet: true, comparisons: [{ op: 'greaterOrEqualTo', than: { value: 80 } }],
    });
    const comment = step(addComment, 3, 'httpRequest');
    assert.deepEqual(comment.path, {
      pattern: {
        source: '/quickstarts/choose-movie/movie/${urlencode:movieNames[.]}/comments',
        parts: [{ kind: 'literal', text: '/quickstarts/choose-movie/movie/' }, { kind: 'var', ref: ref('movieNames', true), format: { kind: 'urlencode' } }, { kind: 'literal', text: '/comments' }],
      },
    });
    assert.deepEqual(comment.body, { kind: 'text', text: 'This movie sucks.' });
    assert.deepEqual(comment.metric, { kind: 'name', name: 'addComment' }, 'default metric = sequence name');
    assert.deepEqual(step(find(scenario, 'watchMovie'), 1, 'randomItem').source, { kind: 'fromVar', fromVar: ref('movies') });
  });

  it('eshop: inline randomInt and randomItem, form body, json toArray, think time; orderedSequences chaining', () => {
    const { scenarios, problems } = decodeExample('eshop.hf.yaml');
    assert.deepEqual(problems, []);
    const [browsing, buying, operator] = scenarios as [Scenario, Scenario, Scenario];
    assert.deepEqual(browsing.initialSequences.map((s) => s.name), ['browse']);
    assert.deepEqual(browsing.sequences, []);
    assert.deepEqual(buying.initialSequences[0]?.steps.map((s) => [s.name, s.name === 'nextSequence' ? s.config : undefined]), [
      ['httpRequest', undefined], ['nextSequence', { sequence: 'buy' }],
    ]);
    const browse = request(buying.initialSequences[0]?.steps[0]);
    assert.deepEqual(browse.handler.body[0]?.config, {
      query: '.[].id', selectors: [{ kind: 'array', start: 0 }, { kind: 'attribute', name: 'id' }], unquote: true, delete: false, processors: [],
      toArray: { name: 'itemIds', maxSize: 10 }, format: 'STRING',
    });
    const buy = find(buying, 'buy');
    assert.deepEqual(step(buy, 0, 'randomItem'), { toVar: ref('itemId'), source: { kind: 'fromVar', fromVar: ref('itemIds') } });
    const restock = find(operator, 'restock');
    assert.deepEqual(step(restock, 0, 'randomInt'), { toVar: ref('itemId'), min: { value: 1 }, max: { value: 999 } });
    assert.deepEqual(step(restock, 1, 'randomInt'), { toVar: ref('units'), min: { value: 1 }, max: { value: 10 } });
    assert.deepEqual(step(restock, 2, 'httpRequest').body, { kind: 'form', inputs: [{ name: 'addUnits', value: { fromVar: ref('units') } }] });
    assert.equal(step(restock, 3, 'thinkTime').durationMs, 2000);
  });

  it('random-urls: metric selectors, status range, onCompletion, sync false, awaitVar', () => {
    const test = find(only('random-urls.hf.yaml'), 'test');
    assert.deepEqual(step(test, 0, 'randomItem'), {
      toVar: ref('my-random-path'), source: { kind: 'items', items: ['index.html', 'foo.png', 'bar.png', 'this-returns-404.png'] },
    });
    const config = step(test, 1, 'httpRequest');
    assert.deepEqual(config.metric, {
      kind: 'selectors', selectors: [
        { kind: 'match', regex: '.*\\.html', replacement: 'pages' }, { kind: 'match', regex: '.*\\.png', replacement: 'images' }, { kind: 'default', name: 'other' },
      ],
    });
    assert.deepEqual(config.handler.status.map((h) => [h.name, h.config]), [['range', { min: 200, max: 299 }]]);
    assert.deepEqual(config.handler.onCompletion.map((a) => [a.name, a.config]), [['set', { var: ref('completed'), value: { kind: 'text', text: 'yes' } }]]);
    assert.equal(config.sync, false);
    assert.deepEqual(step(test, 2, 'awaitVar'), { var: ref('completed'), unset: false });
  });

  it('credentials: CSV rows without quotes, template, base64, header filter, status 401 and 30x', () => {
    const { scenarios, problems, files } = decodeExample('credentials.hf.yaml');
    assert.deepEqual(problems, []);
    assert.ok(files.has('credentials.csv'));
    const [cookie, bearer] = scenarios as [Scenario, Scenario];
    const before = request(find(cookie, 'before-login').steps[0]);
    assert.equal(before.handler.autoRangeCheck, false);
    assert.deepEqual(before.handler.status[0]?.config, { min: 401, max: 401 });
    const csv = step(find(cookie, 'login-with-form'), 0, 'randomCsvRow');
    assert.deepEqual(csv.columns, [{ index: 0, toVar: ref('username') }, { index: 1, toVar: ref('password') }]);
    assert.deepEqual(csv.rows, [['johnny', 'pA55w012d'], ['harry', '!@#$%^&*()'], ['tony', 'aLongSequenceThatsReallyHardToGuess']]);
    const login = find(bearer, 'login-with-basic-auth');
    assert.equal(step(login, 1, 'template').pattern.source, '${username}:${password}');
    const basic = step(login, 2, 'httpRequest');
    assert.deepEqual(basic.headers[0]?.name, 'authorization');
    assert.deepEqual((basic.headers[0]?.value as unknown as { pattern: { parts: unknown[] } }).pattern.parts, [
      { kind: 'literal', text: 'Basic ' }, { kind: 'var', ref: ref('concatenated'), format: { kind: 'base64encode' } },
    ]);
    const filter = basic.handler.header[0];
    assert.equal(filter?.name, 'filter');
    assert.deepEqual(filter.config.header.content, { kind: 'equal', text: 'x-token' });
    assert.deepEqual(filter.config.processors.map((p) => [p.name, p.config]), [['store', { toVar: ref('token'), format: 'STRING' }]]);
    assert.deepEqual(basic.handler.status[0]?.config, { min: 300, max: 309 });
  });

  it('http-requests: headers, literal block body, form, fromFile, metrics, SLA list', () => {
    const { scenarios, problems, files } = decodeExample('http-requests.hf.yaml');
    assert.deepEqual(problems, []);
    const scenario = scenarios[0] as Scenario;
    const json = step(find(scenario, 'jsonBody'), 0, 'httpRequest');
    assert.deepEqual(json.headers, [{ name: 'content-type', value: literal('application/json') }]);
    assert.deepEqual(json.body, { kind: 'pattern', pattern: { source: '{\n   "foo" : "bar"\n}\n', parts: [{ kind: 'literal', text: '{\n   "foo" : "bar"\n}\n' }] } });
    const form = step(find(scenario, 'formBody'), 1, 'httpRequest').body;
    assert.ok(form?.kind === 'form');
    assert.deepEqual(form.inputs.map((i) => i.name), ['foo', 'bar', 'goo']);
    assert.deepEqual(step(find(scenario, 'bodyFromFile'), 0, 'httpRequest').body, { kind: 'file', file: 'usernames.txt' });
    assert.ok(files.has('usernames.txt'));
    const headers = step(find(scenario, 'customHeaders'), 2, 'httpRequest').headers;
    assert.deepEqual(headers.map((h) => h.name), ['accept', 'authorization', 'if-match']);
    assert.deepEqual(headers[2]?.value, { fromVar: ref('etag') });
    const metrics = find(scenario, 'nonDefaultMetric');
    assert.deepEqual(step(metrics, 0, 'httpRequest').metric, { kind: 'name', name: 'mammals' });
    assert.deepEqual(step(metrics, 2, 'httpRequest').metric, {
      kind: 'selectors', selectors: [
        { kind: 'match', regex: '.*cats', replacement: 'mammals' }, { kind: 'match', regex: '.*dogs', replacement: 'mammals' }, { kind: 'default', name: 'insects' },
      ],
    });
    const tough = step(find(scenario, 'toughSLAs'), 0, 'httpRequest');
    assert.deepEqual(tough.handler.status[0]?.config, { min: 200, max: 200 });
    assert.deepEqual(tough.sla, [
      { errorRatio: 0.1, invalidRatio: 0.2, blockedRatio: 0, meanResponseTimeNs: 10_000_000, limits: [{ percentile: 90, latencyNs: 100_000_000 }, { percentile: 99, latencyNs: 1_000_000_000 }] },
      { windowMs: 10_000, errorRatio: 1.01, invalidRatio: 1.01, blockedRatio: 0, meanResponseTimeNs: 50_000_000, limits: [] },
    ]);
  });

  it('more-servers: constant and pattern authorities', () => {
    const test = find(only('more-servers.hf.yaml'), 'test');
    assert.deepEqual(step(test, 0, 'httpRequest').authority, literal('hyperfoil.io:443'));
    assert.deepEqual(step(test, 2, 'httpRequest').authority, {
      pattern: { source: '${hostname}:80', parts: [{ kind: 'var', ref: ref('hostname'), format: { kind: 'plain' } }, { kind: 'literal', text: ':80' }] },
    });
  });

  it('eshop-forks and eshop-scale: aliased scenarios decode the same in each phase', () => {
    for (const file of ['eshop-forks.hf.yaml', 'eshop-scale.hf.yaml']) {
      const { scenarios, problems } = decodeExample(file);
      assert.deepEqual(problems, []);
      const strip = (s: Scenario) => JSON.stringify(s, (key, value) => (key === 'at' ? undefined : value));
      const [a, b, c, d] = scenarios.map(strip);
      assert.equal(file === 'eshop-forks.hf.yaml' ? c : b, a, `${file}: the browsing alias`);
      assert.equal(d, file === 'eshop-forks.hf.yaml' ? b : c, `${file}: the buying alias`);
    }
  });
});

function request(s: StepSpec | undefined): HttpRequestConfig {
  assert.equal(s?.name, 'httpRequest');
  return s.config as HttpRequestConfig;
}
