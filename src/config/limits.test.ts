import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BenchmarkError } from '../lib/index.js';
import { parseBenchmark } from './load.js';

function problems(text: string): string[] {
  try {
    parseBenchmark(text, { fileName: 'b.hf.yaml' });
  } catch (error) {
    assert.ok(error instanceof BenchmarkError, `expected a BenchmarkError, got ${String(error)}`);
    return error.problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
  }
  return [];
}

const SCENARIO = 'scenario: [{s: [{httpRequest: {GET: /}}]}]';

function phase(props: string): string {
  return ['name: b', "http: {host: 'http://127.0.0.1:8080'}", 'phases:', '- p:', `    ${props}`].join('\n');
}

describe('limits on sizes and rates', () => {
  it('names the limit a rate, a user count, a session count, a connection count or a duration exceeds', () => {
    const cases: Array<[string, RegExp]> = [
      [`constantRate: {usersPerSec: 1e15, duration: 1s, ${SCENARIO}}`, /1e15 is above MAX_USERS_PER_SEC = 1000000/],
      [`increasingRate: {initialUsersPerSec: 1, targetUsersPerSec: {base: 1, increment: 2e6}, duration: 1s, ${SCENARIO}}`, /2e6 is above MAX_USERS_PER_SEC/],
      [`atOnce: {users: 100000000, ${SCENARIO}}`, /100000000 is above MAX_SESSIONS = 10000000/],
      [`constantRate: {usersPerSec: 10, maxSessions: 99999999999, duration: 1s, ${SCENARIO}}`, /above MAX_SESSIONS/],
      [`constantRate: {usersPerSec: 10, duration: 1000h, ${SCENARIO}}`, /3600000000 ms is above MAX_DURATION \(30 days\)/],
      [`atOnce: {users: 99999999999999999999, ${SCENARIO}}`, /99999999999999999999 is above MAX_SESSIONS/],
    ];
    for (const [props, expected] of cases) {
      const found = problems(phase(props));
      assert.equal(found.length, 1, `${props}: ${found.join('; ')}`);
      assert.match(found[0]!, expected);
    }
    const http = problems(['name: b', "http: {host: 'http://127.0.0.1:8080', sharedConnections: 5000000}", 'usersPerSec: 1', 'duration: 1s', SCENARIO].join('\n'));
    assert.match(http[0] ?? '', /5000000 is above MAX_CONNECTIONS = 1000000/);
  });

  it('accepts large values a real cluster can run', () => {
    assert.deepEqual(problems(phase(`constantRate: {usersPerSec: 500000, maxSessions: 5000000, duration: 24h, ${SCENARIO}}`)), []);
  });
});
