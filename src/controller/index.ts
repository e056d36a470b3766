export type { AgentConnection, Deployer, DeployRequest } from './agent-connection.js';
export type {
  AgentJson, BenchmarkUpload, PhaseJson, RequestStatisticsResponse, RunJson, RunService, StartOptions, StoredBenchmark, VersionJson,
} from './api.js';
export { createOrchestrator } from './orchestrator.js';
export type { ControllerPhaseStatus, Orchestrator, PhaseState } from './orchestrator.js';
export { Run, runAgents, benchmarkSource } from './run.js';
export type { RunError, RunOptions } from './run.js';
export { allocateRunId, formatRunId, isRunId, storedRunIds } from './run-ids.js';
export { writeRun, runAllJson, runInfo } from './run-writer.js';
export { BenchmarkStore, checkBenchmarkName, normalizeVersion, scanTemplate, storedFileName } from './benchmark-store.js';
export type { PutOptions, TemplateScan } from './benchmark-store.js';
export { startRestServer, DEFAULT_MAX_UPLOAD_BYTES, HttpError, TOKEN_LIFETIME_MS } from './rest/index.js';
export type { Logger, LogLevel, RestServer, RestServerOptions, RunServiceExtras } from './rest/index.js';
export { RunManager } from './run-manager.js';
export type { ControllerMode, RunManagerOptions } from './run-manager.js';
export { startController } from './controller.js';
export { fileLogger, LOG_LEVELS } from './file-logger.js';
export type { Controller, ControllerOptions } from './controller.js';
export { AgentHub, AGENT_PATH, DEFAULT_HEARTBEAT_TIMEOUT_MS, randomAgentToken } from './agent-hub.js';
export type { AgentHubOptions } from './agent-hub.js';
export { AgentCloseCode, WsAgentConnection } from './agent-hub-connection.js';
