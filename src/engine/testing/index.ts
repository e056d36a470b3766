/** Test support for the engine and for the layers that plug into it (HTTP steps, stats). */
export { ManualClock } from './manual-clock.js';
export { testRegistry } from './fixtures.js';
export type { Counter, TestLogEntry } from './fixtures.js';
export { RecordingStatsSink } from './recording-sink.js';
export {
  spec, sequence, scenario, steps, phase, atOnce, always, constantRate, ramp, benchmark, varRef, pattern, TEST_ERGONOMICS,
} from './builders.js';
export { harness } from './harness.js';
export type { Harness } from './harness.js';
export { steadyStateAllocation } from './allocation.js';
