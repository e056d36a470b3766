// Controller-side data of one (phase, stepId, metric) in a run: the phase total, per-agent totals, the
// per-bucket series (cluster-wide and per agent) and the windowed SLAs evaluated as buckets complete.
//
// A bucket (sequence id) is complete once a bucket `mergeDelayBuckets` later has been seen, because agents
// re-send a bucket when late responses for it arrive (Hyperfoil waits 60 buckets). Until then it is pending:
//  - the cluster-wide sum of the newest HOT_BUCKETS buckets is kept dense (cheap to add to); older pending
//    buckets, which only receive late re-sends, are kept encoded (about 1 KB instead of a 15 KB histogram), so
//    60 buckets x 50 metrics cost megabytes, not gigabytes;
//  - each agent's part is summarized when it arrives (that is its series entry) and its bytes are kept only in
//    case a re-send for the same bucket arrives, when the summary is recomputed from all the parts.
import { decodeSnapshot, encodeSnapshot } from './codec.js';
import { evaluateSla, isWindowed, SlaWindow, windowBucketCount, type SlaSpec } from './sla.js';
import { StatsSnapshot } from './snapshot.js';
import type { SnapshotPool } from './snapshot-pool.js';
import { toSummary, type StatisticsSummary } from './summary.js';

/** Pending buckets this close to the newest one keep a dense cluster-wide sum. */
export const HOT_BUCKETS = 3;

/** Scratch snapshots and the pool shared by every MetricData of a store (the store is single-threaded). */
export interface MergeScratch {
  readonly decoded: StatsSnapshot;
  readonly agentSum: StatsSnapshot;
  readonly bucketSum: StatsSnapshot;
  readonly pool: SnapshotPool;
}

/** What MetricData reports to its store when an SLA fails. */
export type SlaFailureSink = (data: MetricData, message: string, statistics: StatsSnapshot) => void;

export interface MetricDataOptions {
  readonly periodMs: number;
  readonly mergeDelayBuckets: number;
  readonly slas: readonly SlaSpec[];
  readonly scratch: MergeScratch;
  readonly onSlaFailure: SlaFailureSink;
}

interface AgentPart {
  /** Encoded contributions (usually one; more when the agent re-sent the bucket). */
  readonly parts: Uint8Array[];
  /** Summary of the single part; undefined once there are several (recomputed at merge). */
  summary: StatisticsSummary | undefined;
}

interface PendingBucket {
  /** Dense cluster-wide sum while the bucket is hot. */
  hot: StatsSnapshot | undefined;
  /** Encoded cluster-wide parts once it went cold (its frozen sum, then late re-sends). */
  readonly cold: Uint8Array[];
  readonly agents: Map<string, AgentPart>;
}

export class MetricData {
  readonly total = new StatsSnapshot('float64');
  readonly perAgent = new Map<string, StatsSnapshot>();
  readonly series: StatisticsSummary[] = [];
  readonly agentSeries = new Map<string, StatisticsSummary[]>();
  /**
   * Snapshots that arrived for a bucket already merged (or after completion): counted in the totals, missing
   * from the series.
   */
  lateSnapshots = 0;
  completed = false;

  private readonly pending = new Map<number, PendingBucket>();
  private highestSequenceId = -1;
  private nextMergeSequenceId = 0;
  private readonly windows: ReadonlyArray<{ readonly sla: SlaSpec; readonly window: SlaWindow }>;
  private readonly wholePhaseSlas: readonly SlaSpec[];

  constructor(
    readonly phase: string,
    readonly stepId: number,
    readonly metric: string,
    private readonly options: MetricDataOptions,
  ) {
    this.windows = options.slas
      .filter(isWindowed)
      .map((sla) => ({ sla, window: new SlaWindow(windowBucketCount(sla, options.periodMs)) }));
    this.wholePhaseSlas = options.slas.filter((sla) => !isWindowed(sla));
  }

  /** The SLAs of this metric (whole-phase and windowed). */
  get slas(): readonly SlaSpec[] {
    return this.options.slas;
  }

  /**
   * Add one agent's snapshot of bucket `sequenceId`. `encoded` (its encodeSnapshot bytes, if the caller has
   * them) is copied and kept instead of re-encoding the snapshot.
   */
  add(agent: string, sequenceId: number, snapshot: StatsSnapshot, encoded?: Uint8Array): void {
    this.total.add(snapshot);
    let agentTotal = this.perAgent.get(agent);
    if (agentTotal === undefined) {
      agentTotal = new StatsSnapshot('float64');
      this.perAgent.set(agent, agentTotal);
    }
    agentTotal.add(snapshot);
    if (this.completed || sequenceId < this.nextMergeSequenceId) {
      this.lateSnapshots++;
      return;
    }
    const bytes = encoded === undefined ? encodeSnapshot(snapshot, { compress: false }) : encoded.slice();
    let bucket = this.pending.get(sequenceId);
    if (bucket === undefined) {
      const hot = sequenceId > this.highestSequenceId - HOT_BUCKETS ? this.options.scratch.pool.acquire() : undefined;
      bucket = { hot, cold: [], agents: new Map() };
      this.pending.set(sequenceId, bucket);
    }
    if (bucket.hot !== undefined) bucket.hot.add(snapshot);
    else bucket.cold.push(bytes);
    const part = bucket.agents.get(agent);
    if (part === undefined) bucket.agents.set(agent, { parts: [bytes], summary: toSummary(snapshot) });
    else {
      part.parts.push(bytes);
      part.summary = undefined;
    }
    if (sequenceId > this.highestSequenceId) {
      this.highestSequenceId = sequenceId;
      this.freeze(sequenceId - HOT_BUCKETS);
      this.mergeThrough(sequenceId - this.options.mergeDelayBuckets);
    }
  }

