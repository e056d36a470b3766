/**
 * The `httpRequest` step: compiles its configuration into a `CompiledRequest` and returns the send step, followed
 * (when `sync`, the default) by a step that blocks until the response is complete.
 *
 * Send: takes a request slot (blocked while all `maxRequests` are in flight), renders the request, gets a
 * connection from the target's pool and sends; when the pool has no free connection the step stays blocked until
 * one is handed over (the wait is the request's blocked time). With `sync: false` the sequence goes on at once.
 */
import { defaultRequestSlas, resolveAuthority } from '../../config/index.js';
import type { HttpTarget } from '../../config/index.js';
import type { HttpRequestConfig } from '../../config/steps/index.js';
import type { CompileContext, Session, StateKey, Step } from '../../engine/index.js';
import { HttpConfigError } from '../errors.js';
import { isHeaderName, RequestTemplate } from '../request-encoder.js';
import type { HttpMethod } from '../request-encoder.js';
import { COMPRESSION_CONTENT, COMPRESSION_NONE, COMPRESSION_TRANSFER } from './compiled-request.js';
import type { CompiledRequest, DynamicHeader, Routing, TargetPlan } from './compiled-request.js';
import { compileHeaderHandlers } from './header-handlers.js';
import { compileMetric } from './metric.js';
import { compileBody, compileText } from './request-parts.js';
import type { TextSource } from './request-parts.js';
import { StepRecorders } from './request-stats.js';
import { asSpecs } from './specs.js';
import { TargetRouter, urlPath } from './routing.js';
import { SEND_IDLE, SEND_READY, SEND_WAITING, SendState } from './send-state.js';
import { HTTP_POOLS, STATS_RECORDERS, STEP_SLAS } from './services.js';
import { Compensation } from './compensation.js';
import { cacheModeOf } from './http-cache.js';
import { httpSessionKey } from './session-http.js';
import type { HttpSessionState } from './session-http.js';
import { AUTO_RANGE_CHECK, compileStatusHandlers } from './status-handlers.js';

class SendStep implements Step {
  constructor(
    private readonly req: CompiledRequest,
    private readonly stateKey: StateKey<SendState>,
    private readonly httpKey: StateKey<HttpSessionState>,
  ) {}

  invoke(session: Session): boolean {
    const st = session.state(this.stateKey);
    if (st.phase === SEND_WAITING) return false;
    if (st.phase === SEND_READY) {
      st.phase = SEND_IDLE;
      return true;
    }
    // `compensation`: the session waits here for its paced start (once per session life).
    if (this.req.compensation !== null && !this.req.compensation.ready(session)) return false;
    const slot = session.requests.tryAcquire();
    if (slot < 0) return false;
    const ctx = session.state(this.httpKey).context(slot);
    try {
      ctx.prepare(session, this.req, st);
    } catch (error) {
      session.requests.release(slot, session.generation);
      throw error;
    }
    st.slot = slot;
    if (ctx.acquireAndSend()) return true;
    st.phase = SEND_WAITING;
    return false;
  }
}

/** The second half of a synchronous request: blocked until its response is complete (or it failed). */
class AwaitResponseStep implements Step {
  constructor(private readonly stateKey: StateKey<SendState>, private readonly httpKey: StateKey<HttpSessionState>) {}

  invoke(session: Session): boolean {
    const st = session.state(this.stateKey);
    if (st.slot < 0) return true;
    const ctx = session.state(this.httpKey).contexts[st.slot];
    if (ctx === null || ctx === undefined) {
      st.slot = -1;
      return true;
    }
    if (!ctx.isDone) return false;
    st.slot = -1;
    ctx.consume();
    return true;
  }
}

export function httpRequestStep(config: HttpRequestConfig, cx: CompileContext): Step[] {
  if (cx.http.length === 0) {
    cx.error('httpRequest needs an HTTP target, but the benchmark has no `http` section: add `http: {host: http://…}`');
  }
  const req = compileRequest(config, cx);
  const httpKey = httpSessionKey(cx);
  const stateKey = cx.reserveState<SendState>({ create: () => new SendState(), reset: (s) => s.reset(), perSequenceInstance: true });
  const send = new SendStep(req, stateKey, httpKey);
  return req.sync ? [send, new AwaitResponseStep(stateKey, httpKey)] : [send];
}

