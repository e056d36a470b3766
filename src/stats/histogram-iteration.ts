// Walks a histogram the way HdrHistogram's percentile and linear iterators do, for the percentile distribution
// CSV (`*.histogram.csv`) and the `histogram.percentiles` / `histogram.linear` arrays of all.json. The walk keeps
// HdrHistogram's step semantics (several steps may report the same bucket; the percentile walk ends with one
// extra step at 100 %), so the rows come out as Hyperfoil's do. Control-plane code: clarity over speed.
import { BUCKET_HIGHEST_NS, BUCKET_LOWEST_NS, COUNTS_LENGTH, countsOf, type StatsHistogram } from './histogram.js';

/** One step of a walk. The object is reused between steps: copy what you keep. */
export interface IterationStep {
  /** Highest value covered by this step (ns). */
  valueIteratedTo: number;
  /** valueIteratedTo of the previous step (0 for the first). */
  valueIteratedFrom: number;
  /** Samples added since the previous step. */
  countAddedInThisStep: number;
  /** Samples at or below valueIteratedTo. */
  totalCountToThisValue: number;
  /** The percentile level of this step, 0..100. */
  percentileLevelIteratedTo: number;
}

type Mode = { kind: 'percentile'; ticksPerHalfDistance: number } | { kind: 'linear'; valueUnitsPerBucket: number };

const LN2 = Math.log(2);

export class HistogramWalk implements IterationStep {
  valueIteratedTo = 0;
  valueIteratedFrom = 0;
  countAddedInThisStep = 0;
  totalCountToThisValue = 0;
  percentileLevelIteratedTo = 0;

  private readonly counts: ArrayLike<number>;
  private readonly total: number;
  private index = 0;
  private valueAtIndex = 0;
  private nextValueAtIndex = 1;
  private prevValueIteratedTo = 0;
  private totalToPrevIndex = 0;
  private totalToIndex = 0;
  private countAtIndex = 0;
  private freshBucket = true;
  // percentile mode
  private percentileTo = 0;
  private reachedLast = false;
  // linear mode
  private nextReportingLevel = 0;
  private stepHighest = 0;
  private stepLowest = 0;

  private constructor(
    histogram: StatsHistogram,
    private readonly mode: Mode,
  ) {
    this.counts = countsOf(histogram);
    this.total = histogram.totalCount;
    if (mode.kind === 'linear') {
      this.nextReportingLevel = mode.valueUnitsPerBucket;
      this.stepHighest = this.nextReportingLevel - 1;
      this.stepLowest = lowestEquivalent(this.stepHighest);
    }
  }

  /** Steps at percentile levels that get denser towards 100 % (`ticksPerHalfDistance` steps per halving). */
  static percentiles(histogram: StatsHistogram, ticksPerHalfDistance: number): HistogramWalk {
    return new HistogramWalk(histogram, { kind: 'percentile', ticksPerHalfDistance });
  }

  /** Steps of `valueUnitsPerBucket` ns each. */
  static linear(histogram: StatsHistogram, valueUnitsPerBucket: number): HistogramWalk {
    return new HistogramWalk(histogram, { kind: 'linear', valueUnitsPerBucket });
  }

  hasNext(): boolean {
    if (this.totalToIndex < this.total) return true;
    if (this.mode.kind === 'percentile') {
      if (!this.reachedLast && this.total > 0) {
        this.percentileTo = 100;
        this.reachedLast = true;
        return true;
      }
      return false;
    }
    // Linear: keep stepping while the next step still lies inside the current (empty-after) bucket.
    return this.stepHighest + 1 < this.nextValueAtIndex;
  }

  next(): IterationStep {
    while (this.index < COUNTS_LENGTH) {
      this.countAtIndex = this.counts[this.index]!;
      if (this.freshBucket) {
        this.totalToIndex += this.countAtIndex;
        this.freshBucket = false;
      }
      if (this.reachedLevel()) {
        const valueTo = this.mode.kind === 'linear' ? this.stepHighest : BUCKET_HIGHEST_NS[this.index]!;
        this.valueIteratedTo = valueTo;
        this.valueIteratedFrom = this.prevValueIteratedTo;
        this.countAddedInThisStep = this.totalToIndex - this.totalToPrevIndex;
        this.totalCountToThisValue = this.totalToIndex;
        this.percentileLevelIteratedTo =
          this.mode.kind === 'percentile' ? this.percentileTo : (100 * this.totalToIndex) / this.total;
        this.prevValueIteratedTo = valueTo;
        this.totalToPrevIndex = this.totalToIndex;
        this.advanceLevel();
        return this;
      }
      this.index++;
      this.freshBucket = true;
      this.valueAtIndex = valueFromIndex(this.index);
      this.nextValueAtIndex = valueFromIndex(this.index + 1);
    }
    throw new RangeError('HistogramWalk.next() called after the last step');
  }

  private reachedLevel(): boolean {
    if (this.mode.kind === 'percentile') {
      if (this.countAtIndex === 0) return false;
      return (100 * this.totalToIndex) / this.total >= this.percentileTo;
    }
    return this.valueAtIndex >= this.stepLowest || this.index >= COUNTS_LENGTH - 1;
  }

  private advanceLevel(): void {
    if (this.mode.kind === 'percentile') {
      // Same tick arithmetic as HdrHistogram (natural logs and truncation, not log2), so levels match exactly.
      const halvings = Math.trunc(Math.log(100 / (100 - this.percentileTo)) / LN2);
      const ticks = this.mode.ticksPerHalfDistance * 2 ** (halvings + 1);
      this.percentileTo += 100 / ticks;
    } else {
      this.nextReportingLevel += this.mode.valueUnitsPerBucket;
      this.stepHighest = this.nextReportingLevel - 1;
      this.stepLowest = lowestEquivalent(this.stepHighest);
    }
  }
}

/** Lowest value of bucket `index`; also defined past the end of the counts array (HdrHistogram does the same). */
function valueFromIndex(index: number): number {
  if (index < COUNTS_LENGTH) return BUCKET_LOWEST_NS[index]!;
  let bucket = Math.floor(index / 128) - 1;
  let sub = (index % 128) + 128;
  if (bucket < 0) {
    sub -= 128;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}

/** Lowest value of the bucket that holds `valueNs` (also for values past the highest trackable one). */
function lowestEquivalent(valueNs: number): number {
  const log2 = valueNs < 2 ** 32 ? 31 - Math.clz32(valueNs) : 63 - Math.clz32(valueNs / 2 ** 32);
  const size = 2 ** (log2 > 7 ? log2 - 7 : 0);
  return Math.floor(valueNs / size) * size;
}
