import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containedFile } from './contained-file.js';
import { HyperfoilError } from './errors.js';

function code(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (error) {
    assert.ok(error instanceof HyperfoilError);
    return error.code;
  }
}

describe('containedFile', () => {
  it('returns regular files inside the root and refuses everything else with a stable code', () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-contained-'));
    const outside = mkdtempSync(join(tmpdir(), 'hf-contained-out-'));
    try {
      mkdirSync(join(root, 'sub'));
      writeFileSync(join(root, 'sub', 'a.txt'), 'a');
      writeFileSync(join(outside, 'secret'), 's');
      symlinkSync(join(outside, 'secret'), join(root, 'link'));
      symlinkSync(outside, join(root, 'dirlink'));
      symlinkSync(join(root, 'sub', 'a.txt'), join(root, 'inner-link'));
      assert.equal(containedFile(root, 'sub/a.txt', 'r').endsWith(join('sub', 'a.txt')), true);
      assert.equal(code(() => containedFile(root, 'inner-link', 'r')), 'OK', 'a link that stays inside is fine');
      assert.equal(code(() => containedFile(root, '../x', 'r')), 'OUTSIDE_ROOT');
      assert.equal(code(() => containedFile(root, join(outside, 'secret'), 'r')), 'OUTSIDE_ROOT');
      assert.equal(code(() => containedFile(root, 'link', 'r')), 'OUTSIDE_ROOT');
      assert.equal(code(() => containedFile(root, 'dirlink/secret', 'r')), 'OUTSIDE_ROOT');
      assert.equal(code(() => containedFile(root, 'sub', 'r')), 'NOT_FOUND', 'a directory');
      assert.equal(code(() => containedFile(root, '', 'r')), 'NOT_FOUND', 'the root itself');
      assert.equal(code(() => containedFile(root, 'missing', 'r')), 'NOT_FOUND');
      assert.equal(code(() => containedFile(root, 'a\0b', 'r')), 'INVALID_NAME');
      assert.equal(code(() => containedFile(join(root, 'nope'), 'a', 'r')), 'NOT_FOUND', 'a missing root');
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
