/**
 * Which HTTP target (index into the benchmark's `http` list) a request goes to when that is known only at run
 * time: a templated `authority` or `endpoint`, an absolute URL as the path, or a redirect's `Location`.
 * Resolution follows `resolveAuthority` (the config layer's rules) and is cached per distinct text.
 */
import { resolveAuthority } from '../../config/index.js';
import type { HttpTarget } from '../../config/index.js';

/** Distinct authorities remembered before the cache starts over. */
const CACHE_LIMIT = 256;

export class TargetRouter {
  private readonly byAuthority = new Map<string, number>();

  constructor(readonly targets: readonly HttpTarget[]) {}

  /** Index of the target for `host[:port]`, or -1 (the message of why is in `explain`). */
  indexOfAuthority(authority: string): number {
    const cached = this.byAuthority.get(authority);
    if (cached !== undefined) return cached;
    const resolved = resolveAuthority(this.targets, authority, undefined);
    const index = resolved.ok ? this.targets.indexOf(resolved.value) : -1;
    if (this.byAuthority.size >= CACHE_LIMIT) this.byAuthority.clear();
    this.byAuthority.set(authority, index);
    return index;
  }

  indexOfEndpoint(name: string): number {
    for (let i = 0; i < this.targets.length; i++) if (this.targets[i]!.name === name) return i;
    return -1;
  }

  /** Why `authority`/`endpoint` does not resolve (for the session's failure message). */
  explain(authority: string | undefined, endpoint: string | undefined): string {
    const resolved = resolveAuthority(this.targets, authority, endpoint);
    return resolved.ok ? '' : resolved.message;
  }

  /**
   * For an absolute URL (`http://host[:port]/path…`): the target index (-1 when no target serves it) and where
   * its path starts. Returns null when `text` is not an absolute http(s) URL.
   */
  parseUrl(text: string): UrlTarget | null {
    const https = startsWithIgnoreCase(text, 'https://');
    if (!https && !startsWithIgnoreCase(text, 'http://')) return null;
    const hostStart = https ? 8 : 7;
    let pathStart = hostStart;
    while (pathStart < text.length) {
      const c = text.charCodeAt(pathStart);
      if (c === 0x2f || c === 0x3f || c === 0x23) break; // / ? #
      pathStart++;
    }
    const hostPort = text.slice(hostStart, pathStart);
    const protocol = https ? 'https' : 'http';
    const withPort = hasPort(hostPort) ? hostPort : `${hostPort}:${https ? 443 : 80}`;
    let index = this.indexOfAuthority(withPort);
    if (index >= 0 && this.targets[index]!.protocol !== protocol) index = -1;
    return { index, pathStart, authority: withPort };
  }
}

export interface UrlTarget {
  readonly index: number;
  readonly pathStart: number;
  readonly authority: string;
}

function hasPort(hostPort: string): boolean {
  const close = hostPort.lastIndexOf(']');
  const colon = hostPort.lastIndexOf(':');
  return colon > close && colon < hostPort.length - 1;
}

export function startsWithIgnoreCase(text: string, prefix: string): boolean {
  if (text.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

/** The path of a URL (`/` when it has none), given where it starts. */
export function urlPath(text: string, pathStart: number): string {
  if (pathStart >= text.length) return '/';
  const path = text.slice(pathStart);
  return path.charCodeAt(0) === 0x2f ? path : `/${path}`;
}
