/**
 * What the host (an agent's worker) gives the HTTP steps at compile time, through the engine's services:
 * the connection pools of the worker, the statistics recorders, and a place to declare each request step's SLAs
 * so that the controller can check them.
 */
import type { HttpTarget, SlaSpec } from '../../config/index.js';
import { serviceKey } from '../../engine/index.js';
import type { HttpConnectionPool } from '../pool.js';

export interface HttpPools {
  /** The pool of a target of the benchmark (each target has exactly one per worker). */
  of(target: HttpTarget): HttpConnectionPool;
}

export const HTTP_POOLS = serviceKey<HttpPools>('http.pools');
/** The worker's statistics recorders: the engine's key, shared with non-HTTP steps such as `stopwatch`. */
export { STATS_RECORDERS } from '../../engine/index.js';
/** Step id → the SLAs its statistics are checked against (the default no-blocking SLA when none is written). */
export const STEP_SLAS = serviceKey<Map<number, readonly SlaSpec[]>>('stats.stepSlas');
