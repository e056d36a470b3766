/**
 * The `stats` table: one row per phase and metric, Hyperfoil's columns, SLA failures listed below.
 * Input is the REST shape (`RequestStatisticsResponse.statistics`), so the same code serves `run`, the shell and
 * any controller.
 */
import { httpCount } from '../../stats/index.js';
import type { RequestStats, StatisticsSummary } from '../../stats/index.js';
import { renderTable } from './table.js';
import type { Column } from './table.js';
import { formatNanos, formatThroughput } from './units.js';

export type RequestStatsJson = RequestStats;
export type SummaryJson = StatisticsSummary;

const PERCENTILES = ['50.0', '90.0', '99.0', '99.9', '99.99'] as const;
const TITLES = ['p50', 'p90', 'p99', 'p99.9', 'p99.99'] as const;


export function throughputPerSec(summary: SummaryJson): number {
  const seconds = (summary.endTime - summary.startTime) / 1000;
  return seconds > 0 ? summary.responseCount / seconds : 0;
}

export interface StatsTableOptions {
  /** Show warm-up phases too. */
  readonly warmup?: boolean;
  /**
   * The compact form (`run`'s summary): columns that are zero in every row are hidden and, while the table is wider
   * than `widthCols`, the least telling columns are dropped (latency detail first). Absent: every column.
   */
  readonly fitCols?: number;
  /** A last row for all metrics together (its percentiles from their merged histograms: the caller's job). */
  readonly total?: RequestStatsJson | undefined;
  /** Colour the rows of metrics whose SLA failed (ANSI red; only for a terminal). */
  readonly colour?: boolean;
  /** List the SLA failure messages below the table (default true). */
  readonly failures?: boolean;
  /**
   * Show p99 from the intended start (open-model metrics) beside the service-time p99. Default: in the full form
   * always, in the compact form only when some row's figures differ materially (see intendedDiffersMaterially).
   */
  readonly fromIntendedStart?: boolean;
}

/** Material difference: from-intended-start p99 above the service-time p99 by over 1 ms and over 10 %. */
const MATERIAL_ABS_NS = 1_000_000;
const MATERIAL_RATIO = 1.1;

export function intendedDiffersMaterially(row: RequestStatsJson): boolean {
  const intended = row.fromIntendedStart?.percentileResponseTime['99.0'];
  if (intended === undefined) return false;
  const service = row.summary.percentileResponseTime['99.0'] ?? 0;
  return intended - service > MATERIAL_ABS_NS && intended > service * MATERIAL_RATIO;
}

/** The from-intended-start column: `-` for closed-model metrics. */
const INTENDED_COLUMN: StatsColumn = {
  title: 'p99_INTENDED',
  value: (r) => {
    const p99 = r.fromIntendedStart?.percentileResponseTime['99.0'];
    return p99 === undefined ? '-' : formatNanos(p99);
  },
  align: 'right',
  dropOrder: 14,
};

interface StatsColumn extends Column<RequestStatsJson> {
  /** Compact form: dropped lowest first when too wide; undefined = always kept. */
  readonly dropOrder?: number;
  /** Compact form: hidden when this is zero for every row. */
  readonly zero?: (row: RequestStatsJson) => boolean;
}


function statsColumns(): StatsColumn[] {
  const count = (title: string, value: (s: SummaryJson) => number, dropOrder: number): StatsColumn => ({
    title, value: (r) => String(value(r.summary)), align: 'right', dropOrder, zero: (r) => value(r.summary) === 0,
  });
  const status = (title: string, key: string, dropOrder: number): StatsColumn => ({
    title, value: (r) => String(httpCount(r, key)), align: 'right', dropOrder, zero: (r) => httpCount(r, key) === 0,
  });
  return [
    { title: 'PHASE', value: (r) => r.phase },
    { title: 'METRIC', value: (r) => r.metric },
    { title: 'THROUGHPUT', value: (r) => formatThroughput(throughputPerSec(r.summary)), align: 'right' },
    { title: 'REQUESTS', value: (r) => String(r.summary.requestCount), align: 'right' },
    { title: 'MEAN', value: (r) => formatNanos(r.summary.meanResponseTime), align: 'right', dropOrder: 6 },
    { title: 'STD_DEV', value: (r) => formatNanos(r.summary.stdDevResponseTime), align: 'right', dropOrder: 1 },
    { title: 'MAX', value: (r) => formatNanos(r.summary.maxResponseTime), align: 'right', dropOrder: 7 },
    ...PERCENTILES.map((p, i): StatsColumn => ({
      title: TITLES[i] as string, value: (r) => formatNanos(r.summary.percentileResponseTime[p] ?? 0), align: 'right',
      ...(p === '99.99' ? { dropOrder: 2 } : p === '90.0' ? { dropOrder: 5 } : p === '99.9' ? { dropOrder: 8 } : {}),
    })),
    count('INVALID', (s) => s.invalid, 11),
    count('TIMEOUTS', (s) => s.requestTimeouts, 12),
    count('ERRORS', (s) => s.connectionErrors + s.internalErrors, 13),
    { title: 'BLOCKED', value: (r) => formatNanos(r.summary.blockedTime), align: 'right', dropOrder: 4, zero: (r) => r.summary.blockedTime === 0 },
    status('2xx', 'status_2xx', 9),
    status('3xx', 'status_3xx', 3),
    status('4xx', 'status_4xx', 10),
    status('5xx', 'status_5xx', 10),
    status('CACHE', 'cacheHits', 0),
  ];
}

const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export function renderStatsTable(rows: readonly RequestStatsJson[], options: StatsTableOptions = {}): string {
  const shown = rows.filter((r) => options.warmup || !r.isWarmup);
  const all = options.total === undefined ? shown : [...shown, options.total];
  let columns = statsColumns();
  const anyIntended = all.some((r) => r.fromIntendedStart !== undefined);
  const showIntended = options.fromIntendedStart
    ?? (options.fitCols === undefined ? anyIntended : all.some(intendedDiffersMaterially));
  if (showIntended && anyIntended) {
    const p99 = columns.findIndex((c) => c.title === 'p99');
    columns.splice(p99 + 1, 0, INTENDED_COLUMN);
  }
  if (options.fitCols !== undefined) {
    columns = columns.filter((c) => c.zero === undefined || !all.every(c.zero));
    const droppable = columns.filter((c) => c.dropOrder !== undefined).sort((a, b) => a.dropOrder! - b.dropOrder!);
    while (tableWidth(all, columns) > options.fitCols && droppable.length > 0) {
      const drop = droppable.shift()!;
      columns = columns.filter((c) => c !== drop);
    }
  }
  const lines = renderTable(all, columns).split('\n');
  if (options.colour) {
    shown.forEach((row, i) => {
      if (row.failedSLAs.length > 0) lines[i + 1] = `${RED}${lines[i + 1]}${RESET}`;
    });
  }
  const failures = options.failures === false ? [] : shown.flatMap((r) => r.failedSLAs.map((message) => `${r.phase}/${r.metric}: ${message}`));
  if (failures.length > 0) lines.push('', ...failures);
  return lines.join('\n');
}

function tableWidth(rows: readonly RequestStatsJson[], columns: readonly StatsColumn[]): number {
  return Math.max(...renderTable(rows, columns).split('\n').map((line) => line.length));
}
