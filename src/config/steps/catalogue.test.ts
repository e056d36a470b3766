/**
 * One documented form of every step, action and processor not exercised elsewhere, with the config it decodes to,
 * so that no registry member is accepted without a check of what it produces.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeYaml, valueOf } from '../decode-testing.js';
import { processorList, stepList } from './index.js';

const files = (name: string): Buffer | undefined => ({ 'a.bin': Buffer.from([1, 2]), 'b.bin': Buffer.from([3]) } as Record<string, Buffer>)[name];
const ref = (name: string, indexed = false) => ({ name, indexed });

function one(list: typeof stepList | typeof processorList, yaml: string): [string, unknown] {
  const [component] = valueOf(decodeYaml(list as typeof stepList, yaml, { files }));
  assert.ok(component);
  return [component.name, component.config];
}

describe('catalogue', () => {
  it('steps and actions', () => {
    const cases: Array<[string, [string, unknown]]> = [
      ['- randomFile: {toVar: data, filenameVar: name, files: {a.bin: 1, b.bin: 3}}',
        ['randomFile', { toVar: ref('data'), filenameVar: ref('name'), files: { items: ['a.bin', 'b.bin'], weights: [1, 3] } }]],
      ['- randomFile: {toVar: data, files: [a.bin]}', ['randomFile', { toVar: ref('data'), files: { items: ['a.bin'] } }]],
      ['- timestamp: {toVar: t, pattern: yyyy-MM-dd, localeCountry: cz}', ['timestamp', { toVar: ref('t'), dateFormat: 'yyyy-MM-dd', localeCountry: 'CZ' }]],
      ['- pushSharedMap: {key: users, vars: [a, b]}', ['pushSharedMap', { key: 'users', vars: [ref('a'), ref('b')] }]],
      ['- pullSharedMap: {key: users, match: id, vars: [a]}', ['pullSharedMap', { key: 'users', match: ref('id'), vars: [ref('a')] }]],
      ['- publishAgentData: token', ['publishAgentData', { name: 'token', fromVar: ref('token') }]],
      ['- readAgentData: {name: token, toVar: t}', ['readAgentData', { name: 'token', toVar: ref('t') }]],
      ['- setItem: {toVar: arr, index: {fromVar: i}, value: x}', ['setItem', { toVar: ref('arr'), index: { fromVar: ref('i') }, item: { value: 'x' } }]],
      ['- removeItem: {fromVar: arr, index: 0}', ['removeItem', { fromVar: ref('arr'), index: { value: 0 } }]],
      ['- getSize: {fromVar: arr, toVar: n, undefinedValue: -1, intFilter: {greaterThan: 2}}',
        ['getSize', { fromVar: ref('arr'), toVar: ref('n'), undefinedValue: -1, filter: { kind: 'int', comparisons: [{ op: 'greaterThan', than: { value: 2 } }] } }]],
      ['- foreach: {fromVar: arr, sequence: s, counterVar: n, dependency: arr}',
        ['foreach', { fromVar: ref('arr'), sequence: 's', counterVar: ref('n'), dependency: ref('arr') }]],
      ['- newSequence: {sequence: s, concurrencyPolicy: WARN, forceSameIndex: true}', ['newSequence', { sequence: 's', concurrencyPolicy: 'WARN', forceSameIndex: true }]],
      ['- fail: giving up', ['fail', { message: 'giving up' }]],
      ['- setSharedCounter: {key: c, value: 5}', ['setSharedCounter', { key: 'c', value: { value: 5 } }]],
      ['- getSharedCounter: c', ['getSharedCounter', { key: 'c', toVar: ref('c') }]],
      ['- unset: {var: "x[.]"}', ['unset', { var: ref('x', true) }]],
      ['- set: {var: a, intArray: {size: 3, fromVar: b}}', ['set', { var: ref('a'), value: { kind: 'intArray', size: 3, fromVar: ref('b') } }]],
      ['- breakSequence: {stringCondition: {fromVar: s, length: 0}, dependency: s, onBreak: {log: gone}}',
        ['breakSequence', {
          condition: { kind: 'string', fromVar: ref('s'), isSet: true, length: [{ op: 'equalTo', than: { value: 0 } }], caseSensitive: true, negate: false },
          dependency: ref('s'), onBreak: [{ name: 'log', config: { message: { source: 'gone', parts: [{ kind: 'literal', text: 'gone' }] } }, at: 't.yaml:1:86' }],
        }]],
      ['- awaitInt: {var: n}', ['awaitInt', { var: ref('n'), comparisons: [] }]],
    ];
    for (const [yaml, expected] of cases) assert.deepEqual(one(stepList, `${yaml}\n`), expected, yaml);
  });

  it('processors', () => {
    const cases: Array<[string, [string, unknown]]> = [
      ['- collection: {toVar: all, format: BYTES}', ['collection', { toVar: ref('all'), format: 'BYTES' }]],
      ['- queue: {var: q, maxSize: 10, concurrency: 2, sequence: consume, onCompletion: [{set: done <- 1}]}',
        ['queue', { var: 'q', maxSize: 10, concurrency: 2, sequence: 'consume', format: 'STRING', onCompletion: [{ name: 'set', config: { var: ref('done'), value: { kind: 'text', text: '1' } }, at: 't.yaml:1:83' }] }]],
      ['- conditional: {boolCondition: {fromVar: f, value: false}, processor: [{count: n}]}',
        ['conditional', { condition: { kind: 'bool', fromVar: ref('f'), value: false }, processors: [{ name: 'count', config: { toVar: ref('n') }, at: 't.yaml:1:73' }] }]],
      ['- gzipInflator: {encodingVar: enc, processor: {store: body}}',
        ['gzipInflator', { encodingVar: ref('enc'), processors: [{ name: 'store', config: { toVar: ref('body'), format: 'STRING' }, at: 't.yaml:1:48' }] }]],
      ['- closeConnection', ['closeConnection', {}]],
      ['- logInvalid', ['logInvalid', {}]],
      ['- storeInt: {toVar: n, override: true}', ['storeInt', { toVar: ref('n'), override: true }]],
      ['- array: {toVar: ids, maxSize: 4, silent: true}', ['array', { toVar: 'ids', maxSize: 4, format: 'STRING', silent: true }]],
      ['- parseHtml: {onTagAttribute: {tag: form, attribute: action, toVar: action}}',
        ['parseHtml', { onTagAttribute: [{ tag: 'form', attribute: 'action', processors: [], toVar: ref('action'), format: 'STRING' }], onEmbeddedResource: [] }]],
      ['- parseHtml: {onEmbeddedResource: {fetchResource: {maxResources: 16, metric: ["-> resources"]}}}',
        ['parseHtml', { onTagAttribute: [], onEmbeddedResource: [{ ignoreExternal: true, processors: [], fetchResource: { maxResources: 16, concurrency: 8, metric: [{ kind: 'default', name: 'resources' }], onCompletion: [], sequence: '__fetchResource_50', urlVar: '__fetchResource_50_url' } }] }]],
      ['- json: {query: .a, delete: true, processor: [{store: rest}], unquote: false}',
        ['json', { query: '.a', selectors: [{ kind: 'attribute', name: 'a' }], unquote: false, delete: true, processors: [{ name: 'store', config: { toVar: ref('rest'), format: 'STRING' }, at: 't.yaml:1:48' }], format: 'STRING' }]],
      ['- json: {query: .a, replace: {actions: {var: v, pattern: "\\"${v}\\"", actions: [{unset: x}]}}, toVar: out}',
        ['json', {
          query: '.a', selectors: [{ kind: 'attribute', name: 'a' }], unquote: true, delete: false,
          replace: { kind: 'actions', var: ref('v'), format: 'STRING', actions: [{ name: 'unset', config: { var: ref('x') }, at: 't.yaml:1:81' }], pattern: { source: '"${v}"', parts: [{ kind: 'literal', text: '"' }, { kind: 'var', ref: ref('v'), format: { kind: 'plain' } }, { kind: 'literal', text: '"' }] } },
          processors: [], toVar: ref('out'), format: 'STRING',
        }]],
    ];
    for (const [yaml, expected] of cases) assert.deepEqual(one(processorList, `${yaml}\n`), expected, yaml);
  });

  it('refusals specific to processors', () => {
    const problems = (yaml: string) => decodeYaml(processorList, `${yaml}\n`).problems;
    assert.deepEqual(problems('- queue: {var: q, maxSize: 1}'), ['1:10 queue needs `concurrency`, `sequence`']);
    assert.deepEqual(problems('- array: {toVar: "a[.]", maxSize: 2}'), ['1:18 array.toVar names the array variable itself, not an element (`[.]`)']);
    assert.deepEqual(problems('- parseHtml: {onEmbeddedResource: {ignoreExternal: false}}'), ['1:35 onEmbeddedResource needs `processor` or `fetchResource`']);
    assert.deepEqual(problems('- json: {query: .a}'), ['1:9 json needs `processor`, `toVar` or `toArray` to receive what the query selects']);
    assert.deepEqual(problems('- json: {query: .a, toVar: x, toArray: "y[2]"}'), ['1:40 json takes only one of `toVar` and `toArray`']);
    assert.deepEqual(problems('- json: {query: ".a[x]", toVar: x}'), ['1:17 `.a[x]`: `[x]` is not `[]`, `[n]` or `[start:end]`']);
  });
});
