/**
 * Virtual time for tests: nothing happens until the test advances the clock. Deferred tasks (the run queue) run
 * after every timer fire and at the end of every advance, like setImmediate after a timer callback.
 * Work that never settles (an `always` phase whose sessions never wait) makes `runDeferred` throw: give such
 * scenarios a delay step.
 */
import type { Clock } from '../clock.js';

export class ManualClock implements Clock {
  private now: number;
  private wall: number;
  private timerAtNs = Infinity;
  private timerFire: (() => void) | null = null;
  private deferred: Array<() => void> = [];
  /** Timer fires so far. */
  timerFires = 0;
  /** Simulated timer lateness: the timer fires this many ns after its due time (as a busy event loop would). */
  timerLatenessNs = 0;

  constructor(startNs = 1_000_000_000, wallMs = Date.UTC(2026, 0, 1)) {
    this.now = startNs;
    this.wall = wallMs;
  }

  nowNs(): number {
    return this.now;
  }

  wallMs(): number {
    return this.wall + Math.floor(this.now / 1e6);
  }

  setTimer(atNs: number, fire: () => void): void {
    this.timerAtNs = atNs;
    this.timerFire = fire;
  }

  clearTimer(): void {
    this.timerAtNs = Infinity;
    this.timerFire = null;
  }

  defer(task: () => void): void {
    this.deferred.push(task);
  }

  /** When the armed timer would fire (Infinity when none is armed). */
  get armedAtNs(): number {
    return this.timerFire === null ? Infinity : this.timerAtNs + this.timerLatenessNs;
  }

  /** Runs deferred tasks (and those they defer) until none is left; throws if that never ends. */
  runDeferred(maxRounds = 1_000_000): void {
    for (let round = 0; this.deferred.length > 0; round++) {
      if (round >= maxRounds) throw new Error(`deferred work did not settle after ${maxRounds} rounds`);
      const tasks = this.deferred;
      this.deferred = [];
      for (const task of tasks) task();
    }
  }

  /** Moves time to `targetNs`, firing the timer at each due time on the way. */
  advanceTo(targetNs: number): void {
    this.runDeferred();
    for (;;) {
      const fireAt = this.armedAtNs;
      if (fireAt > targetNs) break;
      this.now = Math.max(this.now, fireAt);
      const fire = this.timerFire!;
      this.clearTimer();
      this.timerFires++;
      fire();
      this.runDeferred();
    }
    this.now = Math.max(this.now, targetNs);
    this.runDeferred();
  }

  advanceBy(deltaNs: number): void {
    this.advanceTo(this.now + deltaNs);
  }
}
