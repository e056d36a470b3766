export { BenchmarkStore, checkBenchmarkName, normalizeVersion, scanTemplate, storedFileName } from './benchmark-store.js';
export type { PutOptions, TemplateScan } from './benchmark-store.js';
export { startRestServer, DEFAULT_MAX_UPLOAD_BYTES, HttpError, TOKEN_LIFETIME_MS } from './rest/index.js';
export type { Logger, LogLevel, RestServer, RestServerOptions, RunServiceExtras } from './rest/index.js';
