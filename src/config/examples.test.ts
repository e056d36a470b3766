/**
 * Hyperfoil's own example benchmarks (read from the reference material beside the repository), decoded with a
 * stand-in scenario decoder: everything but the scenarios must read exactly as Hyperfoil reads it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { referenceExamples, SKIP_NO_REFERENCE } from '../../test/support/reference.js';
import { makeBenchmarkCodec } from './benchmark.js';
import type { BenchmarkBody } from './benchmark.js';
import { decodeYaml, stubScenario, valueOf } from './decode-testing.js';
import { resolveAuthority } from './http-authority.js';
import type { Phase } from './model.js';

const codec = makeBenchmarkCodec(stubScenario);

function examples(): Map<string, BenchmarkBody> {
  const read = new Map<string, BenchmarkBody>();
  for (const path of referenceExamples()) {
    read.set(basename(path, '.hf.yaml'), valueOf(decodeYaml(codec, readFileSync(path, 'utf8'), { fileName: path })));
  }
  return read;
}

function load(p: Phase): string {
  const m = p.model;
  switch (m.type) {
    case 'constantRate': return `${m.usersPerSec}/s max ${m.maxSessions}`;
    case 'increasingRate':
    case 'decreasingRate': return `${m.initialUsersPerSec}->${m.targetUsersPerSec}/s max ${m.maxSessions}`;
    case 'noop': return 'noop';
    default: return `${m.users} ${m.type}`;
  }
}
const summary = (p: Phase): string => `${p.id} ${p.name} ${load(p)}`;

describe('Hyperfoil\'s example benchmarks', { skip: SKIP_NO_REFERENCE }, () => {
  const all = SKIP_NO_REFERENCE ? new Map<string, BenchmarkBody>() : examples();
  const example = (name: string): BenchmarkBody => all.get(name) ?? assert.fail(`example ${name} is missing`);

  it('all read without problems', () => {
    assert.ok(all.size >= 14, `found ${all.size} examples`);
  });

  it('single-phase shortcut examples make one constantRate phase `main`', () => {
    assert.deepEqual(example('first-benchmark').phases.map(summary), ['0 main 10/s max 10']);
    assert.deepEqual(example('choose-movie').phases.map(summary), ['0 main 10/s max 40']);
    assert.equal(example('http-requests').phases[0]?.durationMs, 1000, '`duration: 1` is one second');
    assert.equal(example('http-requests').ergonomics.autoRangeCheck, false);
  });

  it('eshop-forks: ten iterations of two forks, with umbrellas and cross-references by iteration', () => {
    const phases = example('eshop-forks').phases;
    assert.equal(phases.length, 62);
    assert.deepEqual(phases.slice(0, 4).map(summary), [
      '0 rampUp/000/browsingUser 0->10/s max 100',
      '1 rampUp/000/buyingUser 0->5/s max 50',
      '2 rampUp/001/browsingUser 10->20/s max 100',
      '3 rampUp/001/buyingUser 5->10/s max 50',
    ]);
    const byName = (name: string): Phase => phases.find((p) => p.name === name) ?? assert.fail(name);
    assert.equal(summary(byName('steadyState/009/browsingUser')), '49 steadyState/009/browsingUser 100/s max 100');
    assert.deepEqual(byName('rampUp/001/buyingUser').startAfter, ['steadyState/000']);
    assert.deepEqual(byName('rampUp/001/buyingUser').startAfterStrict, ['rampUp/000']);
    assert.deepEqual(byName('steadyState/000/buyingUser').startAfter, ['rampUp/000']);
    assert.deepEqual(byName('steadyState').startAfter, ['steadyState/009']);
  });

  it('staircase: steady states, the initial ramp-up and the ramps between', () => {
    assert.deepEqual(example('staircase').phases.map(summary), [
      '0 steadyState/000 5/s max 7', '1 steadyState/001 6/s max 7', '2 steadyState/002 7/s max 7', '3 steadyState noop',
      '4 initialRampUp 0->5/s max 5', '5 rampUp/000 5->6/s max 7', '6 rampUp/001 6->7/s max 7', '7 rampUp noop',
    ]);
  });

  it('more-servers: three targets and no default, addresses kept, authorities resolvable', () => {
    const http = example('more-servers').http;
    assert.deepEqual(http.map((t) => [t.protocol, t.authority, t.isDefault, t.sharedConnections.max]),
      [['http', 'example.com:80', false, 100], ['https', 'hyperfoil.io:443', false, 10], ['http', 'foobar.com:80', false, 30]]);
    assert.deepEqual(http[2]?.addresses, ['proxy.my-locally-defined-domain.test', '192.168.1.10', '192.168.1.11:8080']);
    const resolved = resolveAuthority(http, 'hyperfoil.io:443', undefined);
    assert.ok(resolved.ok && resolved.value.protocol === 'https');
  });

  it('agents: inline and property forms, and a name without definition', () => {
    assert.deepEqual(example('two-agents').agents, [
      { name: 'agent-one', inline: 'localhost:22', properties: { host: 'localhost', port: '22' }, threads: 1 },
      { name: 'agent-two', properties: { host: 'localhost', port: '22' }, threads: 1 },
    ]);
    assert.deepEqual(example('k8s-hello-world').agents, [{ name: 'agent-one', properties: {}, threads: 1 }]);
  });

  it('closed-model examples', () => {
    assert.deepEqual(example('credentials').phases.map(summary), ['0 use-cookie 1 atOnce', '1 use-bearer-token 1 atOnce']);
    assert.deepEqual(example('eshop').phases.map(summary), ['0 browsingUser 10/s max 10', '1 buyingUser 5/s max 5', '2 operator 5 always']);
  });
});
