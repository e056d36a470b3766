import type { RouteDefinition } from '../route.js';
import { chooseMovieRoutes } from './choose-movie.js';
import { credentialsRoutes } from './credentials.js';
import { eshopRoutes } from './eshop.js';
import { indexRoutes } from './index-page.js';
import { randomUrlsRoutes } from './random-urls.js';
import { twoAgentsRoutes } from './two-agents.js';

/** Every route of the example server; both ports serve the same table. */
export const allRoutes: readonly RouteDefinition[] = [
  ...indexRoutes,
  ...twoAgentsRoutes,
  ...chooseMovieRoutes,
  ...eshopRoutes,
  ...randomUrlsRoutes,
  ...credentialsRoutes,
];
