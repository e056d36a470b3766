/**
 * Checks that a received value is a well-formed message. Only the fields each message needs are checked, with
 * their types; anything else is an error naming the first bad field.
 */
import { HyperfoilError } from '../lib/index.js';
import type { AgentMessage, ControllerMessage } from './messages.js';

export class ProtocolError extends HyperfoilError {
  constructor(message: string) {
    super('PROTOCOL', message);
  }
}

type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string?' | 'number?';
type Shape = Readonly<Record<string, FieldType>>;

const AGENT_SHAPES: Readonly<Record<AgentMessage['type'], Shape>> = {
  hello: { version: 'number', name: 'string', token: 'string', agentTimeMs: 'number' },
  ready: { stepSlas: 'object' },
  phaseStatus: { phase: 'string', status: 'string', sessionLimitExceeded: 'boolean', error: 'string?', agentTimeMs: 'number?' },
  stats: { items: 'array' },
  phaseStatsComplete: { phase: 'string' },
  generatorLoad: { phase: 'string', lateness: 'string', loopLag: 'string', throttledStarts: 'number', droppedStarts: 'number' },
  sessions: { timestampMs: 'number', phases: 'object' },
  connections: { timestampMs: 'number', rows: 'array' },
  heartbeat: { agentTimeMs: 'number' },
  error: { message: 'string', fatal: 'boolean' },
  stopped: {},
};

const CONTROLLER_SHAPES: Readonly<Record<ControllerMessage['type'], Shape>> = {
  init: { runId: 'string', agentName: 'string', agentIndex: 'number', agentThreads: 'array', benchmark: 'object' },
  phase: { phase: 'string', command: 'string' },
  stop: {},
};

const STATUSES = new Set(['RUNNING', 'FINISHED', 'TERMINATED']);
const COMMANDS = new Set(['RUN', 'FINISH', 'TRY_TERMINATE', 'TERMINATE']);

function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

function checkShape(message: Record<string, unknown>, shape: Shape): void {
  for (const [field, type] of Object.entries(shape)) {
    const value = message[field];
    if (type === 'string?' || type === 'number?') {
      const expected = type === 'string?' ? 'string' : 'number';
      if (value !== undefined && typeof value !== expected) throw new ProtocolError(`field \`${field}\` must be a ${expected}`);
    } else if (typeOf(value) !== type) {
      throw new ProtocolError(`field \`${field}\` must be ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}, got ${typeOf(value)}`);
    }
  }
}

function decodeEnvelope(raw: unknown): Record<string, unknown> {
  let value = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      value = JSON.parse(raw.toString());
    } catch {
      throw new ProtocolError('message is not JSON');
    }
  }
  if (typeOf(value) !== 'object') throw new ProtocolError('message must be a JSON object');
  const message = value as Record<string, unknown>;
  if (typeof message.type !== 'string') throw new ProtocolError('message has no `type`');
  return message;
}

export function parseAgentMessage(raw: unknown): AgentMessage {
  const message = decodeEnvelope(raw);
  const shape = AGENT_SHAPES[message.type as AgentMessage['type']];
  if (!shape || !Object.hasOwn(AGENT_SHAPES, message.type as string)) throw new ProtocolError(`unknown message type \`${String(message.type)}\``);
  checkShape(message, shape);
  if (message.type === 'phaseStatus' && !STATUSES.has(message.status as string)) {
    throw new ProtocolError(`unknown phase status \`${String(message.status)}\``);
  }
  if (message.type === 'stats') {
    for (const item of message.items as unknown[]) {
      if (typeOf(item) !== 'object') throw new ProtocolError('stats items must be objects');
      checkShape(item as Record<string, unknown>, { phase: 'string', stepId: 'number', metric: 'string', sequenceId: 'number', snapshot: 'string' });
    }
  }
  return message as unknown as AgentMessage;
}

export function parseControllerMessage(raw: unknown): ControllerMessage {
  const message = decodeEnvelope(raw);
  const shape = CONTROLLER_SHAPES[message.type as ControllerMessage['type']];
  if (!shape || !Object.hasOwn(CONTROLLER_SHAPES, message.type as string)) throw new ProtocolError(`unknown message type \`${String(message.type)}\``);
  checkShape(message, shape);
  if (message.type === 'phase' && !COMMANDS.has(message.command as string)) {
    throw new ProtocolError(`unknown phase command \`${String(message.command)}\``);
  }
  if (message.type === 'init') {
    checkShape(message.benchmark as Record<string, unknown>, { fileName: 'string', text: 'string', params: 'object', files: 'object' });
    if (message.extensions !== undefined) {
      if (!Array.isArray(message.extensions)) throw new ProtocolError('field `extensions` must be an array');
      for (const ref of message.extensions as unknown[]) {
        if (typeOf(ref) !== 'object') throw new ProtocolError('extensions must be objects');
        checkShape(ref as Record<string, unknown>, { name: 'string', sha256: 'string' });
      }
    }
  }
  return message as unknown as ControllerMessage;
}
