/** `staircase:` — generated ramp-up and steady-state phases (see `staircasePhases` in plan/). */
import type { Node as YNode } from 'yaml';
import type { StaircaseSpec } from '../plan/index.js';
import { INVALID, int, map, named, num, object, optional, required } from './codec.js';
import type { Codec } from './codec.js';
import { forksCodec } from './forks.js';
import { MAX_SESSIONS, MAX_USERS_PER_SEC } from './limits.js';
import type { Scenario } from './model.js';
import { customSlaCodec } from './sla.js';
import { durationMs } from './time-values.js';
import { keyNodeOf, valueNodeOf } from './yaml-nodes.js';

export function staircaseCodec(scenario: Codec<Scenario>): Codec<StaircaseSpec<YNode>> {
  return map(object({
    initialRampUpDuration: optional(durationMs, 'Duration of the first ramp-up from 0; default `rampUpDuration` (none without it).'),
    steadyStateDuration: required(durationMs, 'Duration of each steady state.'),
    rampUpDuration: optional(durationMs, 'Duration of each ramp-up between steady states; without it there are none.'),
    initialUsersPerSec: optional(num({ exclusiveMin: 0, limit: MAX_USERS_PER_SEC }), 'Rate of the first steady state. Default `incrementUsersPerSec`.'),
    incrementUsersPerSec: required(num({ exclusiveMin: 0, limit: MAX_USERS_PER_SEC }), 'Rate added by each further steady state.'),
    maxIterations: required(int({ min: 1 }), 'Number of steady states.'),
    maxSessions: optional(int({ min: 1, limit: MAX_SESSIONS }), 'Sessions allocated for each generated phase.'),
    scenario: optional(scenario),
    forks: optional(named('forks', () => forksCodec(scenario)), 'Split every generated phase among scenarios by weight.'),
    customSla: optional(customSlaCodec, 'SLAs on custom metrics, checked in the steady states.'),
  }, {
    what: '`staircase`',
    description: 'Alternating ramp-ups and steady states at increasing rates (phases initialRampUp, rampUp/NNN, steadyState/NNN).',
  }), (v, node, cx) => {
    let valid = true;
    if (v.steadyStateDuration <= 0) {
      cx.problem(valueNodeOf(node, 'steadyStateDuration'), '`steadyStateDuration` must be longer than 0');
      valid = false;
    }
    if (v.scenario !== undefined && v.forks !== undefined) {
      cx.problem(keyNodeOf(node, 'forks'), '`staircase` has either `scenario` or `forks`, not both');
      valid = false;
    } else if (v.scenario === undefined && v.forks === undefined) {
      cx.problem(node, '`staircase` needs a `scenario` (or `forks` with one scenario each)');
      valid = false;
    } else if (v.forks !== undefined && v.forks.length < 2) {
      cx.problem(keyNodeOf(node, 'forks'), 'forks split the load among two or more scenarios: with one, define `scenario` directly');
      valid = false;
    }
    if (!valid) return INVALID;
    return {
      at: node,
      ...(v.initialRampUpDuration !== undefined ? { initialRampUpDurationMs: v.initialRampUpDuration } : {}),
      steadyStateDurationMs: v.steadyStateDuration,
      ...(v.rampUpDuration !== undefined ? { rampUpDurationMs: v.rampUpDuration } : {}),
      ...(v.initialUsersPerSec !== undefined ? { initialUsersPerSec: v.initialUsersPerSec } : {}),
      incrementUsersPerSec: v.incrementUsersPerSec,
      maxIterations: v.maxIterations,
      ...(v.maxSessions !== undefined ? { maxSessions: v.maxSessions } : {}),
      ...(v.scenario !== undefined ? { scenario: v.scenario } : {}),
      forks: v.forks ?? [],
      customSlas: v.customSla ?? [],
    };
  });
}
