/**
 * The one way a path that came from outside (a REST client, a benchmark upload) becomes a file to read: it is
 * resolved against a root directory, symbolic links are followed, and the result must still lie inside the root's
 * real path and be a regular file. Anything else is an error with a stable code: `OUTSIDE_ROOT` (the path leads
 * out, also through a link planted inside) or `NOT_FOUND` (missing, a directory, a device…).
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { HyperfoilError } from './errors.js';

/** `path` is `dir` or below it; both must be absolute and normalised. */
export function isInside(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The real path of the regular file `relative` names inside `rootDir` (`relative` may also be absolute, and must
 * then lie inside too). `what` names the root in messages, e.g. `the run directory`.
 */
export function containedFile(rootDir: string, relative: string, what: string): string {
  const shown = relative.slice(0, 200);
  if (relative.includes('\0')) throw new HyperfoilError('INVALID_NAME', `the file name \`${shown.replace(/\0/g, '\\0')}\` contains a NUL character`);
  const root = resolve(rootDir);
  const path = resolve(root, relative);
  const outside = () => new HyperfoilError('OUTSIDE_ROOT', `\`${shown}\` is not within ${what}`);
  if (!isInside(root, path)) throw outside();
  const realRoot = realOrUndefined(root);
  const real = realOrUndefined(path);
  if (realRoot === undefined || real === undefined) throw new HyperfoilError('NOT_FOUND', `no file \`${shown}\` in ${what}`);
  if (!isInside(realRoot, real)) throw outside(); // checked on the real path: a symbolic link cannot lead out
  let isFile = false;
  try {
    isFile = statSync(real).isFile();
  } catch {
    // vanished in between: not found
  }
  if (!isFile) throw new HyperfoilError('NOT_FOUND', `\`${shown}\` is not a file in ${what}`);
  return real;
}
