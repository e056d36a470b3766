/**
 * The session's HTTP cache (`http.useHttpCache`, on by default as in Hyperfoil): a private, per-session cache that
 * makes a virtual user behave like a browser. A request served from it never reaches the server and counts as a
 * cache hit (the CACHE column) instead of a request.
 *
 * Rules (RFC 9111 for a private cache, as Hyperfoil applies them):
 * - Only responses to GET are stored; a GET or a HEAD is served from them. Statuses stored: 200, 203 and 204 (a hit
 *   runs no status handler, so a cached redirect or error would be neither followed nor marked invalid).
 * - `Cache-Control: no-store` (response or request) keeps the response out; `max-age=N` makes it fresh for N
 *   seconds, else `Expires` (an unparseable date means already expired); `no-cache` and `must-revalidate` store it
 *   but a stale or `no-cache` record is never served without asking the server.
 * - A record that may not be served but has an `ETag` or `Last-Modified` makes the request conditional
 *   (`If-None-Match` / `If-Modified-Since`); a `304 Not Modified` then refreshes the record from its headers.
 * - A response with neither freshness nor a validator is not stored (no heuristic freshness); `Vary: *` is not
 *   stored; other `Vary` headers are not compared (the session sends the same headers each time).
 * - A non-error response (status < 400) to POST, PUT, DELETE or PATCH drops the records of the request's URI and
 *   of the URIs in its `Location` and `Content-Location` headers (same target).
 * - A request whose own headers say `Cache-Control: no-cache` (or `max-age=0`) is not served from the cache.
 *
 * Keys are the target's authority and the path with its query. As in Hyperfoil the cache belongs to the pooled
 * session and survives its restarts (so `wrk --use-http-cache` repeats hit it); the `clearHttpCache` action empties
 * it, e.g. as the first step of a scenario that stands for a new user each time.
 */

import { isHeader } from './header-name.js';

const STORABLE_STATUSES = new Set([200, 203, 204]);

export interface CacheRecord {
  /** Epoch ms until which the record may be served without asking the server; 0: never. */
  freshUntilMs: number;
  /** `no-cache`: always revalidate. */
  noCache: boolean;
  etag: string | null;
  lastModified: string | null;
}

/** The caching headers of one response, gathered while its headers arrive. */
export class CacheHeaders {
  cacheControl: string | null = null;
  expires: string | null = null;
  etag: string | null = null;
  lastModified: string | null = null;
  vary: string | null = null;
  location: string | null = null;
  contentLocation: string | null = null;

  reset(): void {
    this.cacheControl = null;
    this.expires = null;
    this.etag = null;
    this.lastModified = null;
    this.vary = null;
    this.location = null;
    this.contentLocation = null;
  }

  /** Keeps `name: value` when it matters to the cache (called for every response header; allocates nothing). */
  offer(name: string, value: string): void {
    switch (name.length) {
      case 4:
        if (isHeader(name, 'etag')) this.etag = value;
        else if (isHeader(name, 'vary')) this.vary = value;
        break;
      case 7:
        if (isHeader(name, 'expires')) this.expires = value;
        break;
      case 8:
        if (isHeader(name, 'location')) this.location = value;
        break;
      case 13:
        if (isHeader(name, 'cache-control')) this.cacheControl = this.cacheControl === null ? value : `${this.cacheControl}, ${value}`;
        else if (isHeader(name, 'last-modified')) this.lastModified = value;
        break;
      case 16:
        if (isHeader(name, 'content-location')) this.contentLocation = value;
        break;
      default:
    }
  }
}

export interface CacheControl {
  noStore: boolean;
  noCache: boolean;
  mustRevalidate: boolean;
  /** Seconds, or -1 when absent. */
  maxAgeS: number;
}

/** Parses a `Cache-Control` value (directives are case-insensitive; unknown ones are ignored). */
export function parseCacheControl(value: string | null): CacheControl {
  const out: CacheControl = { noStore: false, noCache: false, mustRevalidate: false, maxAgeS: -1 };
  if (value === null) return out;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const arg = eq < 0 ? '' : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name === 'no-store') out.noStore = true;
    else if (name === 'no-cache') out.noCache = true;
    else if (name === 'must-revalidate' || name === 'proxy-revalidate') out.mustRevalidate = true;
    else if (name === 'max-age' && /^\d+$/.test(arg)) out.maxAgeS = Number(arg);
  }
  return out;
}

