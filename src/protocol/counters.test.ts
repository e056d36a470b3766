import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addCounters, nameRecord } from './messages.js';
import { parseAgentMessage } from './validate.js';

test('global counters keyed `__proto__` by a hostile agent are ordinary keys: Object.prototype is untouched', () => {
  const raw = '{"type":"phaseStatus","phase":"main","status":"TERMINATED","sessionLimitExceeded":false,'
    + '"globalCounters":{"__proto__":{"polluted":7},"users":{"__proto__":3,"n":2}}}';
  const message = parseAgentMessage(raw);
  assert.equal(message.type, 'phaseStatus');
  const sums = nameRecord<Record<string, number>>();
  addCounters(sums, (message as { globalCounters: Record<string, Record<string, number>> }).globalCounters);
  addCounters(sums, (message as { globalCounters: Record<string, Record<string, number>> }).globalCounters);
  assert.equal((({}) as Record<string, unknown>).polluted, undefined, 'Object.prototype was not written');
  assert.deepEqual(JSON.parse(JSON.stringify(sums)), { ['__proto__']: { polluted: 14 }, users: { ['__proto__']: 6, n: 4 } });
});
