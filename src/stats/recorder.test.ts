import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsRecorder } from './recorder.js';
import { StatsRecorderRegistry } from './recorder-registry.js';
import { SnapshotPool } from './snapshot-pool.js';

const T0 = 1_700_000_000_000; // phase start, epoch ms

function started(periodMs = 1000): StatsRecorder {
  const recorder = new StatsRecorder(3, 'main', 7, 'fetch', periodMs);
  recorder.start(T0);
  return recorder;
}

describe('StatsRecorder', () => {
  it('attributes a sample to the bucket of the request start, not of its completion', () => {
    const r = started();
    // Started at 0.999 s, completed 0.5 s later (at 1.499 s): belongs to bucket 0.
    r.recordRequest(T0 + 999);
    r.recordResponse(T0 + 999, 500_000_000);
    r.recordRequest(T0 + 1000); // exactly at the boundary: bucket 1
    r.recordResponse(T0 + 1000, 1_000_000);
    const drained = r.drainAll();
    assert.deepEqual(
      drained.map((d) => [d.sequenceId, d.snapshot.requestCount, d.snapshot.maxNs()]),
      [
        [0, 1, drained[0]!.snapshot.histogram.highestEquivalentValue(500_000_000)],
        [1, 1, drained[1]!.snapshot.histogram.highestEquivalentValue(1_000_000)],
      ],
    );
  });

  it('drains only closed buckets, in order, with their intervals, skipping empty ones', () => {
    const r = started();
    r.recordRequest(T0 + 2500);
    r.recordRequest(T0 + 100);
    r.recordRequest(T0 + 3100); // bucket 3 is still open at 3.5 s
    r.bucketFor(T0 + 1500); // touched but left empty
    const closed = r.drainClosed(T0 + 3500);
    assert.deepEqual(
      closed.map((d) => [d.sequenceId, d.snapshot.startMs - T0, d.snapshot.endMs - T0]),
      [
        [0, 0, 1000],
        [2, 2000, 3000],
      ],
    );
    assert.equal(r.pendingBuckets, 1, 'bucket 3 stays');
    assert.deepEqual(r.drainClosed(T0 + 3999), [], 'bucket 3 closes only at 4 s');
    assert.deepEqual(
      r.drainClosed(T0 + 4000).map((d) => d.sequenceId),
      [3],
    );
  });

  it('re-sends a drained bucket when a late response arrives for it', () => {
    const r = started();
    r.recordRequest(T0 + 10);
    assert.deepEqual(r.drainClosed(T0 + 1200).map((d) => [d.sequenceId, d.snapshot.requestCount]), [[0, 1]]);
    r.recordResponse(T0 + 10, 2_000_000_000); // the response to the request of bucket 0, 2 s later
    const late = r.drainClosed(T0 + 2100);
    assert.deepEqual(late.map((d) => [d.sequenceId, d.snapshot.requestCount, d.snapshot.responseCount]), [[0, 0, 1]]);
  });

  it('cuts the last bucket at the phase end and drainAll() returns open buckets too', () => {
    const r = started();
    r.recordRequest(T0 + 1200);
    r.end(T0 + 1700);
    const all = r.drainAll();
    assert.deepEqual(all.map((d) => [d.sequenceId, d.snapshot.startMs - T0, d.snapshot.endMs - T0]), [[1, 1000, 1700]]);
  });

  it('honours a non-default collection period', () => {
    const r = started(250);
    r.recordRequest(T0 + 260);
    r.recordRequest(T0 + 749);
    assert.deepEqual(
      r.drainAll().map((d) => [d.sequenceId, d.snapshot.startMs - T0, d.snapshot.endMs - T0]),
      [
        [1, 250, 500],
        [2, 500, 750],
      ],
    );
  });

  it('puts samples that predate the phase start into bucket 0 and aligns to the first sample if never started', () => {
    const r = started();
    r.recordRequest(T0 - 50);
    assert.deepEqual(r.drainAll().map((d) => d.sequenceId), [0]);
    const unstarted = new StatsRecorder(1, 'p', 1, 'm');
    unstarted.recordRequest(T0 + 123);
    unstarted.recordRequest(T0 + 1122);
    unstarted.recordRequest(T0 + 1123);
    assert.deepEqual(unstarted.drainAll().map((d) => [d.sequenceId, d.snapshot.requestCount]), [[0, 2], [1, 1]]);
  });

  it('keeps hitting the cached buckets while requests of two buckets interleave', () => {
    const r = started();
    for (let i = 0; i < 100; i++) {
      r.recordResponse(T0 + 900 + (i % 2) * 200, 1000); // alternates between bucket 0 and bucket 1
      r.recordResponse(T0 + 1500, 1000);
    }
    assert.deepEqual(
      r.drainAll().map((d) => [d.sequenceId, d.snapshot.responseCount]),
      [
        [0, 50],
        [1, 150],
      ],
    );
  });

  it('reuses released snapshots instead of allocating new ones', () => {
    const pool = new SnapshotPool('int32', 4);
    const r = new StatsRecorder(1, 'p', 1, 'm', 1000, pool);
    r.start(T0);
    r.recordRequest(T0 + 1);
    const [first] = r.drainClosed(T0 + 1000);
    r.release(first!.snapshot);
    assert.equal(pool.freeCount, 1);
    r.recordRequest(T0 + 1001);
    const [second] = r.drainClosed(T0 + 2000);
    assert.equal(second!.snapshot, first!.snapshot, 'the same object came back from the pool');
    assert.equal(second!.snapshot.requestCount, 1, 'and it was reset before reuse');
  });

  it('records every counter kind and extension slots', () => {
    const r = started();
    const sent = r.extensionSlot('transfer', 'transfersize', 'sent');
    r.recordStatus(T0, 404);
    r.recordInvalid(T0);
    r.recordConnectionError(T0);
    r.recordRequestTimeout(T0);
    r.recordInternalError(T0);
    r.recordBlockedTime(T0, 1234);
    r.recordCacheHit(T0);
    r.addToExtension(T0, sent, 100);
    r.addToExtension(T0, sent, 11);
    const s = r.drainAll()[0]!.snapshot;
    assert.deepEqual(
      [s.status4xx, s.invalid, s.connectionErrors, s.requestTimeouts, s.internalErrors, s.blockedTimeNs, s.cacheHits],
      [1, 1, 1, 1, 1, 1234, 1],
    );
    assert.equal(s.extensions.get('transfer')?.get('sent'), 111);
  });
});

describe('StatsRecorderRegistry', () => {
  it('resolves a (phase, step, metric) to one recorder and drains per phase', () => {
    const registry = new StatsRecorderRegistry();
    const a = registry.recorder(1, 'warmup', 5, 'get');
    assert.equal(registry.recorder(1, 'warmup', 5, 'get'), a);
    const b = registry.recorder(2, 'main', 5, 'get');
    assert.notEqual(b, a);
    registry.startPhase(1, T0);
    registry.startPhase(2, T0 + 10_000);
    a.recordRequest(T0 + 100);
    b.recordRequest(T0 + 10_100);
    const closed = registry.drainClosed(T0 + 1000);
    assert.deepEqual(closed.map((d) => [d.recorder.phaseName, d.sequenceId]), [['warmup', 0]]);
    registry.endPhase(2, T0 + 10_500);
    const rest = registry.drainPhase(2);
    assert.deepEqual(rest.map((d) => [d.recorder.metric, d.sequenceId, d.snapshot.endMs - T0]), [['get', 0, 10_500]]);
    registry.release(rest[0]!.snapshot);
  });
});
