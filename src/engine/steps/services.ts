/**
 * What a host gives the step catalogue through the engine's services (and re-exports for `src/engine/index.ts`):
 *
 * - `WORKER_DATA`: the worker's shared data (random generator and its seed, shared counters and maps, agent data,
 *   the logger of `log`). Optional: without it each worker gets one with a random seed, logging to stderr.
 * - `STATS_RECORDERS`: the statistics recorders, for `stopwatch`. The HTTP layer should use this same key object
 *   (`src/http/steps/services.ts` re-exporting it), so that the host sets it once.
 */
import type { StatsRecorderRegistry } from '../../stats/index.js';
import { serviceKey } from '../services.js';

export const STATS_RECORDERS = serviceKey<StatsRecorderRegistry>('stats.recorders');

export { WORKER_DATA, WorkerData, STDERR_LOGGER, SharedCounter } from './worker-data.js';
export type { StepLogger, WorkerDataOptions } from './worker-data.js';
