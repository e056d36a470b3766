/**
 * A percentile limit from YAML to its verdict: `limits: {0.5: 10ms}` must check p50. The config layer stores 50 (on
 * HdrHistogram's 0..100 scale) and the stats layer used to multiply by 100 again, so it checked the maximum: a p50
 * limit failed on one slow response. Config and stats are tested here together, as the run uses them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { slaListCodec } from '../src/config/sla.js';
import { decodeYaml, valueOf } from '../src/config/decode-testing.js';
import type { SlaSpec } from '../src/stats/index.js';
import { evaluateSla, slaChecks, StatsSnapshot } from '../src/stats/index.js';

describe('SLA percentile limits from YAML', () => {
  it('0.5: 10ms checks the median, not the maximum', () => {
    const [sla] = valueOf(decodeYaml(slaListCodec, 'blockedRatio: 1\nlimits: {0.5: 10ms}')) as SlaSpec[];
    const snapshot = new StatsSnapshot('int32');
    for (let i = 0; i < 99; i++) snapshot.recordResponse(1_000_000); // 99 responses of 1 ms
    snapshot.recordResponse(100_000_000); // and one of 100 ms
    snapshot.requestCount = 100;
    assert.equal(evaluateSla(sla!, snapshot), null, 'p50 is 1 ms');
    const check = slaChecks(sla!, snapshot).find((c) => c.rule === 'percentile')!;
    assert.equal(check.at, 50);
    assert.ok(check.actual >= 1_000_000 && check.actual < 1_020_000, `actual ${check.actual}`);
    const [strict] = valueOf(decodeYaml(slaListCodec, 'blockedRatio: 1\nlimits: {0.99: 10ms}')) as SlaSpec[];
    assert.equal(evaluateSla(strict!, snapshot), null, 'p99 is 1 ms too');
    const [tail] = valueOf(decodeYaml(slaListCodec, 'blockedRatio: 1\nlimits: {0.999: 10ms}')) as SlaSpec[];
    assert.match(evaluateSla(tail!, snapshot) ?? '', /^Response time at percentile 0\.999000 exceeded: required 10000000, actual 100\d{6}$/);
  });
});
