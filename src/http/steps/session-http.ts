/**
 * The HTTP side of one pooled session, shared by every HTTP step of its scenario: the request context of each
 * request slot (created on first use, reused for the session's whole life), the connection source of each target
 * (`pool.forSession()`: the pool itself, or the session's own connections with SESSION_POOLS/OPEN_ON_REQUEST), the
 * cookie jar, the HTTP cache and the User-Agent value.
 *
 * When the session ends, requests still waiting or in flight are cancelled (a connection with a request in flight
 * is closed, as Hyperfoil does) and the session's connections are given back. A context that may still receive a
 * callback from its earlier life is left to absorb it and replaced by a fresh one in its slot.
 */
import { hostname } from 'node:os';
import type { CompileContext, Session, StateKey } from '../../engine/index.js';
import type { ConnectionSource } from '../session-connections.js';
import type { TargetPlan } from './compiled-request.js';
import { CookieJar } from './cookies.js';
import { HttpCache } from './http-cache.js';
import { RequestContext } from './request-context.js';

const HOSTNAME = safeHostname();

function safeHostname(): string {
  try {
    return hostname() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export class HttpSessionState {
  readonly contexts: Array<RequestContext | null>;
  readonly sources: Array<ConnectionSource | null>;
  readonly cookies = new CookieJar();
  /** `#<session id>@<hostname>`, built on first use (the session id never changes). */
  userAgent: string | null = null;
  /** compensateInternalLatency already applied in this life of the session. */
  compensated = false;
  /** The first request of this life was sent: later ones are timed from when they were ready, not the arrival. */
  arrivalTimed = false;
  private httpCache: HttpCache | null = null;

  constructor(maxRequests: number, targets: number) {
    this.contexts = new Array<RequestContext | null>(maxRequests).fill(null);
    this.sources = new Array<ConnectionSource | null>(targets).fill(null);
  }

  context(slot: number): RequestContext {
    let ctx = this.contexts[slot];
    if (ctx === null || ctx === undefined) {
      ctx = new RequestContext(this, slot);
      this.contexts[slot] = ctx;
    }
    return ctx;
  }

  source(plan: TargetPlan): ConnectionSource {
    let source = this.sources[plan.index];
    if (source === null || source === undefined) {
      source = plan.pool.forSession();
      this.sources[plan.index] = source;
    }
    return source;
  }

  /** The session's HTTP cache, created on first use. */
  get cache(): HttpCache {
    if (this.httpCache === null) this.httpCache = new HttpCache();
    return this.httpCache;
  }

  userAgentOf(session: Session): string {
    if (this.userAgent === null) this.userAgent = `#${session.sessionId}@${HOSTNAME}`;
    return this.userAgent;
  }

  reset(): void {
    this.cookies.clear();
    // The HTTP cache outlives the session's restarts, as in Hyperfoil (`clearHttpCache` starts afresh).
    this.compensated = false;
    this.arrivalTimed = false;
  }

  /** The session ended: cancel what is pending, give connections back. Must not throw. */
  end(): void {
    const contexts = this.contexts;
    for (let i = 0; i < contexts.length; i++) {
      const ctx = contexts[i];
      if (ctx === null || ctx === undefined || ctx.isIdle) continue;
      try {
        ctx.cancel();
      } catch {
        // cancelling must go on for the other slots
      }
      if (!ctx.isIdle) contexts[i] = null; // it absorbs its late callback; the slot gets a new one
    }
    const sources = this.sources;
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i];
      if (source === null || source === undefined) continue;
      try {
        source.releaseSession();
      } catch {
        // ignore: the pool may be shut down
      }
    }
  }
}

/**
 * The state key of the HTTP session state for the scenario being compiled: reserved by the first HTTP step of a
 * compilation and shared by the others. (A compilation is one CompileContext object for the whole scenario.)
 */
const keys = new WeakMap<CompileContext, StateKey<HttpSessionState>>();

export function httpSessionKey(cx: CompileContext): StateKey<HttpSessionState> {
  let key = keys.get(cx);
  if (key === undefined) {
    const maxRequests = cx.scenario.maxRequests;
    const targets = cx.http.length;
    key = cx.reserveState<HttpSessionState>({
      create: () => new HttpSessionState(maxRequests, targets),
      reset: (state) => state.reset(),
      onSessionEnd: (state) => state.end(),
    });
    keys.set(cx, key);
  }
  return key;
}
