// JSON shapes built from a run's StatisticsStore: the entries of all.json (schema v3.0: stats[], agents[],
// failures[], sessions[]) that Hyperfoil's HTML report reads, and the REST API's statistics responses.
import { encodeHistogram } from './hdr-encoding.js';
import { HistogramWalk, type IterationStep } from './histogram-iteration.js';
import type { MetricData } from './metric-data.js';
import { splitPhaseName } from './names.js';
import { pendingRequests } from './pending.js';
import type { StatsSnapshot } from './snapshot.js';
import { compareStrings, type RequestStats, type StatisticsStore } from './store.js';
import { fromIntendedStartJson, toSummary, type FromIntendedStartJson, type StatisticsSummary } from './summary.js';

export const RUN_SCHEMA = 'http://hyperfoil.io/run-schema/v3.0';

export interface HistogramBucketJson {
  from: number;
  to: number;
  /** 0..1 */
  percentile: number;
  count: number;
  totalCount: number;
}

export interface StatsTotalJson {
  phase: string;
  metric: string;
  start: number;
  end: number;
  summary: StatisticsSummary;
  /** Failures of this phase and metric; absent in per-agent entries. */
  failures?: number;
  minSessions: number;
  maxSessions: number;
}

export interface StatsEntryJson {
  name: string;
  phase: string;
  iteration: string;
  fork: string;
  metric: string;
  isWarmup: boolean;
  total: StatsTotalJson;
  histogram: { percentiles: HistogramBucketJson[]; linear: HistogramBucketJson[] };
  series: StatisticsSummary[];
  /** Open-model phases: the responses timed from their intended start (includes the generator's lateness). */
  fromIntendedStart?: FromIntendedStartJson;
}

export interface FailureJson {
  phase: string;
  metric: string | null;
  message: string;
  start: number;
  end: number;
  percentileResponseTime: Record<string, number>;
}

export interface SessionsEntryJson {
  name: string;
  phase: string;
  iteration: string;
  fork: string;
  sessions: Array<{ timestamp: number; agent: string; minSessions: number; maxSessions: number }>;
}

/** Percentile steps per half distance in histogram.percentiles, and the linear bucket width (1 ms). */
export const HISTOGRAM_PERCENTILE_TICKS = 5;
export const HISTOGRAM_LINEAR_BUCKET_NS = 1_000_000;
/** histogram.linear lists 1 ms buckets up to this percentile, then one bucket with the rest. */
export const HISTOGRAM_LINEAR_MAX_PERCENTILE = 95;

/**
 * Compress a histogram walk into buckets: runs of empty steps become one bucket with count 0; the walk stops
 * after the first step past `maxPercentile` and everything after it becomes one last bucket.
 */
export function histogramBuckets(walk: HistogramWalk, maxPercentile: number): HistogramBucketJson[] {
  const out: HistogramBucketJson[] = [];
  const push = (from: number, to: number, percentile: number, count: number, totalCount: number): void => {
    out.push({ from, to, percentile: percentile / 100, count, totalCount });
  };
  let gapFrom = -1;
  let gapTo = -1;
  let gapPercentile = -1;
  let gapTotal = 0;
  let step: IterationStep | undefined;
  while (walk.hasNext()) {
    step = walk.next();
    if (step.countAddedInThisStep === 0) {
      if (gapFrom < 0) {
        gapFrom = step.valueIteratedFrom;
        gapTotal = step.totalCountToThisValue;
      }
      gapTo = step.valueIteratedTo;
      gapPercentile = step.percentileLevelIteratedTo;
    } else {
      if (gapFrom >= 0) {
        push(gapFrom, gapTo, gapPercentile, 0, gapTotal);
        gapFrom = -1;
      }
      push(
        step.valueIteratedFrom,
        step.valueIteratedTo,
        step.percentileLevelIteratedTo,
        step.countAddedInThisStep,
        step.totalCountToThisValue,
      );
    }
    if (step.percentileLevelIteratedTo > maxPercentile) break;
  }
  if (gapFrom >= 0) push(gapFrom, gapTo, gapPercentile, 0, gapTotal);
  if (step !== undefined) {
    const restFrom = step.valueIteratedTo;
    const restTotal = step.totalCountToThisValue;
    while (walk.hasNext()) step = walk.next();
    if (step.totalCountToThisValue !== restTotal) {
      push(
        restFrom,
        step.valueIteratedTo,
        step.percentileLevelIteratedTo,
        step.totalCountToThisValue - restTotal,
        step.totalCountToThisValue,
      );
    }
  }
  return out;
}

/** all.json `histogram` of one snapshot. */
export function histogramJson(snapshot: StatsSnapshot): StatsEntryJson['histogram'] {
  return {
    percentiles: histogramBuckets(HistogramWalk.percentiles(snapshot.histogram, HISTOGRAM_PERCENTILE_TICKS), 100),
    linear: histogramBuckets(
      HistogramWalk.linear(snapshot.histogram, HISTOGRAM_LINEAR_BUCKET_NS),
      HISTOGRAM_LINEAR_MAX_PERCENTILE,
    ),
  };
}

