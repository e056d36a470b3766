import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileScenario } from './compile.js';
import type { CompileEnv } from './compile.js';
import { EngineCompileError } from './errors.js';
import { SOLO_WORKER } from './identity.js';
import { EngineRegistry } from './registry.js';
import { serviceKey, Services } from './services.js';
import type { Processor, Step } from './step.js';
import { ActionProcessor, ActionStep } from './step.js';
import { scenario, sequence, spec, steps, TEST_ERGONOMICS } from './testing/builders.js';
import { testRegistry } from './testing/fixtures.js';
import { harness, phase, atOnce } from './testing/index.js';

function env(registry: EngineRegistry = testRegistry(), services = new Services()): CompileEnv {
  return { registry, ergonomics: TEST_ERGONOMICS, http: [], files: new Map([['users.txt', Buffer.from('a\nb')]]), identity: SOLO_WORKER, services, stepIds: { next: 1 } };
}

test('an unknown step is a compile error at its position, with a suggestion', () => {
  const bad = spec('test.dealy', { durationMs: 1 });
  assert.throws(() => compileScenario(steps(bad), env()), (error: unknown) => {
    assert.ok(error instanceof EngineCompileError);
    assert.equal(error.at, bad.at);
    assert.match(error.message, /unknown step `test\.dealy`.*Did you mean `test\.delay`\?/);
    return true;
  });
});

test('unknown sequences, read-only and unknown hyperfoil.* variables are compile errors', () => {
  assert.throws(() => compileScenario(steps(spec('test.newSequence', { sequence: 'nope' })), env()), /there is no sequence `nope`/);
  assert.throws(() => compileScenario(steps(spec('test.setInt', { var: 'hyperfoil.session.id', value: 1 })), env()), /`hyperfoil\.session\.id` is read-only/);
  assert.throws(() => compileScenario(steps(spec('test.record', { log: [], var: 'hyperfoil.sesion.id' })), env()),
    /unknown read-only variable `hyperfoil\.sesion\.id`.*Did you mean `hyperfoil\.session\.id`/);
  assert.throws(() => compileScenario(scenario([sequence('a', []), sequence('a', [])]), env()), /sequence `a` is defined twice/);
  assert.throws(() => compileScenario(scenario([sequence('a', []), sequence('b', [])], [], { maxSequences: 1 }), env()), /raise maxSequences/);
});

test('a factory throwing an ordinary error becomes a compile error naming the step', () => {
  const registry = new EngineRegistry().registerStep('boom', () => {
    throw new Error('property `x` is required');
  });
  const boom = spec('boom');
  assert.throws(() => compileScenario(steps(boom), env(registry)), {
    name: 'EngineCompileError', message: `${boom.at}: \`boom\`: property \`x\` is required`,
  });
});

test('one spec may compile to several steps sharing its step id; actions serve as steps and processors', () => {
  const send: Step = { invoke: () => true };
  const wait: Step = { invoke: () => true };
  let nested: Processor[] = [];
  const registry = new EngineRegistry()
    .registerStep('syncRequest', () => [send, wait])
    .registerAction('mark', () => ({ run: () => {} }))
    .registerStep<{ handlers: ReturnType<typeof spec>[] }>('withHandlers', (config, cx) => {
      nested = cx.processors(config.handlers);
      return send;
    });
  const compiled = compileScenario(steps(spec('syncRequest'), spec('mark'), spec('withHandlers', { handlers: [spec('mark')] })), env(registry));
  const main = compiled.templates[0]!;
  assert.deepEqual(main.steps.slice(0, 2), [send, wait]);
  assert.ok(main.steps[2] instanceof ActionStep);
  // Ids: syncRequest = 1 (both steps), mark = 2, withHandlers = 3, its nested processor = 4.
  assert.deepEqual(main.stepIds, [1, 1, 2, 3]);
  assert.equal(nested.length, 1);
  assert.ok(nested[0] instanceof ActionProcessor);
  assert.throws(() => compileScenario(steps(spec('withHandlers', { handlers: [spec('nothing')] })), env(registry)), /unknown processor `nothing`/);
});

test('services and data files: present ones are given, missing ones are compile errors', () => {
  const POOLS = serviceKey<{ name: string }>('http pools');
  let got: { name: string } | undefined;
  let file: Buffer | undefined;
  const registry = new EngineRegistry()
    .registerStep('usesPools', (_c, cx) => {
      got = cx.service(POOLS);
      return { invoke: () => true };
    })
    .registerStep<{ name: string }>('readsFile', (config, cx) => {
      file = cx.file(config.name);
      return { invoke: () => true };
    });
  compileScenario(steps(spec('usesPools'), spec('readsFile', { name: 'users.txt' })), env(registry, new Services().set(POOLS, { name: 'pools' })));
  assert.equal(got?.name, 'pools');
  assert.equal(file?.toString(), 'a\nb');
  assert.throws(() => compileScenario(steps(spec('usesPools')), env(registry)), /needs the `http pools` service/);
  assert.throws(() => compileScenario(steps(spec('readsFile', { name: 'x.csv' })), env(registry)), /data file `x\.csv` was not supplied/);
});

test('per-instance state has one copy per index of seq[N]; session state one per session', () => {
  const registry = testRegistry();
  const compiled = compileScenario(scenario([sequence('main', [spec('test.delay', { durationMs: 1 })])],
    [sequence('par', [spec('test.delay', { durationMs: 1 })], 4)]), env(registry));
  assert.equal(compiled.states.length, 1 + 4);
  assert.equal(compiled.templates[1]!.instanceStates[0]!.copies, 4);
});

test('the worker names the phase of a scenario that does not compile', () => {
  assert.throws(() => harness([phase('checkout', atOnce(1), steps(spec('nope')))]), /phase `checkout`: .*unknown step `nope`/);
});
