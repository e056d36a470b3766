/**
 * `forks:` — one phase split among several scenarios: `{name: {weight, scenario}}` or a list of single-key
 * mappings. Weights default to 1 and are normalised when phases are expanded.
 */
import type { Node as YNode } from 'yaml';
import type { ForkDef } from '../plan/index.js';
import { entries, map, num, object, optional, required } from './codec.js';
import type { Codec } from './codec.js';
import type { Scenario } from './model.js';

export function forksCodec(scenario: Codec<Scenario>): Codec<Array<ForkDef<YNode>>> {
  const fork = object({
    weight: optional(num(), 'Share of the phase\'s users or rate, relative to the other forks. Default 1; 0 or less drops the fork.'),
    scenario: required(scenario),
  }, { what: 'a fork' });
  return map(entries(fork, { forms: 'both', what: 'fork' }), (items) => items.map((item) => ({
    name: item.key,
    weight: item.value.weight ?? 1,
    scenario: item.value.scenario,
    at: item.keyNode,
  })));
}
