// Is the load generator itself keeping up? Per phase, the controller merges from every worker thread of every agent:
//  - the lateness of open-model session starts (actual − scheduled start, ns), as an HdrHistogram;
//  - starts that found no free session (throttled: performed late) or never happened (dropped);
//  - the lag of the worker threads' event loops (how late a 10 ms timer fires, ns), as an HdrHistogram.
// A phase whose p99 lateness or p99 loop lag is above its limit, or that throttled or dropped starts, ran on a
// saturated generator: its latencies include the generator's own delays and its rate may be short of the target.
// That is a result of the run (stats output, all.json, exit code), not a footnote.
// A p99 criterion needs at least MIN_LATE_SAMPLES samples above the limit: over a short phase (a few dozen starts)
// the p99 is the maximum, and one scheduling hiccup of a busy machine would otherwise condemn the whole phase.
import { decodeHistogramInto } from './hdr-encoding.js';
import { StatsSnapshot } from './snapshot.js';

export interface GeneratorLimits {
  /** p99 lateness of scheduled starts above this is saturation. Default 10 ms. */
  readonly latenessP99Ns: number;
  /** p99 event-loop lag of the worker threads above this is saturation. Default 10 ms. */
  readonly loopLagP99Ns: number;
}

export const DEFAULT_GENERATOR_LIMITS: GeneratorLimits = { latenessP99Ns: 10_000_000, loopLagP99Ns: 10_000_000 };

/** Samples above a limit needed before its p99 criterion counts (see above). */
export const MIN_LATE_SAMPLES = 10;

/** What one worker thread reports for one phase (histograms in HdrHistogram's V2 encoding). */
export interface GeneratorLoadPart {
  readonly lateness: Uint8Array;
  readonly loopLag: Uint8Array;
  readonly throttledStarts: number;
  readonly droppedStarts: number;
}

/** all.json `generator.phases[]` entry. Times in ns. */
export interface PhaseGeneratorLoadJson {
  phase: string;
  saturated: boolean;
  reasons: string[];
  scheduledStarts: number;
  /** Starts later than the lateness limit. */
  lateStarts: number;
  latenessP50: number;
  latenessP99: number;
  latenessMax: number;
  throttledStarts: number;
  droppedStarts: number;
  loopLagSamples: number;
  /** Samples of loop lag above its limit. */
  laggingSamples: number;
  loopLagP99: number;
  loopLagMax: number;
}

class PhaseLoad {
  readonly lateness = new StatsSnapshot('float64');
  readonly loopLag = new StatsSnapshot('float64');
  throttled = 0;
  dropped = 0;
}

/** Samples strictly above `limitNs` (bucket by bucket: values in the limit's own bucket count as at the limit). */
export function countAbove(snapshot: StatsSnapshot, limitNs: number): number {
  const histogram = snapshot.histogram;
  if (histogram.totalCount === 0 || snapshot.maxNs() <= limitNs) return 0;
  let above = 0;
  for (let i = histogram.countsArrayLength - 1; i >= 0; i--) {
    if (histogram.valueFromIndex(i) <= limitNs) break;
    above += histogram.getCountAtIndex(i);
  }
  return above;
}

function ms(ns: number): string {
  return `${(ns / 1e6).toFixed(ns < 10e6 ? 2 : 1)} ms`;
}

export class GeneratorLoad {
  private readonly phases = new Map<string, PhaseLoad>();

  constructor(readonly limits: GeneratorLimits = DEFAULT_GENERATOR_LIMITS) {}

  /** Adds one thread's report; throws HistogramDecodeError on malformed bytes. */
  add(phase: string, part: GeneratorLoadPart): void {
    let load = this.phases.get(phase);
    if (load === undefined) {
      load = new PhaseLoad();
      this.phases.set(phase, load);
    }
    decodeHistogramInto(part.lateness, load.lateness.histogram, 'add');
    decodeHistogramInto(part.loopLag, load.loopLag.histogram, 'add');
    load.throttled += part.throttledStarts;
    load.dropped += part.droppedStarts;
  }

  /** Phases that reported, in the order they first reported. */
  phaseNames(): string[] {
    return [...this.phases.keys()];
  }

  summary(phase: string): PhaseGeneratorLoadJson | undefined {
    const load = this.phases.get(phase);
    if (load === undefined) return undefined;
    const lateness = load.lateness.histogram.totalCount > 0;
    const lag = load.loopLag.histogram.totalCount > 0;
    const json: PhaseGeneratorLoadJson = {
      phase,
      saturated: false,
      reasons: [],
      scheduledStarts: load.lateness.histogram.totalCount,
      lateStarts: countAbove(load.lateness, this.limits.latenessP99Ns),
      latenessP50: lateness ? load.lateness.valueAtPercentileNs(50) : 0,
      latenessP99: lateness ? load.lateness.valueAtPercentileNs(99) : 0,
      latenessMax: lateness ? load.lateness.maxNs() : 0,
      throttledStarts: load.throttled,
      droppedStarts: load.dropped,
      loopLagSamples: load.loopLag.histogram.totalCount,
      laggingSamples: countAbove(load.loopLag, this.limits.loopLagP99Ns),
      loopLagP99: lag ? load.loopLag.valueAtPercentileNs(99) : 0,
      loopLagMax: lag ? load.loopLag.maxNs() : 0,
    };
    if (json.latenessP99 > this.limits.latenessP99Ns && json.lateStarts >= MIN_LATE_SAMPLES) {
      json.reasons.push(`p99 lateness of scheduled starts ${ms(json.latenessP99)} > ${ms(this.limits.latenessP99Ns)} (${json.lateStarts} late starts)`);
    }
    if (json.throttledStarts > 0) json.reasons.push(`${json.throttledStarts} starts waited for a free session`);
    if (json.droppedStarts > 0) json.reasons.push(`${json.droppedStarts} starts never happened`);
    if (json.loopLagP99 > this.limits.loopLagP99Ns && json.laggingSamples >= MIN_LATE_SAMPLES) {
      json.reasons.push(`p99 event-loop lag of the load threads ${ms(json.loopLagP99)} > ${ms(this.limits.loopLagP99Ns)} (${json.laggingSamples} samples)`);
    }
    json.saturated = json.reasons.length > 0;
    return json;
  }

  summaries(include: (phase: string) => boolean = () => true): PhaseGeneratorLoadJson[] {
    return this.phaseNames().filter(include).map((phase) => this.summary(phase)!);
  }

  /** True when any included phase ran on a saturated generator. */
  saturated(include: (phase: string) => boolean = () => true): boolean {
    return this.summaries(include).some((s) => s.saturated);
  }

  /** all.json `generator`: the limits and every phase's figures. */
  json(isWarmup: (phase: string) => boolean = () => false): Record<string, unknown> {
    return {
      limits: { latenessP99: this.limits.latenessP99Ns, loopLagP99: this.limits.loopLagP99Ns },
      saturated: this.saturated((phase) => !isWarmup(phase)),
      phases: this.summaries().map((s) => ({ ...s, isWarmup: isWarmup(s.phase) })),
    };
  }
}
