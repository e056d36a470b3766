// Hyperfoil's StatisticsSummary: the JSON object that the REST API, all.json and the CSV rows are made of.
// Times in ns (integers, truncated like Java's long casts), timestamps in epoch ms, field order as Hyperfoil
// serializes them, extensions sorted by key with "@type" first.
import { describeHistogram } from './histogram-stats.js';
import { javaDoubleToString } from './java-format.js';
import type { StatsHistogram } from './histogram.js';
import { UNSET_START_MS, type StatsSnapshot } from './snapshot.js';

/** The percentiles reported everywhere, as fractions (Hyperfoil's StatisticsStore.PERCENTILES). */
export const REPORTED_PERCENTILES: readonly number[] = [0.5, 0.9, 0.99, 0.999, 0.9999];

/** JSON keys of percentileResponseTime: "50.0", "90.0", "99.0", "99.9", "99.99". */
export function percentileKey(fraction: number): string {
  return javaDoubleToString(fraction * 100);
}

export interface HttpExtensionJson {
  '@type': 'http';
  status_2xx: number;
  status_3xx: number;
  status_4xx: number;
  status_5xx: number;
  status_other: number;
  cacheHits: number;
}

/** Any other extension: its type plus one number per counter name. */
export interface CountersExtensionJson {
  '@type': string;
  [counter: string]: string | number;
}

export type ExtensionJson = HttpExtensionJson | CountersExtensionJson;

export interface StatisticsSummary {
  startTime: number;
  endTime: number;
  minResponseTime: number;
  meanResponseTime: number;
  stdDevResponseTime: number;
  maxResponseTime: number;
  percentileResponseTime: Record<string, number>;
  requestCount: number;
  responseCount: number;
  invalid: number;
  connectionErrors: number;
  requestTimeouts: number;
  internalErrors: number;
  blockedTime: number;
  extensions: Record<string, ExtensionJson>;
}

export const HTTP_EXTENSION_KEY = 'http';

function describeWithPercentiles(histogram: StatsHistogram, percentiles: readonly number[]): {
  d: ReturnType<typeof describeHistogram>; percentileResponseTime: Record<string, number>;
} {
  const d = describeHistogram(histogram, percentiles.map((p) => p * 100));
  const percentileResponseTime: Record<string, number> = {};
  percentiles.forEach((p, i) => {
    percentileResponseTime[percentileKey(p)] = d.percentilesNs[i]!;
  });
  return { d, percentileResponseTime };
}

/** Build the summary of a snapshot. An interval never set reads as 0..0. */
export function toSummary(
  snapshot: StatsSnapshot,
  percentiles: readonly number[] = REPORTED_PERCENTILES,
): StatisticsSummary {
  const { d, percentileResponseTime } = describeWithPercentiles(snapshot.histogram, percentiles);
  return {
    startTime: snapshot.startMs === UNSET_START_MS ? 0 : snapshot.startMs,
    endTime: snapshot.endMs,
    minResponseTime: d.minNs,
    meanResponseTime: Math.trunc(d.meanNs),
    stdDevResponseTime: Math.trunc(d.stdDevNs),
    maxResponseTime: d.maxNs,
    percentileResponseTime,
    requestCount: snapshot.requestCount,
    responseCount: snapshot.responseCount,
    invalid: snapshot.invalid,
    connectionErrors: snapshot.connectionErrors,
    requestTimeouts: snapshot.requestTimeouts,
    internalErrors: snapshot.internalErrors,
    blockedTime: snapshot.blockedTimeNs,
    extensions: extensionsJson(snapshot),
  };
}

/**
 * all.json `fromIntendedStart` of an open-model metric: the same responses timed from their intended start (the
 * session's arrival for its first request), so the generator's lateness and waits for a connection are included,
 * as wrk2 reports latency. Absent (undefined) for closed-model phases. Times in ns.
 */
export interface FromIntendedStartJson {
  responseCount: number;
  minResponseTime: number;
  meanResponseTime: number;
  maxResponseTime: number;
  percentileResponseTime: Record<string, number>;
}

export function fromIntendedStartJson(
  snapshot: StatsSnapshot,
  percentiles: readonly number[] = REPORTED_PERCENTILES,
): FromIntendedStartJson | undefined {
  if (!snapshot.hasFromIntendedStart) return undefined;
  const histogram = snapshot.fromIntendedStart!;
  const { d, percentileResponseTime } = describeWithPercentiles(histogram, percentiles);
  return {
    responseCount: histogram.totalCount,
    minResponseTime: d.minNs,
    meanResponseTime: Math.trunc(d.meanNs),
    maxResponseTime: d.maxNs,
    percentileResponseTime,
  };
}

function extensionsJson(snapshot: StatsSnapshot): Record<string, ExtensionJson> {
  const byKey = new Map<string, ExtensionJson>();
  if (snapshot.httpSeen) {
    byKey.set(HTTP_EXTENSION_KEY, {
      '@type': 'http',
      status_2xx: snapshot.status2xx,
      status_3xx: snapshot.status3xx,
      status_4xx: snapshot.status4xx,
      status_5xx: snapshot.status5xx,
      status_other: snapshot.statusOther,
      cacheHits: snapshot.cacheHits,
    });
  }
  for (const [key, counters] of snapshot.extensions) {
    if (key === HTTP_EXTENSION_KEY && snapshot.httpSeen) continue; // the built-in one wins
    const json: CountersExtensionJson = { '@type': counters.type };
    for (const [name, value] of counters.entries()) json[name] = value;
    byKey.set(key, json);
  }
  const sorted: Record<string, ExtensionJson> = {};
  for (const key of [...byKey.keys()].sort()) sorted[key] = byKey.get(key)!;
  return sorted;
}

// CSV columns of an extension ("<key>.<header>"), as Hyperfoil's StatsExtension.headers()/byHeader().
const HTTP_HEADERS: ReadonlyArray<readonly [string, keyof HttpExtensionJson]> = [
  ['2xx', 'status_2xx'],
  ['3xx', 'status_3xx'],
  ['4xx', 'status_4xx'],
  ['5xx', 'status_5xx'],
  ['OtherStatus', 'status_other'],
  ['CacheHits', 'cacheHits'],
];

/** Column headers ("http.2xx", "transfer.sent", ...) of one summary's extensions, unsorted. */
export function extensionHeaders(summary: StatisticsSummary): string[] {
  const headers: string[] = [];
  for (const [key, ext] of Object.entries(summary.extensions)) {
    if (ext['@type'] === 'http') {
      for (const [header] of HTTP_HEADERS) headers.push(`${key}.${header}`);
    } else {
      for (const name of Object.keys(ext)) if (name !== '@type') headers.push(`${key}.${name}`);
    }
  }
  return headers;
}

/** The value of one extension column, or '' when this summary lacks it. */
export function extensionValue(summary: StatisticsSummary, header: string): string {
  const dot = header.indexOf('.');
  const ext = summary.extensions[header.slice(0, dot)];
  if (ext === undefined) return '';
  const name = header.slice(dot + 1);
  if (ext['@type'] === 'http') {
    const field = HTTP_HEADERS.find(([h]) => h === name)?.[1];
    return field === undefined ? '' : String((ext as HttpExtensionJson)[field]);
  }
  const value = (ext as CountersExtensionJson)[name];
  return value === undefined || name === '@type' ? '' : String(value);
}
