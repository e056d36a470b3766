import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFsError, ensureWritableDir, storageError, writeFileAtomic } from './atomic-write.js';
import { fillDisk, mountTmpfs } from './tmpfs.test-support.js';
import type { Mounted } from './tmpfs.test-support.js';

const scratch = mkdtempSync(join(tmpdir(), 'hf-atomic-'));
const mounts: Mounted[] = [];
after(() => {
  for (const mounted of mounts) mounted.unmount();
  rmSync(scratch, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file', () => {
    const dir = join(scratch, 'replace');
    mkdirSync(dir);
    writeFileAtomic(join(dir, 'a.json'), 'old');
    writeFileAtomic(join(dir, 'a.json'), 'new');
    assert.equal(readFileSync(join(dir, 'a.json'), 'utf8'), 'new');
    assert.deepEqual(readdirSync(dir), ['a.json']);
  });

  it('leaves the target as it was and removes its temporary file when the rename fails', () => {
    const dir = join(scratch, 'rename-fails');
    mkdirSync(join(dir, 'target'), { recursive: true });
    writeFileSync(join(dir, 'target', 'inside'), 'kept');
    // Renaming a file over a non-empty directory fails after the temporary file was written.
    assert.throws(() => writeFileAtomic(join(dir, 'target'), 'new'), (e: NodeJS.ErrnoException) => e.code === 'EISDIR' || e.code === 'ENOTEMPTY');
    assert.deepEqual(readdirSync(dir), ['target']);
    assert.equal(readFileSync(join(dir, 'target', 'inside'), 'utf8'), 'kept');
  });

  it('on a full disk keeps the old file whole and leaves no temporary file', (t) => {
    const mounted = mountTmpfs(64 * 1024);
    if (typeof mounted === 'string') return t.skip(mounted);
    mounts.push(mounted);
    const file = join(mounted.dir, 'all.json');
    const old = 'o'.repeat(10_000);
    writeFileAtomic(file, old);
    fillDisk(mounted.dir);
    // A plain writeFileSync would have truncated the old file before failing.
    assert.throws(() => writeFileAtomic(file, 'n'.repeat(20_000)), (e: NodeJS.ErrnoException) => e.code === 'ENOSPC');
    assert.equal(readFileSync(file, 'utf8'), old);
    assert.deepEqual(readdirSync(mounted.dir).sort(), ['all.json', 'filler']);
  });
});

describe('storage errors', () => {
  it('say what, where, why and what to do in one line', () => {
    const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const message = storageError('store run 0003', '/x/run/0003', error).message;
    assert.equal(message, 'cannot store run 0003 in /x/run/0003: no space left on device (ENOSPC); free space or choose another --root-dir');
    assert.equal(describeFsError(Object.assign(new Error('EXDEV: cross-device link not permitted, rename'), { code: 'EXDEV' })),
      'cross-device link not permitted (EXDEV)');
  });

  it('ensureWritableDir names a read-only mount as such (mkdir -p reports ENOENT there)', (t) => {
    const mounted = mountTmpfs(64 * 1024, { readOnly: true });
    if (typeof mounted === 'string') return t.skip(mounted);
    mounts.push(mounted);
    assert.throws(() => ensureWritableDir(join(mounted.dir, 'a', 'b')), (e: NodeJS.ErrnoException) => e.code === 'EROFS');
    assert.throws(() => ensureWritableDir(mounted.dir), (e: NodeJS.ErrnoException) => e.code === 'EROFS');
  });
});