function compileRequest(config: HttpRequestConfig, cx: CompileContext): CompiledRequest {
  const targets = cx.http;
  const router = new TargetRouter(targets);
  const ergonomics = cx.ergonomics;
  const handler = config.handler;
  const followRedirect = handler.followRedirect ?? ergonomics.followRedirect;
  const followLocation = followRedirect === 'LOCATION_ONLY' || followRedirect === 'ALWAYS';
  const followHtml = followRedirect === 'HTML_ONLY' || followRedirect === 'ALWAYS';

  // Path and routing
  const path = compileText(config.path, cx);
  let constantPath = path.constant;
  let urlIndex = -1;
  if (constantPath !== null && !constantPath.startsWith('/')) {
    const url = router.parseUrl(constantPath);
    if (url !== null) {
      if (url.index < 0 && config.authority === undefined && config.endpoint === undefined) {
        cx.error(`no HTTP target serves \`${constantPath}\`: declare \`${url.authority}\` in \`http\``);
      }
      urlIndex = url.index;
      constantPath = urlPath(constantPath, url.pathStart);
    }
  }
  if (constantPath === '') constantPath = '/';

  let staticIndex = -1;
  let explicit = false;
  let dynamicRouting: { kind: 'authority' | 'endpoint'; text: TextSource } | null = null;
  if (config.endpoint !== undefined || config.authority !== undefined) {
    explicit = true;
    const isEndpoint = config.endpoint !== undefined;
    const text = compileText((config.endpoint ?? config.authority)!, cx);
    if (text.constant !== null) {
      const resolved = isEndpoint ? resolveAuthority(targets, undefined, text.constant) : resolveAuthority(targets, text.constant, undefined);
      if (!resolved.ok) cx.error(resolved.message);
      staticIndex = targets.indexOf(resolved.value);
    } else {
      dynamicRouting = { kind: isEndpoint ? 'endpoint' : 'authority', text };
    }
  } else if (urlIndex >= 0) {
    staticIndex = urlIndex;
  } else {
    const resolved = resolveAuthority(targets, undefined, undefined);
    if (resolved.ok) staticIndex = targets.indexOf(resolved.value);
    else if (path.constant !== null) cx.error(resolved.message);
    // A path rendered per request may be an absolute URL; otherwise the request fails at run time.
  }

  // Headers
  const constantHeaders: Array<[string, string]> = [];
  const dynamicHeaders: DynamicHeader[] = [];
  const has = (name: string): boolean => config.headers.some((h) => h.name.toLowerCase() === name);
  for (const header of config.headers) {
    if (!isHeaderName(header.name)) {
      cx.error(`header name ${JSON.stringify(header.name)} is not a valid HTTP token; use letters, digits and -`);
    }
    const value = compileText(header.value, cx);
    if (value.constant !== null) constantHeaders.push([header.name, value.constant]);
    else dynamicHeaders.push({ name: header.name, value });
  }
  const body = compileBody(config.body, cx);
  if (body !== null && body.contentType !== null && !has('content-type')) constantHeaders.push(['content-type', body.contentType]);
  let compression = COMPRESSION_NONE;
  if (config.compression !== undefined) {
    compression = config.compression.type === 'TRANSFER_ENCODING' ? COMPRESSION_TRANSFER : COMPRESSION_CONTENT;
    constantHeaders.push([compression === COMPRESSION_TRANSFER ? 'te' : 'accept-encoding', 'gzip']);
  }
  const injectHost = !has('host');
  const userAgent = ergonomics.userAgentFromSession && !has('user-agent');
  const repeatCookies = ergonomics.repeatCookies;
  const dynamic = dynamicHeaders.length > 0 || (body !== null && body.constant === null) || userAgent || repeatCookies;
  const redirectHeaders = constantHeaders.filter(([name]) => name.toLowerCase() !== 'content-type');

  // Targets: the static one, or every target when the destination is known only per request.
  const everyTarget = staticIndex < 0 || followLocation || followHtml || constantPath === null;
  const plans: Array<TargetPlan | null> = targets.map((target, index) => {
    if (!everyTarget && index !== staticIndex) return null;
    return planFor(target, index, config, cx, {
      constantPath, constantHeaders, redirectHeaders, injectHost, body: body?.constant ?? undefined, dynamic,
    });
  });
  let routing: Routing;
  if (dynamicRouting !== null) routing = dynamicRouting;
  else if (staticIndex >= 0) routing = { kind: 'static', plan: plans[staticIndex]!, explicit };
  else routing = { kind: 'url', message: resolveAuthority(targets, undefined, undefined).ok ? '' : 'there is no default HTTP target' };

  // Handlers
  const statusHandlers = compileStatusHandlers(handler.status, cx);
  if (handler.autoRangeCheck ?? ergonomics.autoRangeCheck) statusHandlers.push(AUTO_RANGE_CHECK);
  const headers = compileHeaderHandlers(handler.header, cx);
  const bodyProcessors = cx.processors(asSpecs(handler.body));
  const completion = cx.actions(handler.onCompletion);
  const transferKeys = handler.rawBytes.map((h) => h.config.key);

  // Statistics and SLAs
  const recorders = new StepRecorders(cx.service(STATS_RECORDERS), cx.stepId);
  const slas = cx.optionalService(STEP_SLAS);
  if (slas !== undefined) {
    const strategyTarget = staticIndex >= 0 ? targets[staticIndex]! : targets.find((t) => t.isDefault) ?? targets[0]!;
    slas.set(cx.stepId, config.sla ?? defaultRequestSlas(strategyTarget.connectionStrategy));
  }
  const isInitial = cx.scenario.initialSequences.some((s) => s.name === cx.sequence.name);
  const cacheControl = constantHeaders.find(([name]) => name.toLowerCase() === 'cache-control')?.[1] ?? null;
  const cacheMode = targets.some((t) => t.useHttpCache) ? cacheModeOf(config.method, cacheControl) : 0;
  const wantsHeaders = cacheMode !== 0 || headers.handlers.length > 0 || repeatCookies || followLocation || followHtml
    || compression !== COMPRESSION_NONE || headers.logInvalid || bodyProcessors.length > 0;

  return {
    stepId: cx.stepId,
    at: cx.at,
    method: config.method,
    sync: config.sync,
    routing,
    plans,
    router,
    path,
    constantPath,
    headers: dynamicHeaders,
    body,
    metric: compileMetric(config.metric, targets.length === 1),
    recorders,
    singleTarget: targets.length === 1,
    statusHandlers,
    headerHandlers: headers.handlers,
    bodyProcessors,
    completion,
    transferKeys,
    stopOnInvalid: handler.stopOnInvalid ?? ergonomics.stopOnInvalid,
    followLocation,
    followHtml,
    repeatCookies,
    userAgent,
    compression,
    logInvalidHeaders: headers.logInvalid,
    useSessionStart: ergonomics.compensateInternalLatency && isInitial && cx.sequence.steps.length === 0,
    wantsHeaders,
    wantsBody: bodyProcessors.length > 0 || followHtml,
    cacheMode,
    compensation: config.compensation === undefined ? null : new Compensation(config.compensation, cx, cx.service(STATS_RECORDERS),
      config.compensation.metric === undefined ? null : compileMetric(config.compensation.metric, targets.length === 1)),
  };
}

