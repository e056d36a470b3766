export { parseBenchmark, loadBenchmarkFile } from './load.js';
export type { LoadOptions } from './load.js';
export { benchmarkJsonSchema } from './schema.js';
export type { FileSource } from './context.js';
export type * from './model.js';
export { resolveAuthority } from './http-authority.js';
export { DEFAULT_SLA, defaultRequestSlas } from './sla.js';
