/**
 * SLAs: `sla:` on requests and `customSla:` on phases. A single mapping or a list of them:
 *
 *     sla:
 *       window: 10s            # sliding window; absent = checked once over the whole phase
 *       errorRatio: 0.01       # connection errors, resets, timeouts, internal errors / requests
 *       invalidRatio: 0.05     # responses marked invalid (4xx/5xx by default) / requests
 *       blockedRatio: 0.1      # time blocked waiting for a connection / (blocked + response time)
 *       meanResponseTime: 10ms
 *       limits: {0.99: 100ms, 0.999: 1s}
 *
 * Defaults follow Hyperfoil's SLA builder: errorRatio and invalidRatio 1.01 (never fail), blockedRatio 0 (any
 * blocking fails), no mean, no limits.
 *
 * DELIBERATE CHANGE from Hyperfoil: a limit key is a fraction (`0.99`), and we check that percentile (p99).
 * Hyperfoil passes the fraction straight to HdrHistogram's `getValueAtPercentile`, which takes 0..100, so it really
 * checks about p0.99 (close to the minimum) — a latent bug. We store the percentile on HdrHistogram's 0..100 scale
 * (`0.99` → `99`), so `getValueAtPercentile(limit.percentile)` checks what the user wrote.
 */
import { entries, INVALID, listOrSingle, map, named, num, object, optional } from './codec.js';
import type { Codec } from './codec.js';
import type { ConnectionStrategy, SlaSpec } from './model.js';
import { durationMs, latencyNs } from './time-values.js';

export const DEFAULT_ERROR_RATIO = 1.01;
export const DEFAULT_INVALID_RATIO = 1.01;
export const DEFAULT_BLOCKED_RATIO = 0;

const ratio = num({ min: 0 });

/** `0.99: 100ms` → `{percentile: 99, latencyNs: 100e6}`; the key must be a fraction between 0 and 1. */
const limitsCodec: Codec<SlaSpec['limits']> = map(
  entries(latencyNs, { forms: 'both', what: 'percentile limit' }),
  (items, _node, cx) => {
    const limits: Array<{ percentile: number; latencyNs: number }> = [];
    let valid = true;
    for (const item of items) {
      const key = item.key.trim();
      const fraction = /^(\d+\.?\d*|\.\d+)$/.test(key) ? Number(key) : Number.NaN;
      if (!(fraction >= 0 && fraction <= 1)) {
        cx.problem(item.keyNode, `a percentile limit is keyed by a fraction between 0 and 1 (\`0.99: 100ms\` for p99), got \`${item.key}\``);
        valid = false;
        continue;
      }
      // 0.99 → 99, rounded to kill binary noise (0.999 * 100 = 99.89999999999999).
      limits.push({ percentile: Math.round(fraction * 100 * 1e9) / 1e9, latencyNs: item.value });
    }
    return valid ? limits : INVALID;
  },
);

export const slaCodec: Codec<SlaSpec> = named('sla', () => map(object({
  window: optional(durationMs, 'Sliding window over which the SLA is checked; absent = the whole phase, checked at its end.'),
  errorRatio: optional(ratio, 'Maximum ratio of errors (connection failures, resets, timeouts, internal errors) to requests. Default 1.01 (never fails).'),
  invalidRatio: optional(ratio, 'Maximum ratio of invalid responses (4xx/5xx by default) to requests. Default 1.01 (never fails).'),
  blockedRatio: optional(ratio, 'Maximum ratio of time blocked waiting for a connection to blocked time plus response time. Default 0 (no blocking).'),
  meanResponseTime: optional(latencyNs, 'Maximum mean response time, with a unit: `10ms`.'),
  limits: optional(limitsCodec, 'Response time limits by percentile: `0.99: 100ms` means p99 must stay below 100 ms.'),
}, { what: 'an SLA', description: 'Conditions that must hold for the run to pass.', empty: () => ({}) }), (value): SlaSpec => ({
  ...(value.window !== undefined ? { windowMs: value.window } : {}),
  errorRatio: value.errorRatio ?? DEFAULT_ERROR_RATIO,
  invalidRatio: value.invalidRatio ?? DEFAULT_INVALID_RATIO,
  blockedRatio: value.blockedRatio ?? DEFAULT_BLOCKED_RATIO,
  ...(value.meanResponseTime !== undefined ? { meanResponseTimeNs: value.meanResponseTime } : {}),
  limits: value.limits ?? [],
})));

/** `sla:` — one SLA or a list of them. */
export const slaListCodec: Codec<SlaSpec[]> = listOrSingle(slaCodec);

/** `customSla: {metricName: SLA or [SLA, …]}` (also as a list of single-key mappings). */
export const customSlaCodec: Codec<Array<{ metric: string; slas: SlaSpec[] }>> = named('customSla', () => map(
  entries(slaListCodec, { forms: 'both', what: 'custom SLA' }),
  (items) => items.map((item) => ({ metric: item.key, slas: item.value })),
));

/** The SLA every request gets when it declares none: nothing may block waiting for a connection. */
export const DEFAULT_SLA: SlaSpec = {
  errorRatio: DEFAULT_ERROR_RATIO,
  invalidRatio: DEFAULT_INVALID_RATIO,
  blockedRatio: DEFAULT_BLOCKED_RATIO,
  limits: [],
};

/**
 * The SLAs of a request without `sla:`: the no-blocking SLA, except with `OPEN_ON_REQUEST` and `ALWAYS_NEW`, where
 * opening a connection per request is expected to wait (Hyperfoil drops the default SLA there).
 */
export function defaultRequestSlas(strategy: ConnectionStrategy): SlaSpec[] {
  return strategy === 'OPEN_ON_REQUEST' || strategy === 'ALWAYS_NEW' ? [] : [DEFAULT_SLA];
}

