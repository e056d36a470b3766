export { Agent } from './agent.js';
export type { ControllerChannel } from './agent.js';
export { WorkerRuntime } from './worker-runtime.js';
export type { FromWorker, ToWorker, WorkerInit } from './worker-messages.js';
export { compileCheck } from './compile-check.js';
