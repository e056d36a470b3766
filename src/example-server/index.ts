export { startExampleServer, DEFAULT_HOST, DEFAULT_HTTP_PORT, DEFAULT_HTTPS_PORT } from './server.js';
export type { ExampleServerOptions, RunningExampleServer } from './server.js';
export { exampleServerCommand } from './cli.js';
export { ExampleServerError } from './errors.js';
export type { ExampleServerErrorCode } from './errors.js';
export type { RequestLogger } from './request-log.js';
