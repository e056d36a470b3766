/**
 * One in-flight request of a session: a pooled object per request slot that renders the request, gets a
 * connection (waiting for one when the pool has none: that wait is the request's blocked time), sends it, and
 * receives the client's callbacks as the `ResponseHandler`. Nothing is allocated per request besides the strings
 * of dynamic parts (and the copies a compressed body needs).
 *
 * Statistics (Hyperfoil's): a request counts when it is sent; its latency is from the send (or from the session's
 * scheduled start for the first request with `compensateInternalLatency`) to the complete response; every sample
 * goes to the bucket of the request's start. A failure (refused, reset, timeout, invalid HTTP) counts as a
 * connection error, a timeout or an internal error, marks the request invalid, runs the completion actions, and
 * stops the session when `stopOnInvalid` applies — it is never thrown.
 *
 * Redirects (`followRedirect`): a 3xx with `Location` is followed by another request of the same context (its
 * status, header, body and completion handlers are skipped); an HTML `<meta http-equiv=refresh>` is followed
 * after its delay once the page's handlers ran. The step's response is the last one of the chain.
 */
import { gunzipSync } from 'node:zlib';
import { SessionFailure } from '../../engine/index.js';
import type { SequenceInstance, SequenceTemplate, Session, TimerTarget } from '../../engine/index.js';
import type { StatsRecorder } from '../../stats/index.js';
import { nowNs } from '../clock.js';
import type { FailureKind, HttpConnection, PoolWaiter, ResponseHandler } from '../handler.js';
import { describeEncodeResult, ENCODE_OK, OutgoingRequest, RequestValues } from '../request-encoder.js';
import type { EncodedRequest, EncodeResult, RequestTemplate } from '../request-encoder.js';
import type { ConnectionSource } from '../session-connections.js';
import { COMPRESSION_CONTENT, COMPRESSION_TRANSFER } from './compiled-request.js';
import type { CompiledRequest, TargetPlan } from './compiled-request.js';
import { enterRequest, restoreRequest } from './current-request.js';
import type { HandledRequest } from './current-request.js';
import { COUNT_CONNECTION_ERROR, COUNT_REQUEST_TIMEOUT, counterOf } from './failures.js';
import { isHeader } from './header-name.js';
import { CACHE_LOOKUP, CACHE_STORE, CACHE_UNSAFE, CacheHeaders, HttpCache } from './http-cache.js';
import type { CacheRecord } from './http-cache.js';
import { httpLog } from './log.js';
import { MetaRefreshDetector } from './meta-refresh.js';
import { epochMsOf } from './request-stats.js';
import type { StepRecorders } from './request-stats.js';
import type { ResponseState } from './response-state.js';
import { urlPath } from './routing.js';
import { SEND_READY } from './send-state.js';
import type { SendState } from './send-state.js';
import type { HttpSessionState } from './session-http.js';

/** Steps whose refused (unsendable) request has been logged once already. */
const refusalsLogged = new WeakSet<CompiledRequest>();

export const CTX_IDLE = 0;
/** Waiting for a connection. */
export const CTX_WAITING = 1;
/** Sent, response pending. */
export const CTX_SENT = 2;
/** Complete (synchronous request): the step's await part takes it and frees the slot. */
export const CTX_DONE = 3;
/** Waiting for a meta refresh's delay. */
export const CTX_DELAY = 4;
/** Served from the session's HTTP cache: completes on the next turn of the scheduler, never sent. */
export const CTX_CACHED = 5;

/** Redirects followed per request before a 3xx is handled as the final response. */
export const MAX_REDIRECTS = 16;

const EMPTY = Buffer.alloc(0);

function containsGzip(value: string): boolean {
  return value.toLowerCase().includes('gzip');
}

