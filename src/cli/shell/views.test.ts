/** The shell's tables and the live view's drawing, with a recording terminal. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunJson } from '../../controller/index.js';
import type { RequestStats, StatisticsSummary } from '../../stats/index.js';
import { ShellContext } from './context.js';
import { formatDate, renderRuns, renderStatus } from './format.js';
import { liveView } from './live.js';
import { renderComparison, renderExtensions, renderMinMax } from './stats-format.js';
import { eraseRows, pipeTerminal, rowsOf } from './terminal.js';
import type { Terminal } from './terminal.js';

const plain = pipeTerminal();

function summary(over: Partial<StatisticsSummary>): StatisticsSummary {
  return {
    startTime: 0, endTime: 1000, minResponseTime: 0, meanResponseTime: 0, stdDevResponseTime: 0, maxResponseTime: 0,
    percentileResponseTime: { '50.0': 0, '90.0': 0, '99.0': 0, '99.9': 0, '99.99': 0 },
    requestCount: 0, responseCount: 0, invalid: 0, connectionErrors: 0, requestTimeouts: 0, internalErrors: 0, blockedTime: 0,
    extensions: {}, ...over,
  };
}

function stats(phase: string, metric: string, over: Partial<StatisticsSummary>): RequestStats {
  return { phase, stepId: 1, metric, summary: summary(over), failedSLAs: [], isWarmup: false };
}

const run: RunJson = {
  id: '000A', benchmark: 'b', started: new Date(2024, 0, 2, 3, 4, 5, 6).getTime(), cancelled: false, completed: false,
  persisted: false, description: 'desc',
  phases: [
    { name: 'warm', status: 'TERMINATED', type: 'phase', failed: false, description: '1 users at once', started: 0, completed: 5 },
    { name: 'main', status: 'RUNNING', type: 'phase', failed: false, description: '10.00 users per second', remaining: '900 ms', started: 0 },
    { name: 'later', status: 'NOT_STARTED', type: 'phase', failed: false, description: '2 users always' },
  ],
  agents: [{ name: 'in-vm', address: '', status: 'READY' }],
  errors: ['in-vm: something broke'],
};

describe('status and runs text', () => {
  it('dates in Hyperfoil\'s format, local time', () => {
    assert.equal(formatDate(new Date(2024, 0, 2, 3, 4, 5, 6).getTime()), '2024/01/02 03:04:05.006');
  });

  it('a running run shows only the phases in progress, unless -a; errors unless -E', () => {
    const text = renderStatus(run, { all: false, errors: true, terminal: plain });
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 4), ['Run 000A, benchmark b', 'desc', 'Agents: in-vm[READY]', 'Started: 2024/01/02 03:04:05.006']);
    assert.match(lines[4]!, /^NAME +STATUS +STARTED +REMAINING +COMPLETED +TOTAL DURATION +DESCRIPTION$/);
    assert.match(lines[5]!, /^main +RUNNING +\d\d:\d\d:\d\d\.\d{3} +900 ms +10\.00 users per second$/);
    assert.deepEqual(lines.slice(6), ['Errors:', '  in-vm: something broke']);
    const all = renderStatus(run, { all: true, errors: false, terminal: plain });
    assert.deepEqual(all.split('\n').slice(5).map((l) => l.split(/ +/)[0]), ['warm', 'main', 'later']);
  });

  it('runs: sorted by id, with the mark of each outcome', () => {
    const text = renderRuns([
      { ...run, id: '0002', terminated: 1, errors: [] },
      { ...run, id: '0001', terminated: 1, cancelled: true },
      { ...run, id: '0003', errors: [] },
    ], plain);
    assert.deepEqual(text.split('\n').slice(1).map((l) => l.split(/ +/).slice(0, 2).join(' ')), ['× 0001', '+ 0002', '? 0003']);
  });
});

describe('statistics tables', () => {
  it('compare: second minus first, in percent of the first run; N/A where a run lacks the row', () => {
    const first = [stats('main', 'a', { requestCount: 100, meanResponseTime: 2e6, percentileResponseTime: { '50.0': 1e6 } }), stats('main', 'gone', {})];
    const second = [stats('main', 'a', { requestCount: 110, meanResponseTime: 1e6, percentileResponseTime: { '50.0': 1e6 } })];
    const lines = renderComparison(first, second, 0.05, plain).split('\n');
    assert.match(lines[0]!, /^PHASE +METRIC +REQUESTS +MEAN +p50 +p90 +p99 +p99\.9 +p99\.99 +THROUGHPUT +ERRORS$/);
    // 110 vs 100: +10, +10 % of the first (100); mean 2 ms then 1 ms: −1 ms, −50 % of the first (2 ms; relative to
    // the smaller value it would read −100 %).
    assert.match(lines[1]!, /^main +a +\+10\(\+10\.00%\) +-1\.00 ms\(-50\.00%\) +\+0 ns\(\+0\.00%\)/);
    assert.match(lines[2]!, /^main +gone +N\/A +N\/A/);
  });

  it('compare: throughput and errors too, throughput rising in green and errors rising in red on a terminal', () => {
    const terminal: Terminal = { ...plain, interactive: true };
    const at = (responseCount: number, connectionErrors: number) => stats('p', 'm', { startTime: 0, endTime: 10_000, responseCount, connectionErrors });
    const text = renderComparison([at(1000, 2)], [at(1500, 4)], 0.05, terminal);
    // 100 → 150 req/s: +50, +50 % of the first; errors 2 → 4: +2, +100 %.
    assert.match(text, /\x1b\[32m\+50\.00 req\/s\(\+50\.00%\)\x1b\[0m +\x1b\[31m\+2\(\+100\.00%\)\x1b\[0m$/);
    assert.match(renderComparison([at(1000, 0)], [at(1000, 0)], 0.05, plain), /\+0\.00 req\/s\(\+0\.00%\) +\+0\(\+0\.00%\)$/);
    // Falling: 150 → 100 req/s is −33.33 % of the first (not −50 %, which is of the smaller); errors 4 → 1: −75 %;
    // errors from none: new.
    assert.match(renderComparison([at(1500, 4)], [at(1000, 1)], 0.05, plain), /-50\.00 req\/s\(-33\.33%\) +-3\(-75\.00%\)$/);
    assert.match(renderComparison([at(1000, 0)], [at(1000, 3)], 0.05, plain), /\+3\(new\)$/);
  });

  it('compare colours slower latencies red and faster green on a terminal, aligned by what is visible', () => {
    const terminal: Terminal = { ...plain, interactive: true };
    const text = renderComparison([stats('p', 'm', { meanResponseTime: 1e6 })], [stats('p', 'm', { meanResponseTime: 2e6 })], 0.05, terminal);
    assert.match(text, /\x1b\[31m\+1\.00 ms\(\+100\.00%\)\x1b\[0m/);
    const [header, row] = text.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
    // Right-aligned under MEAN: the value ends where the title ends, once the escapes are left out.
    assert.equal(row!.indexOf('(+100.00%)') + '(+100.00%)'.length, header!.indexOf('MEAN') + 'MEAN'.length);
  });

  it('sessions and connections: the group named on its first row only', () => {
    const text = renderMinMax({ b: { x: { min: 1, max: 2 } }, a: { y: { min: 0, max: 5 }, x: { min: 3, max: 4 } } }, 'PHASE', 'AGENT');
    assert.deepEqual(text.split('\n'), ['PHASE  AGENT  MIN  MAX', 'a      x        3    4', '       y        0    5', 'b      x        1    2']);
  });

  it('extensions: one column per counter, qualified when several extensions are shown', () => {
    const rows = [stats('p', 'm', { extensions: { http: { '@type': 'http', status_2xx: 3 }, transfer: { '@type': 'transfersize', sent: 10, received: 20 } } })];
    assert.deepEqual(renderExtensions(rows, 'transfer').split('\n'), ['PHASE  METRIC  received  sent', 'p      m             20    10']);
    assert.match(renderExtensions(rows, 'all').split('\n')[0]!, /^PHASE +METRIC +transfer\.received +transfer\.sent$/, '`all` leaves out http, whose counts are in the main table');
    assert.match(renderExtensions(rows, 'http,transfer').split('\n')[0]!, /^PHASE +METRIC +http\.status_2xx +transfer\.received +transfer\.sent$/);
  });
});

function recordingTerminal(interactive: boolean): Terminal & { out: string[] } {
  const out: string[] = [];
  return {
    ...plain, interactive, columns: 80, out,
    info: (text) => void out.push(`${text}\n`),
    write: (text) => void out.push(text),
  };
}

describe('liveView', () => {
  it('on a terminal: each frame replaces the previous one, with the Ctrl+C hint until the end', async () => {
    const terminal = recordingTerminal(true);
    const cx = new ShellContext(terminal);
    const frames = ['one', 'two\nlines', 'done'];
    let i = 0;
    await liveView(cx, () => Promise.resolve({ text: frames[i]!, done: ++i === frames.length }), 1);
    const hint = 'Press Ctrl+C to stop watching...';
    assert.deepEqual(terminal.out, [
      `one\n${hint}\n`,
      `${eraseRows(2)}two\nlines\n${hint}\n`,
      `${eraseRows(3)}done\n`,
    ]);
  });

  it('in a pipe: only the final frame is printed', async () => {
    const terminal = recordingTerminal(false);
    const cx = new ShellContext(terminal);
    let i = 0;
    await liveView(cx, () => Promise.resolve({ text: `frame ${i}`, done: ++i === 3 }), 1);
    assert.deepEqual(terminal.out, ['frame 2\n']);
  });

  it('Ctrl+C stops it and leaves the last frame without the hint', async () => {
    const terminal = recordingTerminal(true);
    const cx = new ShellContext(terminal);
    await liveView(cx, () => {
      setImmediate(() => cx.interrupt());
      return Promise.resolve({ text: 'still going', done: false });
    }, 60_000);
    assert.deepEqual(terminal.out.at(-1), `${eraseRows(2)}still going\n`);
  });

  it('counts wrapped lines when erasing', () => {
    assert.equal(rowsOf('x'.repeat(45), 20), 3);
    assert.equal(rowsOf('a\n\x1b[31mbb\x1b[0m', 20), 2, 'escape sequences take no room');
  });
});
