import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PhaseGeneratorLoadJson } from '../../stats/index.js';
import { renderGeneratorTable, saturationMessage } from './generator-table.js';

const load = (scheduledStarts: number): PhaseGeneratorLoadJson => ({
  phase: 'steady', saturated: true, reasons: ['12 of 100 starts were over 10 ms late'], scheduledStarts, lateStarts: 12,
  latenessP50: 1.2e6, latenessP99: 45.3e6, latenessMax: 120e6, throttledStarts: 0, droppedStarts: 0,
  loopLagSamples: 10, laggingSamples: 0, loopLagP99: 2e6, loopLagMax: 3e6,
});

describe('generator table', () => {
  it('an open-model saturation says how late, and which latencies include that lateness', () => {
    const message = saturationMessage(load(100));
    assert.match(message, /^Load generator saturated in phase steady: 12 of 100 starts were over 10 ms late\./);
    assert.match(message, /up to 120\.00 ms late \(p99 45\.30 ms, p50 1\.20 ms\)/);
    assert.match(message, /service times .* exclude that lateness; p99_INTENDED .*all\.json fromIntendedStart.* includes it/);
    assert.ok(renderGeneratorTable([load(100)]).endsWith(message));
  });

  it('a closed-model saturation does not speak of scheduled starts it never had', () => {
    const message = saturationMessage(load(0));
    assert.doesNotMatch(message, /late \(p99|INTENDED/);
    assert.match(message, /Closed model/);
  });
});