export class RequestContext implements ResponseHandler, PoolWaiter, TimerTarget, ResponseState, HandledRequest {
  session!: Session;
  phase = CTX_IDLE;
  private generation = -1;
  /** Cancelled by the end of its session: callbacks only clean up. */
  private orphaned = false;
  private req: CompiledRequest | null = null;
  private plan: TargetPlan | null = null;
  private source: ConnectionSource | null = null;
  private connection: HttpConnection | null = null;
  private sendState: SendState | null = null;
  private instance: SequenceInstance | null = null;
  private sequenceTemplate: SequenceTemplate | null = null;
  private sequenceIndex = 0;
  private readonly values = new RequestValues();
  private readonly out = new OutgoingRequest();
  private encoded: EncodedRequest = this.out;
  /** Why the rendered request may not be sent (a CR/LF… in a dynamic part), or ENCODE_OK. */
  private unsendable: EncodeResult = ENCODE_OK;
  private path = '/';
  private recorder: StatsRecorder | null = null;
  private startMs = 0;
  private startNs = 0;
  private blockedSinceNs = -1;
  private bytesSent = 0;
  private following = false;
  private redirects = 0;
  private timerToken = 0;
  // The response being received
  status = 0;
  private valid = true;
  /** A handler threw: the session is failing; the rest of this response is not handled. */
  private broken = false;
  private remaining = -1;
  private hasTransferEncoding = false;
  private lastPartDelivered = false;
  private compressed = false;
  private readonly chunks: Buffer[] = [];
  private isHtml = false;
  private deferred = false;
  private redirecting = false;
  private location: string | null = null;
  private readonly keptNames: string[] = [];
  private readonly keptValues: string[] = [];
  private keptCount = 0;
  private refresh: MetaRefreshDetector | null = null;
  private refreshUrl = '';
  /** `compensation`: the session's scheduled start, for the compensated metric of this request; -1: none. */
  private compensatedNs = -1;
  /** Open model: when this request was meant to start (see StatsSnapshot.fromIntendedStart); -1: not timed so. */
  private intendedStartNs = -1;
  /** The metric this request is recorded under (null: not recorded), chosen with its target. */
  private metricName: string | null = null;
  /** How this request uses the session's HTTP cache (`CACHE_*` bits); 0: not at all. */
  private caching = 0;
  private cacheHeaders: CacheHeaders | null = null;

  constructor(private readonly http: HttpSessionState, readonly slot: number) {}

  get isIdle(): boolean {
    return this.phase === CTX_IDLE;
  }

  /** Done and waiting for the await step (synchronous requests). */
  get isDone(): boolean {
    return this.phase === CTX_DONE;
  }

  get wantsHeaders(): boolean {
    return this.req?.wantsHeaders ?? false;
  }

