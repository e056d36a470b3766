/**
 * The statistics journal of a run in progress: `<run dir>/stats.journal`, one JSON line per agent statistics
 * message (the encoded snapshots exactly as they arrived), appended and flushed to the disk every
 * `flushIntervalMs` (on libuv's thread pool: the controller's event loop does not wait for the disk). If the controller dies mid-run (kill -9, power loss after a flush), a restarted controller
 * replays the journal into a statistics store and stores what was measured, losing at most the last interval.
 * The journal is removed once the run's files are stored.
 *
 * Line 1 is the header (`JournalHeader`); every other line is `{"t": flushMs, "a": agent, "i": StatsItem[]}`.
 * A line cut short by a crash is ignored.
 */
import { close, closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, readFileSync, readSync, rmSync, write, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { containedFile } from '../lib/index.js';
import type { StatsItem } from '../protocol/index.js';
import { StatisticsStore } from '../stats/index.js';

export const JOURNAL_FILE = 'stats.journal';
export const DEFAULT_JOURNAL_FLUSH_MS = 1000;

export interface JournalHeader {
  readonly journal: 1;
  readonly id: string;
  readonly benchmark: string;
  readonly params: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly periodMs: number;
  readonly warmupPhases: readonly string[];
  /** The controller process writing the journal: a restart leaves alone a journal whose writer still lives. */
  readonly pid: number;
  readonly host: string;
}

interface JournalRecord {
  readonly t: number;
  readonly a: string;
  readonly i: readonly StatsItem[];
}

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const closeAsync = promisify(close);

export class RunJournal {
  /** The error that stopped journaling (the run goes on; only crash recovery is lost). */
  failure?: Error;
  private readonly pending: string[] = [];
  private fd: number | undefined;
  private readonly timer: NodeJS.Timeout;
  /** The flushes in order: each appends its lines and syncs them. */
  private flushing: Promise<void> = Promise.resolve();

  /** Creates the journal with its header, flushed; throws the file system's error. */
  constructor(readonly path: string, header: Omit<JournalHeader, 'journal' | 'pid' | 'host'>, flushIntervalMs = DEFAULT_JOURNAL_FLUSH_MS) {
    const fd = openSync(path, 'wx', 0o644);
    try {
      writeAll(fd, `${JSON.stringify({ journal: 1, ...header, pid: process.pid, host: hostname() })}\n`);
      fdatasyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(path, { force: true });
      throw error;
    }
    this.fd = fd;
    this.timer = setInterval(() => void this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  /** One agent's statistics message. */
  stats(agent: string, items: readonly StatsItem[]): void {
    if (this.fd === undefined || items.length === 0) return;
    this.pending.push(JSON.stringify({ t: Date.now(), a: agent, i: items }));
  }

  /** Appends what arrived since the last flush and syncs it to the disk; resolves when it is there. */
  flush(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined || this.pending.length === 0) return this.flushing;
    const bytes = Buffer.from(`${this.pending.join('\n')}\n`);
    this.pending.length = 0;
    this.flushing = this.flushing.then(async () => {
      if (this.fd === undefined) return;
      try {
        for (let offset = 0; offset < bytes.length;) offset += (await writeAsync(fd, bytes, offset, bytes.length - offset)).bytesWritten;
        await fdatasyncAsync(fd);
      } catch (error) {
        this.failure = error as Error;
        this.pending.length = 0;
        await this.stop();
      }
    });
    return this.flushing;
  }

  /** Flushes and closes; the file stays (for recovery if storing the run fails). */
  async close(): Promise<void> {
    await this.flush();
    await this.stop();
  }

  /** Deletes the closed journal (the run is stored). */
  remove(): void {
    rmSync(this.path, { force: true });
  }

  private async stop(): Promise<void> {
    clearInterval(this.timer);
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return;
    try {
      await closeAsync(fd);
    } catch (error) {
      this.failure ??= error as Error; // never rejects: the run is stored (or not) whatever happened to its journal
    }
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

export function journalPath(runDir: string): string {
  return join(runDir, JOURNAL_FILE);
}

/**
 * The header line, checked: the journal is read back after a crash, so a damaged or foreign file is no journal
 * rather than a failure of whoever asks about the run.
 */
function parseHeader(line: string): JournalHeader | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const h = value as Partial<JournalHeader> | null;
  const valid = typeof h === 'object' && h !== null && h.journal === 1 && typeof h.id === 'string' && typeof h.benchmark === 'string'
    && typeof h.params === 'object' && h.params !== null && typeof h.periodMs === 'number' && h.periodMs > 0
    && Array.isArray(h.warmupPhases) && h.warmupPhases.every((p) => typeof p === 'string')
    && Number.isInteger(h.pid) && typeof h.host === 'string';
  return valid ? h as JournalHeader : undefined;
}

/** Longest header line read (a run's id, benchmark name, parameters and warm-up phases). */
const MAX_HEADER_BYTES = 1024 * 1024;

/** The journal's header and when it was last written, or undefined when the run dir has no (readable) journal. */
export function journalState(runDir: string): { header: JournalHeader; lastWriteMs: number } | undefined {
  let fd: number | undefined;
  try {
    const path = containedFile(runDir, JOURNAL_FILE, 'the run directory'); // a link leading out is no journal
    fd = openSync(path, 'r');
    const { mtimeMs: lastWriteMs, size } = fstatSync(fd);
    const start = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
    const text = start.toString('utf8', 0, readSync(fd, start, 0, start.length, 0));
    const end = text.indexOf('\n');
    const header = end < 0 ? undefined : parseHeader(text.slice(0, end));
    return header === undefined ? undefined : { header, lastWriteMs };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether another live process on this host is still writing the journal (its run is in progress). */
export function writerAlive(header: JournalHeader): boolean {
  if (header.host !== hostname() || header.pid === process.pid) return false;
  try {
    process.kill(header.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replays a journal into a fresh statistics store: every snapshot goes in, then every phase is completed (SLAs
 * are not evaluated: the benchmark's SLAs are not in the journal). Returns the store, the header and the time of
 * the last data; undefined without a journal.
 */
export function replayJournal(runDir: string): { header: JournalHeader; store: StatisticsStore; lastDataMs: number } | undefined {
  let text: string;
  try {
    text = readFileSync(containedFile(runDir, JOURNAL_FILE, 'the run directory'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const header = parseHeader(lines[0] ?? '');
  if (header === undefined) return undefined;
  const warmup = new Set(header.warmupPhases);
  const store = new StatisticsStore({ periodMs: header.periodMs, isWarmup: (phase) => warmup.has(phase) });
  let lastDataMs = 0;
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      continue; // cut short by the crash
    }
    if (typeof record !== 'object' || record === null || !Array.isArray(record.i) || typeof record.a !== 'string' || !Number.isFinite(record.t)) continue;
    for (const item of record.i) {
      try {
        store.addEncoded(record.a, item.phase, item.stepId, item.metric, item.sequenceId, Buffer.from(item.snapshot, 'base64'));
      } catch {
        // a malformed snapshot was already refused when it arrived; skip it here too
      }
    }
    lastDataMs = Math.max(lastDataMs, record.t);
  }
  for (const phase of new Set(store.entries().map((data) => data.phase))) store.completePhase(phase);
  return { header, store, lastDataMs };
}
