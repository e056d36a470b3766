/**
 * Metric names of requests: a constant name, or selectors applied to the request's `authority + path` (the
 * authority is left out when the benchmark has a single HTTP target):
 *   `regex -> replacement`  when the regex matches the whole text, the metric is the replacement (`$1` … groups)
 *   `regex`                 when it matches, the metric is the text itself
 *   `-> name`               the metric when no earlier selector matched
 * Selectors are tried in order. A request whose text matches none has no metric and is not recorded.
 */
import { INVALID, list, map, str } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { fail, forms, ok } from '../forms.js';
import type { Parsed } from '../../lib/index.js';

export type MetricSelector =
  | { readonly kind: 'match'; readonly regex: string; readonly replacement?: string }
  | { readonly kind: 'default'; readonly name: string };

export type MetricSpec =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'selectors'; readonly selectors: readonly MetricSelector[] };

export function parseMetricSelector(text: string): Parsed<MetricSelector> {
  const arrow = text.indexOf('->');
  const regex = (arrow < 0 ? text : text.slice(0, arrow)).trim();
  const replacement = arrow < 0 ? undefined : text.slice(arrow + 2).trim();
  if (regex === '') {
    if (replacement === undefined || replacement === '') return fail(`expected \`regex -> name\`, \`regex\` or \`-> name\`, got \`${text}\``);
    return ok({ kind: 'default', name: replacement });
  }
  try {
    new RegExp(regex);
  } catch (error) {
    return fail(`\`${regex}\` is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  return ok(replacement === undefined || replacement === '' ? { kind: 'match', regex } : { kind: 'match', regex, replacement });
}

const selector: Codec<MetricSelector> = map(str, (text, node, cx): Decoded<MetricSelector> => {
  const parsed = parseMetricSelector(text);
  if (!parsed.ok) {
    cx.problem(node, parsed.message);
    return INVALID;
  }
  return parsed.value;
});

export const metricSelectors: Codec<MetricSelector[]> = list(selector, { minItems: 1, expected: 'a list of metric selectors (`regex -> name`, `regex`, `-> name`)' });

/** `metric: name` or `metric: [selectors]`. */
export const metricSpec: Codec<MetricSpec> = forms<MetricSpec>('metric', {
  inline: map(str, (name, node, cx): Decoded<MetricSpec> => {
    if (name.trim() === '') {
      cx.problem(node, 'expected a metric name');
      return INVALID;
    }
    return { kind: 'name', name };
  }),
  list: map(metricSelectors, (selectors) => ({ kind: 'selectors' as const, selectors })),
});
