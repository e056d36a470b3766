/** Finding a stored run and writing its HTML report: shared by `report`, `run --report` and `wrk -o`. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRunId } from '../../controller/index.js';
import { HyperfoilError, writeFileAtomic } from '../../lib/index.js';
import { renderReport } from '../../report/index.js';

/** A run directory given as a path, or as a run id under `<rootDir>/run/`. */
export function resolveRunDir(arg: string, rootDir: string): string {
  const isDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();
  if (isDir(arg)) return resolve(arg);
  if (isRunId(arg.toUpperCase())) {
    const dir = join(rootDir, 'run', arg.toUpperCase());
    if (isDir(dir)) return dir;
  }
  throw new HyperfoilError('REPORT_FAILED', `no run \`${arg}\`: give a run directory, or a run id stored under ${join(rootDir, 'run')} (--root-dir DIR)`);
}

/** Renders and writes the report; returns the line that says where: `Report written to FILE (N KB)`. */
export function writeReport(runDirs: readonly string[], file: string): string {
  const html = renderReport(runDirs);
  try {
    writeFileAtomic(file, html);
  } catch (error) {
    throw new HyperfoilError('REPORT_FAILED', `cannot write the report to ${file}: ${(error as Error).message}`);
  }
  return `Report written to ${resolve(file)} (${Math.ceil(Buffer.byteLength(html) / 1024)} KB)`;
}

