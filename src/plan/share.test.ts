import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentDef, Benchmark, HttpTarget, Phase, PhaseModel } from '../config/index.js';
import { agentShare, agentThreadCounts, threadShare } from './share.js';
import type { Share } from './share.js';

function phase(name: string, model: PhaseModel): Phase {
  return {
    id: 0, name, baseName: name, iteration: -1, fork: '', model, startTimeMs: 0, startAfter: [], startAfterStrict: [],
    terminateAfterStrict: [], isWarmup: false, customSlas: [], sharedResources: name,
  };
}

const target: HttpTarget = {
  protocol: 'http', host: 'localhost', port: 8080, authority: 'localhost:8080', isDefault: true,
  sharedConnections: { core: 20, max: 20, buffer: 4, keepAliveTimeMs: 0 }, connectionStrategy: 'SHARED_POOL', addresses: [],
  requestTimeoutMs: 30_000, sslHandshakeTimeoutMs: 10_000, allowHttp1x: true, allowHttp2: true, maxHttp2Streams: 100,
  pipeliningLimit: 1, rawBytesHandlers: true, useHttpCache: true,
};

const agent = (name: string, threads: number): AgentDef => ({ name, properties: {}, threads });

type Slice = Pick<Benchmark, 'agents' | 'threads' | 'phases' | 'http'>;
const benchmark: Slice = {
  agents: [agent('a', 1), agent('b', 2), agent('c', 3)],
  threads: 1,
  http: [target],
  phases: [
    phase('total', { type: 'always', users: 100, usersPer: 'total' }),
    phase('perAgent', { type: 'atOnce', users: 5, usersPer: 'agent' }),
    phase('perThread', { type: 'atOnce', users: 2, usersPer: 'thread' }),
    phase('rate', { type: 'constantRate', usersPerSec: 60, maxSessions: 7, variance: true, sessionLimitPolicy: 'FAIL' }),
    phase('ramp', { type: 'increasingRate', initialUsersPerSec: 6, targetUsersPerSec: 12, maxSessions: 2, variance: false, sessionLimitPolicy: 'CONTINUE' }),
    phase('pause', { type: 'noop' }),
  ],
};

const users = (share: Share, name: string): number => {
  const model = share.phases.find((p) => p.name === name)?.model;
  assert.ok(model && (model.type === 'atOnce' || model.type === 'always'));
  assert.equal(model.usersPer, 'total', 'a share counts users absolutely');
  return model.users;
};
const field = (share: Share, name: string, key: 'usersPerSec' | 'initialUsersPerSec' | 'targetUsersPerSec' | 'maxSessions'): number =>
  (share.phases.find((p) => p.name === name)?.model as unknown as Record<string, number>)[key] as number;
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

describe('agent and thread shares', () => {
  const shares = [0, 1, 2].map((i) => agentShare(benchmark, i));

  it('splits total users and rates among agents in proportion to their threads, the parts adding up to the whole', () => {
    assert.deepEqual(shares.map((s) => users(s, 'total')), [16, 34, 50]);
    assert.equal(sum(shares.map((s) => field(s, 'rate', 'usersPerSec'))), 60);
    assert.deepEqual(shares.map((s) => field(s, 'rate', 'usersPerSec')), [10, 20, 30]);
    assert.ok(Math.abs(sum(shares.map((s) => field(s, 'ramp', 'targetUsersPerSec'))) - 12) < 1e-9);
  });

  it('gives usersPerAgent to each agent and multiplies usersPerThread by the agent\'s threads', () => {
    assert.deepEqual(shares.map((s) => users(s, 'perAgent')), [5, 5, 5]);
    assert.deepEqual(shares.map((s) => users(s, 'perThread')), [2, 4, 6]);
  });

  it('keeps at least one session per agent', () => {
    assert.deepEqual(shares.map((s) => field(s, 'rate', 'maxSessions')), [1, 2, 4]);
    assert.deepEqual(shares.map((s) => field(s, 'ramp', 'maxSessions')), [1, 1, 1]);
  });

  it('splits connections among agents by threads, each thread getting at least one', () => {
    assert.deepEqual(shares.map((s) => s.http[0]?.sharedConnections.max), [3, 7, 10]);
    assert.equal(sum(shares.map((s) => s.http[0]?.sharedConnections.core ?? 0)), 20);
    assert.ok(shares.every((s) => (s.http[0]?.sharedConnections.buffer ?? 0) <= (s.http[0]?.sharedConnections.max ?? 0)));
  });

  it('splits an agent\'s share among its threads so that the threads add up to the agent', () => {
    const agent = shares[2] as Share;
    const threads = [0, 1, 2].map((t) => threadShare(agent, t));
    assert.equal(sum(threads.map((t) => users(t, 'total'))), users(agent, 'total'));
    assert.deepEqual(threads.map((t) => users(t, 'perThread')), [2, 2, 2]);
    assert.ok(Math.abs(sum(threads.map((t) => field(t, 'rate', 'usersPerSec'))) - 30) < 1e-9);
    assert.equal(sum(threads.map((t) => t.http[0]?.sharedConnections.max ?? 0)), 10);
    assert.ok(threads.every((t) => t.threads === 1 && field(t, 'ramp', 'maxSessions') >= 1));
    assert.deepEqual(threads[0]?.phases.find((p) => p.name === 'pause')?.model, { type: 'noop' });
  });

  it('without agents runs everything in one agent with the root threads and cuts nothing', () => {
    const standalone = { ...benchmark, agents: [], threads: 4 };
    assert.deepEqual(agentThreadCounts(standalone), [4]);
    const share = agentShare(standalone, 0);
    assert.equal(share.threads, 4);
    assert.equal(users(share, 'total'), 100);
    assert.equal(users(share, 'perThread'), 8);
    assert.equal(field(share, 'rate', 'usersPerSec'), 60);
    assert.deepEqual(share.http[0]?.sharedConnections, target.sharedConnections);
    assert.throws(() => agentShare(standalone, 1), RangeError);
  });
});
