/**
 * One agent's and one thread's share of a benchmark: the same phases with users, rates and session pools cut to
 * the part that agent (or thread) runs, and the HTTP targets with their connection pools cut likewise.
 *
 * After `agentShare` every closed-model count is absolute for that agent (`usersPer: 'total'`): `usersPerAgent` is
 * taken as is and `usersPerThread` is multiplied by the agent's threads. Without agents (standalone, in-VM) the
 * benchmark runs in one agent with the root `threads` and nothing is cut.
 */
import type { Benchmark, HttpTarget, Phase, PhaseModel } from '../config/index.js';
import { sliceInt, sliceMaxSessions, sliceRate, sliceSharedConnections } from './slice.js';

export interface Share {
  readonly phases: readonly Phase[];
  readonly http: readonly HttpTarget[];
  /** Threads (executors) this share runs on: the agent's threads, or 1 for a thread's share. */
  readonly threads: number;
}

/** Thread counts of the agents in order, or the root `threads` alone when the benchmark declares no agents. */
export function agentThreadCounts(benchmark: Pick<Benchmark, 'agents' | 'threads'>): number[] {
  return benchmark.agents.length > 0 ? benchmark.agents.map((a) => a.threads) : [benchmark.threads];
}

type Slicer = {
  users(model: Extract<PhaseModel, { type: 'atOnce' | 'always' }>): number;
  rate(ratePerSec: number): number;
  sessions(maxSessions: number): number;
};

function sliceModel(model: PhaseModel, slicer: Slicer): PhaseModel {
  switch (model.type) {
    case 'noop':
      return model;
    case 'atOnce':
    case 'always':
      return { type: model.type, users: slicer.users(model), usersPer: 'total' };
    case 'constantRate':
      return { ...model, usersPerSec: slicer.rate(model.usersPerSec), maxSessions: slicer.sessions(model.maxSessions) };
    case 'increasingRate':
    case 'decreasingRate':
      return {
        ...model,
        initialUsersPerSec: slicer.rate(model.initialUsersPerSec),
        targetUsersPerSec: slicer.rate(model.targetUsersPerSec),
        maxSessions: slicer.sessions(model.maxSessions),
      };
  }
}

export function agentShare(benchmark: Pick<Benchmark, 'agents' | 'threads' | 'phases' | 'http'>, agentIndex: number): Share {
  const weights = agentThreadCounts(benchmark);
  const threads = weights[agentIndex];
  if (threads === undefined) throw new RangeError(`agent index ${agentIndex} is outside 0..${weights.length - 1}`);
  const slicer: Slicer = {
    users: (m) => (m.usersPer === 'agent' ? m.users : m.usersPer === 'thread' ? m.users * threads : sliceInt(m.users, agentIndex, weights)),
    rate: (rate) => sliceRate(rate, agentIndex, weights),
    sessions: (sessions) => sliceMaxSessions(sessions, agentIndex, weights),
  };
  return {
    threads,
    phases: benchmark.phases.map((phase) => ({ ...phase, model: sliceModel(phase.model, slicer) })),
    http: benchmark.http.map((target) => ({
      ...target,
      sharedConnections: sliceSharedConnections(target.sharedConnections, agentIndex, weights, threads),
    })),
  };
}

/** A thread's part of an agent's share: everything split evenly among the agent's threads. */
export function threadShare(share: Share, threadIndex: number): Share {
  const weights = new Array<number>(share.threads).fill(1);
  const slicer: Slicer = {
    users: (m) => (m.usersPer === 'thread' ? m.users : sliceInt(m.users, threadIndex, weights)),
    rate: (rate) => sliceRate(rate, threadIndex, weights),
    sessions: (sessions) => sliceMaxSessions(sessions, threadIndex, weights),
  };
  return {
    threads: 1,
    phases: share.phases.map((phase) => ({ ...phase, model: sliceModel(phase.model, slicer) })),
    http: share.http.map((target) => ({ ...target, sharedConnections: sliceSharedConnections(target.sharedConnections, threadIndex, weights) })),
  };
}
