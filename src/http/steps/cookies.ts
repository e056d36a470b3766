/**
 * The per-session cookie store behind `ergonomics.repeatCookies`: `Set-Cookie` values received by a session are
 * kept (name, value, domain, path, secure, expiry) and the matching ones go back in a `Cookie` header.
 *
 * Rules (RFC 6265, simplified as Hyperfoil does): without `Domain` a cookie goes back only to the host that set
 * it; with `Domain` to that domain and its subdomains, and only if the request host is within it; without `Path`
 * the path is the directory of the request path; `Max-Age` wins over `Expires`; an empty value or an expiry in the
 * past deletes the cookie. A session keeps at most `MAX_COOKIES`; more are dropped.
 * Entries are created when first needed (a session that never receives a cookie, the usual case with thousands of
 * sessions, costs a few bytes) and then reused; only the strings of a received cookie are allocated.
 */

export const MAX_COOKIES = 32;

class CookieEntry {
  /** '' = free slot. */
  name = '';
  /** `name=value` as sent back. */
  pair = '';
  domain = '';
  exactDomain = true;
  path = '/';
  secure = false;
  expiresAtMs = Infinity;

  clear(): void {
    this.name = '';
    this.pair = '';
    this.domain = '';
  }
}

export class CookieJar {
  private readonly entries: CookieEntry[] = [];
  private used = 0;
  /** Cookies dropped because the jar was full (for diagnostics). */
  dropped = 0;

  constructor(readonly capacity = MAX_COOKIES) {}

  /** Cookies currently stored. */
  get size(): number {
    let n = 0;
    for (let i = 0; i < this.used; i++) if (this.entries[i]!.name !== '') n++;
    return n;
  }

  clear(): void {
    for (let i = 0; i < this.used; i++) this.entries[i]!.clear();
    this.used = 0;
    this.dropped = 0;
  }

  /** Stores (or deletes) the cookie of one `Set-Cookie` header received from `host` for `path`. */
  store(setCookie: string, host: string, requestPath: string, nowMs: number): void {
    const firstSemi = setCookie.indexOf(';');
    const pair = (firstSemi < 0 ? setCookie : setCookie.slice(0, firstSemi)).trim();
    const eq = pair.indexOf('=');
    if (eq <= 0) return; // no name: ignored (as browsers do)
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let domain: string | null = null;
    let path: string | null = null;
    let secure = false;
    let expiresAtMs = Infinity;
    let maxAgeMs = NaN;
    let at = firstSemi;
    while (at >= 0 && at < setCookie.length) {
      const next = setCookie.indexOf(';', at + 1);
      const attribute = setCookie.slice(at + 1, next < 0 ? setCookie.length : next).trim();
      at = next;
      const attrEq = attribute.indexOf('=');
      const key = (attrEq < 0 ? attribute : attribute.slice(0, attrEq)).trim().toLowerCase();
      const attrValue = attrEq < 0 ? '' : attribute.slice(attrEq + 1).trim();
      switch (key) {
        case 'domain': domain = attrValue.replace(/^\./, '').toLowerCase(); break;
        case 'path': path = attrValue; break;
        case 'secure': secure = true; break;
        case 'max-age': {
          const seconds = Number(attrValue);
          if (attrValue !== '' && Number.isFinite(seconds)) maxAgeMs = seconds * 1000;
          break;
        }
        case 'expires': {
          const parsed = Date.parse(attrValue);
          if (!Number.isNaN(parsed)) expiresAtMs = parsed;
          break;
        }
        default: break; // HttpOnly, SameSite, extensions: irrelevant here
      }
    }
    if (!Number.isNaN(maxAgeMs)) expiresAtMs = nowMs + maxAgeMs;
    const requestHost = host.toLowerCase();
    let exactDomain = false;
    if (domain === null || domain === '') {
      domain = requestHost;
      exactDomain = true;
    } else if (!domainMatches(requestHost, domain)) {
      return; // a server may not set cookies for another domain
    }
    const directory = requestPath.slice(0, requestPath.lastIndexOf('/') + 1) || '/';
    if (path === null || path === '' || path[0] !== '/') path = directory;
    const remove = value === '' || expiresAtMs <= nowMs;
    let free = -1;
    for (let i = 0; i < this.used; i++) {
      const entry = this.entries[i]!;
      if (entry.name === '') {
        if (free < 0) free = i;
        continue;
      }
      if (entry.name === name && entry.domain === domain && entry.path === path) {
        if (remove) entry.clear();
        else set(entry, name, pair, domain, exactDomain, path, secure, expiresAtMs);
        return;
      }
    }
    if (remove) return;
    if (free < 0) {
      if (this.used === this.capacity) {
        this.dropped++;
        return;
      }
      free = this.used++;
      if (free === this.entries.length) this.entries.push(new CookieEntry());
    }
    set(this.entries[free]!, name, pair, domain, exactDomain, path, secure, expiresAtMs);
  }

  /** The `Cookie` header value for a request to `host` + `path`, or '' when no cookie matches. */
  headerFor(host: string, path: string, secure: boolean, nowMs: number): string {
    if (this.used === 0) return '';
    let out = '';
    let lowerHost: string | null = null;
    for (let i = 0; i < this.used; i++) {
      const entry = this.entries[i]!;
      if (entry.name === '') continue;
      if (entry.expiresAtMs <= nowMs) {
        entry.clear();
        continue;
      }
      if (entry.secure && !secure) continue;
      if (lowerHost === null) lowerHost = host.toLowerCase();
      const hostOk = entry.exactDomain ? lowerHost === entry.domain : domainMatches(lowerHost, entry.domain);
      if (!hostOk || !pathMatches(path, entry.path)) continue;
      out = out === '' ? entry.pair : `${out}; ${entry.pair}`;
    }
    return out;
  }
}

function set(entry: CookieEntry, name: string, pair: string, domain: string, exactDomain: boolean, path: string, secure: boolean, expiresAtMs: number): void {
  entry.name = name;
  entry.pair = pair;
  entry.domain = domain;
  entry.exactDomain = exactDomain;
  entry.path = path;
  entry.secure = secure;
  entry.expiresAtMs = expiresAtMs;
}

/** `host` is `domain` or one of its subdomains. */
function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.length > domain.length && host.endsWith(domain) && host.charCodeAt(host.length - domain.length - 1) === 0x2e;
}

/** RFC 6265 §5.1.4 path-match (the query, if any, is ignored). */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  const query = requestPath.indexOf('?');
  const path = query < 0 ? requestPath : requestPath.slice(0, query);
  if (!path.startsWith(cookiePath)) return false;
  if (path.length === cookiePath.length || cookiePath.endsWith('/')) return true;
  return path.charCodeAt(cookiePath.length) === 0x2f;
}
