/**
 * `EngineWorker` hosts every phase of one worker's share of a benchmark: it compiles the scenarios once per
 * session pool, pre-allocates the sessions, and obeys phase commands. It runs on whatever thread constructs it;
 * the agent hosts it in a `worker_thread`, tests host it directly with a `ManualClock`.
 *
 * The phases given are this worker's share: every count and rate in `phase.model` (users, usersPerSec,
 * maxSessions) is already the part for this worker (the plan splits them). Give every worker the same phase list,
 * even where its share is zero, so that step ids agree across workers.
 */
import type { Benchmark, Phase, Scenario } from '../config/model.js';
import { SystemClock } from './clock.js';
import type { Clock } from './clock.js';
import { compileScenario } from './compile.js';
import type { CompiledScenario } from './compile.js';
import { EngineCommandError, EngineCompileError } from './errors.js';
import type { WorkerIdentity } from './identity.js';
import type { PhaseCountersSnapshot } from './phase-counters.js';
import { PhaseRunner } from './phase-runner.js';
import type { PhaseCommand, PhaseStatus, PhaseStatusListener } from './phase-runner.js';
import { defaultRegistry } from './registry.js';
import type { EngineRegistry } from './registry.js';
import { randomSeed, Xoshiro128 } from './rng.js';
import { RunQueue } from './run-queue.js';
import { Scheduler } from './scheduler.js';
import { Services } from './services.js';
import type { Session, SessionRuntime } from './session.js';
import { SessionPool } from './session-pool.js';
import { NULL_STATS_SINK } from './stats-sink.js';
import type { EngineStatsSink } from './stats-sink.js';

/** The parts of a `Benchmark` the engine reads (a whole `Benchmark` fits). */
export type EngineBenchmark = Pick<Benchmark, 'phases' | 'ergonomics' | 'http' | 'files'>;

export interface EngineWorkerOptions {
  readonly benchmark: EngineBenchmark;
  readonly identity: WorkerIdentity;
  /** Every phase status change, synchronously, in order. */
  readonly onStatus: PhaseStatusListener;
  readonly stats?: EngineStatsSink;
  /** Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** Defaults to `defaultRegistry` (where the step catalogues register). */
  readonly registry?: EngineRegistry;
  /** Host services for step factories (HTTP pools, stats recorders). */
  readonly services?: Services;
  /** Seed for arrival variance; random when absent. */
  readonly seed?: number;
  /**
   * At most this many sessions per pool (default: as many as its phases need). A compile check passes 1: one
   * session of each scenario runs the same constructors as thousands would, without their memory.
   */
  readonly maxSessionsPerPool?: number;
}

export interface PoolInfo {
  readonly key: string;
  readonly size: number;
  readonly available: number;
  readonly phases: readonly string[];
}

export class EngineWorker {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly runQueue: RunQueue;
  /** Build-time warnings of every scenario (variables read but never written…). */
  readonly warnings: readonly string[];
  private readonly runners = new Map<string, PhaseRunner>();
  private readonly pools: SessionPool[] = [];
  private closed = false;

