/**
 * Statistics tables beyond the main `stats` table (which is `renderStatsTable`): the extension columns of `-e`,
 * sessions and connections grouped by phase or authority, CPU per agent, and the `compare` table.
 */
import type { RequestStats, StatisticsSummary } from '../../stats/index.js';
import { renderTable } from '../format/table.js';
import { renderColouredTable } from './table.js';
import type { Column } from '../format/table.js';
import { throughputPerSec } from '../format/stats-table.js';
import { formatNanos, formatThroughput } from '../format/units.js';
import type { MinMax } from './client.js';
import { paint } from './terminal.js';
import type { Terminal } from './terminal.js';

/** Extensions other than `http` (whose counts are columns of the main table), sorted. */
export function otherExtensions(rows: readonly RequestStats[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.summary.extensions)))].filter((k) => k !== 'http').sort();
}

function extensionValue(row: RequestStats, key: string, field: string): string {
  const ext = row.summary.extensions[key] as Record<string, unknown> | undefined;
  const value = ext?.[field];
  return value === undefined ? '' : String(value);
}

/** `-e KEY`, `-e A,B`, or `-e all` / `-e '*'`: one column per counter of the chosen extensions. */
export function renderExtensions(rows: readonly RequestStats[], selector: string): string {
  const all = selector === 'all' || selector === '*';
  // `all`: every extension the main table does not show already (as Hyperfoil does); name `http` to see its counters.
  const keys = all ? otherExtensions(rows) : selector.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const qualified = all || keys.length > 1;
  const columns: Array<Column<RequestStats>> = [
    { title: 'PHASE', value: (r) => r.phase },
    { title: 'METRIC', value: (r) => r.metric },
  ];
  for (const key of keys) {
    const fields = [...new Set(rows.flatMap((r) => Object.keys((r.summary.extensions[key] ?? {}) as object)))].filter((f) => f !== '@type').sort();
    for (const field of fields) {
      columns.push({ title: qualified ? `${key}.${field}` : field, value: (r) => extensionValue(r, key, field), align: 'right' });
    }
  }
  return renderTable(rows, columns);
}

interface GroupRow {
  readonly group: string;
  readonly key: string;
  readonly value: MinMax;
}

/** `{group: {key: {min, max}}}` as a table whose first column names each group once. */
export function renderMinMax(data: Readonly<Record<string, Readonly<Record<string, MinMax>>>>, groupTitle: string, keyTitle: string): string {
  const rows: GroupRow[] = [];
  for (const group of Object.keys(data).sort()) {
    const entries = data[group] ?? {};
    for (const key of Object.keys(entries).sort()) rows.push({ group, key, value: entries[key]! });
  }
  return renderTable(rows, [
    { title: groupTitle, value: (r) => (rows.find((first) => first.group === r.group) === r ? r.group : '') },
    { title: keyTitle, value: (r) => r.key },
    { title: 'MIN', value: (r) => String(r.value.min), align: 'right' },
    { title: 'MAX', value: (r) => String(r.value.max), align: 'right' },
  ]);
}

export function renderCpu(data: Readonly<Record<string, Readonly<Record<string, string>>>>): string {
  const phases = Object.keys(data).sort();
  const agents = [...new Set(phases.flatMap((p) => Object.keys(data[p] ?? {})))].sort();
  return renderTable(phases, [
    { title: 'PHASE', value: (p) => p },
    ...agents.map((agent): Column<string> => ({ title: agent, value: (p) => data[p]?.[agent] ?? '' })),
  ]);
}

/** `+1.23 ms` and friends: a signed difference of nanoseconds. */
export function formatNanosDiff(ns: number): string {
  const sign = ns < 0 ? '-' : '+';
  return `${sign}${formatNanos(Math.abs(ns))}`;
}

interface Comparison {
  readonly phase: string;
  readonly metric: string;
  first?: StatisticsSummary;
  second?: StatisticsSummary;
}

/** The change from the first run to the second, relative to the first (as `report --compare A B`). */
function percent(first: number, second: number): number {
  if (first === 0) return second === 0 ? 0 : Infinity;
  return (second - first) / first;
}

function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '(new)'; // from zero in the first run
  return `(${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(2)}%)`;
}

/**
 * One row per phase and metric of either run: differences second − first, in percent of the first run. Latency
 * changes beyond the threshold are red (slower) or green (faster); request count changes are yellow.
 */
export function renderComparison(
  first: readonly RequestStats[], second: readonly RequestStats[], threshold: number, terminal: Terminal,
): string {
  const rows: Comparison[] = [];
  const find = (r: RequestStats): Comparison => {
    let row = rows.find((c) => c.phase === r.phase && c.metric === r.metric);
    if (!row) {
      row = { phase: r.phase, metric: r.metric };
      rows.push(row);
    }
    return row;
  };
  for (const r of first) find(r).first = r.summary;
  for (const r of second) find(r).second = r.summary;
  const count = (c: Comparison): string => {
    if (!c.first || !c.second) return 'N/A';
    const diff = c.second.requestCount - c.first.requestCount;
    const ratio = percent(c.first.requestCount, c.second.requestCount);
    const text = `${diff >= 0 ? '+' : ''}${diff}${formatPercent(ratio)}`;
    return Math.abs(ratio) > threshold ? paint(terminal, 'yellow', text) : text;
  };
  const nanos = (pick: (s: StatisticsSummary) => number) => (c: Comparison): string => {
    if (!c.first || !c.second) return 'N/A';
    const a = pick(c.first);
    const b = pick(c.second);
    const ratio = percent(a, b);
    const text = `${formatNanosDiff(b - a)}${formatPercent(ratio)}`;
    if (ratio > threshold) return paint(terminal, 'red', text);
    if (ratio < -threshold) return paint(terminal, 'green', text);
    return text;
  };
  const pct = (key: string) => nanos((s) => s.percentileResponseTime[key] ?? 0);
  /** A count or rate where more is better (throughput: green when it rose) or worse (errors: red). */
  const figure = (pick: (s: StatisticsSummary) => number, format: (v: number) => string, moreIsBetter: boolean) => (c: Comparison): string => {
    if (!c.first || !c.second) return 'N/A';
    const a = pick(c.first);
    const b = pick(c.second);
    const ratio = percent(a, b);
    const text = `${b - a >= 0 ? '+' : '-'}${format(Math.abs(b - a))}${formatPercent(ratio)}`;
    if (Math.abs(ratio) <= threshold) return text;
    return paint(terminal, (ratio > 0) === moreIsBetter ? 'green' : 'red', text);
  };
  return renderColouredTable(rows, [
    { title: 'PHASE', value: (c) => c.phase },
    { title: 'METRIC', value: (c) => c.metric },
    { title: 'REQUESTS', value: count, align: 'right' },
    { title: 'MEAN', value: nanos((s) => s.meanResponseTime), align: 'right' },
    { title: 'p50', value: pct('50.0'), align: 'right' },
    { title: 'p90', value: pct('90.0'), align: 'right' },
    { title: 'p99', value: pct('99.0'), align: 'right' },
    { title: 'p99.9', value: pct('99.9'), align: 'right' },
    { title: 'p99.99', value: pct('99.99'), align: 'right' },
    // Not in Hyperfoil's table: how the throughput and the errors (connection, internal, timeouts) changed.
    { title: 'THROUGHPUT', value: figure(throughputPerSec, (v) => formatThroughput(v), true), align: 'right' },
    { title: 'ERRORS', value: figure((s) => s.connectionErrors + s.internalErrors + s.requestTimeouts, String, false), align: 'right' },
  ]);
}
