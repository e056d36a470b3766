/**
 * PLACEHOLDER until the scenario work lands: decodes `scenario:` into a `Scenario`.
 * Rejects everything so nothing is silently accepted meanwhile.
 */
import { INVALID } from './codec.js';
import type { Codec } from './codec.js';
import type { Scenario } from './model.js';

export const scenarioCodec: Codec<Scenario> = {
  expected: 'a scenario',
  decode(node, cx) {
    cx.problem(node, 'scenarios are not readable yet');
    return INVALID;
  },
  schema: () => ({}),
};
