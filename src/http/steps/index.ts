/**
 * The HTTP steps (`httpRequest` and its handlers, `awaitAllResponses`, `markRequestInvalid`, `clearHttpCache`,
 * `closeConnection`, `logInvalid`, `parseHtml`). Importing this module registers them in the engine's default
 * registry; the services the host must provide are in `services.ts`.
 */
import { defaultRegistry } from '../../engine/index.js';
import { registerHttpSteps } from './register.js';

registerHttpSteps(defaultRegistry);

export { HTTP_POOLS, STATS_RECORDERS, STEP_SLAS } from './services.js';
export type { HttpPools } from './services.js';
export { registerHttpSteps, HTTP_COMPONENTS } from './register.js';
export { setHttpLog } from './log.js';
export type { HttpLogSink } from './log.js';
export { CookieJar } from './cookies.js';
export { HtmlScanner, HtmlScanState } from './html-scanner.js';
export type { HtmlListener, TagWanted } from './html-scanner.js';