/** How a request may use the cache, from its method and its own `Cache-Control` (decided when compiled). */
export const CACHE_UNSAFE = 1;
export const CACHE_LOOKUP = 2;
export const CACHE_STORE = 4;

export function cacheModeOf(method: string, requestCacheControl: string | null): number {
  if (method === 'POST' || method === 'PUT' || method === 'DELETE' || method === 'PATCH') return CACHE_UNSAFE;
  if (method !== 'GET' && method !== 'HEAD') return 0;
  const cc = parseCacheControl(requestCacheControl);
  const lookup = !cc.noStore && !cc.noCache && cc.maxAgeS !== 0;
  const store = method === 'GET' && !cc.noStore;
  return (lookup ? CACHE_LOOKUP : 0) | (store ? CACHE_STORE : 0);
}

/**
 * Records one session's cache keeps at most. The target chooses the keys (every URL it links to is one), and the
 * cache outlives session restarts, so without a bound a target that hands out endless unique URLs grows every
 * session for the whole run. A new record beyond it drops the oldest stored.
 */
export const MAX_CACHE_RECORDS = 256;

export class HttpCache {
  private readonly records = new Map<string, CacheRecord>();

  constructor(private readonly capacity = MAX_CACHE_RECORDS) {}

  get size(): number {
    return this.records.size;
  }

  clear(): void {
    this.records.clear();
  }

  get(key: string): CacheRecord | undefined {
    return this.records.get(key);
  }

  /** The record may be served without asking the server. */
  static isFresh(record: CacheRecord, nowMs: number): boolean {
    return !record.noCache && record.freshUntilMs > nowMs;
  }

  /** After a complete response to a GET (status, headers gathered): store, refresh (304) or drop the record. */
  stored(key: string, status: number, headers: CacheHeaders, nowMs: number): void {
    const cc = parseCacheControl(headers.cacheControl);
    if (status === 304) {
      const record = this.records.get(key);
      if (record !== undefined) {
        record.freshUntilMs = freshUntil(cc, headers.expires, nowMs, record.freshUntilMs);
        if (headers.etag !== null) record.etag = headers.etag;
        if (headers.lastModified !== null) record.lastModified = headers.lastModified;
      }
      return;
    }
    if (cc.noStore || !STORABLE_STATUSES.has(status) || (headers.vary !== null && headers.vary.trim() === '*')) {
      this.records.delete(key);
      return;
    }
    const freshUntilMs = freshUntil(cc, headers.expires, nowMs, 0);
    const hasFreshness = cc.maxAgeS >= 0 || headers.expires !== null;
    if (!hasFreshness && headers.etag === null && headers.lastModified === null) {
      this.records.delete(key);
      return;
    }
    if (!this.records.has(key) && this.records.size >= this.capacity) this.records.delete(this.records.keys().next().value!);
    this.records.set(key, { freshUntilMs, noCache: cc.noCache, etag: headers.etag, lastModified: headers.lastModified });
  }

  /** An unsafe request got a non-error response: its URI and the ones it names are no longer valid. */
  invalidate(authority: string, path: string, headers: CacheHeaders): void {
    this.records.delete(authority + path);
    for (const uri of [headers.location, headers.contentLocation]) {
      const local = uri === null ? null : localPath(authority, uri);
      if (local !== null) this.records.delete(authority + local);
    }
  }
}

function freshUntil(cc: CacheControl, expires: string | null, nowMs: number, otherwise: number): number {
  if (cc.maxAgeS >= 0) return nowMs + cc.maxAgeS * 1000;
  if (expires !== null) {
    const at = Date.parse(expires);
    return Number.isNaN(at) ? 0 : at;
  }
  return otherwise;
}

/** The path of `uri` when it is on `authority` (or relative to its root), else null. */
function localPath(authority: string, uri: string): string | null {
  if (uri.startsWith('/') && !uri.startsWith('//')) return uri;
  const match = /^(?:https?:)?\/\/([^/?#]+)(.*)$/i.exec(uri);
  if (match === null || match[1]!.toLowerCase() !== authority.toLowerCase()) return null;
  return match[2] === '' ? '/' : match[2]!;
}
