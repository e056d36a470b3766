/**
 * Registers the runtime of every non-HTTP step, action and processor of the config catalogue
 * (`src/config/steps/index.ts`). Called by `registerCoreSteps`, so the default registry and test registries have
 * them all.
 */
import type { EngineRegistry } from '../registry.js';
import { registerCollectionSteps } from './collections.js';
import { registerControlSteps } from './control.js';
import { registerGzipInflator } from './gzip.js';
import { registerJson } from './json.js';
import { registerProcessors } from './processors.js';
import { registerQueue } from './queue.js';
import { registerRandomSteps } from './random.js';
import { registerSequenceSteps } from './sequences.js';
import { registerSharedDataSteps } from './shared-data.js';
import { registerStopwatch } from './stopwatch.js';
import { registerTimingSteps } from './timing.js';
import { registerVariableSteps } from './variables.js';

export function registerStepCatalogue(registry: EngineRegistry): void {
  registerVariableSteps(registry);
  registerRandomSteps(registry);
  registerTimingSteps(registry);
  registerSequenceSteps(registry);
  registerStopwatch(registry);
  registerControlSteps(registry);
  registerCollectionSteps(registry);
  registerSharedDataSteps(registry);
  registerJson(registry);
  registerProcessors(registry);
  registerQueue(registry);
  registerGzipInflator(registry);
}
