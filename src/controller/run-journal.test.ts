import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSnapshot } from '../stats/codec.js';
import { httpBucket } from '../stats/test-support.js';
import { journalPath, journalState, replayJournal, RunJournal, writerAlive } from './run-journal.js';

const scratch = mkdtempSync(join(tmpdir(), 'hf-journal-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const header = { id: '0001', benchmark: 'b', params: {}, periodMs: 1000, warmupPhases: ['warm'] };

function item(phase: string, seq: number, requests: number) {
  const latencies = Array.from({ length: requests }, (_, i) => 1_000_000 + i * 1000);
  return { phase, stepId: 1, metric: 'm', sequenceId: seq, snapshot: encodeSnapshot(httpBucket(seq, latencies)).toString('base64') };
}

describe('RunJournal', () => {
  it('replays every flushed snapshot into totals, skipping a line cut short by a crash', async () => {
    const dir = mkdtempSync(join(scratch, 'run-'));
    const journal = new RunJournal(journalPath(dir), header, 60_000);
    journal.stats('a1', [item('main', 0, 10), item('warm', 0, 3)]);
    journal.stats('a2', [item('main', 0, 5)]);
    await journal.flush();
    journal.stats('a1', [item('main', 1, 7)]);
    await journal.close();
    appendFileSync(journalPath(dir), '{"t":1,"a":"a1","i":[{"phase":"main","stepId":1,"me'); // kill -9 mid-write
    const replay = replayJournal(dir);
    assert.ok(replay);
    const totals = replay.store.total();
    assert.equal(totals.find((s) => s.phase === 'main')?.summary.requestCount, 22);
    assert.equal(totals.find((s) => s.phase === 'warm')?.isWarmup, true);
    assert.deepEqual(replay.store.agents(), ['a1', 'a2']);
    assert.ok(replay.lastDataMs > 0);
    assert.equal(journalState(dir)?.header.id, '0001');
  });

  it('a damaged journal is read for what it holds: records of the wrong shape are skipped, a bad header is no journal', async () => {
    const dir = mkdtempSync(join(scratch, 'run-'));
    const journal = new RunJournal(journalPath(dir), header, 60_000);
    journal.stats('a1', [item('main', 0, 4)]);
    await journal.close();
    for (const line of ['{"t":5,"a":"x","i":5}', 'null', '7', '{"t":"x","a":"a1","i":[]}', '{"t":6,"a":null,"i":[]}', '{"t":7,"a":"a1","i":[null,5,{"phase":1}]}']) {
      appendFileSync(journalPath(dir), `${line}\n`);
    }
    const replay = replayJournal(dir);
    assert.equal(replay?.store.total().find((s) => s.phase === 'main')?.summary.requestCount, 4);
    for (const bad of ['{"journal":1}', '{"journal":1,"id":"0001","benchmark":"b","params":{},"periodMs":1000,"warmupPhases":5,"pid":1,"host":"h"}', '[]', 'null']) {
      const other = mkdtempSync(join(scratch, 'run-'));
      appendFileSync(journalPath(other), `${bad}\n{"t":1,"a":"a1","i":[]}\n`);
      assert.equal(replayJournal(other), undefined, bad);
      assert.equal(journalState(other), undefined, bad);
    }
  });

  it('replays the from-intended-start histogram of open-model snapshots, merged across agents', async () => {
    const dir = mkdtempSync(join(scratch, 'run-'));
    const journal = new RunJournal(journalPath(dir), header, 60_000);
    const open = (seq: number, lateNs: number) => {
      const bucket = httpBucket(seq, [1_000_000, 2_000_000]);
      bucket.recordFromIntendedStart(1_000_000 + lateNs);
      bucket.recordFromIntendedStart(2_000_000 + lateNs);
      return { phase: 'main', stepId: 1, metric: 'm', sequenceId: seq, snapshot: encodeSnapshot(bucket).toString('base64') };
    };
    journal.stats('a1', [open(0, 0)]);
    journal.stats('a2', [open(0, 50_000_000)]);
    await journal.close();
    const replay = replayJournal(dir)!;
    const intended = replay.store.totalWithIntendedStart().find((s) => s.phase === 'main')!.fromIntendedStart!;
    assert.equal(intended.responseCount, 4);
    // a2's samples were 50 ms late: the max is 52 ms, reported as the top of its bucket (2 significant digits:
    // at most 1/128 above)
    assert.ok(intended.maxResponseTime >= 52e6 && intended.maxResponseTime <= 52e6 * (1 + 1 / 128), `${intended.maxResponseTime}`);
  });

  it('writes nothing more once closed, and remove deletes it', async () => {
    const dir = mkdtempSync(join(scratch, 'run-'));
    const journal = new RunJournal(journalPath(dir), header, 60_000);
    await journal.close();
    journal.stats('a1', [item('main', 0, 1)]);
    await journal.flush();
    assert.equal(readFileSync(journalPath(dir), 'utf8').trim().split('\n').length, 1, 'only the header');
    journal.remove();
    assert.ok(!existsSync(journalPath(dir)));
  });

  it('refuses to overwrite an existing journal (two controllers on one run dir)', async () => {
    const dir = mkdtempSync(join(scratch, 'run-'));
    const journal = new RunJournal(journalPath(dir), header, 60_000);
    assert.throws(() => new RunJournal(journalPath(dir), header, 60_000), (e: NodeJS.ErrnoException) => e.code === 'EEXIST');
    await journal.close();
  });

  it('knows a journal written by this process or a dead one is not being written any more', () => {
    const dir = mkdtempSync(join(scratch, 'run-'));
    const journal = new RunJournal(journalPath(dir), header, 60_000);
    const state = journalState(dir);
    assert.ok(state);
    assert.equal(writerAlive(state.header), false, 'this process');
    assert.equal(writerAlive({ ...state.header, pid: 2 ** 22 + 1 }), false, 'no such process (above the kernel pid limit)');
    assert.equal(writerAlive({ ...state.header, pid: process.ppid }), true, 'a live process on this host');
    assert.equal(writerAlive({ ...state.header, pid: process.ppid, host: `${state.header.host}-elsewhere` }), false, 'another host');
    return journal.close();
  });
});