  get wantsBody(): boolean {
    return this.req?.wantsBody ?? false;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Starting a request (called by the send step, inside the session's run loop)

  /**
   * Renders the request and routes it. Throws a SessionFailure (unset variable, unknown authority…) before
   * anything is taken; the caller gives the slot back.
   */
  prepare(session: Session, req: CompiledRequest, sendState: SendState): void {
    this.session = session;
    this.generation = session.generation;
    this.orphaned = false;
    this.req = req;
    this.sendState = sendState;
    this.instance = session.currentSequence;
    this.sequenceTemplate = this.instance?.template ?? null;
    this.sequenceIndex = session.sequenceIndex;
    this.following = false;
    this.redirects = 0;
    this.valid = true;
    this.broken = false;
    this.blockedSinceNs = -1;
    this.compensatedNs = req.compensation === null ? -1 : req.compensation.take(session);
    let path = req.constantPath;
    let plan: TargetPlan | null = null;
    if (path === null) {
      path = req.path.render(session);
      if (path.charCodeAt(0) !== 0x2f) {
        const url = req.router.parseUrl(path);
        if (url !== null) {
          // An absolute URL: it says where the request goes unless `authority`/`endpoint` does.
          const routing = req.routing;
          if (routing.kind === 'url' || (routing.kind === 'static' && !routing.explicit)) plan = this.planAt(url.index, url.authority);
          path = urlPath(path, url.pathStart);
        }
      }
      if (path === '') path = '/';
    }
    if (plan === null) plan = this.route(session, req, path);
    this.caching = 0;
    let validator: CacheRecord | null = null;
    if (req.cacheMode !== 0 && plan.target.useHttpCache) {
      const record = this.lookup(req.cacheMode, plan, path);
      if (record !== null && HttpCache.isFresh(record, Date.now())) {
        this.choose(plan, path); // startOn chooses otherwise
        this.phase = CTX_CACHED;
        return;
      }
      validator = record;
    }
    this.startOn(plan, path, plan.template, true, validator);
  }

  /** Starts using the cache for this request; the record found for it (fresh or to revalidate), if any. */
  private lookup(mode: number, plan: TargetPlan, path: string): CacheRecord | null {
    this.caching = mode;
    if (this.cacheHeaders === null) this.cacheHeaders = new CacheHeaders();
    if ((mode & CACHE_LOOKUP) === 0) return null;
    return this.http.cache.get(plan.target.authority + path) ?? null;
  }

  /**
   * Gets a connection and sends; false when it must wait for one (the step stays blocked). A request whose dynamic
   * parts would break the framing is not sent: it fails at once (true).
   */
  acquireAndSend(): boolean {
    if (this.phase === CTX_CACHED) {
      this.session.runtime.scheduler.schedule(nowNs(), this, ++this.timerToken);
      return true;
    }
    if (this.unsendable !== ENCODE_OK) {
      this.failUnsendable();
      return true;
    }
    const connection = this.source!.acquire(this);
    if (connection !== null) {
      this.send(connection);
      return true;
    }
    this.phase = CTX_WAITING;
    this.blockedSinceNs = nowNs();
    return false;
  }

  /** The await step takes a completed synchronous request and frees its slot. */
  consume(): void {
    this.phase = CTX_IDLE;
    this.session.requests.release(this.slot, this.generation);
  }

  private route(session: Session, req: CompiledRequest, path: string): TargetPlan {
    const routing = req.routing;
    if (routing.kind === 'static') return routing.plan;
    if (routing.kind === 'url') {
      throw new SessionFailure(`${req.at}: ${routing.message}, so the path must be an absolute URL (http://host:port/…); got \`${path}\``);
    }
    const text = routing.text.render(session);
    const index = routing.kind === 'authority' ? req.router.indexOfAuthority(text) : req.router.indexOfEndpoint(text);
    const plan = index >= 0 ? req.plans[index] ?? null : null;
    if (plan === null) {
      const why = routing.kind === 'authority' ? req.router.explain(text, undefined) : req.router.explain(undefined, text);
      throw new SessionFailure(`${req.at}: ${why || `no HTTP target for ${routing.kind} \`${text}\``}`);
    }
    return plan;
  }

  private planAt(index: number, authority: string): TargetPlan {
    const plan = index >= 0 ? this.req!.plans[index] ?? null : null;
    if (plan === null) throw new SessionFailure(`${this.req!.at}: no HTTP target serves \`${authority}\`; declare it in \`http\``);
    return plan;
  }

  /** Chooses the target and the metric for `plan` and `path`. */
  private choose(plan: TargetPlan, path: string): void {
    const req = this.req!;
    this.plan = plan;
    this.path = path;
    this.source = this.http.source(plan);
    const metric = req.metric.isConstant ? req.metric.select('', '') : req.metric.select(plan.target.authority, path);
    this.recorder = metric === null ? null : req.recorders.get(this.session, metric);
    this.metricName = metric;
  }

  /**
   * Chooses the metric and renders the request for `plan` and `path`; with a cache `validator`, as a conditional
   * request (`If-None-Match`, `If-Modified-Since`).
   */
  private startOn(plan: TargetPlan, path: string, template: RequestTemplate, withBody: boolean, validator: CacheRecord | null = null): void {
    const req = this.req!;
    const session = this.session;
    this.choose(plan, path);
    if (validator !== null && template.fixed !== null) template = plan.dynamicPathTemplate;
    this.unsendable = ENCODE_OK;
    if (template.fixed !== null) {
      this.encoded = template.fixed;
      return;
    }
    const values = this.values;
    values.clear();
    values.path = path;
    const headers = req.headers;
    for (let i = 0; i < headers.length; i++) values.addHeader(headers[i]!.name, headers[i]!.value.render(session));
    if (req.userAgent) values.addHeader('user-agent', this.http.userAgentOf(session));
    if (req.repeatCookies) {
      const cookie = this.http.cookies.headerFor(plan.host, path, plan.secure, Date.now());
      if (cookie !== '') values.addHeader('cookie', cookie);
    }
    if (validator !== null) {
      if (validator.etag !== null) values.addHeader('if-none-match', validator.etag);
      if (validator.lastModified !== null) values.addHeader('if-modified-since', validator.lastModified);
    }
    if (withBody && req.body !== null && req.body.constant === null) values.body = req.body.render(session);
    this.unsendable = template.encode(values, this.out);
    this.encoded = this.out;
  }

  /**
   * A request that must not go on the wire (no byte of it is written): counted as a request with an internal error
   * (as Hyperfoil counts a request its client refuses to build), then handled like any failed request: invalid,
   * completion actions, and the session stops (`stopOnInvalid`).
   */
  private failUnsendable(): void {
    const why = describeEncodeResult(this.unsendable);
    this.unsendable = ENCODE_OK;
    this.startNs = nowNs();
    this.startMs = epochMsOf(this.session, this.startNs);
    this.blockedSinceNs = -1;
    const recorder = this.recorder;
    if (recorder !== null) {
      recorder.recordRequest(this.startMs);
      recorder.recordInternalError(this.startMs);
    }
    const req = this.req!;
    if (!refusalsLogged.has(req)) {
      // Once per step: a benchmark that builds such values does so for every session.
      refusalsLogged.add(req);
      httpLog(`#${this.session.sessionId} ${req.at}: ${req.method} ${JSON.stringify(this.path)} refused: ${why} `
        + '(further refusals of this request are counted as internal errors, not logged)');
    }
    this.valid = false;
    this.runCompletion();
    if (this.req!.stopOnInvalid) this.session.stop();
    this.finish();
  }

  private send(connection: HttpConnection): void {
    const req = this.req!;
    const session = this.session;
    this.connection = connection;
    this.phase = CTX_SENT;
    const sentAtNs = connection.send(this.encoded, this, this.plan!.timeoutMs);
    let startNs = sentAtNs;
    this.intendedStartNs = -1;
    if (session.openModel && !this.following) {
      // The session's first request was meant to go at its arrival; later ones when they were ready to go.
      if (!this.http.arrivalTimed) {
        this.http.arrivalTimed = true;
        this.intendedStartNs = Math.min(session.scheduledStartNs, sentAtNs);
      } else {
        this.intendedStartNs = this.blockedSinceNs >= 0 ? this.blockedSinceNs : sentAtNs;
      }
    }
    if (req.useSessionStart && !this.following && !this.http.compensated) {
      this.http.compensated = true;
      // Open model only: there the scheduled start precedes the actual one (closed model: they are equal).
      if (session.scheduledStartNs < session.startNs) startNs = session.scheduledStartNs;
    }
    this.startNs = startNs;
    this.startMs = epochMsOf(session, startNs);
    const recorder = this.recorder;
    if (recorder !== null) {
      recorder.recordRequest(this.startMs);
      if (this.blockedSinceNs >= 0) recorder.recordBlockedTime(this.startMs, sentAtNs - this.blockedSinceNs);
    }
    this.blockedSinceNs = -1;
    this.bytesSent = this.encoded.head.length + (this.encoded.body === null ? 0 : this.encoded.body.length);
    this.values.body = null;
  }

  // -------------------------------------------------------------------------------------------------------------
  // PoolWaiter

  onConnectionAvailable(connection: HttpConnection): void {
    if (!this.live()) {
      connection.release();
      this.absorb();
      return;
    }
    this.send(connection);
    const st = this.sendState;
    if (st !== null && !this.following) st.phase = SEND_READY;
    this.session.proceed();
  }

  onConnectionFailed(kind: FailureKind, error: Error): void {
    if (!this.live()) {
      this.absorb();
      return;
    }
    // Nothing was sent: the failure is dated now. The attempt counts as a request, so that every error belongs to a
    // request and the error ratio (errors / requests) stays within 0..1 even when no connection could be opened.
    this.startNs = nowNs();
    this.startMs = epochMsOf(this.session, this.startNs);
    const recorder = this.recorder;
    if (recorder !== null) {
      recorder.recordRequest(this.startMs);
      if (this.blockedSinceNs >= 0) recorder.recordBlockedTime(this.startMs, this.startNs - this.blockedSinceNs);
    }
    this.blockedSinceNs = -1;
    const st = this.sendState;
    if (st !== null && !this.following) st.phase = SEND_READY;
    this.failed(kind, error);
  }

  // -------------------------------------------------------------------------------------------------------------
  // ResponseHandler

  onStatus(status: number): void {
    if (!this.live()) return;
    const req = this.req!;
    this.status = status;
    this.remaining = -1;
    this.hasTransferEncoding = false;
    this.lastPartDelivered = false;
    this.compressed = false;
    if (this.chunks.length !== 0) this.chunks.length = 0;
    this.isHtml = false;
    this.deferred = false;
    this.redirecting = false;
    this.location = null;
    this.keptCount = 0;
    if (this.caching !== 0) this.cacheHeaders!.reset();
    if (this.recorder !== null) this.recorder.recordStatus(this.startMs, status);
    if (req.method === 'HEAD' || status === 204 || status === 304) this.remaining = 0;
    if (req.followLocation && status >= 300 && status < 400 && this.redirects < MAX_REDIRECTS) {
      // Handlers run only if it turns out not to be a redirect (no Location): decided at the end of the headers.
      this.deferred = true;
      return;
    }
    this.beforeHandlers();
  }

  onHeader(name: string, value: string): void {
    if (!this.live() || this.broken) return;
    const req = this.req!;
    if (this.caching !== 0) this.cacheHeaders!.offer(name, value);
    if (req.repeatCookies && isHeader(name, 'set-cookie')) {
      this.http.cookies.store(value, this.plan!.host, this.path, Date.now());
    } else if (isHeader(name, 'content-length')) {
      if (!this.hasTransferEncoding && this.remaining !== 0) {
        const length = Number(value);
        if (Number.isSafeInteger(length) && length >= 0) this.remaining = length;
      }
    } else if (isHeader(name, 'transfer-encoding')) {
      this.hasTransferEncoding = true;
      // Transfer-Encoding wins over Content-Length, except for responses that have no body at all.
      if (this.remaining !== 0) this.remaining = -1;
      if (req.compression === COMPRESSION_TRANSFER && containsGzip(value)) this.compressed = true;
    } else if (req.compression === COMPRESSION_CONTENT && isHeader(name, 'content-encoding')) {
      if (containsGzip(value)) this.compressed = true;
    } else if (req.followHtml && isHeader(name, 'content-type')) {
      this.isHtml = value.trimStart().toLowerCase().startsWith('text/html');
    }
    if (this.deferred) {
      if (isHeader(name, 'location')) this.location = value;
      if (req.headerHandlers.length > 0 || req.logInvalidHeaders) this.keep(name, value);
      return;
    }
    if (req.logInvalidHeaders) this.keep(name, value);
    if (req.headerHandlers.length > 0) this.headerToHandlers(name, value);
  }

  onHeadersEnd(): void {
    if (!this.live() || this.broken) return;
    const req = this.req!;
    if (this.status === 204 || this.status === 304 || req.method === 'HEAD') this.remaining = 0;
    if (this.deferred) {
      this.deferred = false;
      if (this.location !== null) {
        this.redirecting = true;
        return;
      }
      // A 3xx without Location is an ordinary response: run what was held back.
      this.beforeHandlers();
      if (req.headerHandlers.length > 0) {
        for (let i = 0; i < this.keptCount && !this.broken; i++) this.headerToHandlers(this.keptNames[i]!, this.keptValues[i]!);
      }
      if (!req.logInvalidHeaders) this.keptCount = 0;
    }
    if (this.isHtml) {
      if (this.refresh === null) this.refresh = new MetaRefreshDetector();
      this.refresh.reset();
    }
  }

  onBodyPart(buf: Buffer, offset: number, length: number): void {
    if (!this.live() || this.broken || this.redirecting) return;
    if (this.compressed) {
      this.chunks.push(Buffer.from(buf.subarray(offset, offset + length)));
      return;
    }
    if (this.isHtml && this.refresh !== null) this.refresh.feed(buf, offset, length);
    if (this.req!.bodyProcessors.length === 0) return;
    let last = false;
    if (this.remaining >= 0) {
      this.remaining -= length;
      last = this.remaining <= 0;
    }
    this.deliver(buf, offset, length, last);
  }

  onComplete(completedAtNs: number, receivedBytes: number): void {
    if (!this.live()) {
      this.absorb();
      return;
    }
    const req = this.req!;
    this.connection = null;
    const recorder = this.recorder;
    if (recorder !== null) {
      recorder.recordResponse(this.startMs, completedAtNs - this.startNs);
      if (this.intendedStartNs >= 0) {
        recorder.bucketFor(this.startMs).recordFromIntendedStart(completedAtNs - this.intendedStartNs);
        this.intendedStartNs = -1;
      }
    }
    if (this.compensatedNs >= 0 && !this.following) this.recordCompensated(completedAtNs);
    const keys = req.transferKeys;
    for (let i = 0; i < keys.length; i++) {
      this.addCustom(keys[i]!, 'transfersize', 'sent', this.bytesSent);
      this.addCustom(keys[i]!, 'transfersize', 'received', receivedBytes);
    }
    if (this.caching !== 0) this.updateCache();
    if (this.broken) {
      this.countInvalid();
      this.finish();
      return;
    }
    if (this.redirecting) {
      this.followLocation(this.location!);
      return;
    }
    const previous = this.enter();
    try {
      if (this.compressed) this.deliverInflated();
      if (!this.lastPartDelivered && req.bodyProcessors.length > 0 && !this.broken) this.deliverParts(EMPTY, 0, 0, true);
      const headers = req.headerHandlers;
      for (let i = 0; i < headers.length && !this.broken; i++) headers[i]!.afterHeaders(this);
      const processors = req.bodyProcessors;
      for (let i = 0; i < processors.length && !this.broken; i++) processors[i]!.after(this.session);
    } catch (error) {
      this.handlerThrew(error);
    } finally {
      this.exit(previous);
    }
    const refresh = this.refresh;
    if (!this.broken && this.isHtml && refresh !== null && refresh.url !== null && this.redirects < MAX_REDIRECTS) {
      this.scheduleRefresh(refresh.url, refresh.delayMs);
      return;
    }
    this.complete();
  }

  onFailure(kind: FailureKind, error: Error): void {
    if (!this.live()) {
      this.absorb();
      return;
    }
    this.connection = null;
    this.caching = 0;
    this.failed(kind, error);
  }

  /** The response is complete: store it, refresh the record (304), or invalidate after an unsafe method. */
  private updateCache(): void {
    const mode = this.caching;
    this.caching = 0;
    const authority = this.plan!.target.authority;
    const headers = this.cacheHeaders!;
    if ((mode & CACHE_UNSAFE) !== 0) {
      if (this.status < 400) this.http.cache.invalidate(authority, this.path, headers);
    } else if ((mode & CACHE_STORE) !== 0 || this.status === 304) {
      this.http.cache.stored(authority + this.path, this.status, headers, Date.now());
    }
  }

  /** `compensation`: the response time from the session's scheduled start, under the compensated metric. */
  private recordCompensated(completedAtNs: number): void {
    const compensation = this.req!.compensation!;
    const metric = compensation.metricFor(this.metricName, this.plan!.target.authority, this.path);
    const scheduledNs = Math.min(this.compensatedNs, this.startNs);
    this.compensatedNs = -1;
    if (metric !== null) this.recordOtherMetric(compensation.recorders, metric, completedAtNs - scheduledNs);
  }

  /** Served from the cache: a cache hit instead of a request, then the completion actions, as for a response. */
  private completeFromCache(): void {
    this.caching = 0;
    this.status = 0;
    this.startNs = nowNs();
    this.startMs = epochMsOf(this.session, this.startNs);
    if (this.recorder !== null) this.recorder.recordCacheHit(this.startMs);
    this.complete();
  }

  // -------------------------------------------------------------------------------------------------------------
  // TimerTarget (meta refresh delay)

  onTimer(tag: number): void {
    if (tag !== this.timerToken || (this.phase !== CTX_DELAY && this.phase !== CTX_CACHED)) return;
    if (!this.live()) {
      this.absorb();
      return;
    }
    if (this.phase === CTX_CACHED) this.completeFromCache();
    else this.followTo(this.refreshUrl, false);
  }

  private scheduleRefresh(url: string, delayMs: number): void {
    if (delayMs <= 0) {
      this.followTo(url, false);
      return;
    }
    this.refreshUrl = url;
    this.phase = CTX_DELAY;
    this.session.runtime.scheduler.schedule(nowNs() + delayMs * 1e6, this, ++this.timerToken);
  }

  // -------------------------------------------------------------------------------------------------------------
  // ResponseState / HandledRequest

  get isValid(): boolean {
    return this.valid;
  }

  markInvalid(): void {
    this.valid = false;
  }

  closeConnectionAfterResponse(): void {
    if (this.connection !== null) this.connection.closeAfterResponse();
  }

  get url(): string {
    const plan = this.plan;
    return plan === null ? this.path : `${plan.target.protocol}://${plan.target.authority}${this.path}`;
  }

  describe(): string {
    const plan = this.plan;
    return `${this.req?.method ?? '?'} ${plan === null ? '' : plan.target.authority}${this.path}${this.status > 0 ? ` (${this.status})` : ''}`;
  }

  addCustom(key: string, type: string, name: string, delta: number): void {
    if (this.recorder !== null) this.recorder.bucketFor(this.startMs).addToExtension(key, type, name, delta);
  }

  recordOtherMetric(recorders: StepRecorders, metric: string, latencyNs: number): void {
    const recorder = recorders.get(this.session, metric);
    recorder.recordRequest(this.startMs);
    recorder.recordResponse(this.startMs, latencyNs);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Cancelling (the session ended)

  /** Gives up whatever is pending; the context is idle afterwards unless a callback is still owed to it. */
  cancel(): void {
    this.orphaned = true;
    switch (this.phase) {
      case CTX_WAITING:
        if (this.source !== null && this.source.cancelWait(this)) {
          this.countAbandonedWait();
          this.absorb();
        }
        break;
      case CTX_SENT: {
        const connection = this.connection;
        this.connection = null;
        // The client then fails the request (as `closed`), synchronously: absorbed by the orphan check.
        if (connection !== null) connection.close();
        break;
      }
      case CTX_DELAY:
      case CTX_CACHED:
        this.timerToken++;
        this.absorb();
        break;
      default:
        this.absorb();
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  /**
   * The session ended while this request waited for a connection: it counts as a request (with its blocked time)
   * that got neither a response nor an error, i.e. one still pending at the end, as a sent request cut off is.
   */
  private countAbandonedWait(): void {
    const recorder = this.recorder;
    if (recorder === null || this.blockedSinceNs < 0) return;
    const nowNsValue = nowNs();
    const startMs = epochMsOf(this.session, nowNsValue);
    recorder.recordRequest(startMs);
    recorder.recordBlockedTime(startMs, nowNsValue - this.blockedSinceNs);
    this.blockedSinceNs = -1;
  }

  private live(): boolean {
    return !this.orphaned && this.session.generation === this.generation;
  }

  private absorb(): void {
    this.phase = CTX_IDLE;
    this.connection = null;
    this.values.body = null;
    if (this.chunks.length !== 0) this.chunks.length = 0;
  }

  private enter(): HandledRequest | null {
    const session = this.session;
    const instance = this.instance;
    if (instance !== null && instance.template === this.sequenceTemplate && instance.index === this.sequenceIndex) {
      session.setCurrentSequence(instance);
    } else {
      // The sequence that sent an asynchronous request may be gone: keep its index for `var[.]`.
      session.setCurrentSequence(null);
      session.sequenceIndex = this.sequenceIndex;
    }
    return enterRequest(this);
  }

  private exit(previous: HandledRequest | null): void {
    this.session.setCurrentSequence(null);
    restoreRequest(previous);
  }

  private beforeHandlers(): void {
    const req = this.req!;
    const previous = this.enter();
    try {
      const status = req.statusHandlers;
      for (let i = 0; i < status.length && !this.broken; i++) status[i]!.handleStatus(this, this.status);
      const headers = req.headerHandlers;
      for (let i = 0; i < headers.length && !this.broken; i++) headers[i]!.beforeHeaders(this);
      const processors = req.bodyProcessors;
      for (let i = 0; i < processors.length && !this.broken; i++) processors[i]!.before(this.session);
    } catch (error) {
      this.handlerThrew(error);
    } finally {
      this.exit(previous);
    }
  }

  private headerToHandlers(name: string, value: string): void {
    const headers = this.req!.headerHandlers;
    const previous = this.enter();
    try {
      for (let i = 0; i < headers.length && !this.broken; i++) headers[i]!.handleHeader(this, name, value);
    } catch (error) {
      this.handlerThrew(error);
    } finally {
      this.exit(previous);
    }
  }

  private keep(name: string, value: string): void {
    this.keptNames[this.keptCount] = name;
    this.keptValues[this.keptCount] = value;
    this.keptCount++;
  }

  private deliver(buf: Buffer, offset: number, length: number, last: boolean): void {
    const previous = this.enter();
    try {
      this.deliverParts(buf, offset, length, last);
    } catch (error) {
      this.handlerThrew(error);
    } finally {
      this.exit(previous);
    }
  }

  /** Passes one part of the body to every processor (the caller has entered the request). */
  private deliverParts(buf: Buffer, offset: number, length: number, last: boolean): void {
    const processors = this.req!.bodyProcessors;
    const session = this.session;
    for (let i = 0; i < processors.length && !this.broken; i++) processors[i]!.process(session, buf, offset, length, last);
    if (last) this.lastPartDelivered = true;
  }

  private deliverInflated(): void {
    let inflated: Buffer;
    try {
      inflated = gunzipSync(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks));
    } catch {
      // A body that is not gzip after all: the server's fault, counted, not the session's.
      if (this.chunks.length !== 0) this.chunks.length = 0;
      if (this.recorder !== null) this.recorder.recordInternalError(this.startMs);
      this.valid = false;
      return;
    }
    if (this.chunks.length !== 0) this.chunks.length = 0;
    if (this.isHtml && this.refresh !== null) this.refresh.feed(inflated, 0, inflated.length);
    if (this.req!.bodyProcessors.length > 0) this.deliverParts(inflated, 0, inflated.length, true);
  }

  /** A handler, action or processor threw: count it, fail the session (the engine reports the message). */
  private handlerThrew(error: unknown): void {
    if (this.broken) return;
    this.broken = true;
    this.valid = false;
    if (this.recorder !== null) this.recorder.recordInternalError(this.startMs);
    this.session.failWith(error);
  }

  private failed(kind: FailureKind, _error: Error): void {
    const recorder = this.recorder;
    if (recorder !== null) {
      const counter = counterOf(kind);
      if (counter === COUNT_CONNECTION_ERROR) recorder.recordConnectionError(this.startMs);
      else if (counter === COUNT_REQUEST_TIMEOUT) recorder.recordRequestTimeout(this.startMs);
      else recorder.recordInternalError(this.startMs);
    }
    // As Hyperfoil: a failed request is invalid (so stopOnInvalid applies) but is not counted as an invalid response.
    this.valid = false;
    this.runCompletion();
    if (this.req!.stopOnInvalid) this.session.stop();
    this.finish();
  }

  private complete(): void {
    this.runCompletion();
    if (!this.valid) {
      this.countInvalid();
      if (this.req!.stopOnInvalid) this.session.stop();
    }
    this.finish();
  }

  private countInvalid(): void {
    if (this.recorder !== null) this.recorder.recordInvalid(this.startMs);
    if (this.req!.logInvalidHeaders && this.keptCount > 0) {
      let text = `#${this.session.sessionId} invalid response to ${this.describe()}, headers:`;
      for (let i = 0; i < this.keptCount; i++) text += `\n  ${this.keptNames[i]}: ${this.keptValues[i]}`;
      httpLog(text);
    }
  }

  private runCompletion(): void {
    const actions = this.req!.completion;
    if (actions.length === 0 || this.broken) return;
    const previous = this.enter();
    try {
      for (let i = 0; i < actions.length && !this.broken; i++) actions[i]!.run(this.session);
    } catch (error) {
      this.handlerThrew(error);
    } finally {
      this.exit(previous);
    }
  }

  private finish(): void {
    this.connection = null;
    if (this.chunks.length !== 0) this.chunks.length = 0;
    if (this.req!.sync) {
      this.phase = CTX_DONE;
      this.session.proceed();
    } else {
      this.phase = CTX_IDLE;
      this.session.requests.release(this.slot, this.generation);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Redirects

  private followLocation(location: string): void {
    const keepMethod = this.status === 307 || this.status === 308;
    this.followTo(location, keepMethod);
  }

  /** Sends the next request of a redirect chain to `location` (absolute, scheme-relative or relative). */
  private followTo(location: string, keepMethod: boolean): void {
    const req = this.req!;
    let plan: TargetPlan | null = this.plan;
    let path: string;
    const target = location.startsWith('//') ? `${this.plan!.target.protocol}:${location}` : location;
    const url = req.router.parseUrl(target);
    if (url !== null) {
      plan = url.index >= 0 ? req.plans[url.index] ?? null : null;
      path = urlPath(target, url.pathStart);
    } else if (target.startsWith('/')) {
      path = target;
    } else {
      const query = this.path.indexOf('?');
      const base = query < 0 ? this.path : this.path.slice(0, query);
      path = base.slice(0, base.lastIndexOf('/') + 1) + target;
    }
    this.redirects++;
    this.caching = 0; // redirects and refreshes are not cached
    if (plan === null) {
      // The redirect leaves the benchmark's targets: nothing to send it with.
      if (this.recorder !== null) this.recorder.recordInternalError(this.startMs);
      this.valid = false;
      httpLog(`#${this.session.sessionId} ${req.at}: cannot follow the redirect to ${location}: no HTTP target serves it`);
      this.complete();
      return;
    }
    this.following = true;
    try {
      this.startOn(plan, path, keepMethod ? plan.dynamicPathTemplate : plan.redirectTemplate, keepMethod);
    } catch (error) {
      this.handlerThrew(error);
      this.countInvalid();
      this.finish();
      return;
    }
    if (this.acquireAndSend()) return;
    // Waiting for a connection: onConnectionAvailable sends it.
  }
}
