/**
 * The statistics recorders of the worker, as a service for steps that record (stopwatch). The HTTP layer uses the
 * same key object (`src/http/steps/services.ts` should re-export this one), so the host sets it once.
 */
import type { StatsRecorderRegistry } from '../../stats/index.js';
import { serviceKey } from '../services.js';

export const STATS_RECORDERS = serviceKey<StatsRecorderRegistry>('stats.recorders');
