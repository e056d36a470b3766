// The CSV files of a run's stats directory, byte for byte in Hyperfoil's layout: total.csv, agent.<name>.csv,
// failures.csv, <phase>.<metric>.<stepId>.histogram.csv / .series.csv (also per agent) and <phase>.sessions.csv.
// Writers return strings; the run storage decides where they go. Lines end with "\n".
import { HistogramWalk } from './histogram-iteration.js';
import { javaFixed } from './java-format.js';
import { metricFileName, sanitizeFileName } from './names.js';
import type { StatsSnapshot } from './snapshot.js';
import { compareStrings, type StatisticsStore } from './store.js';
import {
  extensionHeaders,
  extensionValue,
  percentileKey,
  REPORTED_PERCENTILES,
  toSummary,
  type StatisticsSummary,
} from './summary.js';

/** Columns of one summary, Hyperfoil's StatisticsSummary.printHeader. */
export const SUMMARY_CSV_HEADER =
  'Requests,Responses,Mean,StdDev,Min,' +
  REPORTED_PERCENTILES.map((p) => `p${percentileKey(p)},`).join('') +
  'Max,ConnectionErrors,RequestTimeouts,InternalErrors,Invalid,BlockedTime';

/** Quote a field only when it needs it (names with commas, quotes or line breaks); plain names stay as they are. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Every extension column of these summaries ("http.2xx", ...), sorted and without duplicates. */
export function collectExtensionHeaders(summaries: Iterable<StatisticsSummary>): string[] {
  const headers = new Set<string>();
  for (const summary of summaries) for (const header of extensionHeaders(summary)) headers.add(header);
  return [...headers].sort(compareStrings);
}

/** The summary's cells, in SUMMARY_CSV_HEADER order, followed by one cell per extension header. */
export function summaryCsvCells(summary: StatisticsSummary, extHeaders: readonly string[]): string {
  const cells = [
    summary.requestCount,
    summary.responseCount,
    summary.meanResponseTime,
    summary.stdDevResponseTime,
    summary.minResponseTime,
    ...REPORTED_PERCENTILES.map((p) => summary.percentileResponseTime[percentileKey(p)] ?? 0),
    summary.maxResponseTime,
    summary.connectionErrors,
    summary.requestTimeouts,
    summary.internalErrors,
    summary.invalid,
    summary.blockedTime,
  ].join(',');
  let ext = '';
  for (const header of extHeaders) ext += ',' + extensionValue(summary, header);
  return cells + ext;
}

function extensionHeaderSuffix(headers: readonly string[]): string {
  return headers.map((h) => ',' + h).join('');
}

function lowHighCells(lowHigh: { min: number; max: number } | undefined): string {
  return lowHigh === undefined ? ',,' : `,${lowHigh.min},${lowHigh.max}`;
}

/** total.csv: one row per (phase, metric, step) with the cluster-wide totals. */
export function totalCsv(store: StatisticsStore): string {
  const entries = store.entries();
  const summaries = entries.map((data) => toSummary(data.total));
  const headers = collectExtensionHeaders(summaries);
  let out = `Phase,Metric,Start,End,${SUMMARY_CSV_HEADER}${extensionHeaderSuffix(headers)},MinSessions,MaxSessions\n`;
  entries.forEach((data, i) => {
    const summary = summaries[i]!;
    out +=
      `${csvField(data.phase)},${csvField(data.metric)},${summary.startTime},${summary.endTime},` +
      summaryCsvCells(summary, headers) +
      lowHighCells(store.sessions.total(data.phase)) +
      '\n';
  });
  return out;
}

/** agent.<agent>.csv: like total.csv with one agent's figures (Start/End are the phase totals', as Hyperfoil). */
export function agentCsv(store: StatisticsStore, agent: string): string {
  const rows: Array<{ phase: string; metric: string; start: number; end: number; summary: StatisticsSummary }> = [];
  for (const data of store.entries()) {
    const snapshot = data.perAgent.get(agent);
    if (snapshot === undefined) continue;
    const total = toSummary(data.total);
    rows.push({ phase: data.phase, metric: data.metric, start: total.startTime, end: total.endTime, summary: toSummary(snapshot) });
  }
  const headers = collectExtensionHeaders(rows.map((row) => row.summary));
  let out = `Phase,Metric,Start,End,${SUMMARY_CSV_HEADER}${extensionHeaderSuffix(headers)},MinSessions,MaxSessions\n`;
  for (const row of rows) {
    out +=
      `${csvField(row.phase)},${csvField(row.metric)},${row.start},${row.end},` +
      summaryCsvCells(row.summary, headers) +
      lowHighCells(store.sessions.forAgent(row.phase, agent)) +
      '\n';
  }
  return out;
}

