/**
 * HTTP target addresses as Hyperfoil reads them: `host`, `host:port`, `http://host[:port]`, `https://host[:port]`.
 * The scheme sets the protocol; without one the protocol comes from `protocol:`, else from the port (443 → https),
 * else http. The port defaults from the protocol. A path (even a lone `/`) is rejected: paths belong in requests.
 */
import type { Parsed } from '../lib/index.js';

export type Protocol = 'http' | 'https';

export interface HostSpec {
  readonly protocol?: Protocol;
  /** Without brackets for IPv6 (`::1`), as `net.connect` wants it. */
  readonly host: string;
  readonly port?: number;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const HOST_PORT = /^(\[[0-9a-fA-F:.%]+\]|[^\s:[\]/?#@]+)(?::(\d+))?$/;

export function defaultPort(protocol: Protocol): number {
  return protocol === 'https' ? 443 : 80;
}

export function protocolFor(explicit: Protocol | undefined, port: number | undefined): Protocol {
  return explicit ?? (port === 443 ? 'https' : 'http');
}

/** `host:port` with IPv6 hosts in brackets: the key requests are routed by and the `Host` header. */
export function formatAuthority(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function parsePort(text: string): number | undefined {
  const port = Number(text);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

export function parseHost(text: string): Parsed<HostSpec> {
  const trimmed = text.trim();
  let rest = trimmed;
  let protocol: Protocol | undefined;
  const scheme = SCHEME.exec(trimmed);
  if (scheme) {
    const name = (scheme[1] as string).toLowerCase();
    if (name !== 'http' && name !== 'https') {
      return { ok: false, message: `unsupported scheme \`${scheme[1]}://\` in \`${text}\`: use http:// or https://` };
    }
    protocol = name;
    rest = trimmed.slice(scheme[0].length);
  }
  const pathAt = rest.search(/[/?#]/);
  if (pathAt >= 0) {
    return {
      ok: false,
      message: `\`host\` must not contain a path: \`${text}\` has \`${rest.slice(pathAt)}\`; write \`${scheme ? scheme[0] : ''}${rest.slice(0, pathAt)}\` and put the path in the requests`,
    };
  }
  if (rest.includes('@')) return { ok: false, message: `\`host\` must not contain user information: \`${text}\`` };
  const match = HOST_PORT.exec(rest);
  if (!match) return { ok: false, message: `expected \`host\`, \`host:port\` or \`http(s)://host[:port]\`, got \`${text}\`` };
  const rawHost = match[1] as string;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  if (match[2] === undefined) return { ok: true, value: { ...(protocol ? { protocol } : {}), host } };
  const port = parsePort(match[2]);
  if (port === undefined) return { ok: false, message: `port ${match[2]} in \`${text}\` is outside 1..65535` };
  return { ok: true, value: { ...(protocol ? { protocol } : {}), host, port } };
}

/** An authority as written in a request (`host` or `host:port`, no scheme). */
export function parseAuthority(text: string): Parsed<{ host: string; port?: number }> {
  if (SCHEME.test(text.trim())) return { ok: false, message: `an authority is \`host\` or \`host:port\`, without a scheme: got \`${text}\`` };
  const parsed = parseHost(text);
  if (!parsed.ok) return parsed;
  return { ok: true, value: { host: parsed.value.host, ...(parsed.value.port !== undefined ? { port: parsed.value.port } : {}) } };
}
