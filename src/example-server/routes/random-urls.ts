import { cannedResponse } from '../response.js';
import type { RouteDefinition } from '../route.js';

const BASE = '/quickstarts/random-urls';

/**
 * Random-urls quickstart: the benchmark picks one of four names, so its statistics show a mix of classes:
 * the page and `foo.png` answer 200, `bar.png` answers 300 (a 3xx without Location), and any other name
 * (the benchmark uses `this-returns-404.png`) falls through to the server's 404.
 */
export const randomUrlsRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: `${BASE}/index.html`, response: cannedResponse(200) },
  { method: 'GET', path: `${BASE}/foo.png`, response: cannedResponse(200) },
  { method: 'GET', path: `${BASE}/bar.png`, response: cannedResponse(300) },
];
