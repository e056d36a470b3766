import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogram } from '../stats/histogram.js';
import { encodeHistogram } from '../stats/hdr-encoding.js';
import { encodeSnapshot, StatsSnapshot } from '../stats/index.js';
import { parseAgentMessage, parseControllerMessage, PROTOCOL_LIMITS, PROTOCOL_VERSION, ProtocolError, VersionMismatchError } from './index.js';

const snapshot = encodeSnapshot(new StatsSnapshot('int32').setInterval(1000, 2000)).toString('base64');
const histogram = encodeHistogram(createHistogram('int32')).toString('base64');

function rejects(message: unknown, pattern: RegExp): void {
  assert.throws(() => parseAgentMessage(message), (e: unknown) => e instanceof ProtocolError && pattern.test(e.message),
    `${JSON.stringify(message)?.slice(0, 200)} should fail with ${pattern}`);
}

describe('protocol validation', () => {
  it('accepts well-formed messages from JSON text or objects', () => {
    assert.deepEqual(parseAgentMessage('{"type":"ready","stepSlas":{}}'), { type: 'ready', stepSlas: {} });
    const status = { type: 'phaseStatus', phase: 'main', status: 'FINISHED', sessionLimitExceeded: false };
    assert.deepEqual(parseAgentMessage(status), status);
    assert.equal(parseControllerMessage({ type: 'phase', phase: 'main', command: 'RUN' }).type, 'phase');
    const stats = { type: 'stats', items: [{ phase: 'main', stepId: 1, metric: 'm', sequenceId: 0, snapshot }] };
    assert.deepEqual(parseAgentMessage(stats), stats);
    const load = { type: 'generatorLoad', phase: 'main', lateness: histogram, loopLag: histogram, throttledStarts: 0, droppedStarts: 2 };
    assert.deepEqual(parseAgentMessage(load), load);
    const slas = { '3': [{ errorRatio: 0.1, invalidRatio: 1, blockedRatio: 0, windowMs: 1000, limits: [{ percentile: 99, latencyNs: 1e8 }] }] };
    assert.deepEqual(parseAgentMessage({ type: 'ready', stepSlas: slas }), { type: 'ready', stepSlas: slas });
  });

  it('keeps only the known fields, so nothing unexpected travels further', () => {
    const parsed = parseAgentMessage({ type: 'heartbeat', agentTimeMs: 5, extra: 'x', constructor: 1 }) as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['type', 'agentTimeMs']);
    const sessions = parseAgentMessage('{"type":"sessions","timestampMs":1,"phases":{"__proto__":{"min":0,"max":1}}}');
    assert.equal(Object.getPrototypeOf((sessions as { phases: object }).phases), Object.prototype, 'a `__proto__` key stays a plain key');
  });

  it('rejects garbage, unknown types and wrong field types with a message naming the problem', () => {
    rejects('not json', /not JSON/);
    rejects('[1,2]', /must be a JSON object/);
    rejects({ type: 'reboot' }, /unknown message type `reboot`/);
    rejects({ type: 'phaseStatus', phase: 'p', status: 'DONE', sessionLimitExceeded: false }, /`status` must be one of RUNNING, FINISHED, TERMINATED, got `DONE`/);
    rejects({ type: 'phaseStatus', phase: 'p', status: 'RUNNING', sessionLimitExceeded: false, agentTimeMs: '1' }, /`agentTimeMs` must be a number/);
    rejects({ type: 'stats', items: [{ phase: 'p' }] }, /`items\[0\]\.stepId` must be a number, got undefined/);
    assert.throws(() => parseControllerMessage({ type: 'phase', phase: 'p', command: 'EXPLODE' }), /`command` must be one of/);
    assert.throws(() => parseControllerMessage({ type: '__proto__' }), /unknown message type/);
  });

  it('checks nested values: sessions ranges, connection rows, step SLAs, stats items', () => {
    rejects({ type: 'sessions', timestampMs: 1, phases: { main: null } }, /`phases\.main` must be an object, got null/);
    rejects({ type: 'sessions', timestampMs: 1, phases: { main: { min: -1, max: 2 } } }, /`phases\.main\.min` must be between 0/);
    rejects({ type: 'sessions', timestampMs: 1, phases: { main: { min: 0.5, max: 2 } } }, /must be a whole number/);
    rejects({ type: 'sessions', timestampMs: 1, phases: [] }, /`phases` must be an object, got array/);
    rejects({ type: 'connections', timestampMs: 1, rows: [null] }, /`rows\[0\]` must be an object, got null/);
    rejects({ type: 'connections', timestampMs: 1, rows: [{ authority: 'a:80', type: 't', min: 0, max: '1' }] }, /`rows\[0\]\.max` must be a number/);
    rejects({ type: 'ready', stepSlas: { x: [] } }, /must be a step id, got `x`/);
    rejects({ type: 'ready', stepSlas: { 1: [{ errorRatio: 0 }] } }, /`stepSlas\.1\[0\]\.invalidRatio` must be a number/);
    rejects({ type: 'ready', stepSlas: { 1: [{ errorRatio: 0, invalidRatio: 0, blockedRatio: 0, limits: [{ percentile: 200, latencyNs: 1 }] }] } }, /percentile` must be between 0 and 100/);
    rejects({ type: 'stats', items: [{ phase: 'p', stepId: 1, metric: 'm', sequenceId: -1, snapshot }] }, /sequenceId` must be between 0/);
    rejects({ type: 'stats', items: [{ phase: '', stepId: 1, metric: 'm', sequenceId: 0, snapshot }] }, /`items\[0\]\.phase` must not be empty/);
    rejects({ type: 'error', message: 'x', fatal: 'yes' }, /`fatal` must be a boolean/);
    rejects({ type: 'hello', version: PROTOCOL_VERSION, name: 'a\nWARN forged log line', token: 't', agentTimeMs: 1 }, /`name` must not contain control characters/);
    rejects({ type: 'connections', timestampMs: 1, rows: [{ authority: 'a:80\r\n9,x', type: 't', min: 0, max: 1 }] }, /`rows\[0\]\.authority` must not contain control characters/);
  });

  it('decodes snapshots and histograms: a bad encoding is a ProtocolError, not an exception from deep inside', () => {
    const item = (s: string): unknown => ({ type: 'stats', items: [{ phase: 'p', stepId: 1, metric: 'm', sequenceId: 0, snapshot: s }] });
    rejects(item(histogram), /`items\[0\]\.snapshot` is not valid: Cannot decode a statistics snapshot: bad magic/);
    rejects(item('not base64!'), /is not base64/);
    rejects(item(Buffer.from('HFS\x01\x00garbage').toString('base64')), /snapshot` is not valid/);
    rejects(item('A'.repeat(PROTOCOL_LIMITS.snapshotChars + 4)), /more than the 2097152 allowed/);
    const load = { type: 'generatorLoad', phase: 'p', lateness: snapshot, loopLag: histogram, throttledStarts: 0, droppedStarts: 0 };
    rejects(load, /`lateness` is not valid: Cannot decode HdrHistogram: unknown cookie/);
    rejects({ ...load, lateness: histogram, droppedStarts: Number.MAX_VALUE }, /`droppedStarts` must be between/);
  });

  it('caps strings and lists, and refuses numbers that are not finite', () => {
    rejects({ type: 'error', message: 'x'.repeat(PROTOCOL_LIMITS.textChars + 1), fatal: false }, /characters long, more than the 16384 allowed/);
    rejects({ type: 'connections', timestampMs: 1, rows: new Array(PROTOCOL_LIMITS.listItems + 1).fill({}) }, /has 100001 items, more than the 100000 allowed/);
    rejects('{"type":"heartbeat","agentTimeMs":1e400}', /`agentTimeMs` must be a finite number/);
    rejects({ type: 'heartbeat', agentTimeMs: Number.NaN }, /finite/);
    rejects({ type: 'heartbeat', agentTimeMs: -5 }, /between 0/);
    // Deep nesting is just a wrong type where an object is expected, whatever its depth.
    rejects(`{"type":"sessions","timestampMs":1,"phases":{"main":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`, /`phases\.main` must be an object, got array/);
  });

  it('refuses a hello of another protocol version first, with a message saying so, whatever its other fields', () => {
    const mismatch = (hello: unknown, pattern: RegExp): void => {
      assert.throws(() => parseAgentMessage(hello), (e: unknown) => e instanceof VersionMismatchError && pattern.test(e.message));
    };
    mismatch({ type: 'hello', version: PROTOCOL_VERSION + 1, name: 'a', somethingNew: true },
      new RegExp(`agent a speaks ${PROTOCOL_VERSION + 1}, the controller speaks ${PROTOCOL_VERSION}; run the same hyperfoil version on both`));
    mismatch({ type: 'hello', name: 'a', token: 't' }, /agent a sent no protocol version/);
    mismatch({ type: 'hello', version: '1', name: 'a' }, /agent a sent no protocol version/);
    assert.equal(parseAgentMessage({ type: 'hello', version: PROTOCOL_VERSION, name: 'a', token: 't', agentTimeMs: 1 }).type, 'hello');
  });
});