  /** Merge every remaining bucket, then check the whole-phase SLAs against the total. */
  complete(wholePhaseSlas: readonly SlaSpec[] = this.wholePhaseSlas): void {
    if (this.completed) return;
    this.mergeThrough(this.highestSequenceId);
    for (const sla of wholePhaseSlas) {
      const message = evaluateSla(sla, this.total);
      if (message !== null) this.options.onSlaFailure(this, message, this.total);
    }
    this.completed = true;
  }

  /**
   * The newest pending bucket but one, summed over agents (the newest is probably incomplete). Returns a
   * snapshot owned by the store: read it before the next call into the store.
   */
  recentSum(): StatsSnapshot | undefined {
    let last = -1;
    for (const sequenceId of this.pending.keys()) if (sequenceId > last) last = sequenceId;
    const bucket = this.pending.get(last - 1);
    return bucket === undefined ? undefined : this.clusterSum(bucket);
  }

  /**
   * The newest pending bucket that ended by `endedByMs`, summed over agents (only the hot ones are looked at: this
   * is for live progress). Store-owned: read it before the next call into the store.
   */
  latestSum(endedByMs: number): StatsSnapshot | undefined {
    const newest = [...this.pending.keys()].sort((a, b) => b - a).slice(0, HOT_BUCKETS);
    for (const sequenceId of newest) {
      const sum = this.clusterSum(this.pending.get(sequenceId)!);
      if (sum.endMs <= endedByMs) return sum;
    }
    return undefined;
  }

  /** Sanity checks Hyperfoil also runs at completion: the series and per-agent data must add up to the total. */
  consistencyProblems(): string[] {
    const problems: string[] = [];
    const requests = this.total.requestCount;
    const seriesRequests = this.series.reduce((sum, s) => sum + s.requestCount, 0);
    if (seriesRequests !== requests) {
      problems.push(`series hold ${seriesRequests} requests but the total is ${requests}`);
    }
    let agentSeriesRequests = 0;
    for (const list of this.agentSeries.values()) for (const s of list) agentSeriesRequests += s.requestCount;
    if (agentSeriesRequests !== requests) {
      problems.push(`agent series hold ${agentSeriesRequests} requests but the total is ${requests}`);
    }
    let perAgentRequests = 0;
    for (const snapshot of this.perAgent.values()) perAgentRequests += snapshot.requestCount;
    if (perAgentRequests !== requests) {
      problems.push(`per-agent totals hold ${perAgentRequests} requests but the total is ${requests}`);
    }
    return problems;
  }

  /** Buckets not merged yet, and how many of them hold a dense sum (for memory accounting and tests). */
  pendingBuckets(): { total: number; hot: number } {
    let hot = 0;
    for (const bucket of this.pending.values()) if (bucket.hot !== undefined) hot++;
    return { total: this.pending.size, hot };
  }

  /** Buckets at or below `sequenceId` stop being hot: their dense sum is encoded and returned to the pool. */
  private freeze(sequenceId: number): void {
    for (const [id, bucket] of this.pending) {
      if (id > sequenceId || bucket.hot === undefined) continue;
      bucket.cold.push(encodeSnapshot(bucket.hot, { compress: false }));
      this.options.scratch.pool.release(bucket.hot);
      bucket.hot = undefined;
    }
  }

  private clusterSum(bucket: PendingBucket): StatsSnapshot {
    if (bucket.hot !== undefined) return bucket.hot;
    const { decoded, bucketSum } = this.options.scratch;
    bucketSum.reset();
    for (const bytes of bucket.cold) bucketSum.add(decodeSnapshot(bytes, decoded));
    return bucketSum;
  }

  private mergeThrough(lastSequenceId: number): void {
    while (this.nextMergeSequenceId <= lastSequenceId) this.mergeBucket(this.nextMergeSequenceId++);
  }

  private mergeBucket(sequenceId: number): void {
    const bucket = this.pending.get(sequenceId);
    let sum: StatsSnapshot;
    if (bucket === undefined) {
      sum = this.options.scratch.bucketSum.reset();
    } else {
      this.pending.delete(sequenceId);
      for (const [agent, part] of bucket.agents) {
        let agentList = this.agentSeries.get(agent);
        if (agentList === undefined) {
          agentList = [];
          this.agentSeries.set(agent, agentList);
        }
        agentList.push(part.summary ?? this.summarizeParts(part.parts));
      }
      sum = this.clusterSum(bucket);
    }
    if (!sum.isEmpty) this.series.push(toSummary(sum));
    for (const { sla, window } of this.windows) {
      window.add(sum);
      if (window.isFull) {
        const message = evaluateSla(sla, window.current);
        if (message !== null) this.options.onSlaFailure(this, message, window.current);
      }
    }
    if (bucket?.hot !== undefined) {
      this.options.scratch.pool.release(bucket.hot);
      bucket.hot = undefined;
    }
  }

  private summarizeParts(parts: readonly Uint8Array[]): StatisticsSummary {
    const { decoded, agentSum } = this.options.scratch;
    agentSum.reset();
    for (const bytes of parts) agentSum.add(decodeSnapshot(bytes, decoded));
    return toSummary(agentSum);
  }
}
