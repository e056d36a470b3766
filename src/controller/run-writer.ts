/**
 * Persists a finished run in Hyperfoil's layout under `<root>/run/<id>/`: the benchmark as run (and its data
 * files), `info.json`, `all.json` and `stats/*.csv`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { COMMIT, VERSION } from '../lib/index.js';
import { allJson, statsCsvFiles } from '../stats/index.js';
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
    ...allJson(run.store, { info: runInfo(run), version: VERSION, commit: COMMIT, connections: run.connections.json() }),
    generator: run.generator.json((phase) => run.store.isWarmup(phase)),
  };
}

/** A file name that stays inside its directory. */
function safeName(name: string): string {
  return basename(name).replace(/^\.+/, '_') || '_';
}

export function writeRun(run: Run, dir: string): void {
  mkdirSync(join(dir, 'stats'), { recursive: true });
  const name = safeName(run.benchmark.name);
  writeFileSync(join(dir, `${name}.yaml`), run.benchmark.source.text);
  if (run.benchmark.files.size > 0) {
    const dataDir = join(dir, `${name}.data`);
    mkdirSync(dataDir, { recursive: true });
    for (const [file, content] of run.benchmark.files) writeFileSync(join(dataDir, safeName(file)), content);
  }
  writeFileSync(join(dir, 'info.json'), `${JSON.stringify(runInfo(run), null, 2)}\n`);
  writeFileSync(join(dir, 'all.json'), `${JSON.stringify(runAllJson(run), null, 2)}\n`);
  for (const file of [...statsCsvFiles(run.store), ...run.connections.csvFiles()]) writeFileSync(join(dir, 'stats', safeName(file.name)), file.content);
  run.persisted = true;
}
