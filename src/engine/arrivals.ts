/**
 * Open-model arrival times as pure functions of the arrival index (or of a unit-rate Poisson stream), so they are
 * tested without timers and scheduled at ABSOLUTE times: the i-th start of a phase is `phaseStart + offset(i)`,
 * never "previous start + gap", so no drift accumulates.
 *
 * Every model is a time change of a unit-rate process: with N(t) the expected number of starts in [0, t), the
 * start whose cumulative unit count is E happens at t = N⁻¹(E). Uniform arrivals use E = 0, 1, 2, …; arrivals with
 * `variance` use E = sum of i.i.d. Exp(1) draws, which makes them a (possibly non-homogeneous) Poisson process.
 */
import type { Random } from './rng.js';

const NS_PER_SEC = 1e9;

/** Start offset in ns of the i-th (from 0) start at a constant rate with uniform gaps: i / rate. */
export function uniformStartOffsetNs(index: number, ratePerSec: number): number {
  return Math.round((index / ratePerSec) * NS_PER_SEC);
}

/**
 * Expected starts in [0, t) of a linear ramp from `initialPerSec` to `targetPerSec` over `durationSec`
 * (the integral of the rate); after the ramp the rate stays at the target.
 */
export function rampCumulativeStarts(tSec: number, initialPerSec: number, targetPerSec: number, durationSec: number): number {
  if (tSec <= durationSec) {
    return initialPerSec * tSec + ((targetPerSec - initialPerSec) * tSec * tSec) / (2 * durationSec);
  }
  return ((initialPerSec + targetPerSec) * durationSec) / 2 + targetPerSec * (tSec - durationSec);
}

/**
 * Inverse of `rampCumulativeStarts`: the time in seconds at which the cumulative count reaches `units`.
 * Infinity when it never does (a ramp down to 0 has finitely many starts).
 */
export function rampTimeOfCumulativeSec(units: number, initialPerSec: number, targetPerSec: number, durationSec: number): number {
  if (initialPerSec <= 0 && targetPerSec <= 0) return Infinity; // a worker whose share is nothing
  if (units <= 0) return 0;
  const atEnd = ((initialPerSec + targetPerSec) * durationSec) / 2;
  if (units > atEnd) {
    return targetPerSec > 0 ? durationSec + (units - atEnd) / targetPerSec : Infinity;
  }
  if (initialPerSec === targetPerSec) return units / initialPerSec;
  // Solve a t² + r0 t − E = 0 with a = (r1 − r0) / 2T, in the form that does not cancel: t = 2E / (r0 + √(r0² + 4aE)).
  const a = (targetPerSec - initialPerSec) / (2 * durationSec);
  const discriminant = Math.max(0, initialPerSec * initialPerSec + 4 * a * units);
  return (2 * units) / (initialPerSec + Math.sqrt(discriminant));
}

/** Start offset in ns of the i-th (from 0) start of a uniform linear ramp. */
export function rampStartOffsetNs(index: number, initialPerSec: number, targetPerSec: number, durationSec: number): number {
  return Math.round(rampTimeOfCumulativeSec(index, initialPerSec, targetPerSec, durationSec) * NS_PER_SEC);
}

/** A draw from Exp(1). */
export function exponentialUnit(random: Random): number {
  return -Math.log(1 - random.nextDouble());
}

export type ArrivalShape =
  | { readonly kind: 'constant'; readonly ratePerSec: number }
  | { readonly kind: 'ramp'; readonly initialPerSec: number; readonly targetPerSec: number; readonly durationSec: number };

/**
 * The sequence of start offsets of one open-model phase on one worker: `peekOffsetNs()` is the next start,
 * `advance()` moves past it. Offsets are non-decreasing; Infinity means no further start.
 */
export class ArrivalSchedule {
  private units = 0;
  private index = 0;
  private offsetNs = 0;

  constructor(
    private readonly shape: ArrivalShape,
    private readonly random: Random | undefined,
  ) {
    this.reset();
  }

  /** Starts again from the first arrival (a new phase run). */
  reset(): void {
    this.index = 0;
    this.units = this.random ? exponentialUnit(this.random) : 0;
    this.offsetNs = this.offsetOf(this.units);
  }

  /** Arrivals consumed so far. */
  get consumed(): number {
    return this.index;
  }

  peekOffsetNs(): number {
    return this.offsetNs;
  }

  advance(): void {
    this.index++;
    this.units = this.random ? this.units + exponentialUnit(this.random) : this.index;
    this.offsetNs = this.offsetOf(this.units);
  }

  private offsetOf(units: number): number {
    const shape = this.shape;
    const sec = shape.kind === 'constant'
      ? (shape.ratePerSec > 0 ? units / shape.ratePerSec : Infinity)
      : rampTimeOfCumulativeSec(units, shape.initialPerSec, shape.targetPerSec, shape.durationSec);
    return sec === Infinity ? Infinity : Math.round(sec * NS_PER_SEC);
  }
}
