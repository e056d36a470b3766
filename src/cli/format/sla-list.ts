/**
 * Every SLA condition of a run, one line each with ✓ or ✗, the limit and the actual value in units (ms, %,
 * windows), from all.json's `sla` shape (slaVerdictsJson). Hyperfoil's failure messages print raw nanoseconds and
 * only the first failure; this lists what passed too.
 */
import type { SlaCheckJson, SlaVerdictJson } from '../../stats/index.js';
import { renderTable } from './table.js';
import { formatNanos } from './units.js';

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))} %`;
}

function value(check: SlaCheckJson, v: number): string {
  if (check.unit === 'ns') return formatNanos(v);
  if (check.unit === 'ratio') return percent(v);
  return String(v);
}

/** `p99 <`, `error ratio <`, ... as the condition that must hold. */
export function slaCondition(check: SlaCheckJson): string {
  const window = check.windowMs !== undefined && check.rule !== 'windows' ? ` (whole phase; checked per ${check.windowMs / 1000} s window)` : '';
  switch (check.rule) {
    case 'errorRatio': return `error ratio <${window}`;
    case 'invalidRatio': return `invalid ratio <${window}`;
    case 'meanResponseTime': return `mean response time <${window}`;
    case 'blockedRatio': return `blocked ratio <=${window}`;
    case 'percentile': return `p${check.at ?? 0} <${window}`;
    case 'windows': return `failed ${(check.at ?? 0) / 1000} s windows =`;
  }
}

interface SlaRow {
  readonly mark: string;
  readonly where: string;
  readonly check: SlaCheckJson;
}

/** A ratio limit above 100 % (the defaults of errorRatio and invalidRatio) can never fail: not worth a line. */
function canFail(check: SlaCheckJson): boolean {
  return !(check.unit === 'ratio' && check.limit > 1 && check.passed);
}

export function renderSlaList(verdicts: readonly SlaVerdictJson[]): string {
  const rows: SlaRow[] = verdicts.flatMap((v) => v.checks.filter(canFail)
    .map((check) => ({ mark: check.passed ? '✓' : '✗', where: `${v.phase}/${v.metric}`, check })));
  if (rows.length === 0) return '';
  return `SLAs:\n${renderTable(rows, [
    { title: '', value: (r) => r.mark },
    { title: 'METRIC', value: (r) => r.where },
    { title: 'CONDITION', value: (r) => slaCondition(r.check) },
    { title: 'LIMIT', value: (r) => value(r.check, r.check.limit), align: 'right' },
    { title: 'ACTUAL', value: (r) => value(r.check, r.check.actual), align: 'right' },
  ]).split('\n').map((line) => `  ${line}`).join('\n')}`;
}
