/**
 * Run ids: 4-digit upper-case hexadecimal (`0000`, `0001`, … `00FF`), continuing after the highest run stored under
 * the run directory, so numbering survives a controller restart.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const RUN_ID = /^[0-9A-F]{4}$/;

export function formatRunId(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

export function isRunId(text: string): boolean {
  return RUN_ID.test(text);
}

/** The stored run ids, ascending. */
export function storedRunIds(runDir: string): string[] {
  try {
    return readdirSync(runDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && RUN_ID.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** Creates the next run's directory and returns its id. `mkdir` without `recursive` fails if another took it. */
export function allocateRunId(runDir: string): string {
  mkdirSync(runDir, { recursive: true });
  const last = storedRunIds(runDir).at(-1);
  let next = last === undefined ? 0 : parseInt(last, 16) + 1;
  for (;; next++) {
    const id = formatRunId(next);
    try {
      mkdirSync(join(runDir, id));
      return id;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
