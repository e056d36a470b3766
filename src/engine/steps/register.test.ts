import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { DIVIDE_EXTENSION, referenceExamples, SKIP_NO_REFERENCE } from '../../../test/support/reference.js';
import { loadBenchmarkFile } from '../../config/load.js';
import { actionCodecs, processorCodecs, stepCodecs } from '../../config/steps/index.js';
import { prepareExtensions } from '../../extensions/index.js';
import { defaultRegistry } from '../registry.js';
import type { Step } from '../step.js';
import { startPhases } from './test-support.js';

/** Implemented by the HTTP layer (src/http/steps), not here. */
const HTTP_NAMES = new Set(['httpRequest', 'awaitAllResponses', 'clearHttpCache', 'markRequestInvalid', 'closeConnection', 'logInvalid', 'parseHtml']);

describe('the step catalogue', () => {
  it('has a runtime for every non-HTTP step, action and processor the config accepts', () => {
    const missing: string[] = [];
    for (const name of Object.keys(actionCodecs)) {
      if (!HTTP_NAMES.has(name) && defaultRegistry.action(name) === undefined) missing.push(`action ${name}`);
    }
    for (const name of Object.keys(stepCodecs)) {
      if (!HTTP_NAMES.has(name) && defaultRegistry.step(name) === undefined && defaultRegistry.action(name) === undefined) missing.push(`step ${name}`);
    }
    for (const name of Object.keys(processorCodecs)) {
      if (!HTTP_NAMES.has(name) && defaultRegistry.processor(name) === undefined && defaultRegistry.action(name) === undefined) missing.push(`processor ${name}`);
    }
    assert.deepEqual(missing, []);
  });

  it('compiles every scenario of Hyperfoil\'s examples (HTTP steps stubbed) and runs divide.hf.yaml with its extension', { skip: SKIP_NO_REFERENCE }, async () => {
    await prepareExtensions({ specs: [DIVIDE_EXTENSION] }); // `divide` is an extension, as in Hyperfoil
    const registry = defaultRegistry.copy();
    const stub: Step = { invoke: () => true };
    for (const name of ['httpRequest', 'awaitAllResponses']) if (registry.step(name) === undefined) registry.registerStep(name, () => stub);
    for (const name of ['clearHttpCache', 'markRequestInvalid']) if (registry.action(name) === undefined) registry.registerAction(name, () => ({ run: () => {} }));
    for (const name of ['closeConnection', 'logInvalid', 'parseHtml']) {
      if (registry.processor(name) === undefined) registry.registerProcessor(name, () => ({ before: () => {}, process: () => {}, after: () => {} }));
    }
    const compiled: string[] = [];
    for (const path of referenceExamples()) {
      const benchmark = loadBenchmarkFile(path);
      const run = startPhases(benchmark.phases, benchmark.files, { registry, run: false });
      run.worker.close();
      compiled.push(basename(path));
    }
    assert.ok(compiled.includes('choose-movie.hf.yaml') && compiled.includes('divide.hf.yaml'), compiled.join(', '));
    const divide = loadBenchmarkFile(referenceExamples().find((p) => p.endsWith('divide.hf.yaml'))!);
    const run = startPhases(divide.phases, divide.files, { registry });
    // usersPerSec: 1 with Poisson arrivals (seeded): ~10 sessions in 10 s; P(fewer than 2) = 11 e^-10 = 0.05 %.
    run.advanceMs(10_000);
    assert.ok(run.logs.length >= 2, `${run.logs.length} log lines after 10 s at 1 user/s`);
    assert.ok(run.logs.every((line) => line === 'INFO Foo is 11'), run.logs.join('\n'));
    run.worker.close();
  });
});
