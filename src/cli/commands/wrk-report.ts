/**
 * wrk's and wrk2's result text, computed from the merged statistics of the `test` phase:
 *
 *   Running 10s test @ http://localhost:8080/
 *     2 threads and 10 connections
 *     Thread Stats   Avg      Stdev     Max   +/- Stdev
 *       Latency   635.91us    0.89ms  12.92ms   93.69%
 *       Req/Sec    56.20k     8.07k   62.89k    86.54%
 *     22464657 requests in 10.10s, 17.76GB read
 *     Socket errors: connect 0, read 0, write 0, timeout 5      (only when there are some)
 *     Non-2xx or 3xx responses: 5                               (only when there are some)
 *   Requests/sec: 2216479.15
 *   Transfer/sec:      1.75GB
 *
 * Where our figures come from: latency from the phase's merged HdrHistogram (wrk2: measured from the scheduled
 * send time); Req/Sec from the per-second buckets divided by the thread count (wrk samples each thread; we have
 * the cluster-wide series, so a "thread" here is the average thread of that second); requests are completed
 * responses; bytes read are the `transfer` extension's `received` bytes; socket errors map our counters as
 * connect = connectionErrors (refused, reset or closed connections), read = internalErrors (responses that were
 * not HTTP), write = 0 (a failed write shows up as a reset), timeout = requestTimeouts.
 */
import { HistogramWalk } from '../../stats/index.js';
import type { StatisticsSummary, StatsSnapshot } from '../../stats/index.js';

export interface WrkFigures {
  readonly latencyMeanNs: number;
  readonly latencyStdDevNs: number;
  readonly latencyMaxNs: number;
  /** Share of responses whose latency is within one standard deviation of the mean, 0..100. */
  readonly latencyWithinStdDevPct: number;
  readonly reqPerSecPerThread: SampleStats;
  readonly requests: number;
  readonly durationMs: number;
  readonly bytesRead: number;
  readonly connectErrors: number;
  readonly readErrors: number;
  readonly timeouts: number;
  readonly non2xx3xx: number;
}

export interface SampleStats {
  readonly mean: number;
  readonly stdDev: number;
  readonly max: number;
  /** Share of samples within one standard deviation of the mean, 0..100. */
  readonly withinStdDevPct: number;
}

/** Mean, sample standard deviation, max and the share within mean ± stdev (wrk's Req/Sec row). */
export function sampleStats(samples: readonly number[]): SampleStats {
  const n = samples.length;
  if (n === 0) return { mean: 0, stdDev: 0, max: 0, withinStdDevPct: 0 };
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const stdDev = Math.sqrt(variance);
  const within = samples.filter((s) => s >= mean - stdDev && s <= mean + stdDev).length;
  return { mean, stdDev, max: Math.max(...samples), withinStdDevPct: (within / n) * 100 };
}

/** Share (0..100) of the recorded values within [mean − stdDev, mean + stdDev], bucket by bucket. */
export function withinStdDevPct(snapshot: StatsSnapshot): number {
  const histogram = snapshot.histogram;
  const total = histogram.totalCount;
  if (total === 0) return 0;
  const mean = snapshot.meanNs();
  const stdDev = snapshot.stdDevNs();
  let within = 0;
  const length = histogram.countsArrayLength;
  for (let i = 0; i < length; i++) {
    const count = histogram.getCountAtIndex(i);
    if (count === 0) continue;
    const value = histogram.medianEquivalentValue(histogram.valueFromIndex(i));
    if (value >= mean - stdDev && value <= mean + stdDev) within += count;
  }
  return (within / total) * 100;
}

/**
 * Figures of the test phase: its merged total and its per-second series. `durationMs`: how long the phase started
 * requests (from RUN to every agent's FINISHED), which is what wrk divides by; by default the statistics interval,
 * which also covers the wait for the last responses.
 */
