// Controller-side data of one (phase, stepId, metric) in a run: the phase total, per-agent totals, the
// per-bucket series (cluster-wide and per agent) and the windowed SLAs evaluated as buckets complete.
//
// A bucket (sequence id) is complete once a bucket `mergeDelayBuckets` later has been seen, because agents
// re-send a bucket when late responses for it arrive (Hyperfoil waits 60 buckets). Until then each agent's
// contributions are kept in their encoded form (a few hundred bytes instead of a 15 KB histogram), so holding
// 60 buckets x 16 agents x 50 metrics costs megabytes, not gigabytes.
import { decodeSnapshot, encodeSnapshot } from './codec.js';
import { evaluateSla, isWindowed, SlaWindow, windowBucketCount, type SlaSpec } from './sla.js';
import { StatsSnapshot } from './snapshot.js';
import { toSummary, type StatisticsSummary } from './summary.js';

/** Scratch snapshots shared by every MetricData of a store (the store is single-threaded). */
export interface MergeScratch {
  readonly decoded: StatsSnapshot;
  readonly agentSum: StatsSnapshot;
  readonly bucketSum: StatsSnapshot;
}

export function createMergeScratch(): MergeScratch {
  return {
    decoded: new StatsSnapshot('int32'),
    agentSum: new StatsSnapshot('float64'),
    bucketSum: new StatsSnapshot('float64'),
  };
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

  private readonly pending = new Map<number, Map<string, Uint8Array[]>>();
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
    } else {
      let byAgent = this.pending.get(sequenceId);
      if (byAgent === undefined) {
        byAgent = new Map();
        this.pending.set(sequenceId, byAgent);
      }
      let list = byAgent.get(agent);
      if (list === undefined) {
        list = [];
        byAgent.set(agent, list);
      }
      list.push(encoded === undefined ? encodeSnapshot(snapshot, { compress: false }) : encoded.slice());
    }
    if (sequenceId > this.highestSequenceId) {
      this.highestSequenceId = sequenceId;
      if (!this.completed) this.mergeThrough(sequenceId - this.options.mergeDelayBuckets);
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
   * The newest bucket but one that is still pending, summed over agents (the newest is probably incomplete).
   * Returns a scratch snapshot: read it before the next call into this store.
   */
  recentSum(): StatsSnapshot | undefined {
    let last = -1;
    for (const sequenceId of this.pending.keys()) if (sequenceId > last) last = sequenceId;
    const byAgent = this.pending.get(last - 1);
    if (byAgent === undefined) return undefined;
    const sum = this.options.scratch.bucketSum.reset();
    for (const list of byAgent.values()) {
      for (const bytes of list) sum.add(decodeSnapshot(bytes, this.options.scratch.decoded));
    }
    return sum;
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

  private mergeThrough(lastSequenceId: number): void {
    while (this.nextMergeSequenceId <= lastSequenceId) this.mergeBucket(this.nextMergeSequenceId++);
  }

  private mergeBucket(sequenceId: number): void {
    const { decoded, agentSum, bucketSum } = this.options.scratch;
    bucketSum.reset();
    const byAgent = this.pending.get(sequenceId);
    if (byAgent !== undefined) {
      this.pending.delete(sequenceId);
      for (const [agent, list] of byAgent) {
        agentSum.reset();
        for (const bytes of list) agentSum.add(decodeSnapshot(bytes, decoded));
        let agentList = this.agentSeries.get(agent);
        if (agentList === undefined) {
          agentList = [];
          this.agentSeries.set(agent, agentList);
        }
        agentList.push(toSummary(agentSum));
        bucketSum.add(agentSum);
      }
    }
    if (!bucketSum.isEmpty) this.series.push(toSummary(bucketSum));
    for (const { sla, window } of this.windows) {
      window.add(bucketSum);
      if (window.isFull) {
        const message = evaluateSla(sla, window.current);
        if (message !== null) this.options.onSlaFailure(this, message, window.current);
      }
    }
  }
}