  /** Compiles every scenario and allocates every session; throws EngineCompileError when a scenario is invalid. */
  constructor(options: EngineWorkerOptions) {
    const { benchmark, identity } = options;
    this.clock = options.clock ?? new SystemClock();
    this.scheduler = new Scheduler(this.clock);
    this.runQueue = new RunQueue(this.clock);
    const runtime: SessionRuntime = { clock: this.clock, scheduler: this.scheduler, runQueue: this.runQueue, identity };
    const sink = options.stats ?? NULL_STATS_SINK;
    const registry = options.registry ?? defaultRegistry;
    const services = options.services ?? new Services();
    const seed = options.seed ?? randomSeed();
    const stepIds = { next: 1 };
    let sessionOrdinal = 0;
    const nextSessionId = (): number => sessionOrdinal++ * identity.globalThreads + identity.globalThreadId;
    const warnings: string[] = [];

    // Group phases into pools: same sharedResources and same scenario.
    const groups: Array<{ key: string; scenario: Scenario; phases: Phase[] }> = [];
    for (const phase of benchmark.phases) {
      if (this.runners.has(phase.name) || groups.some((g) => g.phases.some((p) => p.name === phase.name))) {
        throw new EngineCompileError(`phase \`${phase.name}\` appears twice in the worker's share`);
      }
      if (phase.model.type === 'noop') continue;
      if (phase.scenario === undefined) throw new EngineCompileError(`phase \`${phase.name}\` has no scenario`);
      if ((phase.model.type === 'increasingRate' || phase.model.type === 'decreasingRate') && !(phase.durationMs! > 0)) {
        throw new EngineCompileError(`phase \`${phase.name}\` (${phase.model.type}) needs a duration to ramp over`);
      }
      const key = phase.sharedResources || phase.name;
      const group = groups.find((g) => g.key === key && sameScenario(g.scenario, phase.scenario!))
        ?? groups[groups.push({ key, scenario: phase.scenario, phases: [] }) - 1]!;
      group.phases.push(phase);
    }
    const poolOf = new Map<string, SessionPool>();
    for (const group of groups) {
      let compiled: CompiledScenario;
      try {
        compiled = compileScenario(group.scenario, {
          registry, ergonomics: benchmark.ergonomics, http: benchmark.http, files: benchmark.files, identity, services, stepIds,
        });
      } catch (error) {
        if (error instanceof EngineCompileError) {
          throw new EngineCompileError(`phase \`${group.phases[0]!.name}\`: ${error.message}`);
        }
        throw error;
      }
      warnings.push(...compiled.warnings.map((w) => `phase \`${group.phases[0]!.name}\`: ${w}`));
      const size = Math.min(options.maxSessionsPerPool ?? Infinity, Math.max(0, ...group.phases.map(poolSizeOf)));
      const pool = new SessionPool(group.key, compiled, size, runtime, nextSessionId);
      this.pools.push(pool);
      for (const phase of group.phases) poolOf.set(phase.name, pool);
    }
    for (const phase of benchmark.phases) {
      const random = new Xoshiro128((seed + Math.imul(phase.id + 1, 0x9e3779b9)) >>> 0);
      this.runners.set(phase.name, new PhaseRunner(phase, poolOf.get(phase.name) ?? null, runtime, sink, options.onStatus, random));
    }
    this.warnings = warnings;
  }

  /** Phase names in the order given. */
  get phaseNames(): string[] {
    return [...this.runners.keys()];
  }

  /** Obeys a controller command for one phase; status changes are reported through `onStatus`. */
  command(phaseName: string, command: PhaseCommand): void {
    if (this.closed) throw new EngineCommandError('the engine worker is closed');
    this.runner(phaseName).command(command);
  }

  status(phaseName: string): PhaseStatus {
    return this.runner(phaseName).status;
  }

  counters(phaseName: string): PhaseCountersSnapshot {
    return this.runner(phaseName).counters.snapshot();
  }

  /**
   * Min/max active sessions of every started phase since the previous call (Hyperfoil's per-period session
   * stats); each range restarts from the current count.
   */
  takeSessionRanges(): Array<{ phase: string; phaseId: number; min: number; max: number }> {
    const out: Array<{ phase: string; phaseId: number; min: number; max: number }> = [];
    for (const runner of this.runners.values()) {
      if (runner.status === 'NOT_STARTED' || runner.phase.model.type === 'noop') continue;
      out.push({ phase: runner.phaseName, phaseId: runner.phaseId, ...runner.counters.takeSessionRange() });
    }
    return out;
  }

  /** Every pooled session of a phase's pool (running or idle), for listings and tests. */
  sessionsOf(phaseName: string): readonly Session[] {
    const runner = this.runner(phaseName);
    return runner.phase.model.type === 'noop' ? [] : runner.pool.sessions;
  }

  /** The session pools and the phases sharing each. */
  poolInfo(): PoolInfo[] {
    return this.pools.map((pool) => ({
      key: pool.key,
      size: pool.size,
      available: pool.available,
      phases: [...this.runners.values()].filter((r) => r.phase.model.type !== 'noop' && r.pool === pool).map((r) => r.phaseName),
    }));
  }

  /** Cancels every session, stops every timer; later commands are refused. Statuses are not reported. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.scheduler.close();
    this.runQueue.close();
    for (const runner of this.runners.values()) runner.shutdown();
  }

  private runner(phaseName: string): PhaseRunner {
    const runner = this.runners.get(phaseName);
    if (runner === undefined) {
      throw new EngineCommandError(`this worker has no phase \`${phaseName}\` (it has ${[...this.runners.keys()].map((n) => `\`${n}\``).join(', ') || 'none'})`);
    }
    return runner;
  }
}

function poolSizeOf(phase: Phase): number {
  const model = phase.model;
  switch (model.type) {
    case 'noop': return 0;
    case 'atOnce':
    case 'always': return model.users;
    default: return Math.max(1, model.maxSessions);
  }
}

function sameScenario(a: Scenario, b: Scenario): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
