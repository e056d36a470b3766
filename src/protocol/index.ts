export { addCounters, nameRecord, PROTOCOL_VERSION } from './messages.js';
export type {
  AgentMessage, AgentPhaseStatusName, ConnectionRow, BenchmarkSource, ControllerMessage, ExtensionRef, ListingKind, PhaseCommandName,
  StatsItem,
} from './messages.js';
export { parseAgentMessage, parseControllerMessage, PROTOCOL_LIMITS, ProtocolError, VersionMismatchError } from './validate.js';
