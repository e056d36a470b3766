export { startRestServer, stderrLogger, DEFAULT_MAX_UPLOAD_BYTES } from './server.js';
export type { RestServer } from './server.js';
export type { RestServerOptions, RunServiceExtras, Logger, LogLevel } from './options.js';
export { HttpError } from './http-error.js';
export { TOKEN_LIFETIME_MS } from './auth.js';
