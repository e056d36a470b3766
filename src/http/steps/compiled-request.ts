/**
 * One `httpRequest` step after compilation: everything a request context needs to render, send and handle a
 * request, resolved once per session pool. Built by `http-request.ts`, read by `request-context.ts`.
 */
import type { HttpTarget } from '../../config/index.js';
import type { Action, Processor } from '../../engine/index.js';
import type { HttpConnectionPool } from '../pool.js';
import type { RequestTemplate } from '../request-encoder.js';
import type { HeaderHandler } from './header-handlers.js';
import type { MetricSelect } from './metric.js';
import type { Compensation } from './compensation.js';
import type { BodySource, TextSource } from './request-parts.js';
import type { StepRecorders } from './request-stats.js';
import type { TargetRouter } from './routing.js';
import type { StatusHandler } from './status-handlers.js';

/** A target this step may send to, with its pre-encoded templates. */
export interface TargetPlan {
  /** Index in the benchmark's `http` list (and in the session's connection sources). */
  readonly index: number;
  readonly target: HttpTarget;
  readonly pool: HttpConnectionPool;
  /** The request as configured (constant path, or a path per request). */
  readonly template: RequestTemplate;
  /** Path per request: for an absolute URL as the path, and redirects that keep the method (307/308). */
  readonly dynamicPathTemplate: RequestTemplate;
  /** GET with a path per request and no body: redirects (301/302/303) and meta refreshes. */
  readonly redirectTemplate: RequestTemplate;
  /** `timeout`, else the target's `requestTimeout`; <= 0: none. */
  readonly timeoutMs: number;
  /** Lower-case host, for cookies. */
  readonly host: string;
  readonly secure: boolean;
}

export type Routing =
  /** `explicit`: chosen by `authority`/`endpoint` (an absolute URL as the path does not override it). */
  | { readonly kind: 'static'; readonly plan: TargetPlan; readonly explicit: boolean }
  | { readonly kind: 'authority'; readonly text: TextSource }
  | { readonly kind: 'endpoint'; readonly text: TextSource }
  /** No default target: the path must be an absolute URL (`message` says why otherwise). */
  | { readonly kind: 'url'; readonly message: string };

export interface DynamicHeader {
  readonly name: string;
  readonly value: TextSource;
}

export const COMPRESSION_NONE = 0;
export const COMPRESSION_CONTENT = 1;
export const COMPRESSION_TRANSFER = 2;

export interface CompiledRequest {
  readonly stepId: number;
  /** Where the step was written (messages). */
  readonly at: string;
  readonly method: string;
  readonly sync: boolean;
  readonly routing: Routing;
  /** Plans by target index (null for targets this step never uses). */
  readonly plans: ReadonlyArray<TargetPlan | null>;
  readonly router: TargetRouter;
  readonly path: TextSource;
  /** The path is constant and is not an absolute URL: the templates carry it. */
  readonly constantPath: string | null;
  readonly headers: readonly DynamicHeader[];
  readonly body: BodySource | null;
  readonly metric: MetricSelect;
  readonly recorders: StepRecorders;
  /** The benchmark has one target: metric selectors see the path alone. */
  readonly singleTarget: boolean;
  readonly statusHandlers: readonly StatusHandler[];
  readonly headerHandlers: readonly HeaderHandler[];
  readonly bodyProcessors: readonly Processor[];
  readonly completion: readonly Action[];
  /** `rawBytes.transferSizeRecorder` keys. */
  readonly transferKeys: readonly string[];
  readonly stopOnInvalid: boolean;
  readonly followLocation: boolean;
  readonly followHtml: boolean;
  readonly repeatCookies: boolean;
  readonly userAgent: boolean;
  readonly compression: number;
  readonly logInvalidHeaders: boolean;
  /** compensateInternalLatency: the first request of the session is timed from its scheduled start. */
  readonly useSessionStart: boolean;
  readonly wantsHeaders: boolean;
  readonly wantsBody: boolean;
  /** `CACHE_*` bits of http-cache.ts: how the request uses the session's HTTP cache; 0 when no target has one. */
  readonly cacheMode: number;
  /** `compensation`: paced session starts and the compensated metric; null without. */
  readonly compensation: Compensation | null;
}
