import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Phase, PhaseModel, Scenario } from '../config/index.js';
import { expandPhases } from './expand.js';
import { staircasePhases } from './staircase.js';
import type { StaircaseSpec } from './staircase.js';

const scenario: Scenario = { initialSequences: [], sequences: [], maxRequests: 1, maxSequences: 1 };

function staircase(spec: Partial<StaircaseSpec<string>>): { phases: Phase[]; warnings: string[] } {
  const generated = staircasePhases<string>({
    at: 'staircase', steadyStateDurationMs: 10_000, incrementUsersPerSec: 1, maxIterations: 3, scenario, forks: [], customSlas: [], ...spec,
  });
  const { phases, problems } = expandPhases(generated.defs);
  assert.deepEqual(problems, []);
  return { phases, warnings: generated.warnings };
}

function describeModel(model: PhaseModel): string {
  switch (model.type) {
    case 'constantRate': return `${model.usersPerSec}/s max ${model.maxSessions}`;
    case 'increasingRate': return `${model.initialUsersPerSec}->${model.targetUsersPerSec}/s max ${model.maxSessions}`;
    default: return model.type;
  }
}

describe('staircase', () => {
  it('generates steady states, an initial ramp-up and ramps between the steady states, linked in order', () => {
    const { phases, warnings } = staircase({ initialRampUpDurationMs: 10_000, rampUpDurationMs: 5000, initialUsersPerSec: 5 });
    assert.deepEqual(warnings, []);
    assert.deepEqual(phases.map((p) => `${p.id} ${p.name} ${describeModel(p.model)} ${p.durationMs} after=${p.startAfter.join(',')} strict=${p.startAfterStrict.join(',')}`), [
      '0 steadyState/000 5/s max 7 10000 after=initialRampUp strict=',
      '1 steadyState/001 6/s max 7 10000 after=initialRampUp,rampUp/000 strict=steadyState/000',
      '2 steadyState/002 7/s max 7 10000 after=initialRampUp,rampUp/001 strict=steadyState/001',
      '3 steadyState noop 0 after=steadyState/002 strict=',
      '4 initialRampUp 0->5/s max 5 10000 after= strict=',
      '5 rampUp/000 5->6/s max 7 5000 after=steadyState/000 strict=',
      '6 rampUp/001 6->7/s max 7 5000 after=steadyState/001 strict=rampUp/000',
      '7 rampUp noop 0 after=rampUp/001 strict=',
    ]);
  });

  it('uses the ramp-up duration for the initial ramp-up, the increment as the initial rate, and a given maxSessions everywhere', () => {
    const { phases } = staircase({ rampUpDurationMs: 4000, incrementUsersPerSec: 2, maxIterations: 2, maxSessions: 50 });
    const initial = phases.find((p) => p.name === 'initialRampUp');
    assert.equal(initial?.durationMs, 4000);
    assert.equal(describeModel(initial?.model as PhaseModel), '0->2/s max 50');
    assert.deepEqual(phases.filter((p) => p.model.type !== 'noop').map((p) => `${p.name} ${describeModel(p.model)}`),
      ['steadyState/000 2/s max 50', 'steadyState/001 4/s max 50', 'initialRampUp 0->2/s max 50', 'rampUp/000 2->4/s max 50']);
    // A single ramp-up is still named rampUp/000: the staircase forces iteration names.
    assert.ok(phases.some((p) => p.name === 'rampUp' && p.model.type === 'noop'));
  });

  it('without rampUpDuration runs only the steady states, back to back, and warns', () => {
    const { phases, warnings } = staircase({});
    assert.deepEqual(phases.map((p) => p.name), ['steadyState/000', 'steadyState/001', 'steadyState/002', 'steadyState']);
    assert.match(warnings[0] ?? '', /continuous load/);
  });

  it('with one iteration has a single steady state named as written and no ramps between', () => {
    const { phases } = staircase({ maxIterations: 1, rampUpDurationMs: 1000 });
    assert.deepEqual(phases.map((p) => p.name), ['steadyState', 'initialRampUp']);
  });
});
