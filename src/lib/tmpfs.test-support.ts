/**
 * Small file systems for disk-fault tests: a tmpfs of a given size (to fill it) or a read-only one. Mounting
 * needs root (CI runs as root); where it is not permitted the helpers return the reason so a test can skip.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Mounted {
  readonly dir: string;
  unmount(): void;
}

/** Mounts a tmpfs of `sizeBytes` on a fresh temp dir; returns a string saying why when mounting is not permitted. */
export function mountTmpfs(sizeBytes: number, options: { readOnly?: boolean } = {}): Mounted | string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}${options.readOnly ? ',ro' : ''}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
    return `cannot mount a tmpfs here (needs root): ${stderr || (error as Error).message}`;
  }
  let mounted = true;
  return {
    dir,
    unmount: () => {
      if (!mounted) return;
      mounted = false;
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Makes a mounted tmpfs read-only (or writable again). */
export function remount(mounted: Mounted, readOnly: boolean): void {
  execFileSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, mounted.dir], { stdio: 'pipe' });
}

/** Fills the file system of `dir` with `dir/<name>` until a write fails with ENOSPC; returns the file's path. */
export function fillDisk(dir: string, name = 'filler'): string {
  const path = join(dir, name);
  const chunk = Buffer.alloc(4096, 0x61);
  for (;;) {
    try {
      appendFileSync(path, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
      throw error;
    }
  }
  for (;;) { // the last partial block
    try {
      appendFileSync(path, 'x');
    } catch {
      return path;
    }
  }
}
