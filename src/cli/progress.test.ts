import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunJson } from '../controller/index.js';
import { progressLines, ProgressPrinter } from './progress.js';

const run = (phases: Array<Partial<RunJson['phases'][number]>>): RunJson => ({
  id: '0007', benchmark: 'b', started: 1_000, cancelled: false, completed: false, persisted: false, agents: [], errors: [],
  phases: phases.map((p) => ({ name: 'main', status: 'RUNNING', type: 'phase constantrate', failed: false, description: '', ...p })),
} as RunJson);

/** A stream stand-in that records what is written (the printer only calls write, isTTY and columns). */
function stream(isTTY: boolean, columns = 80, rows = 24): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, columns, rows, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('run progress', () => {
  it('shows per running phase its time, elapsed and left, and the figures of its last second', () => {
    const lines = progressLines(run([
      { name: 'warmup', status: 'TERMINATED' },
      { name: 'main', started: 3_000, remaining: '18000 ms' },
      { name: 'spike-with-a-long-name', started: 4_000 },
    ]), (phase) => (phase === 'main' ? { endMs: 14_000, durationMs: 1000, responses: 1234, p99Ns: 4_100_000, errors: 2 } : undefined), 15_000, 200);
    assert.deepEqual(lines, [
      '[0007] 14.00s',
      '  main                    RUNNING   12.00s (18.00s left)  1234 req/s  p99 4.10 ms  2 errors',
      '  spike-with-a-long-name  RUNNING   11.00s  waiting for the first second',
    ].map((l) => l.replace(/(\d+)\.00s/g, (_m, n: string) => `${n}s`)));
  });

  it('cuts every line to the terminal width', () => {
    const lines = progressLines(run([{ started: 1_000, remaining: '5000 ms' }]), () => ({ endMs: 1_500, durationMs: 1000, responses: 50_000, p99Ns: 1e6, errors: 0 }), 2_000, 30);
    assert.ok(lines.every((l) => l.length <= 30), lines.join('\n'));
    assert.ok(lines[1]!.endsWith('…'));
  });

  it('redraws one block in place on a terminal and removes it when done; prints plain blocks once a second when piped', () => {
    const tty = stream(true);
    const printer = new ProgressPrinter(tty, true);
    printer.update(['a', 'b'], 0);
    printer.update(['a', 'b'], 100); // unchanged: nothing written
    printer.update(['a', 'c', 'd'], 250);
    printer.done();
    assert.equal(tty.text, 'a\nb\n\x1b[2F\x1b[Ja\nc\nd\n\x1b[3F\x1b[J');
    const pipe = stream(false);
    const piped = new ProgressPrinter(pipe, true);
    piped.update(['x 1'], 0, 's0');
    piped.update(['x 2'], 500, 's0'); // within the second, no new figures: skipped
    piped.update(['x 3'], 1000, 's0');
    piped.update(['x 4'], 1100, 's1'); // new figures: printed at once
    piped.done();
    assert.equal(pipe.text, 'x 1\nx 3\nx 4\n');
    assert.equal(piped.columns, 120);
  });

  it('keeps the redrawn block within the terminal height', () => {
    const small = stream(true, 80, 4);
    const printer = new ProgressPrinter(small, true);
    printer.update(['[0001] 1s', '  a', '  b', '  c', '  d'], 0);
    assert.equal(small.text, '[0001] 1s\n  a\n  … and 3 more phases\n');
  });
});
