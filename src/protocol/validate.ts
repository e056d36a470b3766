/**
 * Checks that a received value is a well-formed message, completely: every field and every nested value has its
 * type, strings and lists their length caps, numbers are finite and in range, and encoded statistics decode. What
 * comes out is a fresh copy holding only the known fields. Anything else is a ProtocolError naming the first bad
 * field. Checks that need the run (known phase names, message order) are the run's, see `checkAgainstRun` there.
 */
import { createHistogram } from '../stats/histogram.js';
import { decodeHistogramInto } from '../stats/hdr-encoding.js';
import { decodeSnapshot } from '../stats/codec.js';
import { StatsSnapshot } from '../stats/snapshot.js';
import { arrayOf, base64, bool, int, num, objectOf, oneOf, ProtocolError, recordOf, str, typeOf } from './checks.js';
import type { Check } from './checks.js';
import { PROTOCOL_VERSION } from './messages.js';
import type { AgentMessage, ControllerMessage } from './messages.js';

export { ProtocolError } from './checks.js';

/** Caps on what a peer may send; generous for any real benchmark, small enough that garbage cannot hurt. */
export const PROTOCOL_LIMITS = {
  nameChars: 256,
  tokenChars: 1024,
  /** Phase names (iterations and forks make them longer than what was written), metric names, authorities. */
  identifierChars: 1024,
  /** Error messages from agents. */
  textChars: 16 * 1024,
  /** One encoded statistics snapshot or histogram, as base64 (a full histogram is about 300 KB uncompressed). */
  snapshotChars: 2 * 1024 * 1024,
  listItems: 100_000,
  slasPerStep: 64,
  /** Session and connection counts. */
  maxCount: 2 ** 31,
  /** Step ids, statistics sequence ids. */
  maxId: 2 ** 31,
  /** Largest time a JavaScript Date holds. */
  maxTimeMs: 8.64e15,
} as const;

const L = PROTOCOL_LIMITS;
const name = str(L.nameChars, { name: true });
const identifier = str(L.identifierChars, { name: true });
const count = int(0, L.maxCount);
const timeMs = num(0, L.maxTimeMs);

const snapshotScratch = new StatsSnapshot('int32');
const histogramScratch = createHistogram('int32');
const snapshot = base64(L.snapshotChars, (bytes) => { decodeSnapshot(bytes, snapshotScratch); });
const histogram = base64(L.snapshotChars, (bytes) => decodeHistogramInto(bytes, histogramScratch, 'replace'));

const sla = objectOf({
  windowMs: num(0, L.maxTimeMs),
  errorRatio: num(0, Number.MAX_VALUE),
  invalidRatio: num(0, Number.MAX_VALUE),
  blockedRatio: num(0, Number.MAX_VALUE),
  meanResponseTimeNs: num(0, Number.MAX_VALUE),
  limits: arrayOf(objectOf({ percentile: num(0, 100), latencyNs: num(0, Number.MAX_VALUE) }), L.slasPerStep),
}, ['windowMs', 'meanResponseTimeNs']);

const stepIdKey: Check<string> = (value, path) => {
  const key = str(10)(value, path);
  if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) > L.maxId) throw new ProtocolError(`field \`${path}\` must be a step id, got \`${key}\``);
  return key;
};

const statsItem = objectOf({
  phase: identifier,
  stepId: int(0, L.maxId),
  metric: identifier,
  sequenceId: int(0, L.maxId),
  snapshot,
});