export function wrkFigures(total: StatsSnapshot, series: readonly StatisticsSummary[], threads: number, durationMs?: number): WrkFigures {
  const rates: number[] = [];
  for (const bucket of series) {
    const seconds = (bucket.endTime - bucket.startTime) / 1000;
    // A bucket cut short by the end of the phase would read as a slow second: only whole ones count.
    if (seconds >= 0.999) rates.push(bucket.responseCount / seconds / Math.max(1, threads));
  }
  return {
    latencyMeanNs: total.meanNs(),
    latencyStdDevNs: total.stdDevNs(),
    latencyMaxNs: total.maxNs(),
    latencyWithinStdDevPct: withinStdDevPct(total),
    reqPerSecPerThread: sampleStats(rates),
    requests: total.responseCount,
    durationMs: durationMs ?? (total.endMs > total.startMs ? total.endMs - total.startMs : 0),
    bytesRead: total.extensions.get('transfer')?.get('received') ?? 0,
    connectErrors: total.connectionErrors,
    readErrors: total.internalErrors,
    timeouts: total.requestTimeouts,
    non2xx3xx: total.status4xx + total.status5xx + total.statusOther,
  };
}

// ---- wrk's number formats ---------------------------------------------------------------------------------------

function scaled(value: number, base: number, units: readonly string[]): string {
  let v = value;
  let unit = 0;
  while (Math.abs(v) >= base && unit < units.length - 1) {
    v /= base;
    unit++;
  }
  return `${v.toFixed(2)}${units[unit]}`;
}

/** 635.91us, 0.89ms, 12.92s, 1.50m */
export function formatWrkTimeUs(us: number): string {
  if (us < 1e6) return scaled(us, 1000, ['us', 'ms']);
  return scaled(us / 1e6, 60, ['s', 'm', 'h']);
}

/** 56.20k, 1.04M, 101.70 */
export function formatWrkMetric(value: number): string {
  return scaled(value, 1000, ['', 'k', 'M', 'G', 'T', 'P']);
}

/** 17.76G (wrk appends the B), base 1024 */
export function formatWrkBinary(bytes: number): string {
  return scaled(bytes, 1024, ['', 'K', 'M', 'G', 'T', 'P']);
}

/** "10s", "1m", "1.5s": the duration in the first line. */
export function formatWrkDuration(durationMs: number): string {
  const seconds = durationMs / 1000;
  if (seconds >= 60 && seconds % 60 === 0) return seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds / 60}m`;
  return `${Number(seconds.toFixed(3))}s`;
}

/**
 * A value in a column of `width`, units aligned the way wrk aligns them: the text is right-aligned so that a
 * two-letter unit ends at the column edge, a one-letter unit one space before it, a bare number two before.
 */
export function unitsColumn(text: string, width: number): string {
  let pad = 2;
  const isLetter = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c);
  if (isLetter(text.at(-1))) pad--;
  if (isLetter(text.at(-2))) pad--;
  return text.padStart(width - pad) + ' '.repeat(pad);
}

/**
 * wrk2's "Detailed Percentile spectrum": HdrHistogram's percentile walk (5 ticks per halving), values in ms,
 * then the mean, standard deviation, max, count and the histogram's shape.
 */
export function percentileSpectrum(total: StatsSnapshot): string[] {
  const histogram = total.histogram;
  const ms = (ns: number): string => (ns / 1e6).toFixed(3).padStart(12);
  const lines = [`${'Value'.padStart(12)} ${'Percentile'.padStart(12)} ${'TotalCount'.padStart(12)} ${'1/(1-Percentile)'.padStart(14)}`, ''];
  const walk = HistogramWalk.percentiles(histogram, 5);
  while (histogram.totalCount > 0 && walk.hasNext()) {
    const step = walk.next();
    const fraction = step.percentileLevelIteratedTo / 100;
    const inverse = fraction < 1 ? (1 / (1 - fraction)).toFixed(2).padStart(14) : '';
    lines.push(`${ms(step.valueIteratedTo)} ${fraction.toFixed(6).padStart(12)} ${String(step.totalCountToThisValue).padStart(12)} ${inverse}`.trimEnd());
  }
  lines.push(`#[Mean    = ${ms(total.meanNs())}, StdDeviation   = ${ms(total.stdDevNs())}]`);
  lines.push(`#[Max     = ${ms(total.maxNs())}, Total count    = ${String(histogram.totalCount).padStart(12)}]`);
  lines.push(`#[Buckets = ${String(histogram.bucketCount).padStart(12)}, SubBuckets     = ${String(histogram.subBucketCount).padStart(12)}]`);
  lines.push('----------------------------------------------------------');
  return lines;
}

