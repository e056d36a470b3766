/**
 * Progress of a running benchmark on stderr: once per second, the phases that are running with their elapsed and
 * remaining time, and the requests and errors so far. On a terminal the line is redrawn in place.
 */
import type { RunJson } from '../controller/index.js';
import { formatDurationMs } from '../lib/index.js';

export interface ProgressFigures {
  readonly requests: number;
  readonly errors: number;
}

export function progressLine(run: RunJson, figures: ProgressFigures, nowMs: number): string {
  const elapsed = run.started !== undefined ? formatDurationMs(nowMs - run.started) : 'starting';
  const active = run.phases.filter((p) => p.status !== 'NOT_STARTED' && p.status !== 'TERMINATED' && p.status !== 'CANCELLED');
  const phases = active.length === 0 ? (run.started === undefined ? 'deploying agents' : 'between phases')
    : active.map((p) => `${p.name} ${p.status}${p.remaining ? ` (${p.remaining.split(' ')[0]} ms left)` : ''}`).join(', ');
  const errors = figures.errors > 0 ? `, ${figures.errors} errors` : '';
  return `[${run.id}] ${elapsed}: ${phases}; ${figures.requests} requests${errors}`;
}

export class ProgressPrinter {
  private lastLength = 0;

  constructor(private readonly stream: NodeJS.WriteStream, private readonly enabled: boolean) {}

  update(line: string): void {
    if (!this.enabled) return;
    if (this.stream.isTTY) {
      const padded = line.padEnd(this.lastLength);
      this.stream.write(`\r${padded}`);
      this.lastLength = line.length;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** Ends the redrawn line so that what follows starts on a fresh one. */
  done(): void {
    if (this.enabled && this.stream.isTTY && this.lastLength > 0) this.stream.write('\n');
    this.lastLength = 0;
  }
}
