import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BenchmarkError } from '../lib/index.js';
import { makeBenchmarkCodec } from './benchmark.js';
import type { BenchmarkBody } from './benchmark.js';
import { decodeYaml, stubScenario, valueOf } from './decode-testing.js';
import { parseBenchmark } from './load.js';
import { benchmarkJsonSchema } from './schema.js';

/** Problems as `line:column message` from the real loader (benchmarks whose phases need no scenario). */
function problems(yaml: string): string[] {
  try {
    parseBenchmark(yaml, { fileName: 'b.hf.yaml' });
  } catch (error) {
    assert.ok(error instanceof BenchmarkError, String(error));
    return error.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  return [];
}

const codec = makeBenchmarkCodec(stubScenario);
const decode = (yaml: string): ReturnType<typeof decodeYaml<BenchmarkBody>> => decodeYaml(codec, yaml);
const body = (yaml: string): BenchmarkBody => valueOf(decode(yaml));

describe('the benchmark mapping', () => {
  it('reads the top-level keys with Hyperfoil\'s defaults', () => {
    const b = parseBenchmark('name: minimal\nphases:\n- wait:\n    noop:\n      duration: 2s\n', { fileName: 'b.hf.yaml' });
    assert.equal(b.name, 'minimal');
    assert.deepEqual(b.agents, []);
    assert.equal(b.threads, 1);
    assert.equal(b.failurePolicy, 'CANCEL');
    assert.equal(b.statisticsCollectionPeriodMs, 1000);
    assert.deepEqual(b.ergonomics, {
      repeatCookies: true, userAgentFromSession: true, autoRangeCheck: true, stopOnInvalid: true, followRedirect: 'NEVER', compensateInternalLatency: false,
    });
    assert.deepEqual(b.http, []);
    assert.deepEqual(b.pre, []);
    assert.equal(b.triggerUrl, undefined);
    assert.deepEqual(b.phases.map((p) => [p.name, p.durationMs]), [['wait', 2000]]);
  });

  it('reads every top-level key', () => {
    const b = parseBenchmark([
      '$schema: https://hyperfoil.io/schema.json',
      'name: full',
      'threads: 4',
      'failurePolicy: continue',
      'statisticsCollectionPeriod: 500',
      'triggerUrl: http://ci.example/trigger',
      'ergonomics:',
      '  autoRangeCheck: false',
      '  followRedirect: location_only',
      'agents:',
      '  a1: user@h1:2222',
      '  a2:',
      '    threads: 2',
      'http:',
      '  host: https://example.com',
      'pre:',
      '  01-inline: echo pre',
      '  02-exec: {exec: echo exec}',
      'post:',
      '- 99-last: echo post',
      'phases:',
      '- p:',
      '    noop: {}',
    ].join('\n'), { fileName: 'b.hf.yaml' });
    assert.equal(b.threads, 4);
    assert.equal(b.failurePolicy, 'CONTINUE');
    assert.equal(b.statisticsCollectionPeriodMs, 500);
    assert.equal(b.triggerUrl, 'http://ci.example/trigger');
    assert.equal(b.ergonomics.autoRangeCheck, false);
    assert.equal(b.ergonomics.followRedirect, 'LOCATION_ONLY');
    assert.equal(b.ergonomics.repeatCookies, true);
    assert.deepEqual(b.agents.map((a) => [a.name, a.threads, a.properties]), [
      ['a1', 4, { user: 'user', host: 'h1', port: '2222' }],
      ['a2', 2, { threads: '2' }],
    ]);
    assert.equal(b.http[0]?.authority, 'example.com:443');
    assert.deepEqual(b.pre, [{ name: '01-inline', command: 'echo pre' }, { name: '02-exec', command: 'echo exec' }]);
    assert.deepEqual(b.post, [{ name: '99-last', command: 'echo post' }]);
    assert.deepEqual(b.warnings, []);
  });

  it('warns about a $schema that is not Hyperfoil\'s but accepts a local file', () => {
    const b = parseBenchmark('$schema: http://example.com/schema.json\nname: x\n', { fileName: 'b.hf.yaml' });
    assert.deepEqual(b.warnings.filter((w) => w.message.includes('$schema')).map((w) => `${w.line}:${w.column}`), ['1:10']);
    const local = parseBenchmark('$schema: ../schema.json\nname: x\n', { fileName: 'b.hf.yaml' });
    assert.ok(!local.warnings.some((w) => w.message.includes('$schema')));
  });

  it('warns when there are no phases at all', () => {
    const b = parseBenchmark('name: idle\n', { fileName: 'b.hf.yaml' });
    assert.match(b.warnings[0]?.message ?? '', /no phases/);
  });

  it('turns the single-phase shortcut into one constantRate phase `main`', () => {
    const b = body('name: x\nusersPerSec: 7.5\nduration: 10\nmaxDuration: 1m\nscenario: s\ncustomSla:\n  myMetric:\n    meanResponseTime: 5ms\n');
    assert.equal(b.phases.length, 1);
    const main = b.phases[0];
    assert.equal(main?.name, 'main');
    assert.deepEqual(main?.model, { type: 'constantRate', usersPerSec: 7.5, maxSessions: 8, variance: true, sessionLimitPolicy: 'FAIL' });
    assert.equal(main?.durationMs, 10_000, 'a bare number of seconds');
    assert.equal(main?.maxDurationMs, 60_000);
    assert.equal(main?.customSlas[0]?.metric, 'myMetric');
    assert.equal(main?.customSlas[0]?.slas[0]?.meanResponseTimeNs, 5_000_000);
    assert.equal(body('name: x\nusersPerSec: 10\nduration: 1s\nmaxSessions: 40\nscenario: s\n').phases[0]?.model.type, 'constantRate');
  });

  it('generates the staircase phases', () => {
    const b = body('name: x\nstaircase:\n  steadyStateDuration: 10s\n  rampUpDuration: 5s\n  initialUsersPerSec: 5\n  incrementUsersPerSec: 1\n  maxIterations: 2\n  scenario: s\n');
    assert.deepEqual(b.phases.map((p) => p.name), ['steadyState/000', 'steadyState/001', 'steadyState', 'initialRampUp', 'rampUp/000', 'rampUp']);
  });
});

describe('benchmark problems with their positions', () => {
  it('an unknown key, with the closest valid name', () => {
    const found = problems('name: x\nphases:\n- a:\n    noop:\n      duraton: 1s\n');
    assert.equal(found.length, 1);
    assert.match(found[0] ?? '', /^5:7 unknown property `duraton` in a noop phase\. Did you mean `duration`\? Expected one of: /);
    assert.match(problems('name: x\nthread: 2\n')[0] ?? '', /^2:1 unknown property `thread` in the benchmark\. Did you mean `threads`\?/);
  });

  it('a bad duration', () => {
    assert.deepEqual(problems('name: x\nphases:\n- a:\n    noop:\n      duration: 10 sec\n'),
      ['5:17 expected a duration such as `10s`, `500ms`, `5m`, `1h` or a number of seconds, got `10 sec`']);
  });

  it('a reversed ramp, at the target rate', () => {
    const { problems: found } = decode('name: x\nphases:\n- ramp:\n    increasingRate:\n      initialUsersPerSec: 10\n      targetUsersPerSec: 5\n      duration: 10s\n      scenario: s\n');
    assert.deepEqual(found, ['6:26 an increasingRate phase needs `initialUsersPerSec` < `targetUsersPerSec`, got 10 → 5: use decreasingRate for a ramp down']);
  });

  it('negative users', () => {
    const { problems: found } = decode('name: x\nphases:\n- a:\n    atOnce:\n      users: -3\n      scenario: s\n');
    assert.deepEqual(found, ['5:14 `users` must be positive, got -3']);
  });

  it('a reference to an undefined phase, with the closest name', () => {
    assert.deepEqual(problems('name: x\nphases:\n- warmup:\n    noop: {}\n- main:\n    noop:\n      startAfter: warmpu\n'),
      ['7:19 phase `warmpu` referenced from `main` is not defined. Did you mean `warmup`?']);
  });

  it('a cycle, at the first phase in it', () => {
    assert.deepEqual(problems('name: x\nphases:\n- a:\n    noop:\n      startAfter: b\n- b:\n    noop:\n      startAfterStrict: [a]\n'),
      ['3:3 phases wait for each other in a cycle, so none of them would ever start: a → b → a']);
  });

  it('a host with a path', () => {
    assert.deepEqual(problems('name: x\nhttp:\n  host: http://example.com/api\n'),
      ['3:9 `host` must not contain a path: `http://example.com/api` has `/api`; write `http://example.com` and put the path in the requests']);
  });

  it('the single-phase shortcut together with phases', () => {
    assert.deepEqual(problems('name: x\nusersPerSec: 10\nphases:\n- a:\n    noop: {}\n'),
      ['2:1 `usersPerSec` at the top level define the single phase `main`, which cannot be combined with `phases`: move it into a phase']);
    assert.match(decode('name: x\nusersPerSec: 10\nduration: 5s\n').problems[0] ?? '', /^2:1 the single-phase shortcut \(phase `main`\) needs `scenario` too/);
  });

  it('staircase together with phases or a scenario', () => {
    assert.match(decode('name: x\nscenario: s\nstaircase:\n  steadyStateDuration: 1s\n  incrementUsersPerSec: 1\n  maxIterations: 1\n  scenario: s\n').problems[0] ?? '',
      /^3:1 `staircase` generates the phases itself: it cannot be combined with `scenario`/);
  });

  it('the `default` agent written inline', () => {
    assert.deepEqual(problems('name: x\nagents:\n  default: root@host\n  one:\n'),
      ['3:12 `default` holds properties merged into every agent, so it must be a mapping (`default: {user: …, dir: …}`), not an inline definition']);
  });

  it('hotrod, by name', () => {
    assert.deepEqual(problems('name: x\nhotrod:\n- uri: hotrod://localhost:11222\n'),
      ['3:1 `hotrod` is not supported yet: the HotRod (Infinispan) plugin is not implemented']);
  });

  it('several independent problems together, in file order', () => {
    const found = problems('name: x\nthreads: 0\nagents:\n  one:\n    hots: a\nhttp:\n  host: example.com\n  port: 99999\nfailurePolicy: stop\n');
    const expected = [
      '2:10 expected a whole number of at least 1, got 0',
      '5:5 unknown agent property `hots`. Did you mean `host`?',
      '8:9 expected a whole number between 1 and 65535, got 99999',
      '9:16 expected one of `CANCEL`, `CONTINUE`, got `stop`',
    ];
    assert.equal(found.length, expected.length, found.join('\n'));
    found.forEach((p, i) => assert.ok(p.startsWith(expected[i] as string), `${p} should start with ${expected[i]}`));
  });
});

describe('the JSON Schema', () => {
  it('describes the top-level keys, the phase types and the http target from the same decoders', () => {
    const schema = benchmarkJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    assert.deepEqual(schema.required, ['name']);
    for (const key of ['agents', 'threads', 'ergonomics', 'http', 'phases', 'usersPerSec', 'staircase', 'pre', 'post', 'customSla']) {
      assert.ok(key in schema.properties, key);
    }
    const text = JSON.stringify(schema);
    for (const word of ['increasingRate', 'startAfterStrict', 'sharedConnections', 'connectionStrategy', 'blockedRatio', 'pod-serviceaccount']) {
      assert.ok(text.includes(word), word);
    }
  });
});