interface TemplateParts {
  readonly constantPath: string | null;
  readonly constantHeaders: ReadonlyArray<readonly [string, string]>;
  readonly redirectHeaders: ReadonlyArray<readonly [string, string]>;
  readonly injectHost: boolean;
  readonly body: Buffer | undefined;
  readonly dynamic: boolean;
}

function planFor(target: HttpTarget, index: number, config: HttpRequestConfig, cx: CompileContext, parts: TemplateParts): TargetPlan {
  const method = config.method as HttpMethod;
  const template = (spec: { method: HttpMethod; path: string | null; headers: ReadonlyArray<readonly [string, string]>; body: Buffer | undefined; dynamic: boolean }): RequestTemplate => {
    try {
      return new RequestTemplate({
        method: spec.method,
        authority: target.authority,
        injectHost: parts.injectHost,
        ...(spec.path !== null ? { path: spec.path } : {}),
        headers: spec.headers,
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        dynamic: spec.dynamic,
      });
    } catch (error) {
      if (error instanceof HttpConfigError) cx.error(error.message);
      throw error;
    }
  };
  const main = template({ method, path: parts.constantPath, headers: parts.constantHeaders, body: parts.body, dynamic: parts.dynamic });
  const dynamicPath = parts.constantPath === null ? main
    : template({ method, path: null, headers: parts.constantHeaders, body: parts.body, dynamic: true });
  const redirect = template({ method: method === 'HEAD' ? 'HEAD' : 'GET', path: null, headers: parts.redirectHeaders, body: undefined, dynamic: true });
  const timeoutMs = config.timeoutMs ?? target.requestTimeoutMs;
  return {
    index,
    target,
    pool: cx.service(HTTP_POOLS).of(target),
    template: main,
    dynamicPathTemplate: dynamicPath,
    redirectTemplate: redirect,
    timeoutMs: timeoutMs > 0 ? timeoutMs : 0,
    host: target.host.toLowerCase(),
    secure: target.protocol === 'https',
  };
}
