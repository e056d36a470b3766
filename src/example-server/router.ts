import type { IncomingHttpHeaders } from 'node:http';
import type { RouteDefinition } from './route.js';

interface CompiledRoute {
  readonly route: RouteDefinition;
  /** One entry per path segment: the literal text, or null for a `:name` parameter. */
  readonly segments: readonly (string | null)[];
}

/** What the router makes of a request: a route, nothing (404), or a target it cannot read (400). */
export type RouteLookup =
  | { readonly kind: 'route'; readonly route: RouteDefinition }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad-target' };

const NOT_FOUND: RouteLookup = Object.freeze({ kind: 'not-found' });
const BAD_TARGET: RouteLookup = Object.freeze({ kind: 'bad-target' });

/**
 * Matches method, path (with parameters) and header conditions against the route table. Routes are compiled
 * once, grouped by method and ordered by priority (stable for ties), so a lookup is a short linear scan.
 */
export class Router {
  private readonly byMethod = new Map<string, CompiledRoute[]>();
  private readonly lookups = new Map<RouteDefinition, RouteLookup>();

  constructor(routes: readonly RouteDefinition[]) {
    const ordered = routes
      .map((route, index) => ({ route, index }))
      .sort((a, b) => (b.route.priority ?? 0) - (a.route.priority ?? 0) || a.index - b.index);
    for (const { route } of ordered) {
      if (!route.path.startsWith('/')) throw new Error(`route path must start with '/': ${route.path}`);
      const compiled: CompiledRoute = {
        route,
        segments: pathSegments(route.path).map((segment) => (segment.startsWith(':') ? null : segment)),
      };
      let list = this.byMethod.get(route.method);
      if (list === undefined) this.byMethod.set(route.method, (list = []));
      list.push(compiled);
      this.lookups.set(route, Object.freeze({ kind: 'route', route }));
    }
  }

  find(method: string, target: string, headers: IncomingHttpHeaders): RouteLookup {
    const candidates = this.byMethod.get(method);
    if (candidates === undefined) return NOT_FOUND;
    const path = requestPath(target);
    if (path === null) return NOT_FOUND;
    let segments = pathSegments(path);
    if (path.includes('%')) {
      const decoded = decodeSegments(segments);
      if (decoded === null) return BAD_TARGET;
      segments = decoded;
    }
    for (const candidate of candidates) {
      if (matchesSegments(candidate.segments, segments) && (candidate.route.when === undefined || candidate.route.when(headers))) {
        return this.lookups.get(candidate.route) ?? NOT_FOUND;
      }
    }
    return NOT_FOUND;
  }
}

/** The path of an origin-form (`/a?b`) or absolute-form (`http://h/a`) request target; null for anything else (`*`). */
export function requestPath(target: string): string | null {
  let start: number;
  if (target.startsWith('/')) {
    start = 0;
  } else {
    const scheme = /^https?:\/\//i.exec(target);
    if (scheme === null) return null;
    start = target.indexOf('/', scheme[0].length);
    if (start < 0) return '/';
  }
  let end = target.length;
  for (let i = start; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c === 0x3f /* ? */ || c === 0x23 /* # */) {
      end = i;
      break;
    }
  }
  return target.slice(start, end);
}

/** `/a/b/` → [a, b]; `/` → []. One trailing slash is ignored. */
export function pathSegments(path: string): string[] {
  let end = path.length;
  if (end > 1 && path.endsWith('/')) end--;
  const inner = path.slice(1, end);
  return inner === '' ? [] : inner.split('/');
}

function decodeSegments(segments: string[]): string[] | null {
  try {
    return segments.map((segment) => (segment.includes('%') ? decodeURIComponent(segment) : segment));
  } catch {
    return null;
  }
}

function matchesSegments(pattern: readonly (string | null)[], actual: readonly string[]): boolean {
  if (pattern.length !== actual.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i];
    const value = actual[i] as string;
    if (expected === null ? value === '' : expected !== value) return false;
  }
  return true;
}