/** One all.json stats[] entry: cluster-wide, or one agent's figures when `agent` is given. */
export function statsEntryJson(store: StatisticsStore, data: MetricData, agent?: string): StatsEntryJson {
  const snapshot = agent === undefined ? data.total : data.perAgent.get(agent);
  if (snapshot === undefined) throw new RangeError(`agent ${agent} has no statistics for ${data.phase}/${data.metric}`);
  const parts = splitPhaseName(data.phase);
  const phaseTotal = toSummary(data.total);
  const sessions =
    (agent === undefined ? store.sessions.total(data.phase) : store.sessions.forAgent(data.phase, agent)) ??
    { min: 0, max: 0 };
  const total: StatsTotalJson = {
    phase: data.phase,
    metric: data.metric,
    start: phaseTotal.startTime,
    end: phaseTotal.endTime,
    summary: agent === undefined ? phaseTotal : toSummary(snapshot),
    minSessions: sessions.min,
    maxSessions: sessions.max,
  };
  if (agent === undefined) {
    total.failures = store.failures.filter(
      (f) => f.phase === data.phase && (f.metric === null || f.metric === data.metric),
    ).length;
  }
  const entry: StatsEntryJson = {
    name: data.phase,
    phase: parts.phase,
    iteration: parts.iteration,
    fork: parts.fork,
    metric: data.metric,
    isWarmup: store.isWarmup(data.phase),
    total: reorderTotal(total),
    histogram: histogramJson(snapshot),
    series: (agent === undefined ? data.series : data.agentSeries.get(agent)) ?? [],
  };
  const intended = fromIntendedStartJson(snapshot);
  if (intended !== undefined) entry.fromIntendedStart = intended;
  return entry;
}

/** Keep Hyperfoil's key order: failures comes right after summary. */
function reorderTotal(total: StatsTotalJson): StatsTotalJson {
  const { phase, metric, start, end, summary, failures, minSessions, maxSessions } = total;
  return failures === undefined
    ? { phase, metric, start, end, summary, minSessions, maxSessions }
    : { phase, metric, start, end, summary, failures, minSessions, maxSessions };
}

/** all.json `stats`: one entry per (phase, metric, step), sorted by phase, metric, stepId. */
export function statsJson(store: StatisticsStore): StatsEntryJson[] {
  return store.entries().map((data) => statsEntryJson(store, data));
}

/** all.json `agents`: per agent, the same entries with that agent's figures. */
export function agentsJson(store: StatisticsStore): Array<{ name: string; stats: StatsEntryJson[] }> {
  const entries = store.entries();
  return store.agents().map((agent) => ({
    name: agent,
    stats: entries.filter((data) => data.perAgent.has(agent)).map((data) => statsEntryJson(store, data, agent)),
  }));
}

/** all.json `failures`. */
export function failuresJson(store: StatisticsStore): FailureJson[] {
  return store.failures.map((f) => ({
    phase: f.phase,
    metric: f.metric,
    message: f.message,
    start: f.summary.startTime,
    end: f.summary.endTime,
    percentileResponseTime: f.summary.percentileResponseTime,
  }));
}

/** all.json `sessions`: one entry per phase that reported session figures, agents' records interleaved. */
export function sessionsJson(store: StatisticsStore): SessionsEntryJson[] {
  return store.sessions
    .phases()
    .sort(compareStrings)
    .map((name) => {
      const byAgent = [...store.sessions.records(name)];
      const longest = Math.max(0, ...byAgent.map(([, records]) => records.length));
      const sessions: SessionsEntryJson['sessions'] = [];
      for (let i = 0; i < longest; i++) {
        for (const [agent, records] of byAgent) {
          const r = records[i];
          if (r !== undefined) sessions.push({ timestamp: r.timestampMs, agent, minSessions: r.min, maxSessions: r.max });
        }
      }
      return { name, ...splitPhaseName(name), sessions };
    });
}

export interface AllJsonInput {
  /** The run's info.json content. */
  readonly info?: Record<string, unknown>;
  readonly version: string;
  readonly commit: string;
  /** Parts owned by other modules, passed through as they are. */
  readonly connections?: unknown;
  readonly agentCpu?: unknown;
}

/** The whole all.json document, in Hyperfoil's key order. */
export function allJson(store: StatisticsStore, input: AllJsonInput): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  if (input.info !== undefined && Object.keys(input.info).length > 0) doc.info = input.info;
  doc.$schema = RUN_SCHEMA;
  doc.version = input.version;
  doc.commit = input.commit;
  doc.failures = failuresJson(store);
  doc.stats = statsJson(store);
  doc.sessions = sessionsJson(store);
  doc.agents = agentsJson(store);
  doc.connections = input.connections ?? {};
  doc.agentCpu = input.agentCpu ?? {};
  // Ours: requests sent that got neither a response nor an error before their phase ended (cut at maxDuration).
  const pending = pendingRequests(store.total());
  if (pending.length > 0) doc.pendingRequests = pending;
  return doc;
}

/** REST GET /run/{id}/stats/recent and /total. */
export interface RequestStatisticsResponse {
  status: 'RUNNING' | 'TERMINATED' | 'INITIALIZING';
  statistics: RequestStats[];
}

export function requestStatisticsResponse(
  status: RequestStatisticsResponse['status'],
  statistics: RequestStats[],
): RequestStatisticsResponse {
  return { status, statistics };
}

/** REST GET /run/{id}/stats/histogram item: the histogram in HdrHistogram's compressed encoding, base64. */
export interface HistogramResponseJson {
  phase: string;
  metric: string;
  startTime: number;
  endTime: number;
  data: string;
}

export function histogramResponseJson(phase: string, metric: string, snapshot: StatsSnapshot): HistogramResponseJson {
  const summary = toSummary(snapshot, []);
  return {
    phase,
    metric,
    startTime: summary.startTime,
    endTime: summary.endTime,
    data: encodeHistogram(snapshot.histogram).toString('base64'),
  };
}
