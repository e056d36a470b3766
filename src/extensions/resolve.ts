/**
 * Where extensions come from: `--extension PATH|PACKAGE` (a source file, a folder, or an installed npm package)
 * and every file or folder in `<root>/extensions/` (Hyperfoil's place for extension jars).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { ExtensionError } from './errors.js';

const SOURCE = /\.(?:[cm]?ts|[cm]?js)$/;
const INDEX_FILES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'];

/** The entry module of an extension folder: its package.json `main`, else `index.ts|mts|js|mjs`. */
function folderEntry(dir: string, origin: string): string {
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest)) {
    let main: unknown;
    try {
      main = (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: unknown }).main;
    } catch (error) {
      throw new ExtensionError(`extension ${origin}: ${manifest} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof main === 'string') {
      const entry = resolve(dir, main);
      if (!existsSync(entry)) throw new ExtensionError(`extension ${origin}: ${manifest} names \`main\` ${main}, which does not exist`);
      return entry;
    }
  }
  for (const name of INDEX_FILES) if (existsSync(join(dir, name))) return join(dir, name);
  throw new ExtensionError(`extension ${origin}: ${dir} has no package.json \`main\` and no ${INDEX_FILES.join(', ')}`);
}

/** The entry file of `spec` (a path, relative to `cwd`, or an npm package installed where `cwd` can import it). */
export function resolveExtensionEntry(spec: string, cwd: string = process.cwd()): string {
  const path = resolve(cwd, spec);
  if (existsSync(path)) return statSync(path).isDirectory() ? folderEntry(path, spec) : path;
  const looksLikePath = spec.startsWith('.') || spec.startsWith('/') || SOURCE.test(spec);
  if (!looksLikePath) {
    try {
      const manifest = createRequire(join(cwd, 'noop.js')).resolve(`${spec}/package.json`);
      return folderEntry(dirname(manifest), spec);
    } catch (error) {
      if (error instanceof ExtensionError) throw error;
    }
  }
  throw new ExtensionError(`extension ${spec}: no such file or folder${looksLikePath ? '' : ', and no npm package of that name is installed here'}`);
}

/** Every extension in `<rootDir>/extensions/` (files and folders; hidden ones and anything else are skipped). */
export function rootDirExtensions(rootDir: string): string[] {
  const dir = join(rootDir, 'extensions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || (e.isFile() && SOURCE.test(e.name))))
    .map((e) => join(dir, e.name))
    .sort();
}
