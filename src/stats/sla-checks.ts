// Every condition of every SLA, evaluated on a metric's whole-phase total and kept with its limit and actual value,
// so that people see what passed as well as what failed, in units (evaluateSla only returns the first failure, in
// Hyperfoil's words). The rules and their comparisons are those of evaluateSla (sla.ts).
import { blockedRatioOf, errorRatioOf, invalidRatioOf, isWindowed, type SlaSpec } from './sla.js';
import type { StatsSnapshot } from './snapshot.js';
import type { StatisticsStore } from './store.js';

export type SlaRule = 'errorRatio' | 'invalidRatio' | 'meanResponseTime' | 'blockedRatio' | 'percentile' | 'windows';

export interface SlaCheckJson {
  rule: SlaRule;
  /** For `percentile`: the percentile, 0..100 (99 is p99); for `windows`: the window in ms. */
  at?: number;
  /** Ratios as fractions, latencies in ns, `windows`: failed windows allowed (0). */
  limit: number;
  actual: number;
  unit: 'ratio' | 'ns' | 'count';
  passed: boolean;
  /** Set on the rows of a windowed SLA: its conditions apply per window; these rows show the whole phase. */
  windowMs?: number;
}

export interface SlaVerdictJson {
  phase: string;
  stepId: number;
  metric: string;
  checks: SlaCheckJson[];
}

/** The conditions of one SLA on `snapshot`, in evaluateSla's order, each with its own verdict. */
export function slaChecks(sla: SlaSpec, snapshot: StatsSnapshot): SlaCheckJson[] {
  const errors = snapshot.errors();
  const errorRatio = errors > 0 ? errorRatioOf(snapshot) : 0;
  const invalidRatio = invalidRatioOf(snapshot);
  const mean = snapshot.histogram.totalCount > 0 ? snapshot.meanNs() : 0;
  const blockedRatio = blockedRatioOf(snapshot);
  const checks: SlaCheckJson[] = [
    { rule: 'errorRatio', limit: sla.errorRatio, actual: errorRatio, unit: 'ratio', passed: !(errors > 0 && errorRatio >= sla.errorRatio) },
    {
      rule: 'invalidRatio', limit: sla.invalidRatio, actual: invalidRatio, unit: 'ratio',
      passed: !(snapshot.invalid > 0 && invalidRatio >= sla.invalidRatio),
    },
  ];
  if (sla.meanResponseTimeNs !== undefined) {
    checks.push({ rule: 'meanResponseTime', limit: sla.meanResponseTimeNs, actual: mean, unit: 'ns', passed: mean < sla.meanResponseTimeNs });
  }
  checks.push({ rule: 'blockedRatio', limit: sla.blockedRatio, actual: blockedRatio, unit: 'ratio', passed: !(blockedRatio > sla.blockedRatio) });
  for (const limit of sla.limits) {
    const value = snapshot.histogram.totalCount > 0 ? snapshot.valueAtPercentileNs(limit.percentile) : 0;
    checks.push({ rule: 'percentile', at: limit.percentile, limit: limit.latencyNs, actual: value, unit: 'ns', passed: value < limit.latencyNs });
  }
  return checks;
}

/**
 * all.json `sla` (our addition): per (phase, step, metric) with SLAs, every condition on the whole-phase total.
 * A windowed SLA is checked over each window while the phase runs; its extra `windows` row counts the windows
 * that failed (the store's failures of that phase and metric).
 */
export function slaVerdictsJson(store: StatisticsStore): SlaVerdictJson[] {
  const verdicts: SlaVerdictJson[] = [];
  for (const data of store.entries()) {
    if (data.slas.length === 0) continue;
    const checks = data.slas.flatMap((sla) => {
      const rows = slaChecks(sla, data.total);
      if (!isWindowed(sla)) return rows;
      const failed = store.failures.filter((f) => f.phase === data.phase && f.metric === data.metric).length;
      const windowMs = sla.windowMs ?? 0;
      return [...rows.map((r) => ({ ...r, windowMs })),
        { rule: 'windows' as const, at: windowMs, limit: 0, actual: failed, unit: 'count' as const, passed: failed === 0, windowMs }];
    });
    verdicts.push({ phase: data.phase, stepId: data.stepId, metric: data.metric, checks });
  }
  return verdicts;
}
