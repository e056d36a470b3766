import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeYaml, valueOf } from './decode-testing.js';
import { customSlaCodec, DEFAULT_SLA, defaultRequestSlas, slaListCodec } from './sla.js';

const slas = (yaml: string): ReturnType<typeof valueOf<unknown>> => valueOf(decodeYaml(slaListCodec, yaml));
const problems = (yaml: string): string[] => decodeYaml(slaListCodec, yaml).problems;

describe('SLAs', () => {
  it('fills Hyperfoil\'s defaults: errors and invalid responses never fail (1.01), blocking always does (0)', () => {
    assert.deepEqual(slas('meanResponseTime: 10 ms'), [{ errorRatio: 1.01, invalidRatio: 1.01, blockedRatio: 0, meanResponseTimeNs: 10_000_000, limits: [] }]);
  });

  it('reads every key, and a list of SLAs', () => {
    assert.deepEqual(slas('- window: 10s\n  errorRatio: 0.01\n  invalidRatio: 0.1\n  blockedRatio: 0.5\n  limits: {0.99: 100ms, 0.5: 1 ms}\n- limits:\n  - 0.999: 1s'), [
      { windowMs: 10_000, errorRatio: 0.01, invalidRatio: 0.1, blockedRatio: 0.5, limits: [{ percentile: 99, latencyNs: 100_000_000 }, { percentile: 50, latencyNs: 1_000_000 }] },
      { errorRatio: 1.01, invalidRatio: 1.01, blockedRatio: 0, limits: [{ percentile: 99.9, latencyNs: 1_000_000_000 }] },
    ]);
  });

  it('stores a limit key of 0.99 as percentile 99 (p99), not Hyperfoil\'s p0.99', () => {
    const [sla] = slas('limits:\n  0.99: 5ms') as Array<{ limits: Array<{ percentile: number }> }>;
    assert.equal(sla?.limits[0]?.percentile, 99);
  });

  it('rejects percentile keys outside 0..1, latencies without a unit and negative ratios, at their position', () => {
    assert.deepEqual(problems('limits:\n  99: 5ms'), ['2:3 a percentile limit is keyed by a fraction between 0 and 1 (`0.99: 100ms` for p99), got `99`']);
    assert.deepEqual(problems('limits:\n  0.9: 5'), ['2:8 expected a latency with a unit such as `100ms`, `10 ms`, `500us` or `2s`, got `5`']);
    assert.deepEqual(problems('errorRatio: -1'), ['1:13 expected a number of at least 0, got -1']);
    assert.match(problems('errorRate: 0.1')[0] ?? '', /^1:1 unknown property `errorRate` in an SLA\. Did you mean `errorRatio`\?/);
  });

  it('reads customSla per metric as one SLA or a list', () => {
    assert.deepEqual(valueOf(decodeYaml(customSlaCodec, 'a:\n  meanResponseTime: 1ms\nb:\n- errorRatio: 0.5\n- invalidRatio: 0.5')).map((c) => [c.metric, c.slas.length]),
      [['a', 1], ['b', 2]]);
  });

  it('gives requests the no-blocking SLA except when a connection is opened per request', () => {
    assert.deepEqual(defaultRequestSlas('SHARED_POOL'), [DEFAULT_SLA]);
    assert.deepEqual(defaultRequestSlas('SESSION_POOLS'), [DEFAULT_SLA]);
    assert.deepEqual(defaultRequestSlas('OPEN_ON_REQUEST'), []);
    assert.deepEqual(defaultRequestSlas('ALWAYS_NEW'), []);
  });
});
