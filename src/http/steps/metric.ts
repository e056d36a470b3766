/**
 * The metric a request is recorded under: a constant name (default: the sequence name), or selectors tried in
 * order on the request's path (with the authority in front when the benchmark has several HTTP targets):
 * `regex -> name` (the regex must match the whole text; `$1`… refer to its groups), `regex` (the text itself) and
 * `-> name` (the fallback). A request no selector accepts is not recorded. Results are cached per text.
 */
import type { MetricSpec } from '../../config/steps/index.js';

/** Distinct texts remembered per step before the cache starts over (paths with ids are unbounded). */
const CACHE_LIMIT = 1024;

export interface MetricSelect {
  /** True when the name does not depend on the request. */
  readonly isConstant: boolean;
  /** The metric of a request, or null when it is not recorded. */
  select(authority: string, path: string): string | null;
}

class ConstantMetric implements MetricSelect {
  readonly isConstant = true;

  constructor(readonly name: string) {}

  select(): string {
    return this.name;
  }
}

type Selector = { readonly regex: RegExp; readonly replacement: string | null } | { readonly fallback: string };

class SelectorMetric implements MetricSelect {
  readonly isConstant = false;
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly selectors: readonly Selector[], private readonly withAuthority: boolean) {}

  select(authority: string, path: string): string | null {
    const text = this.withAuthority ? authority + path : path;
    const cached = this.cache.get(text);
    if (cached !== undefined) return cached;
    const metric = this.compute(text);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(text, metric);
    return metric;
  }

  private compute(text: string): string | null {
    for (const selector of this.selectors) {
      if ('fallback' in selector) return selector.fallback;
      if (!selector.regex.test(text)) continue;
      return selector.replacement === null ? text : text.replace(selector.regex, selector.replacement);
    }
    return null;
  }
}

/** `singleTarget`: the benchmark has one HTTP target, so selectors see the path alone. */
export function compileMetric(spec: MetricSpec, singleTarget: boolean): MetricSelect {
  if (spec.kind === 'name') return new ConstantMetric(spec.name);
  const selectors: Selector[] = spec.selectors.map((s) => (s.kind === 'default'
    ? { fallback: s.name }
    : { regex: new RegExp(`^(?:${s.regex})$`), replacement: s.replacement ?? null }));
  return new SelectorMetric(selectors, !singleTarget);
}
