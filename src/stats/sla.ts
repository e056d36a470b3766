// SLA evaluation with Hyperfoil's rules, order and messages (SLA.validate): the first rule that fails wins.
//   1. errors > 0 and errors / requests >= errorRatio
//   2. invalid > 0 and invalid / requests >= invalidRatio (0 while no response was recorded)
//   3. mean response time >= meanResponseTime (when set)
//   4. blocked > 0 and blocked / (blocked + mean * responses) > blockedRatio
//   5. for each limit in order: value at the percentile >= the limit
//
// DELIBERATE DIFFERENCE from Hyperfoil: YAML `limits: {0.99: 100ms}` means p99. The config layer stores the
// percentile on HdrHistogram's 0..100 scale (99), the protocol checks that range, and we evaluate the histogram at
// it. Hyperfoil passes the fraction straight to HdrHistogram's getValueAtPercentile, which expects 0..100, so it
// really checks about p0.99 (a value near the minimum) and practically never fails. The failure message keeps
// Hyperfoil's wording and prints the fraction as configured ("percentile 0.990000").
import { javaFixed } from './java-format.js';
import { StatsSnapshot } from './snapshot.js';

/** One SLA, as the config layer produces it. Ratios are fractions; latencies in ns. */
export interface SlaSpec {
  /** Sliding window (ms) the SLA is evaluated over while the phase runs; absent or 0: whole phase, at its end. */
  windowMs?: number;
  errorRatio: number;
  invalidRatio: number;
  blockedRatio: number;
  /** Absent: no mean-response-time rule. */
  meanResponseTimeNs?: number;
  limits: ReadonlyArray<{ percentile: number /* 0..100: 99 is p99 */; latencyNs: number }>;
}

export const BLOCKED_MESSAGE =
  'Progress was blocked waiting for a free connection. Hint: increase http.sharedConnections.';

/**
 * Errors / requests. Every error belongs to a request (the client counts a request for each attempt); the bound
 * keeps a snapshot with errors and no requests (a window of lost data) from giving a ratio above 1.
 */
export function errorRatioOf(snapshot: StatsSnapshot): number {
  const requests = snapshot.requestCount;
  return requests > 0 ? Math.min(1, snapshot.errors() / requests) : 1;
}

/** Invalid / requests, so that invalid <= all even when a failed handler left no response recorded. */
export function invalidRatioOf(snapshot: StatsSnapshot): number {
  return snapshot.responseCount === 0 ? 0 : Math.min(1, snapshot.invalid / snapshot.requestCount);
}

/** Time blocked waiting for a connection / (that + the time spent in responses). */
export function blockedRatioOf(snapshot: StatsSnapshot): number {
  const blocked = snapshot.blockedTimeNs;
  return blocked > 0 ? blocked / (blocked + snapshot.meanNs() * snapshot.histogram.totalCount) : 0;
}

/** The failure message for the first rule `snapshot` breaks, or null when it meets the SLA. */
export function evaluateSla(sla: SlaSpec, snapshot: StatsSnapshot): string | null {
  const errors = snapshot.errors();
  const errorRatio = errorRatioOf(snapshot);
  if (errors > 0 && errorRatio >= sla.errorRatio) {
    return `Error ratio exceeded: required ${javaFixed(sla.errorRatio, 3)}, actual ${javaFixed(errorRatio, 3)}`;
  }
  const invalidRatio = invalidRatioOf(snapshot);
  if (snapshot.invalid > 0 && invalidRatio >= sla.invalidRatio) {
    return (
      `Invalid response ratio exceeded: required ${javaFixed(sla.invalidRatio, 3)}, ` +
      `actual ${javaFixed(invalidRatio, 3)}`
    );
  }
  const mean = snapshot.meanNs();
  if (sla.meanResponseTimeNs !== undefined && mean >= sla.meanResponseTimeNs) {
    return `Mean response time exceeded: required ${Math.trunc(sla.meanResponseTimeNs)}, actual ${javaFixed(mean, 3)}`;
  }
  if (snapshot.blockedTimeNs > 0 && blockedRatioOf(snapshot) > sla.blockedRatio) return BLOCKED_MESSAGE;
  for (const limit of sla.limits) {
    const value = snapshot.valueAtPercentileNs(limit.percentile);
    if (value >= limit.latencyNs) {
      return (
        `Response time at percentile ${javaFixed(percentileToFraction(limit.percentile), 6)} exceeded: ` +
        `required ${Math.trunc(limit.latencyNs)}, actual ${value}`
      );
    }
  }
  return null;
}

/** 99.99 -> 0.9999 without the binary noise of a plain division. */
function percentileToFraction(percentile: number): number {
  return Math.round((percentile / 100) * 1e12) / 1e12;
}

export function isWindowed(sla: SlaSpec): boolean {
  return sla.windowMs !== undefined && sla.windowMs > 0;
}

/** Buckets in a windowed SLA's window: window / period (at least 1). */
export function windowBucketCount(sla: SlaSpec, periodMs: number): number {
  return Math.max(1, Math.floor((sla.windowMs ?? 0) / periodMs));
}

/**
 * The last `size` completed buckets and their sum. Hyperfoil evaluates a windowed SLA after each completed
 * bucket, but only once the window has been filled.
 */
export class SlaWindow {
  private readonly ring: StatsSnapshot[] = [];
  private next = 0;
  private filled = 0;
  private readonly sum = new StatsSnapshot('float64');

  constructor(readonly size: number) {
    if (!(size >= 1) || !Number.isInteger(size)) throw new RangeError(`window size must be a positive integer, got ${size}`);
  }

  /** Push a completed bucket (copied; the caller keeps ownership of `bucket`). */
  add(bucket: StatsSnapshot): void {
    let slot = this.ring[this.next];
    if (slot === undefined) {
      slot = new StatsSnapshot('int32');
      this.ring[this.next] = slot;
    } else if (this.filled === this.size) {
      this.sum.subtract(slot);
      slot.reset();
    }
    slot.add(bucket);
    this.sum.add(bucket);
    this.next = (this.next + 1) % this.size;
    if (this.filled < this.size) this.filled++;
    let start = Number.MAX_SAFE_INTEGER;
    let end = 0;
    for (let i = 0; i < this.filled; i++) {
      const member = this.ring[i]!;
      if (member.startMs < start) start = member.startMs;
      if (member.endMs > end) end = member.endMs;
    }
    this.sum.setInterval(start, end);
  }

  get isFull(): boolean {
    return this.filled === this.size;
  }

  /** Sum of the buckets in the window (owned by the window: clone it to keep it). */
  get current(): StatsSnapshot {
    return this.sum;
  }
}
