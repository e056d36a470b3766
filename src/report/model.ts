/**
 * A run's stored files → the compact data the report page draws: series as columns of numbers (latencies in ms,
 * time in seconds from the run's start), the merged percentile spectrum, per-agent totals, sessions and connections.
 * Columns instead of all.json's objects keep a long run's report small. Every value of the input is checked: a
 * missing or malformed field becomes an empty or zero entry, never an exception, and strings stay strings.
 */
import type { RunFiles } from './run-files.js';

type Json = Record<string, unknown>;

/** Time series of one metric, each array as long as `t`. Latencies in ms; `null` where a second had no response. */
export interface MetricSeries {
  /** Seconds per point: 1, or more when a long run's seconds were grouped (see downsample). */
  stepSeconds: number;
  t: number[];
  rps: number[];
  p50: Array<number | null>;
  p90: Array<number | null>;
  p99: Array<number | null>;
  p999: Array<number | null>;
  max: Array<number | null>;
  s2xx: number[];
  s3xx: number[];
  s4xx: number[];
  s5xx: number[];
  sOther: number[];
  errors: number[];
  timeouts: number[];
  invalid: number[];
}

export interface MetricTotals extends LatencyTotals {
  requests: number;
  rps: number;
  errors: number;
  timeouts: number;
  invalid: number;
  blockedMs: number;
  s2xx: number;
  s3xx: number;
  s4xx: number;
  s5xx: number;
  sOther: number;
}

export interface MetricReport {
  phase: string;
  metric: string;
  warmup: boolean;
  totals: MetricTotals;
  /** Percentile spectrum of the merged histogram: `x` = 1 / (1 - percentile) (log axis), `ms` the value. */
  spectrum: { x: number[]; ms: number[]; pct: number[] };
  series: MetricSeries;
  agents: Array<{ name: string; totals: MetricTotals }>;
  /** Open-model metrics: latency from the intended start (all.json `fromIntendedStart`), in ms; null otherwise. */
  fromIntendedStart: IntendedTotals | null;
}

/** Latency figures of a summary-shaped object (StatisticsSummary or all.json fromIntendedStart), in ms. */
export interface LatencyTotals {
  responses: number;
  meanMs: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  maxMs: number;
}

export type IntendedTotals = LatencyTotals;

function latencyOf(s: Record<string, unknown>): LatencyTotals {
  const p = obj(s.percentileResponseTime);
  return {
    responses: num(s.responseCount),
    meanMs: ms(num(s.meanResponseTime)),
    p50: ms(num(p['50.0'])),
    p90: ms(num(p['90.0'])),
    p99: ms(num(p['99.0'])),
    p999: ms(num(p['99.9'])),
    maxMs: ms(num(s.maxResponseTime)),
  };
}

function intendedTotalsOf(value: unknown): IntendedTotals | null {
  return value === undefined || value === null ? null : latencyOf(obj(value));
}

export interface MinMaxSeries {
  name: string;
  t: number[];
  max: number[];
}

export interface SlaCheckReport {
  rule: string;
  at: number | null;
  limit: number;
  actual: number;
  unit: string;
  passed: boolean;
  windowMs: number | null;
}

export interface RunReport {
  id: string;
  benchmark: string;
  description: string;
  startMs: number | null;
  endMs: number | null;
  cancelled: boolean;
  params: Array<[string, string]>;
  errors: string[];
  agents: Array<{ name: string; clockOffsetMs: number | null }>;
  phaseStartSkewMs: Array<[string, number]>;
  failures: Array<{ phase: string; metric: string; message: string }>;
  sla: Array<{ phase: string; metric: string; checks: SlaCheckReport[] }>;
  generator: { saturated: boolean; phases: Json[] };
  metrics: MetricReport[];
  sessions: Array<{ phase: string; agents: MinMaxSeries[] }>;
  connections: Array<{ authority: string; kind: string; agents: MinMaxSeries[] }>;
  source: { name: string; text: string } | null;
  version: string;
}

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Json : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const optNum = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** ns → ms with μs resolution (three decimals are what a chart can show). */
const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;
const round3 = (n: number): number => Math.round(n * 1e3) / 1e3;

