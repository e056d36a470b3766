/**
 * Which requests come from a place the controller serves. A web page the operator happens to open must not be able
 * to drive the controller through the operator's browser, so:
 *
 * - `Host` must name the controller: a loopback name, an IP literal (a page cannot rebind those: DNS rebinding
 *   needs a domain name), the listen address, the advertised/external URL's host, or a name the operator allowed
 *   (`--allowed-host`). A request without `Host` (HTTP/1.0 tools) passes.
 * - `Origin`, when present, must be the controller's own origin: its host allowed as above and its `host:port`
 *   the one the request was sent to (or the external URL's). `Origin: null` (sandboxed frames, files) is foreign.
 * - `Sec-Fetch-Site`, when present, must be `same-origin` or `none` (typed in the address bar): a browser sends
 *   `cross-site`/`same-site` for an `<img>` or a form on another page, even without `Origin`.
 *
 * Clients that are not browsers (curl, the CLI, agents) send neither `Origin` nor `Sec-Fetch-Site` and pass.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { HttpError } from './http-error.js';

export interface OriginPolicyOptions {
  /** The address the server listens on. */
  readonly listenHost: string;
  /** The advertised or external base URL, when there is one. */
  readonly externalUri?: string;
  /** More host names the operator serves the controller under (e.g. behind a proxy). */
  readonly allowedHosts?: readonly string[];
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` → the lower-case name without brackets and the port text. */
export function splitAuthority(authority: string): { name: string; port: string } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/]+)(?::(\d{1,5}))?$/.exec(authority.trim());
  if (!match) return undefined;
  return { name: match[1]!.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, ''), port: match[2] ?? '' };
}

function hostOfUrl(url: string): string | undefined {
  try {
    return splitAuthority(new URL(url).host)?.name;
  } catch {
    return undefined;
  }
}

const CROSS_SITE_FETCHES = new Set(['cross-site', 'same-site']);

export class OriginPolicy {
  private readonly names = new Set<string>(['localhost']);
  private readonly externalOrigin: string | undefined;

  constructor(options: OriginPolicyOptions) {
    const listen = splitAuthority(options.listenHost)?.name;
    if (listen) this.names.add(listen);
    const external = options.externalUri === undefined ? undefined : hostOfUrl(options.externalUri);
    if (external) this.names.add(external);
    this.externalOrigin = options.externalUri === undefined ? undefined : originOf(options.externalUri);
    for (const name of options.allowedHosts ?? []) {
      const parsed = splitAuthority(name)?.name;
      if (parsed) this.names.add(parsed);
    }
  }

  /** The host names served besides IP literals and `*.localhost`. */
  get hostNames(): readonly string[] {
    return [...this.names].sort();
  }

  servesName(name: string): boolean {
    return isIP(name) !== 0 || this.names.has(name) || name.endsWith('.localhost');
  }

  /** Throws 403 with the reason when the request comes from a page or a host name the controller does not serve. */
  check(headers: IncomingHttpHeaders): void {
    const host = headers.host;
    const hostPart = host === undefined ? undefined : splitAuthority(host);
    if (host !== undefined && (hostPart === undefined || !this.servesName(hostPart.name))) {
      throw new HttpError(403, `this controller does not serve the host name \`${host.slice(0, 100)}\`: use its address, `
        + 'or start it with --allowed-host NAME to serve that name');
    }
    this.checkBrowser(headers);
  }

  /**
   * The `Origin` and `Sec-Fetch-Site` part alone, for WebSocket upgrades: a browser always sends `Origin` on those, so
   * this is enough to stop a page (rebound or not), while agents dialing by any name they were given still connect.
   */
  checkBrowser(headers: IncomingHttpHeaders): void {
    const host = headers.host;
    const origin = headers.origin;
    if (origin !== undefined && !this.isOwnOrigin(origin, host)) {
      throw new HttpError(403, `requests from the web page at \`${origin.slice(0, 100)}\` are refused: `
        + 'only the controller\'s own pages and clients without an Origin (the CLI, curl) may use this API');
    }
    const site = headers['sec-fetch-site'];
    if (typeof site === 'string' && CROSS_SITE_FETCHES.has(site.toLowerCase())) {
      throw new HttpError(403, `a request another site's page made (Sec-Fetch-Site: ${site.slice(0, 20)}) is refused: `
        + 'use the CLI or open the controller\'s own address');
    }
  }

  private isOwnOrigin(origin: string, host: string | undefined): boolean {
    const own = originOf(origin);
    if (own === undefined) return false; // `null` or garbage
    const authority = splitAuthority(new URL(own).host);
    if (!authority || !this.servesName(authority.name)) return false;
    if (this.externalOrigin !== undefined && own === this.externalOrigin) return true;
    const target = host === undefined ? undefined : splitAuthority(host);
    return target !== undefined && target.name === authority.name
      && effectivePort(own, target.port) === effectivePort(own, authority.port);
  }
}

/** The origin's port as it appears in `Host` (a browser omits the scheme's default port in both). */
function effectivePort(origin: string, port: string): string {
  const defaultPort = origin.startsWith('https:') ? '443' : '80';
  return port === defaultPort ? '' : port;
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.origin;
  } catch {
    return undefined;
  }
}