// ---- the text ----------------------------------------------------------------------------------------------------

export interface WrkHeader {
  readonly url: string;
  readonly durationMs: number;
  readonly threads: number;
  readonly connections: number;
}

export function wrkHeader(header: WrkHeader): string {
  return `Running ${formatWrkDuration(header.durationMs)} test @ ${header.url}\n  ${header.threads} threads and ${header.connections} connections`;
}

export interface WrkReportOptions {
  /** Print the latency distribution (`--latency`). */
  readonly latency: boolean;
  /** wrk2's layout: percentiles with three decimals and the detailed HdrHistogram spectrum. */
  readonly wrk2: boolean;
}

export function renderWrkReport(total: StatsSnapshot, figures: WrkFigures, options: WrkReportOptions): string {
  const lines: string[] = [];
  const time = (ns: number): string => formatWrkTimeUs(ns / 1000);
  lines.push(`  Thread Stats${'Avg'.padStart(6)}${'Stdev'.padStart(11)}${'Max'.padStart(8)}${'+/- Stdev'.padStart(12)}`);
  lines.push(`    ${'Latency'.padEnd(10)}${unitsColumn(time(figures.latencyMeanNs), 8)}${unitsColumn(time(figures.latencyStdDevNs), 10)}`
    + `${unitsColumn(time(figures.latencyMaxNs), 9)}${figures.latencyWithinStdDevPct.toFixed(2).padStart(8)}%`);
  const rps = figures.reqPerSecPerThread;
  lines.push(`    ${'Req/Sec'.padEnd(10)}${unitsColumn(formatWrkMetric(rps.mean), 8)}${unitsColumn(formatWrkMetric(rps.stdDev), 10)}`
    + `${unitsColumn(formatWrkMetric(rps.max), 9)}${rps.withinStdDevPct.toFixed(2).padStart(8)}%`);
  if (options.latency) {
    if (options.wrk2) {
      lines.push('  Latency Distribution (HdrHistogram - Recorded Latency)');
      for (const p of [50, 75, 90, 99, 99.9, 99.99, 99.999, 100]) {
        lines.push(`${p.toFixed(3).padStart(7)}%${unitsColumn(time(total.valueAtPercentileNs(p)), 10)}`);
      }
      lines.push('', '  Detailed Percentile spectrum:');
      lines.push(...percentileSpectrum(total));
    } else {
      lines.push('  Latency Distribution');
      for (const p of [50, 75, 90, 99]) {
        lines.push(`${p.toFixed(0).padStart(7)}%${unitsColumn(time(total.valueAtPercentileNs(p)), 10)}`);
      }
    }
  }
  lines.push(`  ${figures.requests} requests in ${formatWrkTimeUs(figures.durationMs * 1000)}, ${formatWrkBinary(figures.bytesRead)}B read`);
  if (figures.connectErrors + figures.readErrors + figures.timeouts > 0) {
    lines.push(`  Socket errors: connect ${figures.connectErrors}, read ${figures.readErrors}, write 0, timeout ${figures.timeouts}`);
  }
  if (figures.non2xx3xx > 0) lines.push(`  Non-2xx or 3xx responses: ${figures.non2xx3xx}`);
  const seconds = figures.durationMs / 1000;
  const requestsPerSec = seconds > 0 ? figures.requests / seconds : 0;
  const bytesPerSec = seconds > 0 ? figures.bytesRead / seconds : 0;
  lines.push(`Requests/sec: ${requestsPerSec.toFixed(2).padStart(9)}`);
  lines.push(`Transfer/sec: ${formatWrkBinary(bytesPerSec).padStart(10)}B`);
  return lines.join('\n');
}