function totalsOf(summaryValue: unknown): MetricTotals {
  const s = obj(summaryValue);
  const http = obj(obj(s.extensions).http);
  const seconds = (num(s.endTime) - num(s.startTime)) / 1000;
  const latency = latencyOf(s);
  return {
    ...latency,
    requests: num(s.requestCount),
    rps: seconds > 0 ? round3(latency.responses / seconds) : 0,
    errors: num(s.connectionErrors) + num(s.internalErrors),
    timeouts: num(s.requestTimeouts),
    invalid: num(s.invalid),
    blockedMs: ms(num(s.blockedTime)),
    s2xx: num(http.status_2xx),
    s3xx: num(http.status_3xx),
    s4xx: num(http.status_4xx),
    s5xx: num(http.status_5xx),
    sOther: num(http.status_other),
  };
}

function seriesOf(entries: unknown[], startMs: number): MetricSeries {
  const out: MetricSeries = {
    stepSeconds: 1, t: [], rps: [], p50: [], p90: [], p99: [], p999: [], max: [],
    s2xx: [], s3xx: [], s4xx: [], s5xx: [], sOther: [], errors: [], timeouts: [], invalid: [],
  };
  for (const entry of entries) {
    const s = obj(entry);
    const t = totalsOf(s);
    const has = t.responses > 0;
    const lat = (value: number): number | null => (has ? value : null);
    const seconds = (num(s.endTime) - num(s.startTime)) / 1000;
    out.t.push(round3((num(s.endTime) - startMs) / 1000));
    out.rps.push(seconds > 0 ? round3(t.responses / seconds) : t.responses);
    out.p50.push(lat(t.p50));
    out.p90.push(lat(t.p90));
    out.p99.push(lat(t.p99));
    out.p999.push(lat(t.p999));
    out.max.push(lat(t.maxMs));
    out.s2xx.push(t.s2xx);
    out.s3xx.push(t.s3xx);
    out.s4xx.push(t.s4xx);
    out.s5xx.push(t.s5xx);
    out.sOther.push(t.sOther);
    out.errors.push(t.errors);
    out.timeouts.push(t.timeouts);
    out.invalid.push(t.invalid);
  }
  return out;
}

/** Longer series are grouped so that a chart has at most this many points (a chart is ~1000 pixels wide). */
export const MAX_POINTS = 1000;

/**
 * Groups consecutive points of a long run: rates and counts become the group's mean per second, latencies its
 * worst second (a chart of a long run must not hide a bad second by averaging it away).
 */
export function downsample(series: MetricSeries, maxPoints = MAX_POINTS): MetricSeries {
  const length = series.t.length;
  if (length <= maxPoints) return series;
  const group = Math.ceil(length / maxPoints);
  const mean = (values: number[]): number[] => chunks(values, group).map((c) => round3(c.reduce((a, b) => a + b, 0) / c.length));
  const worst = (values: Array<number | null>): Array<number | null> => chunks(values, group).map((c) => {
    const present = c.filter((v): v is number => v !== null);
    return present.length === 0 ? null : Math.max(...present);
  });
  return {
    stepSeconds: series.stepSeconds * group,
    t: chunks(series.t, group).map((c) => c[c.length - 1]!),
    rps: mean(series.rps), p50: worst(series.p50), p90: worst(series.p90), p99: worst(series.p99), p999: worst(series.p999),
    max: worst(series.max), s2xx: mean(series.s2xx), s3xx: mean(series.s3xx), s4xx: mean(series.s4xx), s5xx: mean(series.s5xx),
    sOther: mean(series.sOther), errors: mean(series.errors), timeouts: mean(series.timeouts), invalid: mean(series.invalid),
  };
}

function chunks<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function spectrumOf(histogram: unknown): MetricReport['spectrum'] {
  const out: MetricReport['spectrum'] = { x: [], ms: [], pct: [] };
  for (const bucket of arr(obj(histogram).percentiles)) {
    const b = obj(bucket);
    const fraction = num(b.percentile);
    if (num(b.count) === 0 || fraction >= 1) continue; // x = 1/(1-p) is infinite at 100 %: the max is in the totals
    out.x.push(round3(1 / (1 - fraction)));
    out.ms.push(ms(num(b.to)));
    out.pct.push(Math.round(fraction * 1e7) / 1e5);
  }
  return out;
}

const metricKey = (phase: string, metric: string): string => `${phase}\u0000${metric}`;

