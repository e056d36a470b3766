/**
 * The `stats` table: one row per phase and metric, Hyperfoil's columns, SLA failures listed below.
 * Input is the REST shape (`RequestStatisticsResponse.statistics`), so the same code serves `run`, the shell and
 * any controller.
 */
import type { RequestStats, StatisticsSummary } from '../../stats/index.js';
import { renderTable } from './table.js';
import type { Column } from './table.js';
import { formatNanos, formatThroughput } from './units.js';

export type RequestStatsJson = RequestStats;
export type SummaryJson = StatisticsSummary;

const PERCENTILES = ['50.0', '90.0', '99.0', '99.9', '99.99'] as const;
const TITLES = ['p50', 'p90', 'p99', 'p99.9', 'p99.99'] as const;

function httpCount(row: RequestStatsJson, key: string): string {
  const http = row.summary.extensions.http as Record<string, unknown> | undefined;
  const value = http?.[key];
  return typeof value === 'number' ? String(value) : '0';
}

export function throughputPerSec(summary: SummaryJson): number {
  const seconds = (summary.endTime - summary.startTime) / 1000;
  return seconds > 0 ? summary.responseCount / seconds : 0;
}

export function renderStatsTable(rows: readonly RequestStatsJson[], options: { warmup?: boolean } = {}): string {
  const shown = rows.filter((r) => options.warmup || !r.isWarmup);
  const columns: Array<Column<RequestStatsJson>> = [
    { title: 'PHASE', value: (r) => r.phase },
    { title: 'METRIC', value: (r) => r.metric },
    { title: 'THROUGHPUT', value: (r) => formatThroughput(throughputPerSec(r.summary)), align: 'right' },
    { title: 'REQUESTS', value: (r) => String(r.summary.requestCount), align: 'right' },
    { title: 'MEAN', value: (r) => formatNanos(r.summary.meanResponseTime), align: 'right' },
    { title: 'STD_DEV', value: (r) => formatNanos(r.summary.stdDevResponseTime), align: 'right' },
    { title: 'MAX', value: (r) => formatNanos(r.summary.maxResponseTime), align: 'right' },
    ...PERCENTILES.map((p, i): Column<RequestStatsJson> => ({
      title: TITLES[i] as string, value: (r) => formatNanos(r.summary.percentileResponseTime[p] ?? 0), align: 'right',
    })),
    { title: 'INVALID', value: (r) => String(r.summary.invalid), align: 'right' },
    { title: 'TIMEOUTS', value: (r) => String(r.summary.requestTimeouts), align: 'right' },
    { title: 'ERRORS', value: (r) => String(r.summary.connectionErrors + r.summary.internalErrors), align: 'right' },
    { title: 'BLOCKED', value: (r) => formatNanos(r.summary.blockedTime), align: 'right' },
    { title: '2xx', value: (r) => httpCount(r, 'status_2xx'), align: 'right' },
    { title: '3xx', value: (r) => httpCount(r, 'status_3xx'), align: 'right' },
    { title: '4xx', value: (r) => httpCount(r, 'status_4xx'), align: 'right' },
    { title: '5xx', value: (r) => httpCount(r, 'status_5xx'), align: 'right' },
    { title: 'CACHE', value: (r) => httpCount(r, 'cacheHits'), align: 'right' },
  ];
  const lines = [renderTable(shown, columns)];
  const failures = shown.flatMap((r) => r.failedSLAs.map((message) => `${r.phase}/${r.metric}: ${message}`));
  if (failures.length > 0) lines.push('', ...failures);
  return lines.join('\n');
}
