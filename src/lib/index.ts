export { HyperfoilError, BenchmarkError, formatProblem } from './errors.js';
export type { Problem } from './errors.js';
export { editDistance, closestNames, didYouMean } from './suggest.js';
export { parseDurationMs, parseLatencyNs, formatDurationMs } from './units.js';
export type { Parsed } from './units.js';
export { VERSION, COMMIT } from './version.js';
export { containedFile, isInside } from './contained-file.js';
export { describeFsError, ensureWritableDir, storageError, TEMP_FILE_PREFIX, writeFileAtomic, writeFileDurable } from './atomic-write.js';
