// The monotonic clock the HTTP client stamps events with: nanoseconds (as a float64, so no BigInt
// allocation) since the process's performance time origin. Engines that time requests should read
// the same clock so that differences are meaningful.

import { performance } from 'node:perf_hooks';

/** Monotonic time in nanoseconds since the process started (sub-microsecond resolution). */
export function nowNs(): number {
  return performance.now() * 1e6;
}

/** Monotonic time in milliseconds (same origin as `nowNs`). */
export function nowMs(): number {
  return performance.now();
}
