/** Text the shell prints about runs: dates, the run header, the phase table and the run list, in Hyperfoil's columns. */
import type { PhaseJson, RunJson } from '../../controller/index.js';
import { renderTable } from '../format/table.js';
import { renderColouredTable } from './table.js';
import type { Column } from '../format/table.js';
import { paint } from './terminal.js';
import type { Terminal } from './terminal.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2019/11/15 16:11:43.725`, local time. */
export function formatDate(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${formatTime(epochMs)}`;
}

/** `16:11:43.725`, local time. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const PHASE_COLUMNS: ReadonlyArray<Column<PhaseJson>> = [
  { title: 'NAME', value: (p) => p.name },
  { title: 'STATUS', value: (p) => p.status },
  { title: 'STARTED', value: (p) => (p.started === undefined ? '' : formatTime(p.started)) },
  { title: 'REMAINING', value: (p) => p.remaining ?? '' },
  { title: 'COMPLETED', value: (p) => (p.completed === undefined ? '' : formatTime(p.completed)) },
  { title: 'TOTAL DURATION', value: (p) => p.totalDuration ?? '' },
  { title: 'DESCRIPTION', value: (p) => p.description },
];

const ACTIVE = new Set(['STARTING', 'RUNNING', 'FINISHING', 'FINISHED', 'TERMINATING']);

/** Phases shown by `status`: all of them with `-a` or once the run is over, else those in progress. */
export function shownPhases(run: RunJson, all: boolean): PhaseJson[] {
  return run.phases.filter((p) => all || run.terminated !== undefined || ACTIVE.has(p.status));
}

export function runHeader(run: RunJson): string[] {
  const lines = [`Run ${run.id}, benchmark ${run.benchmark}`];
  if (run.description) lines.push(run.description);
  if (run.agents.length > 0) lines.push(`Agents: ${run.agents.map((a) => `${a.name}[${a.status}]`).join(', ')}`);
  return lines;
}

export function runTimes(run: RunJson): string {
  const parts: string[] = [];
  if (run.started !== undefined) parts.push(`Started: ${formatDate(run.started)}`);
  if (run.terminated !== undefined) parts.push(`Terminated: ${formatDate(run.terminated)}`);
  return parts.length > 0 ? parts.join('    ') : 'Not started yet';
}

/** The whole `status` text of a run. */
export function renderStatus(run: RunJson, options: { all: boolean; errors: boolean; terminal: Terminal }): string {
  const lines = [...runHeader(run), runTimes(run)];
  const phases = shownPhases(run, options.all);
  lines.push(renderTable(phases, PHASE_COLUMNS));
  if (run.cancelled) lines.push(paint(options.terminal, 'yellow', 'The run was cancelled.'));
  if (options.errors && run.errors.length > 0) {
    lines.push(paint(options.terminal, 'red', 'Errors:'), ...run.errors.map((e) => `  ${e}`));
  }
  return lines.join('\n');
}

/** Hyperfoil's run marks: × cancelled, ! errors, ? not finished, + completed. */
export function runMark(run: RunJson, terminal: Terminal): string {
  if (run.cancelled) return paint(terminal, 'red', '×');
  if (run.errors.length > 0) return paint(terminal, 'red', '!');
  if (run.terminated === undefined) return paint(terminal, 'yellow', '?');
  return paint(terminal, 'green', '+');
}

export function renderRuns(runs: readonly RunJson[], terminal: Terminal): string {
  const sorted = [...runs].sort((a, b) => a.id.localeCompare(b.id));
  return renderColouredTable(sorted, [
    { title: '', value: (r) => runMark(r, terminal) },
    { title: 'RUN_ID', value: (r) => r.id },
    { title: 'BENCHMARK', value: (r) => r.benchmark },
    { title: 'STARTED', value: (r) => (r.started === undefined ? '' : formatDate(r.started)) },
    { title: 'TERMINATED', value: (r) => (r.terminated === undefined ? '' : formatDate(r.terminated)) },
    { title: 'DESCRIPTION', value: (r) => r.description ?? '' },
  ]);
}
