import { cannedResponse } from '../response.js';
import type { RouteDefinition } from '../route.js';

/**
 * The clustered quickstart (two agents over SSH) only fetches `GET /` and expects an empty 200. It is the same
 * answer as the index page; the route is declared here too so that this area stays complete on its own.
 */
export const twoAgentsRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/', response: cannedResponse(200) },
];