function minMaxByAgent(records: unknown[], maxKey: string, startMs: number): MinMaxSeries[] {
  const byAgent = new Map<string, MinMaxSeries>();
  for (const record of records) {
    const r = obj(record);
    const name = str(r.agent);
    let series = byAgent.get(name);
    if (series === undefined) {
      series = { name, t: [], max: [] };
      byAgent.set(name, series);
    }
    series.t.push(round3((num(r.timestamp) - startMs) / 1000));
    series.max.push(num(r[maxKey]));
  }
  // a long run's points are grouped like the metrics' series, keeping each group's highest value
  return [...byAgent.values()].map((series) => {
    if (series.t.length <= MAX_POINTS) return series;
    const group = Math.ceil(series.t.length / MAX_POINTS);
    return { name: series.name, t: chunks(series.t, group).map((c) => c[c.length - 1]!), max: chunks(series.max, group).map((c) => Math.max(...c)) };
  });
}

function slaOf(value: unknown): RunReport['sla'] {
  return arr(value).map((v) => {
    const verdict = obj(v);
    return {
      phase: str(verdict.phase),
      metric: str(verdict.metric),
      checks: arr(verdict.checks).map((c) => {
        const check = obj(c);
        return {
          rule: str(check.rule), at: optNum(check.at), limit: num(check.limit), actual: num(check.actual),
          unit: str(check.unit), passed: check.passed === true, windowMs: optNum(check.windowMs),
        };
      }),
    };
  });
}

export function runReport(files: RunFiles): RunReport {
  const { all, info } = files;
  const startMs = num(info.startTime) > 0 ? num(info.startTime) : null;
  const endMs = num(info.terminateTime) > 0 ? num(info.terminateTime) : null;
  const origin = startMs ?? 0;
  const perAgent = new Map<string, Array<{ name: string; totals: MetricTotals }>>();
  for (const agentValue of arr(all.agents)) {
    const agent = obj(agentValue);
    for (const entry of arr(agent.stats)) {
      const e = obj(entry);
      const key = metricKey(str(e.name), str(e.metric));
      const list = perAgent.get(key) ?? [];
      list.push({ name: str(agent.name), totals: totalsOf(obj(e.total).summary) });
      perAgent.set(key, list);
    }
  }
  const metrics = arr(all.stats).map((entry): MetricReport => {
    const e = obj(entry);
    const phase = str(e.name);
    const metric = str(e.metric);
    return {
      phase, metric, warmup: e.isWarmup === true,
      totals: totalsOf(obj(e.total).summary),
      spectrum: spectrumOf(e.histogram),
      series: downsample(seriesOf(arr(e.series), origin)),
      agents: perAgent.get(metricKey(phase, metric)) ?? [],
      fromIntendedStart: intendedTotalsOf(e.fromIntendedStart),
    };
  });
  const offsets = obj(info.agentClockOffsetMs);
  const agentNames = new Set<string>([...arr(all.agents).map((a) => str(obj(a).name)), ...Object.keys(offsets)]);
  const connections: RunReport['connections'] = [];
  for (const [authority, kinds] of Object.entries(obj(all.connections))) {
    for (const [kind, records] of Object.entries(obj(kinds))) {
      connections.push({ authority, kind, agents: minMaxByAgent(arr(records), 'max', origin) });
    }
  }
  const generator = obj(all.generator);
  return {
    id: str(info.id),
    benchmark: str(info.benchmark),
    description: str(info.description),
    startMs,
    endMs,
    cancelled: info.cancelled === true,
    params: Object.entries(obj(info.params)).map(([k, v]) => [k, str(v)]),
    errors: arr(info.errors).map((e) => {
      const error = obj(e);
      return error.agent !== undefined ? `${str(error.agent)}: ${str(error.msg)}` : str(error.msg ?? e);
    }),
    agents: [...agentNames].map((name) => ({ name, clockOffsetMs: optNum(offsets[name]) })),
    phaseStartSkewMs: Object.entries(obj(info.phaseStartSkewMs)).map(([phase, skew]) => [phase, num(skew)]),
    failures: arr(all.failures).map((f) => {
      const failure = obj(f);
      return { phase: str(failure.phase), metric: str(failure.metric), message: str(failure.message) };
    }),
    sla: slaOf(all.sla),
    generator: { saturated: generator.saturated === true, phases: arr(generator.phases).map(obj) },
    metrics,
    sessions: arr(all.sessions).map((s) => ({ phase: str(obj(s).name), agents: minMaxByAgent(arr(obj(s).sessions), 'maxSessions', origin) })),
    connections,
    source: files.source ? { name: files.source.name, text: files.source.text } : null,
    version: str(all.version),
  };
}
