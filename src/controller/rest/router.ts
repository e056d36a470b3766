/**
 * A route table compiled once: `GET /run/{runId}/stats/total` matches path segments literally or binds `{name}`
 * parameters. Segments are percent-decoded one by one, so an encoded `/` stays inside its parameter and dot
 * segments are never collapsed; every parameter is then bound through its declared checker (params.ts), so a
 * handler only ever sees checked values.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';
import type { ParamChecker } from './params.js';

export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

export type Handler = (exchange: Exchange) => void | Promise<void>;

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly handler: Handler;
}

interface CompiledRoute extends Route {
  readonly segments: readonly { readonly literal?: string; readonly param?: string }[];
}

export interface Match {
  readonly handler: Handler;
  readonly params: Readonly<Record<string, string>>;
}

/** Splits the request target into decoded path segments and the query; malformed input is a 400. */
export function parseTarget(target: string): { segments: string[]; query: URLSearchParams } {
  if (!target.startsWith('/')) throw new HttpError(400, 'the request target must be a path starting with `/`');
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const raw = path.split('/').slice(1);
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop(); // a trailing slash is ignored
  const segments = raw.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new HttpError(400, `the path segment \`${segment.slice(0, 80)}\` is not valid percent-encoding`);
    }
  });
  return { segments, query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[], private readonly checkers: Readonly<Record<string, ParamChecker>>) {
    this.routes = routes.map((route) => ({
      ...route,
      segments: route.path.split('/').slice(1).map((s) => {
        if (!(s.startsWith('{') && s.endsWith('}'))) return { literal: s };
        const param = s.slice(1, -1);
        if (!Object.hasOwn(checkers, param)) throw new Error(`route ${route.path}: no checker is declared for {${param}}`);
        return { param };
      }),
    }));
  }

  /** The routes as declared (method and path template), e.g. to enumerate them in tests. */
  get table(): readonly Pick<Route, 'method' | 'path'>[] {
    return this.routes.map(({ method, path }) => ({ method, path }));
  }

  /** The handler for a request; throws 404 for an unknown path and 405 (with Allow) for a known path and wrong method. */
  match(method: string, segments: readonly string[]): Match {
    const effective = method === 'HEAD' ? 'GET' : method;
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = this.bind(route, segments);
      if (!params) continue;
      if (route.method === effective) return { handler: route.handler, params: this.check(params) };
      allowed.add(route.method);
    }
    if (allowed.size > 0) {
      if (allowed.has('GET')) allowed.add('HEAD');
      const allow = [...allowed].sort().join(', ');
      throw new HttpError(405, `${method} is not allowed here; use ${allow}`, { Allow: allow });
    }
    throw new HttpError(404, `no such resource: /${segments.join('/')} (GET /openapi lists them)`);
  }

  private check(params: Record<string, string>): Record<string, string> {
    for (const [name, value] of Object.entries(params)) params[name] = this.checkers[name]!(value);
    return params;
  }

  private bind(route: CompiledRoute, segments: readonly string[]): Record<string, string> | undefined {
    if (route.segments.length !== segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const expected = route.segments[i]!;
      const actual = segments[i]!;
      if (expected.param !== undefined) {
        if (actual === '') return undefined;
        params[expected.param] = actual;
      } else if (expected.literal !== actual) {
        return undefined;
      }
    }
    return params;
  }
}
