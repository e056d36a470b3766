// The controller's statistics of one run (Hyperfoil's StatisticsStore): every agent's per-bucket snapshots go
// in; totals, series, recent figures, SLA failures and session figures come out for the REST API, the CLI,
// the CSV files and all.json.
import { decodeSnapshot } from './codec.js';
import { MetricData, type MergeScratch } from './metric-data.js';
import { SessionStats } from './session-stats.js';
import { SnapshotPool } from './snapshot-pool.js';
import { isWindowed, type SlaSpec } from './sla.js';
import { StatsSnapshot } from './snapshot.js';
import { fromIntendedStartJson, toSummary, type FromIntendedStartJson, type StatisticsSummary } from './summary.js';
import { DEFAULT_COLLECTION_PERIOD_MS } from './recorder.js';

/** The SLAs of a (phase, step, metric): the step's `sla` list, or the phase's customSla for stepId 0. */
export type SlaResolver = (phase: string, stepId: number, metric: string) => readonly SlaSpec[] | undefined;

export interface SlaFailure {
  readonly phase: string;
  /** null for failures that concern the whole phase (e.g. "Exceeded session limit"). */
  readonly metric: string | null;
  readonly message: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Statistics the failure was found in (a window or the phase total); zero counters for non-SLA failures. */
  readonly summary: StatisticsSummary;
}

/** One item of the REST RequestStatisticsResponse.statistics array. */
export interface RequestStats {
  phase: string;
  stepId: number;
  metric: string;
  summary: StatisticsSummary;
  failedSLAs: string[];
  isWarmup: boolean;
  /** totalWithIntendedStart() only, open-model phases: latency from the intended start (see StatsSnapshot). */
  fromIntendedStart?: FromIntendedStartJson;
}

