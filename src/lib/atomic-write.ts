/**
 * Durable file writes. `writeFileAtomic` puts the bytes in a temporary file next to the target, flushes them to
 * the disk and renames the temporary file over the target: readers (and a restart after a crash) see the old
 * file or the new one, never part of one. A failed write removes its temporary file and leaves the old file as it
 * was. `storageError` turns the file system's error into one line that says what to do.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HyperfoilError } from './errors.js';

/** Temporary files start with this; a directory listing can skip (and a cleanup remove) them. */
export const TEMP_FILE_PREFIX = '.tmp-';

/** Writes `data` to a new file (or over an existing one) and flushes it to the disk before returning. */
export function writeFileDurable(path: string, data: string | Uint8Array, flags: 'w' | 'wx' = 'w'): void {
  const fd = openSync(path, flags, 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `path` with `data` all at once (temporary file in the same directory, fsync, rename). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `${TEMP_FILE_PREFIX}${randomBytes(6).toString('hex')}-${basename(path)}`);
  try {
    writeFileDurable(temp, data, 'wx');
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Creates `dir` (and its parents) and checks that a file can be written in it; throws the file system's error.
 * A recursive mkdir under a read-only mount reports ENOENT, so the nearest existing parent is asked why.
 */
export function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let parent = dirname(dir);
    while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
    accessSync(parent, constants.W_OK);
    throw error;
  }
  const probe = join(dir, `${TEMP_FILE_PREFIX}writable`);
  writeFileAtomic(probe, '');
  rmSync(probe, { force: true });
}

/** What the common file-system failures mean, in words. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

/** The cause of a file-system error as `no space left on device (ENOSPC)`. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  return `${CAUSES[code] ?? (error as Error).message.replace(/^[A-Z]+: /, '').replace(/,.*$/, '')} (${code})`;
}

/**
 * `cannot store run 0003 in /x/run/0003: no space left on device (ENOSPC); free space or choose another --root-dir`.
 * `what` says what was being written, `path` where.
 */
export function storageError(what: string, path: string, error: unknown): HyperfoilError {
  if (error instanceof HyperfoilError && error.code === 'STORAGE_FAILED') return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const advice = code === 'ENOSPC' || code === 'EDQUOT' ? 'free space or choose another --root-dir'
    : code === 'EROFS' || code === 'EACCES' || code === 'EPERM' ? 'make it writable or choose another --root-dir'
      : 'check the disk or choose another --root-dir';
  return new HyperfoilError('STORAGE_FAILED', `cannot ${what} in ${path}: ${describeFsError(error)}; ${advice}`, { cause: error });
}
