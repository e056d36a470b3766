/**
 * Persists a finished run in Hyperfoil's layout under `<root>/run/<id>/`: the benchmark as run (and its data
 * files), `info.json`, `all.json` and `stats/*.csv`. Every file is written atomically and `all.json` comes last: a
 * run directory is complete (persisted) exactly when it has `all.json`.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { COMMIT, storageError, VERSION, writeFileAtomic } from '../lib/index.js';
import { allJson, slaVerdictsJson, statsCsvFiles } from '../stats/index.js';
import type { Run } from './run.js';

export function runInfo(run: Run): Record<string, unknown> {
  return {
    id: run.id,
    benchmark: run.benchmark.name,
    params: run.benchmark.params,
    startTime: run.startedMs ?? -1,
    terminateTime: run.terminatedMs ?? -1,
    cancelled: run.cancelled,
    description: run.description ?? '',
    errors: run.errors.map((e) => (e.agent ? { agent: e.agent, msg: e.message } : { msg: e.message })),
    // Not in Hyperfoil's info.json: each agent's clock offset and how far apart the agents started each phase.
    agentClockOffsetMs: run.agentClockOffsetsMs(),
    phaseStartSkewMs: run.phaseStartSkewMs(),
  };
}

export function runAllJson(run: Run): Record<string, unknown> {
  return {
    ...allJson(run.store, { info: runInfo(run), version: VERSION, commit: COMMIT, connections: run.connections.json(), agentCpu: run.agentCpu }),
    generator: run.generator.json((phase) => run.store.isWarmup(phase)),
    // Not in Hyperfoil's all.json: what `publishGlobalCounters` published, summed over all agents.
    globalCounters: run.globalCounters,
    // Not in Hyperfoil's all.json: every SLA condition with its limit and actual value, passed or not.
    sla: slaVerdictsJson(run.store),
  };
}

/** A file name that stays inside its directory. */
function safeName(name: string): string {
  return basename(name).replace(/^\.+/, '_') || '_';
}

function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * When a run starts: the benchmark as run (and its data files) and `info.json`, so that a crash leaves a run
 * directory that says what was running. Throws `STORAGE_FAILED`.
 */
export function writeRunStart(run: Run, dir: string): void {
  try {
    const name = safeName(run.benchmark.name);
    writeFileAtomic(join(dir, `${name}.yaml`), run.benchmark.source.text);
    if (run.benchmark.files.size > 0) {
      const dataDir = join(dir, `${name}.data`);
      mkdirSync(dataDir, { recursive: true });
      for (const [file, content] of run.benchmark.files) writeFileAtomic(join(dataDir, safeName(file)), content);
    }
    writeFileAtomic(join(dir, 'info.json'), jsonText(runInfo(run)));
  } catch (error) {
    throw storageError(`store run ${run.id}`, dir, error);
  }
}

/**
 * When a run has ended: `info.json`, the statistics files and, last, `all.json`, each written atomically, so a
 * run directory with `all.json` is complete. Throws `STORAGE_FAILED`.
 */
export function writeRun(run: Run, dir: string): void {
  writeRunFiles(dir, `store run ${run.id}`, runInfo(run), runAllJson(run),
    [...statsCsvFiles(run.store), ...run.connections.csvFiles(), ...agentCpuCsv(run.agentCpu)]);
  run.persisted = true;
}

/** Rewrites `info.json` only (a post hook failed after the run was stored). Throws `STORAGE_FAILED`. */
export function writeRunInfo(run: Run, dir: string): void {
  try {
    writeFileAtomic(join(dir, 'info.json'), jsonText(runInfo(run)));
  } catch (error) {
    throw storageError(`store run ${run.id}`, dir, error);
  }
}

/** The files of an ended run, `all.json` last. Shared by live runs and runs recovered from their journal. */
/** `stats/agentCpu.csv` as Hyperfoil writes it: `phase,<agent…>`, one row per phase; none without figures. */
function agentCpuCsv(agentCpu: Readonly<Record<string, Readonly<Record<string, string>>>>): Array<{ name: string; content: string }> {
  const phases = Object.keys(agentCpu);
  if (phases.length === 0) return [];
  const agents = [...new Set(phases.flatMap((phase) => Object.keys(agentCpu[phase]!)))].sort();
  const cell = (text: string): string => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const rows = [['phase', ...agents], ...phases.map((phase) => [phase, ...agents.map((agent) => agentCpu[phase]![agent] ?? '')])];
  return [{ name: 'agentCpu.csv', content: rows.map((row) => row.map(cell).join(',')).join('\n') + '\n' }];
}

export function writeRunFiles(dir: string, what: string, info: unknown, all: unknown, csvFiles: ReadonlyArray<{ name: string; content: string }>): void {
  try {
    mkdirSync(join(dir, 'stats'), { recursive: true });
    writeFileAtomic(join(dir, 'info.json'), jsonText(info));
    for (const file of csvFiles) writeFileAtomic(join(dir, 'stats', safeName(file.name)), file.content);
    writeFileAtomic(join(dir, 'all.json'), jsonText(all));
  } catch (error) {
    throw storageError(what, dir, error);
  }
}
