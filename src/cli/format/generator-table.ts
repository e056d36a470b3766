/**
 * Whether the load generator kept up, printed under the statistics: per phase, the lateness of scheduled
 * (open-model) starts, throttled and dropped starts, and the event-loop lag of the load threads; then one line per
 * saturated phase saying why. Input is all.json's `generator.phases` shape.
 */
import type { PhaseGeneratorLoadJson } from '../../stats/index.js';
import { renderTable } from './table.js';
import type { Column } from './table.js';
import { formatNanos } from './units.js';

export function renderGeneratorTable(rows: readonly PhaseGeneratorLoadJson[]): string {
  if (rows.length === 0) return '';
  const open = (r: PhaseGeneratorLoadJson, text: string): string => (r.scheduledStarts > 0 ? text : '-');
  const columns: Array<Column<PhaseGeneratorLoadJson>> = [
    { title: 'PHASE', value: (r) => r.phase },
    { title: 'SCHEDULED', value: (r) => open(r, String(r.scheduledStarts)), align: 'right' },
    { title: 'LATE_p50', value: (r) => open(r, formatNanos(r.latenessP50)), align: 'right' },
    { title: 'LATE_p99', value: (r) => open(r, formatNanos(r.latenessP99)), align: 'right' },
    { title: 'LATE_MAX', value: (r) => open(r, formatNanos(r.latenessMax)), align: 'right' },
    { title: 'THROTTLED', value: (r) => String(r.throttledStarts), align: 'right' },
    { title: 'DROPPED', value: (r) => String(r.droppedStarts), align: 'right' },
    { title: 'LOOP_LAG_p99', value: (r) => (r.loopLagSamples > 0 ? formatNanos(r.loopLagP99) : '-'), align: 'right' },
    { title: 'LOOP_LAG_MAX', value: (r) => (r.loopLagSamples > 0 ? formatNanos(r.loopLagMax) : '-'), align: 'right' },
    { title: 'GENERATOR', value: (r) => (r.saturated ? 'SATURATED' : 'ok') },
  ];
  const lines = [renderTable(rows, columns)];
  for (const row of rows.filter((r) => r.saturated)) lines.push(saturationMessage(row));
  return lines.join('\n');
}

/**
 * What a saturated phase means for the latencies: how late the generator started sessions, and which figures
 * include that lateness (from the intended start) and which do not (service time, from the actual send).
 */
export function saturationMessage(row: PhaseGeneratorLoadJson): string {
  const head = `Load generator saturated in phase ${row.phase}: ${row.reasons.join('; ')}.`;
  const advice = 'Give it more threads or agents, or less load.';
  if (row.scheduledStarts === 0) {
    return `${head} Closed model: its own delays (loop lag) slowed the requests it sent and may show in the latencies. ${advice}`;
  }
  return `${head} Sessions started up to ${formatNanos(row.latenessMax)} late (p99 ${formatNanos(row.latenessP99)}, `
    + `p50 ${formatNanos(row.latenessP50)}). The service times (p50, p99, ...) are timed from the actual send and `
    + 'exclude that lateness; p99_INTENDED (run --wide, the report and all.json fromIntendedStart) is timed from the '
    + `intended start and includes it. ${advice}`;
}