/** A count of the summary's `http` extension (`status_2xx`, `cacheHits` …); 0 when absent. */
export function httpCount(row: RequestStats, key: string): number {
  const value = (row.summary.extensions.http as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'number' ? value : 0;
}

export interface StatisticsStoreOptions {
  /** statisticsCollectionPeriod (ms), the bucket length. Default 1000. */
  readonly periodMs?: number;
  /**
   * A bucket is complete (merged into the series and checked by windowed SLAs) once a bucket this many periods
   * newer has arrived. Default 60 (Hyperfoil's); at least 2, because recent() reads the newest bucket but one.
   */
  readonly mergeDelayBuckets?: number;
  /** Failures kept (more are passed to onFailure but not stored). Default 100. */
  readonly maxFailures?: number;
  readonly slas?: SlaResolver;
  readonly isWarmup?: (phase: string) => boolean;
  readonly onFailure?: (failure: SlaFailure) => void;
}

export const DEFAULT_MERGE_DELAY_BUCKETS = 60;
export const DEFAULT_MAX_FAILURES = 100;
/** recent() ignores buckets that started longer ago than this. */
export const RECENT_MAX_AGE_MS = 5000;

export class StatisticsStore {
  readonly periodMs: number;
  readonly mergeDelayBuckets: number;
  readonly sessions = new SessionStats();
  private readonly data = new Map<string, MetricData>();
  private readonly failureList: SlaFailure[] = [];
  private readonly scratch: MergeScratch = {
    decoded: new StatsSnapshot('int32'),
    agentSum: new StatsSnapshot('float64'),
    bucketSum: new StatsSnapshot('float64'),
    pool: new SnapshotPool('int32', 1024),
  };
  private readonly decodeScratch = new StatsSnapshot('int32');
  private readonly progressSum = new StatsSnapshot('float64');

  constructor(private readonly options: StatisticsStoreOptions = {}) {
    this.periodMs = options.periodMs ?? DEFAULT_COLLECTION_PERIOD_MS;
    this.mergeDelayBuckets = options.mergeDelayBuckets ?? DEFAULT_MERGE_DELAY_BUCKETS;
    if (!(this.periodMs > 0)) throw new RangeError(`periodMs must be positive, got ${this.periodMs}`);
    if (!Number.isInteger(this.mergeDelayBuckets) || this.mergeDelayBuckets < 2) {
      throw new RangeError(`mergeDelayBuckets must be an integer >= 2, got ${this.mergeDelayBuckets}`);
    }
  }

  /** Add one agent's snapshot of bucket `sequenceId` (the store copies what it keeps). */
  add(agent: string, phase: string, stepId: number, metric: string, sequenceId: number, snapshot: StatsSnapshot): void {
    this.dataFor(phase, stepId, metric).add(agent, sequenceId, snapshot);
  }

  /**
   * Same as add() for bytes straight from the wire (encodeSnapshot output): decoded once, and the bytes are kept
   * as the pending copy. Throws StatsDecodeError on malformed bytes (nothing is added then).
   */
  addEncoded(
    agent: string,
    phase: string,
    stepId: number,
    metric: string,
    sequenceId: number,
    encoded: Uint8Array,
  ): void {
    const snapshot = decodeSnapshot(encoded, this.decodeScratch);
    this.dataFor(phase, stepId, metric).add(agent, sequenceId, snapshot, encoded);
  }

  /**
   * Every agent has sent all of the phase's statistics: merge what is pending and validate the whole-phase
   * SLAs (those of the store's resolver, or of `slas` when given).
   */
  completePhase(phase: string, slas?: SlaResolver): void {
    for (const data of this.data.values()) {
      if (data.phase !== phase) continue;
      data.complete(slas === undefined ? undefined : (slas(data.phase, data.stepId, data.metric) ?? []).filter((sla) => !isWindowed(sla)));
    }
  }

  /** Widen the phase totals' interval to the phase's real start and completion (short phases, few requests). */
  adjustPhaseTimestamps(phase: string, startMs: number, endMs: number): void {
    for (const data of this.data.values()) {
      if (data.phase !== phase) continue;
      data.total.startMs = Math.min(data.total.startMs, startMs);
      data.total.endMs = Math.max(data.total.endMs, endMs);
    }
  }

  /** A failure that is not an SLA check (session limit exceeded, agent error...). */
  addFailure(phase: string, metric: string | null, message: string, startMs: number, endMs: number): void {
    this.pushFailure({
      phase,
      metric,
      message,
      startMs,
      endMs,
      summary: toSummary(new StatsSnapshot('int32').setInterval(startMs, endMs)),
    });
  }

  recordSessions(agent: string, phase: string, timestampMs: number, minSessions: number, maxSessions: number): void {
    this.sessions.record(agent, phase, timestampMs, minSessions, maxSessions);
  }

  get failures(): readonly SlaFailure[] {
    return this.failureList;
  }

  /** True while no SLA or other failure was recorded. */
  get passed(): boolean {
    return this.failureList.length === 0;
  }

  /** REST stats/recent: the newest complete-ish bucket of each metric, if it started within 5 s of `nowMs`. */
  recent(nowMs: number, maxAgeMs: number = RECENT_MAX_AGE_MS): RequestStats[] {
    const result: RequestStats[] = [];
    for (const data of this.data.values()) {
      const sum = data.recentSum();
      if (sum === undefined || sum.isEmpty || sum.startMs < nowMs - maxAgeMs) continue;
      result.push(this.requestStats(data, toSummary(sum)));
    }
    return sortRequestStats(result);
  }

  /**
   * Live progress: the newest one-second bucket of `phase` that ended by `endedByMs`, summed over its metrics and
   * agents, or undefined when there is none. Store-owned: read it before the next call into the store.
   */
  latestPhaseBucket(phase: string, endedByMs: number): StatsSnapshot | undefined {
    // One pass, one latestSum per metric (it may decode every agent's snapshot): a newer bucket restarts the sum.
    let newestEndMs = -1;
    const sum = this.progressSum.reset();
    for (const data of this.data.values()) {
      if (data.phase !== phase) continue;
      const latest = data.latestSum(endedByMs);
      if (latest === undefined || latest.endMs < newestEndMs) continue;
      if (latest.endMs > newestEndMs) {
        sum.reset();
        newestEndMs = latest.endMs;
      }
      sum.add(latest); // added before the next call reuses it
    }
    return newestEndMs < 0 ? undefined : sum;
  }

  /** REST stats/total: whole-phase figures of every metric. */
  total(): RequestStats[] {
    const result: RequestStats[] = [];
    for (const data of this.data.values()) result.push(this.requestStats(data, toSummary(data.total)));
    return sortRequestStats(result);
  }

  /**
   * total() with each open-model metric's latency from the intended start, for our own tables. Kept out of the REST
   * shape (total()), which Hyperfoil's clients read.
   */
  totalWithIntendedStart(): RequestStats[] {
    const result: RequestStats[] = [];
    for (const data of this.data.values()) {
      const stats = this.requestStats(data, toSummary(data.total));
      const intended = fromIntendedStartJson(data.total);
      if (intended !== undefined) stats.fromIntendedStart = intended;
      result.push(stats);
    }
    return sortRequestStats(result);
  }

  /** Every (phase, step, metric) sorted by phase, metric, stepId (the CSV and JSON order). */
  entries(): MetricData[] {
    return [...this.data.values()].sort(
      (a, b) => compareStrings(a.phase, b.phase) || compareStrings(a.metric, b.metric) || a.stepId - b.stepId,
    );
  }

  get(phase: string, stepId: number, metric: string): MetricData | undefined {
    return this.data.get(dataKey(phase, stepId, metric));
  }

  /** Names of the agents that sent statistics, sorted. */
  agents(): string[] {
    const names = new Set<string>();
    for (const data of this.data.values()) for (const agent of data.perAgent.keys()) names.add(agent);
    return [...names].sort(compareStrings);
  }

  isWarmup(phase: string): boolean {
    return this.options.isWarmup?.(phase) ?? false;
  }

  /** Messages of the failures that concern this phase and metric (or the whole phase). */
  failedSlas(phase: string, metric: string): string[] {
    return this.failureList
      .filter((f) => f.phase === phase && (f.metric === null || f.metric === metric))
      .map((f) => f.message);
  }

  /** Problems found by the sanity checks of completed metrics (lost or late data), for the log. */
  consistencyProblems(): string[] {
    const problems: string[] = [];
    for (const data of this.entries()) {
      if (!data.completed) problems.push(`phase ${data.phase} metric ${data.metric} was not completed`);
      for (const problem of data.consistencyProblems()) {
        problems.push(`phase ${data.phase} metric ${data.metric}: ${problem}`);
      }
    }
    return problems;
  }

  private dataFor(phase: string, stepId: number, metric: string): MetricData {
    const key = dataKey(phase, stepId, metric);
    let data = this.data.get(key);
    if (data === undefined) {
      data = new MetricData(phase, stepId, metric, {
        periodMs: this.periodMs,
        mergeDelayBuckets: this.mergeDelayBuckets,
        slas: this.options.slas?.(phase, stepId, metric) ?? [],
        scratch: this.scratch,
        onSlaFailure: (failed, message, statistics) =>
          this.pushFailure({
            phase: failed.phase,
            metric: failed.metric,
            message,
            startMs: statistics.startMs,
            endMs: statistics.endMs,
            summary: toSummary(statistics),
          }),
      });
      this.data.set(key, data);
    }
    return data;
  }

  private pushFailure(failure: SlaFailure): void {
    if (this.failureList.length < (this.options.maxFailures ?? DEFAULT_MAX_FAILURES)) this.failureList.push(failure);
    this.options.onFailure?.(failure);
  }

  private requestStats(data: MetricData, summary: StatisticsSummary): RequestStats {
    return {
      phase: data.phase,
      stepId: data.stepId,
      metric: data.metric,
      summary,
      failedSLAs: this.failedSlas(data.phase, data.metric),
      isWarmup: this.isWarmup(data.phase),
    };
  }
}

function dataKey(phase: string, stepId: number, metric: string): string {
  return `${phase}\u0000${stepId}\u0000${metric}`;
}

/** Java String.compareTo order (UTF-16 code units), which is also JS's default sort order. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortRequestStats(list: RequestStats[]): RequestStats[] {
  return list.sort(
    (a, b) =>
      a.summary.startTime - b.summary.startTime ||
      compareStrings(a.phase, b.phase) ||
      compareStrings(a.metric, b.metric),
  );
}
