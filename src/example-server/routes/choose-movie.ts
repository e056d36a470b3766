import { cannedResponse, jsonArrayText } from '../response.js';
import type { RouteDefinition } from '../route.js';

const BASE = '/quickstarts/choose-movie';

/** One film of the catalogue. The quickstart comments only on films whose quality is below 80. */
export interface Movie {
  readonly name: string;
  readonly quality: number;
}

/** The catalogue the choose-movie quickstart reads; names contain spaces on purpose (the benchmark url-encodes them). */
export const MOVIES: readonly Movie[] = Object.freeze([
  { name: 'Shanghai Knights', quality: 73 },
  { name: 'Die Hard', quality: 89 },
  { name: 'The Terminator', quality: 87 },
  { name: 'Plump Fiction', quality: 8 },
]);

const ok = cannedResponse(200);

/**
 * Choose-movie quickstart: the profile and the movie list load in parallel, then the user comments on the weak
 * films and watches one. Every call answers 200; only the list has a body (a JSON array).
 */
export const chooseMovieRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: `${BASE}/movies`, response: cannedResponse(200, {}, jsonArrayText(MOVIES)) },
  { method: 'GET', path: `${BASE}/profile`, response: ok },
  { method: 'POST', path: `${BASE}/movie/:name/comments`, response: ok },
  { method: 'GET', path: `${BASE}/movie/:name/watch`, response: ok },
];
