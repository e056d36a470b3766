/**
 * The stored files a report is made of, read from a run directory: `all.json` (which holds the series, histograms,
 * sessions and connections), `info.json` and the benchmark source `<name>.yaml`. Nothing here is trusted: the
 * report treats every value as data to check and every string as text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { containedFile, HyperfoilError } from '../lib/index.js';

export interface RunFiles {
  readonly dir: string;
  readonly all: Record<string, unknown>;
  readonly info: Record<string, unknown>;
  /** The benchmark as run, when it was kept. */
  readonly source?: { readonly name: string; readonly text: string };
}

function readJsonObject(dir: string, name: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(containedFile(dir, name, 'the run directory'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    throw new HyperfoilError('REPORT_FAILED', `${join(dir, name)} is not valid JSON: the run directory is damaged`);
  }
}

/** Reads a run directory; throws REPORT_FAILED with what to do when it holds no finished run. */
export function readRunFiles(dir: string, allJsonName = 'all.json'): RunFiles {
  if (!existsSync(dir)) throw new HyperfoilError('REPORT_FAILED', `no run directory at ${dir}: give a run directory or a run id with --root-dir`);
  const all = readJsonObject(dir, allJsonName);
  if (all === undefined) {
    throw new HyperfoilError('REPORT_FAILED', `${join(dir, allJsonName)} is missing: the run has not finished or was not stored`);
  }
  const fromAll = all.info;
  const info = readJsonObject(dir, 'info.json')
    ?? (typeof fromAll === 'object' && fromAll !== null ? fromAll as Record<string, unknown> : {});
  const benchmark = typeof info.benchmark === 'string' ? basename(info.benchmark).replace(/^\.+/, '_') : '';
  let source: RunFiles['source'];
  if (benchmark !== '') {
    try {
      source = { name: `${benchmark}.yaml`, text: readFileSync(containedFile(dir, `${benchmark}.yaml`, 'the run directory'), 'utf8') };
    } catch {
      source = undefined; // not kept: the report says so
    }
  }
  return source === undefined ? { dir, all, info } : { dir, all, info, source };
}
