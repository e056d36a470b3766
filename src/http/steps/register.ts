/**
 * Puts the HTTP steps, actions and processors into an engine registry. `index.ts` does it for the default
 * registry when this folder is first imported (the agent's catalogue imports it for that effect).
 */
import type { HttpRequestConfig, ParseHtmlConfig } from '../../config/steps/index.js';
import type { EngineRegistry } from '../../engine/index.js';
import { httpRequestStep } from './http-request.js';
import { parseHtmlProcessor } from './parse-html.js';
import {
  AWAIT_ALL_RESPONSES, clearHttpCacheAction, CLOSE_CONNECTION, logInvalidProcessor, MARK_REQUEST_INVALID,
} from './request-actions.js';

/** Names this module registers. */
export const HTTP_COMPONENTS = {
  steps: ['httpRequest', 'awaitAllResponses'],
  actions: ['markRequestInvalid', 'clearHttpCache'],
  processors: ['closeConnection', 'logInvalid', 'parseHtml'],
} as const;

export function registerHttpSteps(registry: EngineRegistry): void {
  registry.registerStep<HttpRequestConfig>('httpRequest', httpRequestStep);
  registry.registerStep('awaitAllResponses', () => AWAIT_ALL_RESPONSES);
  registry.registerAction('markRequestInvalid', () => MARK_REQUEST_INVALID);
  registry.registerAction('clearHttpCache', (_config, cx) => clearHttpCacheAction(cx));
  registry.registerProcessor('closeConnection', () => CLOSE_CONNECTION);
  registry.registerProcessor('logInvalid', (_config, cx) => logInvalidProcessor(cx));
  registry.registerProcessor<ParseHtmlConfig>('parseHtml', parseHtmlProcessor);
}
