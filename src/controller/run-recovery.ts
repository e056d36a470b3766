/**
 * Runs that ended without being stored: the controller died while they were going (or could not write their
 * files). Their directory has the statistics journal but no `all.json`. A starting controller replays each journal
 * and stores the run with what was measured, marked cancelled with an `interrupted: …` error; if that cannot be
 * written, the same replay answers the REST API from memory.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { COMMIT, containedFile, VERSION } from '../lib/index.js';
import { allJson, statsCsvFiles } from '../stats/index.js';
import { journalPath, journalState, replayJournal, writerAlive } from './run-journal.js';
import { writeRunFiles } from './run-writer.js';

export function interruptedMessage(lastDataMs: number): string {
  const last = lastDataMs > 0 ? new Date(lastDataMs).toISOString() : 'none';
  return `interrupted: the controller stopped (or could not store the run) while the run was going (last data at ${last})`;
}

/** The run in `dir` ended without being stored and nobody is writing it any more; the time of its last data. */
export function interruptedSince(dir: string): number | undefined {
  if (existsSync(join(dir, 'all.json'))) return undefined;
  const state = journalState(dir);
  if (!state || writerAlive(state.header)) return undefined;
  return state.lastWriteMs;
}

function readInfo(dir: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(containedFile(dir, 'info.json', 'the run directory'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** What the journal of an interrupted run holds, as the files of a stored run. */
export function recoveredRun(id: string, dir: string): { info: Record<string, unknown>; all: Record<string, unknown>; csvFiles: Array<{ name: string; content: string }> } | undefined {
  const replay = replayJournal(dir);
  if (!replay) return undefined;
  const { header, store, lastDataMs } = replay;
  const stored = readInfo(dir);
  const starts = store.entries().map((data) => data.total.startMs).filter((ms) => ms > 0);
  const startTime = typeof stored.startTime === 'number' && stored.startTime >= 0 ? stored.startTime : starts.length > 0 ? Math.min(...starts) : -1;
  const errors = Array.isArray(stored.errors) ? stored.errors : [];
  const info = {
    ...stored,
    id,
    benchmark: header.benchmark,
    params: header.params,
    description: header.description ?? '',
    startTime,
    terminateTime: lastDataMs > 0 ? lastDataMs : startTime,
    cancelled: true,
    errors: [...errors, { msg: interruptedMessage(lastDataMs) }],
  };
  return { info, all: allJson(store, { info, version: VERSION, commit: COMMIT }), csvFiles: statsCsvFiles(store) };
}

/** Stores an interrupted run from its journal and removes the journal. Throws `STORAGE_FAILED`. */
export function recoverRun(id: string, dir: string): void {
  const recovered = recoveredRun(id, dir);
  if (!recovered) return;
  writeRunFiles(dir, `store the interrupted run ${id}`, recovered.info, recovered.all, recovered.csvFiles);
  rmSync(journalPath(dir), { force: true });
}
