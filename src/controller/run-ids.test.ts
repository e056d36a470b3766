import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateRunId, formatRunId, storedRunIds } from './run-ids.js';

describe('run ids', () => {
  it('formats as 4-digit upper-case hex', () => {
    assert.equal(formatRunId(0), '0000');
    assert.equal(formatRunId(255), '00FF');
  });

  it('continues after the highest stored run and ignores other directories', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-runs-'));
    assert.equal(allocateRunId(dir), '0000');
    mkdirSync(join(dir, '001A'));
    mkdirSync(join(dir, 'zzzz'));
    mkdirSync(join(dir, '00ff')); // lower case is not a run id
    assert.equal(allocateRunId(dir), '001B');
    assert.deepEqual(storedRunIds(dir), ['0000', '001A', '001B']);
  });
});
