export { HTTP_POOLS, STATS_RECORDERS, STEP_SLAS } from './services.js';
export type { HttpPools } from './services.js';
