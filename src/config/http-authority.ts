/**
 * Which HTTP target a request goes to, by Hyperfoil's rules:
 * - `endpoint: name` picks the target with that `name`;
 * - `authority: host:port` picks the target with that host and port (the last declared when several targets
 *   share it under different names, as Hyperfoil does);
 * - `authority: host` (no port) picks the target with that host on its protocol's default port (80 for http, 443
 *   for https); when both `http://host` and `https://host` exist it is ambiguous;
 * - neither picks the default target (the only one, or the one given as a mapping).
 * Hosts compare case-insensitively. Templated authorities (`${var}:80`) are resolved at run time, not here.
 */
import { didYouMean } from '../lib/index.js';
import type { Parsed } from '../lib/index.js';
import { defaultPort, formatAuthority, parseAuthority } from './http-host.js';
import type { HttpTarget } from './model.js';

function fail(message: string): Parsed<never> {
  return { ok: false, message };
}

function list(targets: readonly HttpTarget[]): string {
  return targets.map((t) => `\`${t.protocol}://${t.authority}\`${t.name !== undefined ? ` (\`${t.name}\`)` : ''}`).join(', ');
}

export function resolveAuthority(targets: readonly HttpTarget[], authority: string | undefined, endpoint: string | undefined): Parsed<HttpTarget> {
  if (targets.length === 0) {
    return fail('this request needs an HTTP target, but the benchmark has no `http` section: add `http: {host: http://…}`');
  }
  if (authority !== undefined && endpoint !== undefined) {
    return fail('give either `authority` or `endpoint`, not both');
  }
  if (endpoint !== undefined) {
    const named = targets.filter((t) => t.name === endpoint);
    if (named.length === 1) return { ok: true, value: named[0] as HttpTarget };
    const names = targets.map((t) => t.name).filter((n): n is string => n !== undefined);
    return fail(`no HTTP target is named \`${endpoint}\`.${didYouMean(endpoint, names)}${names.length > 0 ? ` Named targets: ${names.join(', ')}` : ' No target in `http` has a `name`.'}`.replace(/\.$/, ''));
  }
  if (authority === undefined) {
    const fallback = targets.find((t) => t.isDefault);
    if (fallback) return { ok: true, value: fallback };
    return fail(`there is no default HTTP target (the \`http\` list has ${targets.length} entries), so this request must say where it goes with \`authority:\` or \`endpoint:\`. Targets: ${list(targets)}`);
  }
  const parsed = parseAuthority(authority);
  if (!parsed.ok) return parsed;
  const host = parsed.value.host.toLowerCase();
  const port = parsed.value.port;
  const sameHost = targets.filter((t) => t.host.toLowerCase() === host);
  const matching = port !== undefined
    ? sameHost.filter((t) => t.port === port)
    : sameHost.filter((t) => t.port === defaultPort(t.protocol));
  if (matching.length === 1) return { ok: true, value: matching[0] as HttpTarget };
  if (matching.length > 1) {
    const protocols = new Set(matching.map((t) => t.protocol));
    if (port === undefined && protocols.size > 1) {
      return fail(`authority \`${authority}\` is ambiguous: both ${list(matching)} match; add the port (\`${authority}:80\` or \`${authority}:443\`)`);
    }
    // Same authority under different names: Hyperfoil keeps the last one declared (warned when the benchmark is read).
    return { ok: true, value: matching[matching.length - 1] as HttpTarget };
  }
  const wanted = port !== undefined ? formatAuthority(parsed.value.host, port) : authority;
  const hint = sameHost.length > 0
    ? ` \`${parsed.value.host}\` is defined only as ${list(sameHost)}.`
    : didYouMean(wanted, targets.map((t) => t.authority));
  return fail(`no HTTP target matches authority \`${wanted}\`.${hint} Declare it in \`http\` (targets: ${list(targets)})`);
}
