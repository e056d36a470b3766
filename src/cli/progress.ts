/**
 * Progress of a running benchmark on stderr: per running phase, its elapsed and remaining time and the figures of
 * its last complete second (responses/s, p99, errors), each line cut to the terminal's width. On a terminal the
 * block is redrawn in place; piped, a plain block is printed once per second. Figures are read every
 * PROGRESS_TICK_MS, so a second shows up at most that long after its statistics arrived (no 1-2 s lag).
 */
import type { RunJson } from '../controller/index.js';
import { formatDurationMs } from '../lib/index.js';
import type { StatisticsStore } from '../stats/index.js';
import { formatNanos } from './format/units.js';

export const PROGRESS_TICK_MS = 250;
/** A second's bucket is shown once it ended this long ago: every load thread has flushed it by then. */
export const BUCKET_SETTLE_MS = 150;

/** The last complete second of one phase, summed over its metrics. */
export interface SecondFigures {
  /** When the second ended (epoch ms): tells a new second from one shown already. */
  readonly endMs: number;
  readonly durationMs: number;
  readonly responses: number;
  readonly p99Ns: number | undefined;
  readonly errors: number;
}

export type LastSecond = (phase: string) => SecondFigures | undefined;

/** A bucket older than this means the phase had no response lately: its last second shows zeros. */
const STALE_BUCKET_MS = 2500;

/** The last complete second of each phase, from the run's statistics store. */
export function storeLastSecond(store: StatisticsStore, nowMs: number): LastSecond {
  return (phase) => {
    const bucket = store.latestPhaseBucket(phase, nowMs - BUCKET_SETTLE_MS);
    if (bucket === undefined) return undefined;
    if (bucket.endMs < nowMs - STALE_BUCKET_MS) return { endMs: bucket.endMs, durationMs: 1000, responses: 0, p99Ns: undefined, errors: 0 };
    return {
      endMs: bucket.endMs,
      durationMs: bucket.endMs - bucket.startMs,
      responses: bucket.responseCount,
      p99Ns: bucket.histogram.totalCount > 0 ? bucket.valueAtPercentileNs(99) : undefined,
      errors: bucket.errors(),
    };
  };
}

function cut(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

/** `main RUNNING 12s/30s (18s left)  1.23k req/s  p99 4.10 ms  0 errors`, one line per running phase. */
export function progressLines(run: RunJson, lastSecond: LastSecond, nowMs: number, width: number): string[] {
  const elapsed = run.started !== undefined ? formatDurationMs(nowMs - run.started) : 'starting';
  const active = run.phases.filter((p) => p.status !== 'NOT_STARTED' && p.status !== 'TERMINATED' && p.status !== 'CANCELLED');
  const header = `[${run.id}] ${elapsed}`;
  if (active.length === 0) return [cut(`${header}: ${run.started === undefined ? 'deploying agents' : 'between phases'}`, width)];
  const nameWidth = Math.max(...active.map((p) => p.name.length));
  const lines = active.map((p) => {
    const phaseElapsedMs = p.started !== undefined ? Math.max(0, nowMs - p.started) : 0;
    const leftMs = p.remaining !== undefined ? Number(p.remaining.split(' ')[0]) : Number.NaN;
    const time = Number.isFinite(leftMs)
      ? `${formatDurationMs(phaseElapsedMs)} (${formatDurationMs(leftMs)} left)`
      : formatDurationMs(phaseElapsedMs);
    const second = lastSecond(p.name);
    const figures = second === undefined ? 'waiting for the first second'
      : [
        `${formatRate(second.durationMs > 0 ? second.responses * 1000 / second.durationMs : 0)} req/s`,
        `p99 ${second.p99Ns === undefined ? '-' : formatNanos(second.p99Ns)}`,
        `${second.errors} error${second.errors === 1 ? '' : 's'}`,
      ].join('  ');
    return cut(`  ${p.name.padEnd(nameWidth)}  ${p.status.padEnd(9)} ${time}  ${figures}`, width);
  });
  return [cut(header, width), ...lines];
}

/** Which seconds the running phases' figures come from: changes exactly when new figures arrived. */
export function figuresKey(run: RunJson, lastSecond: LastSecond): string {
  return run.phases.map((p) => `${p.name}@${lastSecond(p.name)?.endMs ?? ''}`).join(' ');
}

function formatRate(perSec: number): string {
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)}M`;
  if (perSec >= 1e4) return `${(perSec / 1e3).toFixed(1)}k`;
  return perSec.toFixed(perSec >= 100 ? 0 : 1);
}

export class ProgressPrinter {
  private drawnLines = 0;
  private lastText = '';
  private lastPrintMs = -Infinity;
  private lastKey = '';

  constructor(private readonly stream: NodeJS.WriteStream, private readonly enabled: boolean) {}

  /** The width to fit lines into: the terminal's, or 120 when piped (then nobody redraws, so lines just wrap). */
  get columns(): number {
    return this.stream.isTTY && this.stream.columns > 0 ? this.stream.columns : 120;
  }

  /**
   * Draws `lines`. Piped, a block is printed when new figures arrived (`figures` changed: no waiting for a
   * once-a-second print) and otherwise at most once per second.
   */
  update(all: readonly string[], nowMs: number, figures = ''): void {
    if (!this.enabled) return;
    // A block taller than the terminal cannot be redrawn in place (the cursor cannot go above the screen).
    const rows = this.stream.isTTY && this.stream.rows > 2 ? this.stream.rows - 1 : Infinity;
    const lines = all.length <= rows ? all : [...all.slice(0, rows - 1), `  … and ${all.length - rows + 1} more phases`];
    const text = lines.join('\n');
    if (this.stream.isTTY) {
      if (text === this.lastText) return;
      // up to the block's first line, clear to the end of the screen, draw the block again
      this.stream.write(`${this.drawnLines > 0 ? `\x1b[${this.drawnLines}F\x1b[J` : ''}${text}\n`);
      this.drawnLines = lines.length;
    } else {
      const fresh = figures !== this.lastKey;
      this.lastKey = figures;
      if (text === this.lastText || (!fresh && nowMs - this.lastPrintMs < 1000)) return;
      this.stream.write(`${text}\n`);
      this.lastPrintMs = nowMs;
    }
    this.lastText = text;
  }

  /** Removes the redrawn block so that what follows (the summary) starts where it was. */
  done(): void {
    if (this.enabled && this.stream.isTTY && this.drawnLines > 0) this.stream.write(`\x1b[${this.drawnLines}F\x1b[J`);
    this.drawnLines = 0;
  }
}
