/** Codecs for durations (`10s`, bare number = seconds), timeouts (`none` = -1) and latencies (`10 ms`). */
import { parseDurationMs, parseLatencyNs } from '../lib/index.js';
import { parsed } from './codec.js';
import type { Codec } from './codec.js';
import { MAX_DURATION_MS } from './limits.js';

function withinDurationLimit(valueMs: number): { ok: true; value: number } | { ok: false; message: string } {
  if (valueMs <= MAX_DURATION_MS.value) return { ok: true, value: valueMs };
  return { ok: false, message: `${valueMs} ms is above ${MAX_DURATION_MS.name} = ${MAX_DURATION_MS.value} ms; use a shorter duration` };
}

const DURATION_SCHEMA = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^\\s*\\d+\\s*(ms|s|m|h)?\\s*$' }] };

/** A duration of 0 or more, in milliseconds. */
export const durationMs: Codec<number> = parsed('a duration', (text) => {
  const result = parseDurationMs(text);
  if (result.ok && result.value < 0) return { ok: false, message: `expected a duration of 0 or more, got \`${text}\`` };
  return result.ok ? withinDurationLimit(result.value) : result;
}, DURATION_SCHEMA);

/** A timeout in milliseconds, or `none` for no timeout (-1). */
export const timeoutMs: Codec<number> = parsed('a duration or `none`', (text) => {
  if (text.trim() === 'none') return { ok: true, value: -1 };
  const result = parseDurationMs(text);
  if (result.ok && result.value < 0) return { ok: false, message: `expected a duration or \`none\`, got \`${text}\`` };
  return result.ok ? withinDurationLimit(result.value) : { ok: false, message: `${result.message}, or \`none\`` };
}, { anyOf: [DURATION_SCHEMA, { const: 'none' }] });

/** A latency with its unit, in nanoseconds. */
export const latencyNs: Codec<number> = parsed('a latency', parseLatencyNs,
  { type: 'string', pattern: '^\\s*\\d+\\s*(ns|us|ms|s|m|h)\\s*$' });
