/**
 * Every `httpRequest` must go to a target of the `http` section. Routes written as constants (`authority:
 * host:port`, `endpoint: name`, or none for the default target) are checked when the benchmark is read, with
 * Hyperfoil's rules (`resolveAuthority`); routes built from variables, and absolute URLs in the path, are resolved
 * when the request is sent.
 */
import type { DecodeContext } from './context.js';
import { resolveAuthority } from './http-authority.js';
import type { HttpTarget, Phase, Scenario } from './model.js';
import { constantText } from './patterns.js';
import type { StringSource } from './string-source.js';

interface RequestRoute {
  readonly path?: StringSource;
  readonly authority?: StringSource;
  readonly endpoint?: StringSource;
  readonly compensation?: unknown;
}

function isRequest(value: unknown): value is { name: 'httpRequest'; at: string; config: RequestRoute } {
  const v = value as { name?: unknown; at?: unknown; config?: unknown };
  return v.name === 'httpRequest' && typeof v.at === 'string' && typeof v.config === 'object' && v.config !== null;
}

/** Finds requests anywhere in a scenario: in sequences and nested in loops, stopwatches, handlers… */
function collectRequests(value: unknown, out: Array<{ at: string; config: RequestRoute }>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (isRequest(value)) out.push({ at: value.at, config: value.config });
  for (const child of Array.isArray(value) ? value : Object.values(value)) collectRequests(child, out, seen);
}

function constant(source: StringSource | undefined): string | undefined | null {
  if (source === undefined) return undefined;
  return 'pattern' in source ? constantText(source.pattern) ?? null : null;
}

/** Reports each request whose constant route matches no target; true when every route is fine. */
export function checkRequestRoutes(phases: readonly Phase[], targets: readonly HttpTarget[], cx: DecodeContext): boolean {
  const scenarios = new Set<Scenario>();
  for (const phase of phases) if (phase.scenario) scenarios.add(phase.scenario);
  const requests: Array<{ at: string; config: RequestRoute }> = [];
  const seen = new Set<unknown>();
  for (const scenario of scenarios) collectRequests(scenario, requests, seen);
  const reported = new Set<string>();
  // `compensation` paces the users of a closed `always` phase; other phases pace (or do not pace) themselves.
  for (const phase of phases) {
    if (!phase.scenario || phase.model.type === 'always' || phase.model.type === 'noop') continue;
    const own: Array<{ at: string; config: RequestRoute }> = [];
    collectRequests(phase.scenario, own, new Set());
    for (const { at, config } of own) {
      if (config.compensation === undefined || reported.has(at)) continue;
      reported.add(at);
      cx.problemAt(at, `httpRequest: \`compensation\` works only in \`always\` phases; phase \`${phase.name}\` is \`${phase.model.type}\` (open-model phases need no compensation)`);
    }
  }
  for (const { at, config } of requests) {
    // A path that is (or may be) an absolute URL names its own target: it is routed when the request is sent.
    const path = config.path && 'pattern' in config.path ? config.path.pattern.parts[0] : undefined;
    if (config.path && (path === undefined || path.kind !== 'literal' || /^https?:\/\//i.test(path.text))) continue;
    const authority = constant(config.authority);
    const endpoint = constant(config.endpoint);
    if (authority === null || endpoint === null) continue; // built from variables: resolved per request
    const resolved = resolveAuthority(targets, authority, endpoint);
    if (!resolved.ok && !reported.has(at)) {
      reported.add(at);
      cx.problemAt(at, `httpRequest: ${resolved.message}`);
    }
  }
  return reported.size === 0;
}
