// The from-intended-start histogram of open-model snapshots: it travels (codec, protocol validator), merges and
// subtracts exactly like the service-time histogram, and all.json / run's totals show it only where recorded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAgentMessage } from '../protocol/index.js';
import { decodeSnapshot, encodeSnapshot } from './codec.js';
import { StatsSnapshot } from './snapshot.js';
import { StatisticsStore } from './store.js';
import { statsEntryJson } from './json.js';
import { fromIntendedStartJson } from './summary.js';
import { randomLatenciesNs } from './test-support.js';

/** Service times and, 5 ms later each, the same responses from their intended start. */
function openSnapshot(seed: number, extraNs = 5e6): StatsSnapshot {
  const s = new StatsSnapshot().setInterval(1_700_000_000_000, 1_700_000_001_000);
  for (const v of randomLatenciesNs(500, seed)) {
    s.recordResponse(v);
    s.recordFromIntendedStart(v + extraNs);
  }
  s.requestCount = 500;
  return s;
}

describe('from-intended-start histogram', () => {
  it('round-trips through the codec, compressed and not, and a closed-model snapshot carries none', () => {
    const original = openSnapshot(7);
    for (const compress of [true, false]) {
      const decoded = decodeSnapshot(encodeSnapshot(original, { compress }));
      assert.deepEqual(Array.from(decoded.fromIntendedStart!._counts), Array.from(original.fromIntendedStart!._counts));
      assert.deepEqual(fromIntendedStartJson(decoded), fromIntendedStartJson(original));
    }
    const closed = new StatsSnapshot();
    closed.recordResponse(1e6);
    const decoded = decodeSnapshot(encodeSnapshot(closed));
    assert.equal(decoded.hasFromIntendedStart, false);
    assert.equal(fromIntendedStartJson(decoded), undefined);
    // Decoding a closed-model snapshot into a pooled one that held an open-model one leaves nothing behind.
    const pooled = decodeSnapshot(encodeSnapshot(original));
    decodeSnapshot(encodeSnapshot(closed), pooled);
    assert.equal(pooled.hasFromIntendedStart, false);
  });

  it('merges exactly: the sum of two agents equals one snapshot of all samples; subtract undoes add', () => {
    const a = openSnapshot(1);
    const b = openSnapshot(2);
    const union = new StatsSnapshot();
    for (const seed of [1, 2]) {
      for (const v of randomLatenciesNs(500, seed)) union.recordFromIntendedStart(v + 5e6);
    }
    const sum = a.clone().add(b);
    assert.deepEqual(Array.from(sum.fromIntendedStart!._counts), Array.from(union.fromIntendedStart!._counts));
    assert.equal(sum.fromIntendedStart!.totalCount, 1000);
    sum.subtract(b);
    assert.deepEqual(fromIntendedStartJson(sum), fromIntendedStartJson(a));
    // A closed-model snapshot added to an open one changes nothing in it.
    const closed = new StatsSnapshot();
    closed.recordResponse(1e6);
    assert.deepEqual(fromIntendedStartJson(a.clone().add(closed)), fromIntendedStartJson(a));
  });

  it('passes the protocol validator inside a stats message', () => {
    const snapshot = encodeSnapshot(openSnapshot(3)).toString('base64');
    const stats = { type: 'stats', items: [{ phase: 'main', stepId: 1, metric: 'm', sequenceId: 0, snapshot }] };
    assert.deepEqual(parseAgentMessage(stats), stats);
  });

  it('all.json and run\'s totals show it per metric from the merged agents, closed-model metrics without it', () => {
    const store = new StatisticsStore();
    store.add('agent-a', 'open', 1, 'm', 0, openSnapshot(4));
    store.add('agent-b', 'open', 1, 'm', 0, openSnapshot(5));
    const closed = new StatsSnapshot().setInterval(1_700_000_000_000, 1_700_000_001_000);
    closed.recordResponse(2e6);
    store.add('agent-a', 'closed', 1, 'm', 0, closed);
    store.completePhase('open');
    store.completePhase('closed');
    const open = store.get('open', 1, 'm')!;
    const entry = statsEntryJson(store, open);
    assert.equal(entry.fromIntendedStart?.responseCount, 1000);
    const p99 = entry.fromIntendedStart!.percentileResponseTime['99.0']!;
    const serviceP99 = entry.total.summary.percentileResponseTime['99.0']!;
    // Every sample is 5 ms later. With 2 significant digits each reported value is the top of its bucket, at most
    // 1/128 above the sample (128 sub-buckets per power of two), so each p99 may be that much high.
    assert.ok(p99 >= serviceP99 && Math.abs(p99 - serviceP99 - 5e6) <= (p99 + serviceP99) / 128, `${p99} vs ${serviceP99}`);
    assert.equal(statsEntryJson(store, open, 'agent-a').fromIntendedStart?.responseCount, 500);
    assert.equal(statsEntryJson(store, store.get('closed', 1, 'm')!).fromIntendedStart, undefined);
    const totals = store.totalWithIntendedStart();
    assert.equal(totals.find((t) => t.phase === 'open')?.fromIntendedStart?.responseCount, 1000);
    assert.equal(totals.find((t) => t.phase === 'closed')?.fromIntendedStart, undefined);
    // The REST shape (stats/total), read by Hyperfoil's own clients, stays as Hyperfoil has it.
    assert.equal(store.total().some((t) => 'fromIntendedStart' in t), false);
  });
});
