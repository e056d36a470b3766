/**
 * The engine's view of time and of the event loop, injected so that everything above it runs unchanged on a
 * virtual clock in tests (`testing/manual-clock.ts`) and on the real one in a worker (`SystemClock`).
 */

export interface Clock {
  /** Monotonic time in integer nanoseconds since an arbitrary origin. */
  nowNs(): number;
  /** Wall-clock time in milliseconds since the epoch (for timestamps shown to people, never for intervals). */
  wallMs(): number;
  /**
   * Arms the single timer: `fire` runs once, not before `atNs`. Arming again replaces the previous arming.
   * The engine's `Scheduler` is the only caller.
   */
  setTimer(atNs: number, fire: () => void): void;
  clearTimer(): void;
  /** Runs `task` after the current callback, once per call (setImmediate): used to batch session wake-ups. */
  defer(task: () => void): void;
}

/** Real time: `performance.now()` for ns, one `setTimeout` for the timer, `setImmediate` for deferred work. */
export class SystemClock implements Clock {
  private timer: NodeJS.Timeout | undefined;

  nowNs(): number {
    return Math.round(performance.now() * 1e6);
  }

  wallMs(): number {
    return Date.now();
  }

  setTimer(atNs: number, fire: () => void): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    // Node's timers have 1 ms granularity and never fire early by their own clock; the scheduler re-arms if the
    // callback still comes before `atNs` by our finer clock.
    const delayMs = Math.max(1, (atNs - this.nowNs()) / 1e6);
    this.timer = setTimeout(fire, delayMs);
  }

  clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  defer(task: () => void): void {
    setImmediate(task);
  }
}
