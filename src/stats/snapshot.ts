// StatsSnapshot: the statistics of one (phase, step, metric) over some interval: a latency histogram plus
// counters. It is what workers record into, what travels between threads and processes (see codec.ts), and
// what the controller sums. Merging is exact: the sum of snapshots equals the snapshot of the union of samples.
import { ExtensionCounters } from './extension.js';
import {
  addHistogram,
  countsOf,
  createHistogram,
  HISTOGRAM_HIGHEST_TRACKABLE_NS,
  recordInRange,
  resetHistogram,
  subtractHistogram,
  type CountsArray,
  type CountsWidth,
  type StatsHistogram,
} from './histogram.js';
import { maxValueNs, meanNs, minValueNs, stdDevNs, valueAtPercentileNs } from './histogram-stats.js';

/** startMs of a snapshot that has no interval yet (merging takes the minimum, so it never wins). */
export const UNSET_START_MS = Number.MAX_SAFE_INTEGER;

export class StatsSnapshot {
  readonly histogram: StatsHistogram;
  private readonly counts: CountsArray;

  /** Requests sent. */
  requestCount = 0;
  /** Responses recorded in the histogram. */
  responseCount = 0;
  /** Requests marked invalid (4xx/5xx with autoRangeCheck, failed validation, markRequestInvalid...). */
  invalid = 0;
  connectionErrors = 0;
  requestTimeouts = 0;
  internalErrors = 0;
  /** Total time sessions waited for a free connection or request slot. */
  blockedTimeNs = 0;
  // Hyperfoil's `http` extension.
  status2xx = 0;
  status3xx = 0;
  status4xx = 0;
  status5xx = 0;
  statusOther = 0;
  cacheHits = 0;
  /** Set once a status or cache hit is recorded: the `http` extension is reported for this snapshot. */
  httpSeen = false;
  /** Latencies outside [0, 60 s] that were clamped into the histogram's range. */
  clampedCount = 0;
  /** Other extensions by key (e.g. `transfer` -> transfersize {sent, received}). */
  readonly extensions = new Map<string, ExtensionCounters>();
  /**
   * Open-model phases only: the same responses timed from their intended start (the session's scheduled arrival for
   * its first request, the moment the request was ready to go for later ones), so it includes the generator's
   * lateness and any wait for a connection. Created on first use and kept through reset() (pooling); `histogram`
   * times from the actual send (service time).
   */
  fromIntendedStart: StatsHistogram | null = null;
  private intendedCounts: CountsArray | null = null;
  /** Interval covered, epoch ms. */
  startMs = UNSET_START_MS;
  endMs = 0;

  constructor(readonly width: CountsWidth = 'int32') {
    this.histogram = createHistogram(width);
    this.counts = countsOf(this.histogram);
  }

  /** Record one response latency (ns). Never throws: out-of-range values are clamped and counted. */
  recordResponse(latencyNs: number): void {
    let value = latencyNs;
    if (value >= 0 && value <= HISTOGRAM_HIGHEST_TRACKABLE_NS) {
      value = Math.floor(value);
    } else {
      value = value > 0 ? HISTOGRAM_HIGHEST_TRACKABLE_NS : 0; // NaN and negatives become 0
      this.clampedCount++;
    }
    recordInRange(this.histogram, this.counts, value);
    this.responseCount++;
  }

  /** Record one response timed from its intended start (ns), clamped like recordResponse (not counted twice). */
  recordFromIntendedStart(latencyNs: number): void {
    const histogram = this.intendedHistogram();
    let value = latencyNs;
    if (value >= 0 && value <= HISTOGRAM_HIGHEST_TRACKABLE_NS) value = Math.floor(value);
    else value = value > 0 ? HISTOGRAM_HIGHEST_TRACKABLE_NS : 0;
    recordInRange(histogram, this.intendedCounts!, value);
  }

  /** The from-intended-start histogram, created empty if absent. */
  intendedHistogram(): StatsHistogram {
    if (this.fromIntendedStart === null) {
      this.fromIntendedStart = createHistogram(this.width);
      this.intendedCounts = countsOf(this.fromIntendedStart);
    }
    return this.fromIntendedStart;
  }

  /** True when responses were timed from their intended start (an open-model phase). */
  get hasFromIntendedStart(): boolean {
    return this.fromIntendedStart !== null && this.fromIntendedStart.totalCount > 0;
  }

  /** Count an HTTP status in its class (2xx..5xx, anything else is "other"). */
  recordStatus(status: number): void {
    const statusClass = Math.trunc(status / 100);
    if (statusClass === 2) this.status2xx++;
    else if (statusClass === 3) this.status3xx++;
    else if (statusClass === 4) this.status4xx++;
    else if (statusClass === 5) this.status5xx++;
    else this.statusOther++;
    this.httpSeen = true;
  }

  recordCacheHit(): void {
    this.cacheHits++;
    this.httpSeen = true;
  }

  /** The extension under `key`, created with `type` if absent (an existing one keeps its type). */
  extension(key: string, type: string): ExtensionCounters {
    let counters = this.extensions.get(key);
    if (counters === undefined) {
      counters = new ExtensionCounters(type);
      this.extensions.set(key, counters);
    }
    return counters;
  }

