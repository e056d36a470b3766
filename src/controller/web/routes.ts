/** The controller's routes for people and monitoring rather than for the Hyperfoil API: `/metrics`. */
import type { RestContext } from '../rest/options.js';
import { send } from '../rest/respond.js';
import type { Route } from '../rest/router.js';
import { OPENMETRICS_TYPE, renderOpenMetrics } from './metrics.js';

export function webRoutes(cx: RestContext): Route[] {
  return [
    { method: 'GET', path: '/metrics', handler: ({ res }) => send(res, 200, renderOpenMetrics(cx.runs), OPENMETRICS_TYPE) },
  ];
}
