// Worker-side recording for one (phase, step, metric): a series of buckets of `periodMs` (Hyperfoil's
// statisticsCollectionPeriod, 1 s by default) aligned to the phase start. A sample goes to the bucket of its
// request's START time, whenever it completes; bucket i covers [phaseStart + i*period, phaseStart + (i+1)*period)
// and i is the sequence id the controller merges by.
//
// Closed buckets (their interval is over) are drained once per period and sent. A late sample for a bucket
// already drained opens that bucket again and is sent with the same sequence id next time; the controller adds
// it to what it has (Hyperfoil's agents behave the same).
//
// Hot path: the engine resolves its recorder once when the benchmark is compiled and then calls bucketFor()
// (or the record* helpers) with the request's start time. The two most recent buckets are cached, so a call is
// two comparisons and no allocation; a Map lookup happens once per bucket change.
import type { StatsSnapshot } from './snapshot.js';
import { SnapshotPool } from './snapshot-pool.js';

export interface DrainedBucket {
  /** Bucket index since the phase start. */
  readonly sequenceId: number;
  /** The bucket; ownership passes to the caller (give it back with release() once encoded, if you like). */
  readonly snapshot: StatsSnapshot;
}

/** A counter of an extension (e.g. transfer/transfersize/sent), resolved once at compile time. */
export interface ExtensionSlot {
  readonly key: string;
  readonly type: string;
  readonly name: string;
}

export const DEFAULT_COLLECTION_PERIOD_MS = 1000;

