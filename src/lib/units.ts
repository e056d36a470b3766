/**
 * Durations and latencies as Hyperfoil reads them.
 * - Durations: an integer followed by `ms`, `s`, `m` or `h`; no suffix means seconds. Whitespace around is allowed.
 * - Latencies (SLA limits): an integer followed by `ns`, `us`, `ms`, `s`, `m` or `h`; the unit is required and may be
 *   separated by spaces (`10 ms`).
 * Each parser returns the value or an error message that says what was expected.
 */

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const LATENCY_UNITS_NS: Record<string, number> = {
  ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseDurationMs(text: string): Parsed<number> {
  const match = /^\s*(-?\d+)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) {
    return { ok: false, message: `expected a duration such as \`10s\`, \`500ms\`, \`5m\`, \`1h\` or a number of seconds, got \`${text}\`` };
  }
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  return { ok: true, value: amount * (DURATION_UNITS_MS[unit] ?? 1000) };
}

export function parseLatencyNs(text: string): Parsed<number> {
  const match = /^\s*(\d+)\s*(ns|us|ms|s|m|h)\s*$/.exec(text);
  if (!match) {
    return { ok: false, message: `expected a latency with a unit such as \`100ms\`, \`10 ms\`, \`500us\` or \`2s\`, got \`${text}\`` };
  }
  return { ok: true, value: Number(match[1]) * (LATENCY_UNITS_NS[match[2] ?? 'ns'] ?? 1) };
}

/** Human-readable duration, e.g. `1h 2m 3s`, `3.25s`, `120ms`. */
export function formatDurationMs(durationMs: number): string {
  if (durationMs < 1000) return `${Math.round(durationMs)}ms`;
  if (durationMs < 60_000) return `${Number((durationMs / 1000).toFixed(2))}s`;
  const totalSeconds = Math.round(durationMs / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].filter(Boolean).join(' ');
}
