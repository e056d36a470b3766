/**
 * `parseHtml … onEmbeddedResource: fetchResource`, as Hyperfoil builds it: every `fetchResource` gets a generated
 * sequence `__fetchResource_<n>[concurrency]` whose instances each GET one queued resource URL (`var[.]`), and the
 * embedded-resource handler queues the page's resource URLs (resolved against the page) into it, at most
 * `maxResources`, running `onCompletion` once all are fetched (the `queue` processor, see parse-html.ts). The
 * session lives until its fetches are done. Metric: `metric`'s selectors, else the resource's authority + path.
 */
import type { SequenceDef } from './model.js';
import type { StepSpec } from './steps/index.js';
import type { FetchResourceConfig } from './steps/html.js';
import type { HttpRequestConfig } from './steps/http-request.js';
import { NO_HANDLERS } from './steps/handlers.js';

function isFetchResource(value: unknown): value is FetchResourceConfig {
  const v = value as Partial<FetchResourceConfig>;
  return typeof v.sequence === 'string' && typeof v.urlVar === 'string' && typeof v.maxResources === 'number';
}

function collect(value: unknown, out: Map<string, FetchResourceConfig>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (isFetchResource(value)) out.set(value.sequence, value);
  for (const child of Array.isArray(value) ? value : Object.values(value)) collect(child, out, seen);
}

/** The sequences the `fetchResource`s written in `sequences` need (once each, also when reached by an alias). */
export function fetchResourceSequences(sequences: readonly SequenceDef[], at: string): SequenceDef[] {
  const found = new Map<string, FetchResourceConfig>();
  collect(sequences, found, new Set());
  return [...found.values()].map((fetch) => {
    const request: HttpRequestConfig = {
      method: 'GET',
      path: { fromVar: { name: fetch.urlVar, indexed: true } },
      headers: [],
      sync: true,
      metric: { kind: 'selectors', selectors: fetch.metric ?? [{ kind: 'match', regex: '.*' }] },
      handler: NO_HANDLERS,
    };
    const step = { name: 'httpRequest', config: request, at } as StepSpec;
    return { name: fetch.sequence, concurrency: fetch.concurrency, steps: [step] };
  });
}
