import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAgentMessage, parseControllerMessage, ProtocolError } from './index.js';

describe('protocol validation', () => {
  it('accepts well-formed messages from JSON text or objects', () => {
    assert.deepEqual(parseAgentMessage('{"type":"ready","stepSlas":{}}'), { type: 'ready', stepSlas: {} });
    const status = { type: 'phaseStatus', phase: 'main', status: 'FINISHED', sessionLimitExceeded: false };
    assert.deepEqual(parseAgentMessage(status), status);
    assert.equal(parseControllerMessage({ type: 'phase', phase: 'main', command: 'RUN' }).type, 'phase');
  });

  it('rejects garbage, unknown types and wrong field types with a message naming the problem', () => {
    assert.throws(() => parseAgentMessage('not json'), (e: unknown) => e instanceof ProtocolError && /not JSON/.test(e.message));
    assert.throws(() => parseAgentMessage('[1,2]'), /must be a JSON object/);
    assert.throws(() => parseAgentMessage({ type: 'reboot' }), /unknown message type `reboot`/);
    assert.throws(() => parseAgentMessage({ type: 'hello', version: '1', name: 'a', token: 't', agentTimeMs: 0 }), /field `version` must be a number, got string/);
    assert.throws(() => parseAgentMessage({ type: 'phaseStatus', phase: 'p', status: 'DONE', sessionLimitExceeded: false }), /unknown phase status `DONE`/);
    assert.throws(() => parseAgentMessage({ type: 'phaseStatus', phase: 'p', status: 'RUNNING', sessionLimitExceeded: false, agentTimeMs: '1' }), /field `agentTimeMs` must be a number/);
    assert.throws(() => parseAgentMessage({ type: 'stats', items: [{ phase: 'p' }] }), /field `stepId` must be a number/);
    assert.throws(() => parseControllerMessage({ type: 'phase', phase: 'p', command: 'EXPLODE' }), /unknown phase command/);
    assert.throws(() => parseControllerMessage({ type: '__proto__' }), /unknown message type/);
  });
});
