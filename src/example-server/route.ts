import type { IncomingHttpHeaders } from 'node:http';
import type { CannedResponse } from './response.js';

/** An extra condition on the request headers (cookies, Authorization, Content-Type). */
export type RouteCondition = (headers: IncomingHttpHeaders) => boolean;

interface RouteBase {
  /** Upper-case HTTP method, matched exactly. */
  readonly method: string;
  /** Path of literal segments and `:name` parameters (one non-empty segment each). A trailing slash in the
   *  request is tolerated and the query string is ignored, as in the original mock definitions. */
  readonly path: string;
  /** When several routes match, the highest priority wins (default 0); ties go to the one defined first. */
  readonly priority?: number;
  readonly when?: RouteCondition;
}

/** Answers with the same bytes every time. */
export interface StaticRoute extends RouteBase {
  readonly response: CannedResponse;
}

/** Reads the request body (at most `maxBodyBytes`, else 413) and builds the response from it. */
export interface BodyRoute extends RouteBase {
  readonly maxBodyBytes: number;
  readonly respond: (body: Buffer, headers: IncomingHttpHeaders) => CannedResponse;
}

export type RouteDefinition = StaticRoute | BodyRoute;

export function isBodyRoute(route: RouteDefinition): route is BodyRoute {
  return 'respond' in route;
}