/** failures.csv: one row per SLA (or other) failure; a phase-wide failure has metric "null", as in Hyperfoil. */
export function failuresCsv(store: StatisticsStore): string {
  const failures = store.failures;
  const headers = collectExtensionHeaders(failures.map((f) => f.summary));
  let out = `Phase,Metric,Message,Start,End,${SUMMARY_CSV_HEADER}${extensionHeaderSuffix(headers)}\n`;
  for (const failure of failures) {
    out +=
      `${csvField(failure.phase)},${csvField(failure.metric ?? 'null')},"${failure.message.replaceAll('"', '""')}",` +
      `${failure.summary.startTime},${failure.summary.endTime},` +
      summaryCsvCells(failure.summary, headers) +
      '\n';
  }
  return out;
}

/** <...>.series.csv: one row per bucket. */
export function seriesCsv(series: readonly StatisticsSummary[]): string {
  const headers = collectExtensionHeaders(series);
  let out = `Start,End,${SUMMARY_CSV_HEADER}${extensionHeaderSuffix(headers)}\n`;
  for (const summary of series) {
    out += `${summary.startTime},${summary.endTime},${summaryCsvCells(summary, headers)}\n`;
  }
  return out;
}

/**
 * <...>.histogram.csv: HdrHistogram's percentile distribution in CSV form with 5 ticks per half distance and
 * values scaled from ns to ms (outputPercentileDistribution(out, 5, 1e6, true) in Java).
 */
export function histogramCsv(snapshot: StatsSnapshot, ticksPerHalfDistance = 5, valueScale = 1_000_000): string {
  let out = '"Value","Percentile","TotalCount","1/(1-Percentile)"\n';
  const walk = HistogramWalk.percentiles(snapshot.histogram, ticksPerHalfDistance);
  while (walk.hasNext()) {
    const step = walk.next();
    const fraction = step.percentileLevelIteratedTo / 100;
    const value = javaFixed(step.valueIteratedTo / valueScale, 2);
    const head = `${value},${javaFixed(fraction, 12)},${step.totalCountToThisValue},`;
    out += step.percentileLevelIteratedTo !== 100 ? `${head}${javaFixed(1 / (1 - fraction), 2)}\n` : `${head}Infinity\n`;
  }
  return out;
}

/** <phase>.sessions.csv: each agent's low/high session counts per period, agents interleaved record by record. */
export function sessionsCsv(store: StatisticsStore, phase: string): string {
  let out = 'Timestamp,Agent,MinSessions,MaxSessions\n';
  const byAgent = [...store.sessions.records(phase)];
  const longest = Math.max(0, ...byAgent.map(([, records]) => records.length));
  for (let i = 0; i < longest; i++) {
    for (const [agent, records] of byAgent) {
      const record = records[i];
      if (record !== undefined) out += `${record.timestampMs},${csvField(agent)},${record.min},${record.max}\n`;
    }
  }
  return out;
}

export interface CsvFile {
  /** File name inside the run's stats/ directory. */
  readonly name: string;
  readonly content: string;
}

/** Every stats CSV file of the run, named as Hyperfoil names them. */
export function statsCsvFiles(store: StatisticsStore): CsvFile[] {
  const files: CsvFile[] = [{ name: 'total.csv', content: totalCsv(store) }];
  const entries = store.entries();
  for (const data of entries) {
    files.push({ name: metricFileName(data.phase, data.metric, data.stepId, 'histogram'), content: histogramCsv(data.total) });
    files.push({ name: metricFileName(data.phase, data.metric, data.stepId, 'series'), content: seriesCsv(data.series) });
  }
  for (const agent of store.agents()) {
    files.push({ name: `agent.${sanitizeFileName(agent)}.csv`, content: agentCsv(store, agent) });
    for (const data of entries) {
      const snapshot = data.perAgent.get(agent);
      if (snapshot !== undefined) {
        files.push({
          name: metricFileName(data.phase, data.metric, data.stepId, 'histogram', agent),
          content: histogramCsv(snapshot),
        });
      }
      const series = data.agentSeries.get(agent);
      if (series !== undefined) {
        files.push({ name: metricFileName(data.phase, data.metric, data.stepId, 'series', agent), content: seriesCsv(series) });
      }
    }
  }
  files.push({ name: 'failures.csv', content: failuresCsv(store) });
  for (const phase of store.sessions.phases()) {
    files.push({ name: `${sanitizeFileName(phase)}.sessions.csv`, content: sessionsCsv(store, phase) });
  }
  return files;
}