export class StatsRecorder {
  private phaseStartMs = Number.NaN;
  private phaseEndMs = Number.POSITIVE_INFINITY;
  private readonly buckets = new Map<number, StatsSnapshot>();
  // Two-entry cache: the newest bucket and the one before (late responses keep hitting it for a while).
  private current: StatsSnapshot | undefined;
  private currentFromMs = Number.POSITIVE_INFINITY;
  private currentToMs = Number.NEGATIVE_INFINITY;
  private currentIndex = -1;
  private previous: StatsSnapshot | undefined;
  private previousFromMs = Number.POSITIVE_INFINITY;
  private previousToMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly phaseId: number,
    readonly phaseName: string,
    readonly stepId: number,
    readonly metric: string,
    readonly periodMs: number = DEFAULT_COLLECTION_PERIOD_MS,
    private readonly pool: SnapshotPool = new SnapshotPool(),
  ) {
    if (!(periodMs > 0)) throw new RangeError(`statisticsCollectionPeriod must be positive, got ${periodMs} ms`);
  }

  /** Align buckets to the phase start (epoch ms, the same value on every worker and agent). Clears old data. */
  start(phaseStartMs: number): void {
    for (const bucket of this.buckets.values()) this.pool.release(bucket);
    this.buckets.clear();
    this.invalidateCache();
    this.phaseStartMs = phaseStartMs;
    this.phaseEndMs = Number.POSITIVE_INFINITY;
  }

  /** The phase ended: the last bucket's interval is cut at `phaseEndMs`. */
  end(phaseEndMs: number): void {
    this.phaseEndMs = phaseEndMs;
  }

  get started(): boolean {
    return !Number.isNaN(this.phaseStartMs);
  }

  /** The bucket for a request that started at `startMs` (epoch ms). Mutate its counters directly. */
  bucketFor(startMs: number): StatsSnapshot {
    if (startMs >= this.currentFromMs && startMs < this.currentToMs) return this.current!;
    if (startMs >= this.previousFromMs && startMs < this.previousToMs) return this.previous!;
    return this.lookup(startMs);
  }

  recordRequest(startMs: number): void {
    this.bucketFor(startMs).requestCount++;
  }

  /** A response: latency into the histogram (clamped to [0, 60 s]), responseCount + 1. */
  recordResponse(startMs: number, latencyNs: number): void {
    this.bucketFor(startMs).recordResponse(latencyNs);
  }

  recordStatus(startMs: number, status: number): void {
    this.bucketFor(startMs).recordStatus(status);
  }

  recordInvalid(startMs: number): void {
    this.bucketFor(startMs).invalid++;
  }

  recordConnectionError(startMs: number): void {
    this.bucketFor(startMs).connectionErrors++;
  }

  recordRequestTimeout(startMs: number): void {
    this.bucketFor(startMs).requestTimeouts++;
  }

  recordInternalError(startMs: number): void {
    this.bucketFor(startMs).internalErrors++;
  }

  recordBlockedTime(startMs: number, blockedNs: number): void {
    this.bucketFor(startMs).blockedTimeNs += blockedNs;
  }

  recordCacheHit(startMs: number): void {
    this.bucketFor(startMs).recordCacheHit();
  }

  /** Resolve an extension counter once (compile time); use it with addToExtension(). */
  extensionSlot(key: string, type: string, name: string): ExtensionSlot {
    return { key, type, name };
  }

  addToExtension(startMs: number, slot: ExtensionSlot, delta: number): void {
    this.bucketFor(startMs).addToExtension(slot.key, slot.type, slot.name, delta);
  }

  /**
   * Remove and return the buckets whose interval ended at or before `nowMs`, in sequence order. Empty buckets
   * are recycled, not returned.
   */
  drainClosed(nowMs: number, out: DrainedBucket[] = []): DrainedBucket[] {
    if (!this.started) return out;
    const openIndex = Math.floor((nowMs - this.phaseStartMs) / this.periodMs);
    return this.drain(openIndex, out);
  }

  /** Remove and return every non-empty bucket (the phase is complete). */
  drainAll(out: DrainedBucket[] = []): DrainedBucket[] {
    return this.drain(Number.POSITIVE_INFINITY, out);
  }

  /** Give a drained snapshot back for reuse (optional). */
  release(snapshot: StatsSnapshot): void {
    this.pool.release(snapshot);
  }

  /** Buckets currently held (open, or reopened by late samples). */
  get pendingBuckets(): number {
    return this.buckets.size;
  }

  private drain(belowIndex: number, out: DrainedBucket[]): DrainedBucket[] {
    const firstOut = out.length;
    for (const [index, bucket] of this.buckets) {
      if (index >= belowIndex) continue;
      this.buckets.delete(index);
      if (bucket === this.current || bucket === this.previous) this.invalidateCache();
      if (bucket.isEmpty) {
        this.pool.release(bucket);
        continue;
      }
      const fromMs = this.phaseStartMs + index * this.periodMs;
      bucket.setInterval(fromMs, Math.min(this.phaseEndMs, fromMs + this.periodMs));
      out.push({ sequenceId: index, snapshot: bucket });
    }
    if (out.length - firstOut > 1) {
      const drained = out.splice(firstOut).sort((a, b) => a.sequenceId - b.sequenceId);
      out.push(...drained);
    }
    return out;
  }

  private lookup(startMs: number): StatsSnapshot {
    if (!this.started) this.start(startMs); // recording before start(): align to the first sample
    const relative = startMs - this.phaseStartMs;
    const index = relative > 0 ? Math.floor(relative / this.periodMs) : 0; // early samples go to bucket 0
    let bucket = this.buckets.get(index);
    if (bucket === undefined) {
      bucket = this.pool.acquire();
      this.buckets.set(index, bucket);
    }
    const fromMs = this.phaseStartMs + index * this.periodMs;
    const toMs = fromMs + this.periodMs;
    if (index >= this.currentIndex) {
      if (index !== this.currentIndex) {
        this.previous = this.current;
        this.previousFromMs = this.currentFromMs;
        this.previousToMs = this.currentToMs;
      }
      this.current = bucket;
      this.currentFromMs = fromMs;
      this.currentToMs = toMs;
      this.currentIndex = index;
    } else {
      this.previous = bucket;
      this.previousFromMs = fromMs;
      this.previousToMs = toMs;
    }
    return bucket;
  }

  private invalidateCache(): void {
    this.current = undefined;
    this.currentFromMs = Number.POSITIVE_INFINITY;
    this.currentToMs = Number.NEGATIVE_INFINITY;
    this.currentIndex = -1;
    this.previous = undefined;
    this.previousFromMs = Number.POSITIVE_INFINITY;
    this.previousToMs = Number.NEGATIVE_INFINITY;
  }
}
