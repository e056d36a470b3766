// Normalization of the `http` pool settings, and the min/max gauges the agent samples.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizePoolSize, parseAddress, parseConnectionStrategy } from './pool-config.js';
import { HttpConfigError } from './errors.js';
import { ConnectionPoolStats, Watermark } from './stats.js';

test('sharedConnections: an int is a fixed pool; the long form defaults like Hyperfoil', () => {
  assert.deepEqual(normalizePoolSize(10), { core: 10, max: 10, buffer: 0, keepAliveTimeMs: 0 });
  assert.deepEqual(normalizePoolSize({ core: 2, max: 8, buffer: 3, keepAliveTime: 30000 }), { core: 2, max: 8, buffer: 3, keepAliveTimeMs: 30000 });
  assert.deepEqual(normalizePoolSize({ core: 4 }), { core: 4, max: 4, buffer: 0, keepAliveTimeMs: 0 });
  assert.deepEqual(normalizePoolSize({ max: 5, buffer: 2 }), { core: 0, max: 5, buffer: 2, keepAliveTimeMs: 0 });
  assert.throws(() => normalizePoolSize(0), /sharedConnections must be an integer >= 1/);
  assert.throws(() => normalizePoolSize(1.5), HttpConfigError);
  assert.throws(() => normalizePoolSize({ core: 5, max: 2 }), /core \(5\) is larger than sharedConnections.max \(2\)/);
  assert.throws(() => normalizePoolSize({ max: 2, buffer: 3 }), /buffer \(3\) is larger/);
});

test('connectionStrategy: the four names, case-sensitive, with a helpful error', () => {
  for (const s of ['SHARED_POOL', 'SESSION_POOLS', 'OPEN_ON_REQUEST', 'ALWAYS_NEW']) assert.equal(parseConnectionStrategy(s), s);
  assert.throws(() => parseConnectionStrategy('shared_pool'), /use one of SHARED_POOL, SESSION_POOLS, OPEN_ON_REQUEST, ALWAYS_NEW/);
});

test('addresses: ip, ip:port, hostname:port, [v6]:port and bare v6', () => {
  assert.deepEqual(parseAddress('10.0.0.1', 8080), { host: '10.0.0.1', port: 8080 });
  assert.deepEqual(parseAddress(' 10.0.0.1:9090 ', 8080), { host: '10.0.0.1', port: 9090 });
  assert.deepEqual(parseAddress('backend-1:81', 80), { host: 'backend-1', port: 81 });
  assert.deepEqual(parseAddress('[::1]:8443', 443), { host: '::1', port: 8443 });
  assert.deepEqual(parseAddress('[::1]', 443), { host: '::1', port: 443 });
  assert.deepEqual(parseAddress('fe80::1', 80), { host: 'fe80::1', port: 80 });
  for (const bad of ['', ':80', '10.0.0.1:', '10.0.0.1:70000', '10.0.0.1:0', '[::1', '[nope]:80', '[::1]x', 'h:8a']) {
    assert.throws(() => parseAddress(bad, 80), /is not valid/, bad);
  }
});

test('Watermark keeps min and max per period, restarting from the current value', () => {
  const w = new Watermark();
  w.increment();
  w.increment();
  w.decrement();
  assert.deepEqual([w.current, w.min, w.max], [1, 0, 2]);
  w.resetPeriod();
  assert.deepEqual([w.current, w.min, w.max], [1, 1, 1]);
  w.decrement();
  assert.deepEqual([w.current, w.min, w.max], [0, 0, 1]);
  const stats = new ConnectionPoolStats('h:80', 'HTTP 1.x');
  stats.blockedSessions.increment();
  const rows = stats.sampleAndReset();
  assert.deepEqual(rows.map((r) => r.type), ['in-flight requests', 'used connections', 'blocked sessions', 'HTTP 1.x']);
  assert.deepEqual(rows[2], { authority: 'h:80', type: 'blocked sessions', min: 0, max: 1, current: 1 });
  assert.equal(stats.sampleAndReset()[2]!.min, 1, 'the next period starts at the current value');
});
