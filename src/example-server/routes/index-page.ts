import { cannedResponse } from '../response.js';
import type { RouteDefinition } from '../route.js';

/** `GET /`: an empty 200, the page the first benchmarks and smoke tests fetch. */
export const indexRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/', response: cannedResponse(200) },
];
