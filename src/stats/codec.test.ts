import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSnapshot, encodeSnapshot, StatsDecodeError } from './codec.js';
import { StatsSnapshot } from './snapshot.js';
import { toSummary } from './summary.js';
import { randomLatenciesNs, seededRandom } from './test-support.js';

function typicalSnapshot(): StatsSnapshot {
  const s = new StatsSnapshot().setInterval(1_700_000_000_000, 1_700_000_001_000);
  for (const v of randomLatenciesNs(2000, 31)) {
    s.recordResponse(v);
    s.recordStatus(v % 7 === 0 ? 503 : 200);
  }
  s.requestCount = 2010;
  s.invalid = 3;
  s.connectionErrors = 4;
  s.requestTimeouts = 5;
  s.internalErrors = 6;
  s.blockedTimeNs = 123_456_789_012;
  s.recordCacheHit();
  s.recordResponse(1e12); // clamped
  s.addToExtension('transfer', 'transfersize', 'sent', 1_000_000);
  s.addToExtension('transfer', 'transfersize', 'received', 9_000_000_000);
  s.addToExtension('exact', 'counters', '503', 12);
  s.addToExtension('ünïcode ключ', 'counters', 'neg', -3);
  return s;
}

function assertSame(decoded: StatsSnapshot, original: StatsSnapshot): void {
  assert.deepEqual(toSummary(decoded), toSummary(original));
  assert.equal(decoded.clampedCount, original.clampedCount);
  assert.equal(decoded.httpSeen, original.httpSeen);
  assert.equal(decoded.cacheHits, original.cacheHits);
  assert.deepEqual(decoded.extensions.get('exact')?.entries(), original.extensions.get('exact')?.entries());
  assert.deepEqual(Array.from(decoded.histogram._counts), Array.from(original.histogram._counts));
}

describe('snapshot codec', () => {
  it('round-trips every field, compressed and not', () => {
    const original = typicalSnapshot();
    for (const compress of [true, false]) {
      const bytes = encodeSnapshot(original, { compress });
      assertSame(decodeSnapshot(bytes), original);
    }
    assert.ok(encodeSnapshot(original).length < encodeSnapshot(original, { compress: false }).length);
  });

  it('round-trips an empty snapshot and decodes into a pooled one (reset first)', () => {
    const empty = new StatsSnapshot();
    const target = typicalSnapshot();
    const decoded = decodeSnapshot(encodeSnapshot(empty), target);
    assert.equal(decoded, target);
    assert.equal(decoded.isEmpty, true);
    assert.equal(decoded.extensions.get('exact')?.get('503'), 0);
  });

  it('rounds fractional counters (blocked time from fractional ns) instead of failing', () => {
    const s = new StatsSnapshot();
    s.blockedTimeNs = 1234.6;
    s.addToExtension('t', 'transfersize', 'sent', 10.4);
    const decoded = decodeSnapshot(encodeSnapshot(s));
    assert.equal(decoded.blockedTimeNs, 1235);
    assert.equal(decoded.extensions.get('t')?.get('sent'), 10);
    s.invalid = -1;
    assert.throws(() => encodeSnapshot(s), RangeError);
  });

  it('rejects every truncation with StatsDecodeError', () => {
    const bytes = encodeSnapshot(typicalSnapshot());
    for (let length = 0; length < bytes.length; length++) {
      assert.throws(() => decodeSnapshot(bytes.subarray(0, length)), StatsDecodeError, `length ${length}`);
    }
  });

  it('rejects trailing bytes, bad magic, versions and flags with a clear message', () => {
    const bytes = encodeSnapshot(typicalSnapshot());
    assert.throws(() => decodeSnapshot(Buffer.concat([bytes, Buffer.from([0])])), /unexpected bytes/);
    const badMagic = Buffer.from(bytes);
    badMagic[0] = 0x47;
    assert.throws(() => decodeSnapshot(badMagic), /bad magic/);
    const badVersion = Buffer.from(bytes);
    badVersion[3] = 9;
    assert.throws(() => decodeSnapshot(badVersion), /version 9/);
    const badFlags = Buffer.from(bytes);
    badFlags[4] = 0x80;
    assert.throws(() => decodeSnapshot(badFlags), /unknown flags/);
  });

  it('turns random bytes and random corruption into StatsDecodeError, never another error', () => {
    const random = seededRandom(32);
    const good = encodeSnapshot(typicalSnapshot(), { compress: false });
    let decodedAnyway = 0;
    for (let i = 0; i < 3000; i++) {
      let bytes: Uint8Array;
      if (i % 3 === 0) {
        bytes = Buffer.alloc(Math.floor(random() * 300)).map(() => Math.floor(random() * 256));
      } else {
        // Keep the valid prefix (magic, version) and flip a few bytes further on.
        bytes = Buffer.from(good);
        for (let k = 0; k < 1 + (i % 4); k++) bytes[5 + Math.floor(random() * (bytes.length - 5))] = Math.floor(random() * 256);
      }
      try {
        decodeSnapshot(bytes);
        decodedAnyway++; // a flipped count byte can still be a valid snapshot
      } catch (error) {
        assert.ok(error instanceof StatsDecodeError, `case ${i}: ${String(error)}`);
      }
    }
    assert.ok(decodedAnyway < 3000, 'most corruptions must be detected');
  });
});
