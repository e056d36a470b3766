/**
 * The `sla` of an httpRequest, decoded into the `SlaSpec` the stats layer evaluates. Kept in one file so that it can
 * be swapped for the shared decoder of `src/config/sla.ts` (customSla) without touching the request decoder.
 *   window            sliding window (a duration); absent = the whole phase, checked when it ends
 *   errorRatio        max ratio of errors (connection failures, resets, timeouts, internal errors); default 1.01 (off)
 *   invalidRatio      max ratio of invalid responses; default 1.01 (off)
 *   blockedRatio      max ratio of time blocked waiting for a connection; default 0
 *   meanResponseTime  a latency with unit (`10 ms`)
 *   limits            `percentile: latency`, e.g. `0.99: 100ms`, as a mapping or a list of single-key mappings
 */
import { entries, INVALID, listOrSingle, map, num, object, optional, parsed } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import { forms } from '../forms.js';
import type { SlaSpec } from '../model.js';
import { parseDurationMs, parseLatencyNs } from '../../lib/index.js';

const ratio = num({ min: 0 });
const latency = parsed('a latency with a unit such as `100ms`, `10 ms` or `2s`', parseLatencyNs, { type: 'string' });
const window = parsed('a duration such as `10s`', parseDurationMs, { type: ['string', 'integer'] });

export const DEFAULT_ERROR_RATIO = 1.01;
export const DEFAULT_INVALID_RATIO = 1.01;
export const DEFAULT_BLOCKED_RATIO = 0;

export const slaCodec: Codec<SlaSpec> = forms<SlaSpec>('sla', {
  mapping: map(
    object({
      window: optional(window, 'Sliding window; default: the whole phase.'),
      errorRatio: optional(ratio, 'Maximum ratio of errors (not 4xx/5xx). Default 1.01 (no limit).'),
      invalidRatio: optional(ratio, 'Maximum ratio of invalid responses. Default 1.01 (no limit).'),
      blockedRatio: optional(ratio, 'Maximum ratio of time blocked waiting for a connection. Default 0.'),
      meanResponseTime: optional(latency, 'Maximum mean response time, with a unit (`10 ms`).'),
      limits: optional(entries(latency, { forms: 'both', what: 'percentile limit' }), 'Percentile (0–1) → maximum response time, e.g. `0.99: 100ms`.'),
    }, { what: 'sla' }),
    (v, node, cx): Decoded<SlaSpec> => {
      const limits: Array<{ percentile: number; latencyNs: number }> = [];
      let valid = true;
      for (const entry of v.limits ?? []) {
        const percentile = Number(entry.key.trim());
        if (!/^\s*(0(\.\d+)?|1(\.0+)?|\.\d+)\s*$/.test(entry.key) || !(percentile >= 0 && percentile <= 1)) {
          cx.problem(entry.keyNode, `sla.limits: \`${entry.key}\` is not a percentile between 0 and 1 (e.g. \`0.99\`)`);
          valid = false;
          continue;
        }
        limits.push({ percentile, latencyNs: entry.value });
      }
      if (!valid) return INVALID;
      if (v.window !== undefined && v.window <= 0) {
        cx.problem(node, 'sla.window must be positive');
        return INVALID;
      }
      return {
        ...(v.window !== undefined ? { windowMs: v.window } : {}),
        errorRatio: v.errorRatio ?? DEFAULT_ERROR_RATIO,
        invalidRatio: v.invalidRatio ?? DEFAULT_INVALID_RATIO,
        blockedRatio: v.blockedRatio ?? DEFAULT_BLOCKED_RATIO,
        ...(v.meanResponseTime !== undefined ? { meanResponseTimeNs: v.meanResponseTime } : {}),
        limits,
      };
    },
  ),
});

/** One SLA mapping, or a list of them. */
export const slaList: Codec<SlaSpec[]> = listOrSingle(slaCodec);
