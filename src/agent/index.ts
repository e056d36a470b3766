export { Agent } from './agent.js';
export type { ControllerChannel } from './agent.js';
export { WorkerRuntime } from './worker-runtime.js';
export type { FromWorker, ToWorker, WorkerInit } from './worker-messages.js';
export { runAgentProcess } from './main.js';
export type { AgentOutcome, AgentProcessOptions } from './main.js';
export { agentEndpoint, WsControllerChannel } from './ws-channel.js';
export type { WsChannelOptions } from './ws-channel.js';
export { compileCheck, validateBenchmark } from './compile-check.js';