  addToExtension(key: string, type: string, name: string, delta: number): void {
    this.extension(key, type).add(name, delta);
  }

  /** connectionErrors + requestTimeouts + internalErrors (invalid responses are not errors). */
  errors(): number {
    return this.connectionErrors + this.requestTimeouts + this.internalErrors;
  }

  get isEmpty(): boolean {
    if (
      this.histogram.totalCount !== 0 ||
      this.hasFromIntendedStart ||
      this.requestCount !== 0 ||
      this.responseCount !== 0 ||
      this.invalid !== 0 ||
      this.connectionErrors !== 0 ||
      this.requestTimeouts !== 0 ||
      this.internalErrors !== 0 ||
      this.blockedTimeNs !== 0 ||
      this.status2xx + this.status3xx + this.status4xx + this.status5xx + this.statusOther + this.cacheHits !== 0 ||
      this.clampedCount !== 0
    ) {
      return false;
    }
    for (const counters of this.extensions.values()) if (!counters.isZero()) return false;
    return true;
  }

  /** this += other (exact, histograms included); the interval becomes the union of both. */
  add(other: StatsSnapshot): this {
    addHistogram(this.histogram, other.histogram);
    if (other.hasFromIntendedStart) addHistogram(this.intendedHistogram(), other.fromIntendedStart!);
    this.requestCount += other.requestCount;
    this.responseCount += other.responseCount;
    this.invalid += other.invalid;
    this.connectionErrors += other.connectionErrors;
    this.requestTimeouts += other.requestTimeouts;
    this.internalErrors += other.internalErrors;
    this.blockedTimeNs += other.blockedTimeNs;
    this.status2xx += other.status2xx;
    this.status3xx += other.status3xx;
    this.status4xx += other.status4xx;
    this.status5xx += other.status5xx;
    this.statusOther += other.statusOther;
    this.cacheHits += other.cacheHits;
    this.httpSeen ||= other.httpSeen;
    this.clampedCount += other.clampedCount;
    for (const [key, theirs] of other.extensions) this.extension(key, theirs.type).addAll(theirs);
    if (other.startMs < this.startMs) this.startMs = other.startMs;
    if (other.endMs > this.endMs) this.endMs = other.endMs;
    return this;
  }

  /** Alias of add(). */
  merge(other: StatsSnapshot): this {
    return this.add(other);
  }

  /**
   * this -= other, for sliding windows. Counts are exact; the interval is left unchanged (the caller knows
   * which interval remains).
   */
  subtract(other: StatsSnapshot): this {
    subtractHistogram(this.histogram, other.histogram);
    if (other.hasFromIntendedStart) subtractHistogram(this.intendedHistogram(), other.fromIntendedStart!);
    this.requestCount -= other.requestCount;
    this.responseCount -= other.responseCount;
    this.invalid -= other.invalid;
    this.connectionErrors -= other.connectionErrors;
    this.requestTimeouts -= other.requestTimeouts;
    this.internalErrors -= other.internalErrors;
    this.blockedTimeNs -= other.blockedTimeNs;
    this.status2xx -= other.status2xx;
    this.status3xx -= other.status3xx;
    this.status4xx -= other.status4xx;
    this.status5xx -= other.status5xx;
    this.statusOther -= other.statusOther;
    this.cacheHits -= other.cacheHits;
    this.clampedCount -= other.clampedCount;
    for (const [key, theirs] of other.extensions) this.extension(key, theirs.type).addAll(theirs, -1);
    return this;
  }

  /** Back to empty for reuse (pooling). Extension names are kept, zeroed. */
  reset(): this {
    resetHistogram(this.histogram);
    if (this.fromIntendedStart !== null) resetHistogram(this.fromIntendedStart);
    this.requestCount = 0;
    this.responseCount = 0;
    this.invalid = 0;
    this.connectionErrors = 0;
    this.requestTimeouts = 0;
    this.internalErrors = 0;
    this.blockedTimeNs = 0;
    this.status2xx = 0;
    this.status3xx = 0;
    this.status4xx = 0;
    this.status5xx = 0;
    this.statusOther = 0;
    this.cacheHits = 0;
    this.httpSeen = false;
    this.clampedCount = 0;
    for (const counters of this.extensions.values()) counters.reset();
    this.startMs = UNSET_START_MS;
    this.endMs = 0;
    return this;
  }

  clone(width: CountsWidth = this.width): StatsSnapshot {
    return new StatsSnapshot(width).add(this);
  }

  setInterval(startMs: number, endMs: number): this {
    this.startMs = startMs;
    this.endMs = endMs;
    return this;
  }

  // Derived figures (HdrHistogram semantics, see histogram-stats.ts), all in ns.
  minNs(): number {
    return minValueNs(this.histogram);
  }

  maxNs(): number {
    return maxValueNs(this.histogram);
  }

  meanNs(): number {
    return meanNs(this.histogram);
  }

  stdDevNs(): number {
    return stdDevNs(this.histogram);
  }

  /** `percentile` in 0..100 (99.9 means p99.9). */
  valueAtPercentileNs(percentile: number): number {
    return valueAtPercentileNs(this.histogram, percentile);
  }
}