const AGENT_MESSAGES: { readonly [K in AgentMessage['type']]: Check<Omit<Extract<AgentMessage, { type: K }>, 'type'>> } = {
  hello: objectOf({ version: int(0, L.maxId), name, token: str(L.tokenChars), agentTimeMs: timeMs }),
  ready: objectOf({ stepSlas: recordOf(stepIdKey, arrayOf(sla, L.slasPerStep), L.listItems) }),
  phaseStatus: objectOf({
    phase: identifier,
    status: oneOf(['RUNNING', 'FINISHED', 'TERMINATED'] as const),
    sessionLimitExceeded: bool,
    error: str(L.textChars),
    agentTimeMs: timeMs,
    cpuUsage: str(L.textChars),
    globalCounters: recordOf(identifier, recordOf(identifier, int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), L.listItems), L.listItems),
  }, ['error', 'agentTimeMs', 'cpuUsage', 'globalCounters']),
  stats: objectOf({ items: arrayOf(statsItem, L.listItems) }),
  phaseStatsComplete: objectOf({ phase: identifier }),
  generatorLoad: objectOf({
    phase: identifier, lateness: histogram, loopLag: histogram,
    throttledStarts: int(0, Number.MAX_SAFE_INTEGER), droppedStarts: int(0, Number.MAX_SAFE_INTEGER),
  }),
  sessions: objectOf({ timestampMs: timeMs, phases: recordOf(identifier, objectOf({ min: count, max: count }), L.listItems) }),
  connections: objectOf({
    timestampMs: timeMs,
    rows: arrayOf(objectOf({ authority: identifier, type: identifier, min: count, max: count }), L.listItems),
  }),
  heartbeat: objectOf({ agentTimeMs: timeMs }),
  listing: objectOf({ requestId: int(0, L.maxId), lines: arrayOf(str(L.textChars), L.listItems) }),
  error: objectOf({ message: str(L.textChars), fatal: bool }),
  stopped: objectOf({}),
};

const CONTROLLER_MESSAGES: { readonly [K in ControllerMessage['type']]: Check<Omit<Extract<ControllerMessage, { type: K }>, 'type'>> } = {
  init: objectOf({
    runId: identifier,
    agentName: name,
    agentIndex: int(0, L.listItems),
    agentThreads: arrayOf(int(1, L.maxCount), L.listItems),
    benchmark: objectOf({
      fileName: str(L.textChars),
      text: str(Number.MAX_SAFE_INTEGER),
      params: recordOf(str(L.identifierChars), str(L.textChars), L.listItems),
      files: recordOf(str(L.textChars), base64(Number.MAX_SAFE_INTEGER), L.listItems),
    }),
    extensions: arrayOf(objectOf({ name, sha256: str(64) }), L.listItems),
  }, ['extensions']),
  phase: objectOf({ phase: identifier, command: oneOf(['RUN', 'FINISH', 'TRY_TERMINATE', 'TERMINATE'] as const) }),
  list: objectOf({ requestId: int(0, L.maxId), what: oneOf(['sessions', 'connections'] as const), inactive: bool }),
  stop: objectOf({}),
};

/** The first message of an agent of another protocol version (its other fields may differ too). */
export class VersionMismatchError extends ProtocolError {}

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

function parseWith<M extends { type: string }>(raw: unknown, checks: Readonly<Record<string, Check<unknown>>>): M {
  const message = decodeEnvelope(raw);
  const type = message.type as string;
  if (!Object.hasOwn(checks, type)) throw new ProtocolError(`unknown message type \`${type.slice(0, 40)}\``);
  const body = checks[type]!(message, '') as Record<string, unknown>;
  return { type, ...body } as unknown as M;
}

/**
 * Validates an agent's message (JSON text, bytes or a parsed value; `isBinary`: it came in a binary WebSocket frame,
 * which the protocol does not use). Throws ProtocolError.
 */
export function parseAgentMessage(raw: unknown, isBinary = false): AgentMessage {
  if (isBinary) throw new ProtocolError('binary frames are not part of the protocol');
  const message = decodeEnvelope(raw);
  if (message.type === 'hello' && message.version !== PROTOCOL_VERSION) {
    const who = typeof message.name === 'string' && message.name.length <= L.nameChars ? `agent ${message.name}` : 'the agent';
    const speaks = typeof message.version === 'number' ? `speaks ${message.version}` : 'sent no protocol version';
    throw new VersionMismatchError(
      `protocol version mismatch: ${who} ${speaks}, the controller speaks ${PROTOCOL_VERSION}; run the same hyperfoil version on both`);
  }
  return parseWith<AgentMessage>(message, AGENT_MESSAGES);
}

/** Validates the controller's message on the agent's side. Throws ProtocolError. */
export function parseControllerMessage(raw: unknown): ControllerMessage {
  return parseWith<ControllerMessage>(raw, CONTROLLER_MESSAGES);
}
