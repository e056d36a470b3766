/**
 * `GET /metrics`: the controller's figures in the OpenMetrics text format, for Prometheus. Exposed: every run that is
 * going and the most recent run (so the last seconds of a finished run are scraped too). Per run, phase and metric:
 * the request, response, error, timeout, invalid and status-class counters, and the response time as a histogram
 * whose buckets are exact counts of the merged HdrHistogram of all agents (see cumulativeCountsAtOrBelow); per run
 * and phase the load generator's figures. Read through the RunService, the same store the REST API answers from.
 * The labels are documented in README.md (section "Prometheus").
 */
import type { PhaseGeneratorLoadJson, RequestStats } from '../../stats/index.js';
import { cumulativeCountsAtOrBelow, decodeHistogram, httpCount } from '../../stats/index.js';
import type { RunJson, RunService } from '../api.js';

export const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Upper bounds of the response-time buckets, in seconds: 100 μs to 60 s (the histogram's range). */
export const LATENCY_BOUNDS_SECONDS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

type Labels = ReadonlyArray<readonly [string, string]>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  return labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

function number(value: number): string {
  return Number.isFinite(value) ? String(value) : 'NaN';
}

/** One metric family: its TYPE/HELP (and UNIT) lines, then its samples. */
class Family {
  readonly samples: string[] = [];
  constructor(readonly name: string, readonly type: 'counter' | 'gauge' | 'histogram', readonly help: string, readonly unit?: string) {}

  add(suffix: string, labels: Labels, value: number): void {
    this.samples.push(`${this.name}${suffix}${labelText(labels)} ${number(value)}`);
  }

  text(): string {
    const head = [`# TYPE ${this.name} ${this.type}`, ...(this.unit ? [`# UNIT ${this.name} ${this.unit}`] : []), `# HELP ${this.name} ${this.help}`];
    return [...head, ...this.samples].join('\n');
  }
}

function counters(): Record<string, Family> {
  return {
    requests: new Family('hyperfoil_requests', 'counter', 'Requests sent.'),
    responses: new Family('hyperfoil_responses', 'counter', 'Responses received (with a latency in the histogram).'),
    statuses: new Family('hyperfoil_responses_by_status', 'counter', 'Responses by HTTP status class (label status: 2xx, 3xx, 4xx, 5xx, other).'),
    connectionErrors: new Family('hyperfoil_connection_errors', 'counter', 'Requests that failed on the connection (refused, reset, TLS...).'),
    internalErrors: new Family('hyperfoil_internal_errors', 'counter', 'Requests that failed inside the load driver.'),
    timeouts: new Family('hyperfoil_request_timeouts', 'counter', 'Requests that timed out.'),
    invalid: new Family('hyperfoil_invalid_responses', 'counter', 'Responses marked invalid (by default 4xx and 5xx).'),
    blocked: new Family('hyperfoil_blocked_seconds', 'counter', 'Time sessions waited for a free connection.', 'seconds'),
    latency: new Family('hyperfoil_response_time_seconds', 'histogram', 'Response time, merged over all agents.', 'seconds'),
  };
}

function generatorFamilies(): Record<string, Family> {
  return {
    scheduled: new Family('hyperfoil_generator_scheduled_starts', 'counter', 'Session starts the open model scheduled.'),
    late: new Family('hyperfoil_generator_late_starts', 'counter', 'Scheduled starts later than the lateness limit.'),
    throttled: new Family('hyperfoil_generator_throttled_starts', 'counter', 'Starts delayed because no session was free.'),
    dropped: new Family('hyperfoil_generator_dropped_starts', 'counter', 'Starts dropped because no session was free.'),
    lateness: new Family('hyperfoil_generator_lateness_p99_seconds', 'gauge', 'p99 of how late scheduled starts happened.', 'seconds'),
    loopLag: new Family('hyperfoil_generator_loop_lag_p99_seconds', 'gauge', 'p99 event-loop lag of the load threads.', 'seconds'),
    saturated: new Family('hyperfoil_generator_saturated', 'gauge', '1 when the load generator could not keep up in the phase.'),
  };
}

/** The runs to expose: those going, and the most recent one. */
function exposedRuns(runs: RunService): RunJson[] {
  const list = runs.list().filter((r) => !r.completed);
  const last = runs.get('last');
  if (last !== undefined && !list.some((r) => r.id === last.id)) list.push(last);
  return list;
}


function addMetric(families: Record<string, Family>, runs: RunService, run: RunJson, row: RequestStats): void {
  const labels: Labels = [['run', run.id], ['benchmark', run.benchmark], ['phase', row.phase], ['metric', row.metric]];
  const s = row.summary;
  families.requests!.add('_total', labels, s.requestCount);
  families.responses!.add('_total', labels, s.responseCount);
  for (const status of ['2xx', '3xx', '4xx', '5xx', 'other']) {
    families.statuses!.add('_total', [...labels, ['status', status]], httpCount(row, `status_${status}`));
  }
  families.connectionErrors!.add('_total', labels, s.connectionErrors);
  families.internalErrors!.add('_total', labels, s.internalErrors);
  families.timeouts!.add('_total', labels, s.requestTimeouts);
  families.invalid!.add('_total', labels, s.invalid);
  families.blocked!.add('_total', labels, s.blockedTime / 1e9);
  const encoded = (runs.histogram(run.id, row.phase, row.stepId, row.metric) as Array<{ data?: unknown }> | undefined)?.[0]?.data;
  if (typeof encoded !== 'string') return; // a stored run: counters only
  const histogram = decodeHistogram(Buffer.from(encoded, 'base64'));
  const cumulative = cumulativeCountsAtOrBelow(histogram, LATENCY_BOUNDS_SECONDS.map((s) => Math.round(s * 1e9)));
  LATENCY_BOUNDS_SECONDS.forEach((bound, i) => families.latency!.add('_bucket', [...labels, ['le', String(bound)]], cumulative[i]!));
  families.latency!.add('_bucket', [...labels, ['le', '+Inf']], histogram.totalCount);
  families.latency!.add('_count', labels, histogram.totalCount);
  families.latency!.add('_sum', labels, (s.meanResponseTime * histogram.totalCount) / 1e9);
}

function addGenerator(families: Record<string, Family>, run: RunJson, phase: PhaseGeneratorLoadJson): void {
  const labels: Labels = [['run', run.id], ['benchmark', run.benchmark], ['phase', phase.phase]];
  families.scheduled!.add('_total', labels, phase.scheduledStarts);
  families.late!.add('_total', labels, phase.lateStarts);
  families.throttled!.add('_total', labels, phase.throttledStarts);
  families.dropped!.add('_total', labels, phase.droppedStarts);
  families.lateness!.add('', labels, phase.latenessP99 / 1e9);
  families.loopLag!.add('', labels, phase.loopLagP99 / 1e9);
  families.saturated!.add('', labels, phase.saturated ? 1 : 0);
}

export function renderOpenMetrics(runs: RunService): string {
  const running = new Family('hyperfoil_run_running', 'gauge', '1 while the run is going, 0 once it has ended.');
  const metrics = counters();
  const generator = generatorFamilies();
  for (const run of exposedRuns(runs)) {
    running.add('', [['run', run.id], ['benchmark', run.benchmark]], run.completed ? 0 : 1);
    for (const row of runs.statsTotal(run.id)?.statistics ?? []) addMetric(metrics, runs, run, row);
    for (const phase of runs.generatorLoad?.(run.id) ?? []) addGenerator(generator, run, phase);
  }
  const families = [running, ...Object.values(metrics), ...Object.values(generator)].filter((f) => f.samples.length > 0);
  return `${families.map((f) => f.text()).join('\n')}${families.length > 0 ? '\n' : ''}# EOF\n`;
}
